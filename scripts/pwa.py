"""Installable offline app (issue 19): manifests, icons, precache lists and service workers.

One worker per language, at that language's root (`sw.js` for Spanish, `en/sw.js` for
English), so each worker's scope is its language: `/` and `/en/`. Scopes nest, and the
browser picks the longest one, so the Spanish worker leaves every URL under `en/` to the
network (or to the English worker, once the reader has opened an English page online).
Each worker precaches, after the page has loaded, its language's pages, the assets those
pages load, its search index, Material's search worker with the lunr files it imports for
that language, the manifest and icons; and, when the reader opens a region page of the
directory, that region's pocket guide (one at a time). CONTRIBUTING.md ("Offline app")
says why the worker is our own and not Workbox.

Everything here is a pure function of the built site's files, so tests can run it on a
fixture site; overrides/hooks/pwa.py calls the write_* functions once every file is final.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from scripts import ROOT
from scripts.pocket import NATIONAL, PDF_DIR, pdf_name
from scripts.problems import Problem

LANGUAGE_PREFIXES = {"es": "", "en": "en/"}    # same split as overrides/hooks/i18n_search.py
PRECACHE_BUDGET = 3 * 1024 * 1024              # bytes downloaded per language (gzip, see size_of)
ENV_SWITCH = "PWA"                             # PWA=0 builds the site without the offline app
WORKER_NAME = "sw.js"
MANIFEST_NAME = "manifest.webmanifest"
ICON_SIZES = (192, 512)
ICON_PATH = "assets/images/app-icon-{size}.png"
ICON_SAFE_SHARE = 0.56        # the logo's viewBox fills 56% of the icon: inside the maskable safe zone
LOGO_SVG = ROOT / "docs" / "assets" / "images" / "logo.svg"
THEME_CSS = ROOT / "docs" / "assets" / "stylesheets" / "extra.css"
WORKER_TEMPLATE = Path(__file__).with_name("pwa_worker.js")
CONFIG_SLOT = "/*KB:CONFIG*/null"              # replaced by the worker's JSON configuration
BACKGROUND = "#ffffff"
SHORT_NAMES = {"es": "Guía trata", "en": "Trafficking"}   # home-screen label: 12 characters at most
# Text of the page the worker shows for a page it did not save (offline, not cached)
NOT_SAVED = {
    "es": {"title": "Página no guardada", "text": "Esta página no se guardó para usar sin conexión. "
           "Vuelva a intentarlo cuando tenga señal.", "home": "Ir al inicio de la guía"},
    "en": {"title": "Page not saved", "text": "This page was not saved for offline use. "
           "Try again when you have a signal.", "home": "Go to the guide's home page"},
}
# Files never precached even when a page names them: source maps, sitemaps, the 404 page
# (static-i18n writes it in the last-built language only). Only what pages load is listed,
# so unlinked files (palette.css, other languages' lunr files) never are.
SKIP = re.compile(r"(\.map|sitemap\.xml(\.gz)?|(^|/)404\.html)$")
COMPRESSED = (".png", ".jpg", ".jpeg", ".webp", ".pdf", ".woff2", ".woff", ".gz", ".zip")
LUNR_DIR = "assets/javascripts/lunr"
GUIDE_NAME = re.compile(r"^guia-bolsillo-(?P<region>[a-z0-9-]+)-(?P<lang>[a-z]{2})\.pdf$")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Entry:
    """One precached file: its URL relative to the language root, revision and size."""

    url: str
    revision: str
    size: int


# --- Theme and manifest ---------------------------------------------------------------------

def theme_colour(css_text: str) -> str:
    """The site's primary colour, read from extra.css (its only place)."""
    match = re.search(r"--md-primary-fg-color\s*:\s*(#[0-9a-fA-F]{3,8})\s*;", css_text)
    if not match:
        raise ValueError("extra.css: no '--md-primary-fg-color: #rrggbb;' to take the app's theme colour from")
    return match.group(1).lower()


def site_theme(css: Path = THEME_CSS) -> str:
    """theme_colour of the site's extra.css."""
    return theme_colour(css.read_text(encoding="utf-8"))


# sw.js when the app is off but the site is served (mkdocs serve, PWA=0): a worker left on that
# address by an earlier build (a deployment, or site/ served on 127.0.0.1:8000) finds this
# at its next update check, deletes the app's caches and unregisters (it has no fetch
# handler, so the pages it still controls until they are left go to the network).
RETIRE_WORKER = """/* The offline app is off for this build (scripts/pwa.py): remove any worker and cache left. */
"use strict";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("kb-") === 0; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.registration.unregister(); }));
});
"""


def app_mode(offline: bool, command: str | None, env) -> str:
    """What the build writes: "none" in the file:// copy; "retire" with PWA=0 (no manifest
    link, sw.js removes the app); "serve" under `mkdocs serve` (pages as built, so a cached
    rebuild equals a clean build, but sw.js removes the app: a worker would serve stale pages
    while you edit); "on" otherwise."""
    if offline:
        return "none"
    if env.get(ENV_SWITCH, "1") == "0":
        return "retire"
    return "serve" if command == "serve" else "on"


def manifest(lang: str, name: str, description: str, theme: str) -> dict:
    """Web app manifest of one language; URLs are relative to the manifest's own URL."""
    up = "../" * LANGUAGE_PREFIXES[lang].count("/")
    icons = [{"src": up + ICON_PATH.format(size=s), "sizes": f"{s}x{s}", "type": "image/png", "purpose": "any"}
             for s in ICON_SIZES]
    icons.append({**icons[-1], "purpose": "maskable"})
    return {
        "id": "./", "start_url": "./", "scope": "./",
        "name": name, "short_name": SHORT_NAMES[lang], "description": description,
        "lang": lang, "dir": "ltr", "display": "standalone",
        "theme_color": theme, "background_color": BACKGROUND,
        "categories": ["medical", "education"], "icons": icons,
    }


def head_data(lang: str, theme: str) -> dict:
    """What overrides/partials/kb-pwa-head.html needs: manifest path from the site root, colour."""
    return {"manifest": LANGUAGE_PREFIXES[lang] + MANIFEST_NAME, "theme_color": theme}


# --- Icons ----------------------------------------------------------------------------------

def icon_svg(logo_svg: str, size: int, theme: str) -> str:
    """Square icon: the logo's paths in white, centred on the theme colour (maskable-safe)."""
    root = ET.fromstring(logo_svg)
    ns = "{http://www.w3.org/2000/svg}"
    box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise ValueError("logo.svg: needs a viewBox 'x y width height' to be drawn as an icon")
    paths = [p.get("d") for p in root.iter(f"{ns}path") if p.get("d")]
    if not paths:
        raise ValueError("logo.svg: no <path d=...> to draw")
    scale = size * ICON_SAFE_SHARE / max(box[2], box[3])
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    shapes = "".join(f'<path d="{escape_attr(d)}"/>' for d in paths)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
            f'<rect width="{size}" height="{size}" fill="{theme}"/>'
            f'<g fill="#ffffff" transform="translate({size / 2:g} {size / 2:g}) scale({scale:g}) '
            f'translate({-cx:g} {-cy:g})">{shapes}</g></svg>')


def escape_attr(value: str) -> str:
    """Escape an attribute value for SVG/HTML."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def render_png(svg: str, size: int) -> bytes:
    """Rasterise with resvg (PyPI wheel, no system library)."""
    import resvg_py  # pinned in requirements.txt

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size, skip_system_fonts=True))


# --- What a page loads ----------------------------------------------------------------------

LOAD_TAG = re.compile(r"<(link|script|img|source|audio|video|track|a)\s([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
MATERIAL_CONFIG = re.compile(r"<script id=\"__config\"[^>]*>(.*?)</script>", re.DOTALL)
LINK_RELS = {"stylesheet", "icon", "manifest", "preload", "modulepreload"}


def _attributes(text: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] if m[2] is not None else m[3] if m[3] is not None else m[4])
            for m in ATTRIBUTE.finditer(text)}


def load_refs(page_html: str) -> tuple[list[str], dict]:
    """References a page makes the browser load (not the pages it links to), and Material's
    __config. A regular-expression scan: html.parser took 2.5 s for the site's 7 MB of pages."""
    refs: list[str] = []
    for tag, attrs in LOAD_TAG.findall(page_html):
        tag, a = tag.lower(), _attributes(attrs)
        rel = set((a.get("rel") or "").lower().split())
        if tag == "link" and a.get("href") and LINK_RELS & rel:
            refs.append(a["href"])
        elif tag not in ("link", "a") and a.get("src"):
            refs.append(a["src"])
        if tag in ("img", "source") and a.get("srcset"):
            refs += [part.strip().split()[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "a" and a.get("href") and a["href"].split("?")[0].endswith(".vcf"):
            refs.append(a["href"])       # "add to contacts" files of the directory
    match = MATERIAL_CONFIG.search(page_html)
    config = json.loads(match.group(1)) if match and match.group(1).strip() else {}
    return refs, config


def _resolve(site_dir: Path, base_file: Path, ref: str) -> Path | None:
    """The file of site_dir that `ref` (relative to base_file) names, or None."""
    parsed = urlparse(ref)
    if parsed.scheme or parsed.netloc or ref.startswith(("data:", "#", "/")):
        return None
    target = (base_file.parent / unquote(parsed.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    try:
        target.relative_to(site_dir.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def page_loads(site_dir: Path, page: Path, css_cache: dict | None = None) -> tuple[list[Path], dict]:
    """Files the page loads (styles, scripts, images, icons, CSS url()s) and its Material config."""
    css_cache = {} if css_cache is None else css_cache
    try:
        refs, config = load_refs(page.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{page.relative_to(site_dir).as_posix()}: Material's __config is not JSON "
                         f"({error}); the worker needs it to find the search worker") from error
    if config.get("search"):
        refs.append(config["search"])
    found: list[Path] = []
    for ref in refs:
        path = _resolve(site_dir, page, ref)
        if path and path not in found:
            found.append(path)
            if path.suffix == ".css":
                if path not in css_cache:
                    text = path.read_text(encoding="utf-8", errors="replace")
                    css_cache[path] = [p for p in (_resolve(site_dir, path, r) for r in CSS_URL.findall(text)) if p]
                found += [p for p in css_cache[path] if p not in found]
    return found, config


def lunr_files(languages: list[str]) -> list[str]:
    """lunr files Material's search worker imports for an index of these languages."""
    extra = []
    for lang in languages:
        if lang == "ja":
            extra.append(f"{LUNR_DIR}/tinyseg.js")
        elif lang in ("hi", "th"):
            extra.append(f"{LUNR_DIR}/wordcut.js")
        if lang != "en":
            extra.append(f"{LUNR_DIR}/min/lunr.{lang}.min.js")
    if len(languages) > 1:
        extra.append(f"{LUNR_DIR}/min/lunr.multi.min.js")
    return [f"{LUNR_DIR}/min/lunr.stemmer.support.min.js", *extra] if extra else []


# --- Precache lists -------------------------------------------------------------------------

def language_pages(site_dir: Path, lang: str) -> list[Path]:
    """Every page of one language (other languages' folders left out), sorted."""
    prefix = LANGUAGE_PREFIXES[lang]
    others = [p for p in LANGUAGE_PREFIXES.values() if p and p != prefix]
    pages = []
    for page in sorted((site_dir / prefix).rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if SKIP.search(rel) or any(rel.startswith(o) for o in others):
            continue
        pages.append(page)
    return pages


def revision(data: bytes) -> str:
    """Content revision of one file (12 hex digits of SHA-256)."""
    return hashlib.sha256(data).hexdigest()[:12]


def size_of(path: Path, data: bytes) -> int:
    """Bytes a phone downloads for the file: gzip level 6 for text, as served; raw otherwise."""
    if path.suffix.lower() in COMPRESSED:
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_url(site_dir: Path, path: Path, lang: str) -> str:
    """URL of a site file relative to the language root ('identificacion/', '../assets/x.css')."""
    rel = path.relative_to(site_dir).as_posix()
    folder = rel == "index.html" or rel.endswith("/index.html")
    if folder:
        rel = rel[: -len("index.html")]
    url = posixpath.relpath("/" + rel, "/" + LANGUAGE_PREFIXES[lang])
    if folder:
        url = "./" if url == "." else url + "/"
    return url


def entries(site_dir: Path, files: list[Path], lang: str) -> list[Entry]:
    """Entries for the given files, in order, without duplicates."""
    site_dir = Path(site_dir).resolve()
    seen: dict[str, Entry] = {}
    for path in (Path(f).resolve() for f in files):
        data = path.read_bytes()
        url = page_url(site_dir, path, lang)
        if url not in seen:
            seen[url] = Entry(url, revision(data), size_of(path, data))
    return list(seen.values())


def precache_files(site_dir: Path, lang: str) -> list[Path]:
    """Every file the worker of `lang` saves on install (not the pocket guide)."""
    site_dir = Path(site_dir).resolve()
    prefix = LANGUAGE_PREFIXES[lang]
    pages = language_pages(site_dir, lang)
    files: list[Path] = []
    search_langs: set[str] = set()
    css_cache: dict = {}
    index = site_dir / prefix / "search" / "search_index.json"
    for page in pages:
        loads, config = page_loads(site_dir, page, css_cache)
        files += [page, *loads]
        if config.get("search") and index.is_file() and index not in files:
            files.append(index)
            search_langs.update(json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", []))
    # A language with a prefix loads its own copy of the search worker and its lunr files
    # (prefix/assets/..., scripts/search.py copy_search_worker): the worker must sit inside the
    # scope of the language's service worker to be controlled by it offline.
    for name in lunr_files(sorted(search_langs)):
        own = site_dir / prefix / name
        files.append(own if prefix and own.is_file() else site_dir / name)
    files += [site_dir / ICON_PATH.format(size=s) for s in ICON_SIZES]
    files += [site_dir / prefix / MANIFEST_NAME]
    unique = []
    for path in files:
        if path.is_file() and path not in unique and not SKIP.search(path.relative_to(site_dir).as_posix()):
            unique.append(path)
    return unique


def pocket_guides(site_dir: Path, lang: str) -> dict[str, Entry]:
    """Region page URL (relative to the language root) -> the guide saved when it is opened."""
    site_dir = Path(site_dir).resolve()
    folder = site_dir / PDF_DIR
    guides = {}
    for path in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
        match = GUIDE_NAME.match(path.name)
        if not match or match["lang"] != lang or path.name != pdf_name(match["region"], lang):
            continue
        region = match["region"]
        page = "directorio/" if region == NATIONAL else f"directorio/{region}/"
        if (site_dir / LANGUAGE_PREFIXES[lang] / page / "index.html").is_file():
            guides[page] = entries(site_dir, [path], lang)[0]
    return guides


def version(items: list[Entry], guides: dict[str, Entry], template: str) -> str:
    """Hash of everything the worker serves and of its own code: names the cache."""
    digest = hashlib.sha256(template.encode("utf-8"))
    for item in [*items, *guides.values()]:
        digest.update(f"{item.url}\0{item.revision}\n".encode("utf-8"))
    return digest.hexdigest()[:12]


def check_budget(lang: str, items: list[Entry], guides: dict[str, Entry],
                 budget: int = PRECACHE_BUDGET) -> list[Problem]:
    """The precache of one language, plus its largest pocket guide, must fit the budget."""
    total = sum(i.size for i in items) + max((g.size for g in guides.values()), default=0)
    if total <= budget:
        return []
    biggest = sorted(items, key=lambda i: i.size, reverse=True)[:3]
    names = ", ".join(f"{i.url} ({i.size // 1024} KB)" for i in biggest)
    return [Problem(f"{LANGUAGE_PREFIXES[lang]}{WORKER_NAME}", None, "precache",
                    f"the offline app of '{lang}' downloads {total / 1048576:.2f} MB, over the "
                    f"{budget / 1048576:.0f} MB budget; largest: {names}",
                    "make pages or assets lighter, or leave a kind of file out in scripts/pwa.py (SKIP)")]


def worker_config(lang: str, items: list[Entry], guides: dict[str, Entry], template: str) -> dict:
    """The JSON the worker template receives."""
    others = [p for p in LANGUAGE_PREFIXES.values() if p and p != LANGUAGE_PREFIXES[lang]]
    return {
        "lang": lang,
        "version": version(items, guides, template),
        "files": [[i.url, i.revision] for i in items],
        "guides": {page: [g.url, g.revision] for page, g in guides.items()},
        "elsewhere": others,
        "notSaved": not_saved_page(lang),
    }


def not_saved_page(lang: str) -> str:
    """HTML the worker shows, offline, for a page it did not save: both languages, `lang` first."""
    order = [lang, *[other for other in NOT_SAVED if other != lang]]
    text = {code: {k: html.escape(v) for k, v in NOT_SAVED[code].items()} for code in order}
    sections = "".join(f'<section lang="{c}"><h1>{text[c]["title"]}</h1><p>{text[c]["text"]}</p></section>'
                       for c in order)
    home = " / ".join(f'<span lang="{c}">{text[c]["home"]}</span>' for c in order)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{text[lang]["title"]}</title></head><body>{sections}'
            f'<p><a href="{{home}}">{home}</a></p></body></html>')


def render_worker(template: str, config: dict) -> str:
    """The worker's JavaScript: the template with its configuration in CONFIG_SLOT."""
    if template.count(CONFIG_SLOT) != 1:
        raise ValueError(f"{WORKER_TEMPLATE.name}: needs '{CONFIG_SLOT}' exactly once")
    data = json.dumps(config, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return template.replace(CONFIG_SLOT, data)


# --- Writing the app into a built site --------------------------------------------------------

def write_manifest(site_dir: Path, lang: str, name: str, description: str, theme: str) -> Path:
    """Write <language root>/manifest.webmanifest."""
    path = Path(site_dir) / LANGUAGE_PREFIXES[lang] / MANIFEST_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    data = manifest(lang, name, description, theme)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_icons(site_dir: Path, theme: str, logo: Path = LOGO_SVG) -> list[Path]:
    """Write the PNG icons drawn from the logo."""
    svg = logo.read_text(encoding="utf-8")
    paths = []
    for size in ICON_SIZES:
        path = Path(site_dir) / ICON_PATH.format(size=size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_png(icon_svg(svg, size, theme), size))
        paths.append(path)
    return paths


def write_workers(site_dir: Path, template: str | None = None) -> tuple[dict[str, dict], list[Problem]]:
    """Write every language's worker; return their configurations and any budget problem."""
    template = WORKER_TEMPLATE.read_text(encoding="utf-8") if template is None else template
    configs, problems = {}, []
    for lang, prefix in LANGUAGE_PREFIXES.items():
        if not (Path(site_dir) / prefix / "index.html").is_file():
            continue
        items = entries(Path(site_dir), precache_files(site_dir, lang), lang)
        guides = pocket_guides(site_dir, lang)
        problems += check_budget(lang, items, guides)
        config = worker_config(lang, items, guides, template)
        (Path(site_dir) / prefix / WORKER_NAME).write_text(render_worker(template, config), encoding="utf-8")
        configs[lang] = config
    return configs, problems


def write_retire_workers(site_dir: Path) -> list[Path]:
    """App off: RETIRE_WORKER as every language's sw.js (never in the file:// copy)."""
    paths = []
    for prefix in LANGUAGE_PREFIXES.values():
        if (Path(site_dir) / prefix / "index.html").is_file():
            path = Path(site_dir) / prefix / WORKER_NAME
            path.write_text(RETIRE_WORKER, encoding="utf-8")
            paths.append(path)
    return paths


def precache_report(site_dir: Path) -> list[dict]:
    """Per language: files, download size (gzip) and stored size; for the CLI and the tests."""
    rows = []
    for lang in LANGUAGE_PREFIXES:
        if not (Path(site_dir) / LANGUAGE_PREFIXES[lang] / "index.html").is_file():
            continue
        files = precache_files(site_dir, lang)
        items = entries(Path(site_dir), files, lang)
        guides = pocket_guides(site_dir, lang)
        guide = max(guides.values(), key=lambda g: g.size, default=None)
        rows.append({"lang": lang, "files": len(items), "download": sum(i.size for i in items),
                     "stored": sum(p.stat().st_size for p in files),
                     "largest_guide": guide.size if guide else 0})
    return rows


if __name__ == "__main__":  # python -m scripts.pwa site/: what each language's app downloads
    import sys

    for row in precache_report(Path(sys.argv[1] if len(sys.argv) > 1 else "site")):
        print(f"{row['lang']}: {row['files']} files, {row['download'] / 1048576:.2f} MB to download "
              f"(+ {row['largest_guide'] // 1024} KB pocket guide at most), "
              f"{row['stored'] / 1048576:.2f} MB stored; budget {PRECACHE_BUDGET / 1048576:.0f} MB")
