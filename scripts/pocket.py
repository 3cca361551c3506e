"""Pocket guides: one A6 PDF per region and language, printed from the site's own sources.

Nothing is typed here twice: steps, "what not to do" and the referral pathway are the
snippets in docs/_includes/, the checklist is `scripts.indicators.key_indicators`, the
contacts are `scripts.contacts.usable_contacts` and `national_lines`. Every source is a
replaceable provider (`Providers`), so tests can feed fixture content.

Pipeline (pure functions): gather_guide() -> GuideContent -> render_html() -> write_pdf().
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scripts import DOCS_DIR, LANGUAGES, ROOT
from scripts.dates import add_months, as_date, format_date

# The twelve regions of the directory plus the national edition (region id = data file name).
# Alphabetical by name (Cajamarca before Callao), the national edition last.
REGIONS: tuple[str, ...] = ("amazonas", "cajamarca", "callao", "cusco", "lima", "loreto",
                            "madre-de-dios", "pasco", "piura", "puno", "tacna", "tumbes",
                            "nacional")
REGION_NAMES: dict[str, dict[str, str]] = {
    **{r: {"es": r.replace("-de-", " de ").title().replace(" De ", " de "),
           "en": r.replace("-de-", " de ").title().replace(" De ", " de ")} for r in REGIONS},
    "nacional": {"es": "Edición nacional", "en": "National edition"},
}
NATIONAL = "nacional"
INCLUDES_DIR = DOCS_DIR / "_includes"
SNIPPETS = {"pasos": "pasos-primer-contacto", "no_hacer": "que-no-hacer",
            "ruta": "ruta-derivacion"}
TEMPLATE_DIR = ROOT / "overrides"
TEMPLATE = "partials/pocket-guide.html"
CSS_FILE = DOCS_DIR / "assets" / "stylesheets" / "pocket-a6.css"
FONT_DIR = Path(os.environ.get("POCKET_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONTS = {  # (weight, style) -> file in FONT_DIR; embedded (subset) in every PDF
    ("normal", "normal"): "DejaVuSansCondensed.ttf",
    ("bold", "normal"): "DejaVuSansCondensed-Bold.ttf",
    ("normal", "italic"): "DejaVuSansCondensed-Oblique.ttf",
    ("bold", "italic"): "DejaVuSansCondensed-BoldOblique.ttf",
}
PDF_DIR = "guias-de-bolsillo/pdf"          # inside the built site
VERIFY_WITHIN_MONTHS = 3                   # "verify the numbers after" = print date + 3 months
DEFAULT_REVIEW_MONTHS = 12                 # contact review interval when the entry sets none
LOCAL_LINES = 5                            # blank ruled lines for local contacts
MAX_WORKERS = 2                            # this machine has 2 cores

# Where the live page of each region is, relative to site_url (directory section pages).
REGION_PAGE = {"es": "directorio/{region}/", "en": "en/directorio/{region}/"}
NATIONAL_PAGE = {"es": "directorio/", "en": "en/directorio/"}

LABELS: dict[str, dict[str, str]] = {
    "es": {
        "title": "Trata de personas",
        "subtitle": "Guía de bolsillo para el personal de salud",
        "printed": "Impresa el",
        "verify_after": "Verifique los números después del",
        "verify_hint": "Pasada esa fecha, descargue una versión nueva.",
        "qr": "Versión actualizada y contactos de la región",
        "qr_national": "Versión actualizada y directorio de contactos",
        "now": "Qué hacer ahora",
        "indicators": "Señales clave",
        "indicators_hint": "Marque lo que observe. Una sola señal no prueba la trata; varias juntas, sobre todo las fuertes, justifican actuar.",
        "not_to_do": "Qué no hacer",
        "pathway": "Ruta de derivación",
        "contacts": "Contactos de la región",
        "no_contacts": "Aún no hay contactos regionales verificados. Use las líneas nacionales y anote los locales abajo.",
        "national": "Líneas nacionales",
        "local": "Contactos locales",
        "local_hint": "Anote a lápiz los números de su red (CEM, fiscalía, comisaría, DEMUNA).",
        "name": "Nombre",
        "phone": "Teléfono",
        "verified": "verificado el",
        "available_24h": "24 horas",
        "confidential": "ubicación confidencial",
        "no_phone": "Sin número verificado: llame a una línea nacional.",
        "unconfirmed": "fuente por confirmar",
        "strength": {"fuerte": "fuerte", "media": "media", "debil": "débil", "débil": "débil",
                     "strong": "fuerte", "medium": "media", "weak": "débil"},
        "confidential_note": "Confidencial: guarde esta guía fuera de la vista de pacientes y acompañantes.",
        "license": "Contenido CC BY 4.0",
    },
    "en": {
        "title": "Human trafficking",
        "subtitle": "Pocket guide for health staff",
        "printed": "Printed on",
        "verify_after": "Verify the numbers after",
        "verify_hint": "After that date, download a new copy.",
        "qr": "Latest version and the region's contacts",
        "qr_national": "Latest version and contact directory",
        "now": "What to do now",
        "indicators": "Key indicators",
        "indicators_hint": "Tick what you observe. One sign alone does not prove trafficking; several together, above all strong ones, justify acting.",
        "not_to_do": "What not to do",
        "pathway": "Referral pathway",
        "contacts": "Contacts in the region",
        "no_contacts": "No verified regional contacts yet. Use the national lines and write local ones below.",
        "national": "National lines",
        "local": "Local contacts",
        "local_hint": "Write your network's numbers in pencil (CEM, prosecutor, police station, DEMUNA).",
        "name": "Name",
        "phone": "Phone",
        "verified": "verified on",
        "available_24h": "24 hours",
        "confidential": "confidential location",
        "no_phone": "No verified number: call a national line.",
        "unconfirmed": "source to be confirmed",
        "strength": {"fuerte": "strong", "media": "medium", "debil": "weak", "débil": "weak",
                     "strong": "strong", "medium": "medium", "weak": "weak"},
        "confidential_note": "Confidential: keep this guide out of sight of patients and companions.",
        "license": "Content CC BY 4.0",
    },
}


class PocketError(Exception):
    """A guide cannot be built (missing site_url, missing content source...)."""


# --- Content providers -------------------------------------------------------------------

def read_snippet(name: str, lang: str) -> str:
    """Markdown of docs/_includes/<name>.<lang>.md (the same file the pages include)."""
    path = INCLUDES_DIR / f"{name}.{lang}.md"
    if not path.exists():
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise PocketError(f"missing snippet {shown} (needed by the pocket guides)")
    return path.read_text(encoding="utf-8")


def _feature(module: str, name: str) -> Callable:
    """A function from another feature module, with a clear error if it is not there yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise PocketError(f"the pocket guides need {module}.{name}(): {error}") from error


def _key_indicators(lang: str) -> list[dict]:
    return _feature("scripts.indicators", "key_indicators")(lang)


def _usable_contacts(region: str, today: dt.date) -> list[dict]:
    return _feature("scripts.directory", "usable_contacts")(region, today)


def _national_lines() -> list[dict]:
    return _feature("scripts.directory", "national_lines")()


@dataclass(frozen=True)
class Providers:
    """Where each part of a guide comes from; tests inject fixture versions."""

    snippet: Callable[[str, str], str] = read_snippet                     # (name, lang) -> md
    key_indicators: Callable[[str], list[dict]] = _key_indicators         # lang -> [{id, grupo, texto, fuerza}]
    usable_contacts: Callable[[str, dt.date], list[dict]] = _usable_contacts  # (region, today) -> entries
    national_lines: Callable[[], list[dict]] = _national_lines            # () -> entries


# --- Gathering ---------------------------------------------------------------------------





def review_due(entry: dict) -> dt.date | None:
    """When a contact must be checked again: the directory's `review_due`, else verified_on + interval."""
    if as_date(entry.get("review_due")):
        return as_date(entry.get("review_due"))
    verified = as_date(entry.get("verified_on"))
    if verified is None:
        return None
    return add_months(verified, int(entry.get("review_every_months") or DEFAULT_REVIEW_MONTHS))


def printable(entry: dict, today: dt.date) -> bool:
    """Safety net on top of usable_contacts: never print an unverified, stale or exposed entry."""
    if entry.get("stale") or entry.get("status") == "stale":
        return False
    if entry.get("confidential_location") and entry.get("address"):
        return False                                   # a shelter's address must never print
    due = review_due(entry)
    return due is not None and due >= today


def localise(value: Any, lang: str) -> str:
    """Pick the language from an {es, en} map; plain values pass through."""
    if isinstance(value, dict):
        return str(value.get(lang) or "")
    return "" if value is None else str(value)


def contact_view(entry: dict, lang: str) -> dict:
    """What a printed card shows of one contact entry (text only, escaped by the template)."""
    phones = []
    for phone in entry.get("phones") or []:
        phones.append({"number": str(phone.get("number", "")),
                       "note": localise(phone.get("description"), lang),
                       "hours": localise(phone.get("hours"), lang)})
    verified = as_date(entry.get("verified_on"))
    confidential = bool(entry.get("confidential_location"))
    return {
        "id": entry.get("id", ""),
        "name": localise(entry.get("name"), lang),
        "organization": localise(entry.get("organization"), lang),
        "description": localise(entry.get("description"), lang),
        "phones": phones,
        "available_24h": bool(entry.get("available_24h")),
        "hours": localise(entry.get("hours"), lang),
        "address": "" if confidential else localise(entry.get("address"), lang),
        "emails": [str(e) for e in entry.get("emails") or []],
        "url": "" if confidential else str(entry.get("url") or ""),
        "confidential": confidential,
        "verified_on": format_date(verified, lang) if verified else "",
    }


def region_url(site_url: str, region: str, lang: str) -> str:
    """Absolute URL of the live page the QR code opens."""
    if not site_url:
        raise PocketError("site_url is empty: the pocket guides need it for the QR code. "
                          "Set SITE_URL=https://.../ (or pass --site-url).")
    base = site_url if site_url.endswith("/") else site_url + "/"
    pattern = NATIONAL_PAGE[lang] if region == NATIONAL else REGION_PAGE[lang]
    return base + pattern.format(region=region)


def pdf_name(region: str, lang: str) -> str:
    """File name of one guide: guia-bolsillo-<region>-<lang>.pdf."""
    return f"guia-bolsillo-{region}-{lang}.pdf"


def markdown_to_html(text: str) -> str:
    """Snippet Markdown -> HTML with the site's extensions; internal links become text."""
    import markdown

    html = markdown.markdown(text, extensions=[
        "admonition", "attr_list", "def_list", "md_in_html", "tables",
        "pymdownx.details", "pymdownx.superfences",
        "pymdownx.snippets", "pymdownx.tasklist"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(DOCS_DIR)], "check_paths": True},
                           "pymdownx.tasklist": {"custom_checkbox": False}})
    # Links to other pages mean nothing on paper: keep their text (external ones stay).
    html = re.sub(r'<a href="(?!https?:|tel:|mailto:)[^"]*"[^>]*>(.*?)</a>', r"\1", html, flags=re.S)
    # Section headings inside a snippet sit below the guide's own <h2>.
    html = re.sub(r"<(/?)h[12]\b", r"<\1h3", html)
    html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html, flags=re.S)
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


@dataclass
class GuideContent:
    """Everything one guide shows, already in its language."""

    region: str
    lang: str
    region_name: str
    printed_on: dt.date
    verify_after: dt.date
    url: str
    qr_svg: str
    steps_html: str
    not_to_do_html: str
    pathway_html: str
    indicator_groups: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    national: list[dict] = field(default_factory=list)


def qr_svg(url: str) -> str:
    """QR code as an inline SVG data URI (an <img> can carry alt text into the tagged PDF)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(border=2, omitsize=True, dark="#000")


def group_indicators(items: list[dict], lang: str) -> list[dict]:
    """Indicators grouped by `grupo`, in the order the data gives them."""
    groups: dict[str, list[dict]] = {}
    strength = LABELS[lang]["strength"]
    for item in items:
        group = localise(item.get("grupo_nombre") or item.get("grupo"), lang)
        level = localise(item.get("fuerza"), lang).strip().lower()
        groups.setdefault(group, []).append({
            "id": item.get("id", ""),
            "text": localise(item.get("texto"), lang),
            "unconfirmed": bool(item.get("por_confirmar")),
            "strength": strength.get(level, level),
            "strength_class": {"fuerte": "strong", "strong": "strong", "media": "medium",
                               "medium": "medium"}.get(level, "weak" if level else ""),
        })
    return [{"name": name, "items": entries} for name, entries in groups.items()]


def gather_guide(region: str, lang: str, today: dt.date, site_url: str,
                 providers: Providers = Providers()) -> GuideContent:
    """Collect one guide's content from the providers (no rendering)."""
    if region not in REGIONS:
        raise PocketError(f"unknown region '{region}' (known: {', '.join(REGIONS)})")
    if lang not in LANGUAGES:
        raise PocketError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
    url = region_url(site_url, region, lang)
    regional = [] if region == NATIONAL else [
        e for e in providers.usable_contacts(region, today) if printable(e, today)]
    national = list(providers.national_lines())
    dues = [d for d in (review_due(e) for e in regional) if d and d >= today]
    verify_after = min([add_months(today, VERIFY_WITHIN_MONTHS), *dues])
    return GuideContent(
        region=region, lang=lang, region_name=REGION_NAMES[region][lang],
        printed_on=today, verify_after=verify_after, url=url, qr_svg=qr_svg(url),
        steps_html=markdown_to_html(providers.snippet(SNIPPETS["pasos"], lang)),
        not_to_do_html=markdown_to_html(providers.snippet(SNIPPETS["no_hacer"], lang)),
        pathway_html=markdown_to_html(providers.snippet(SNIPPETS["ruta"], lang)),
        indicator_groups=group_indicators(providers.key_indicators(lang), lang),
        contacts=[contact_view(e, lang) for e in regional],
        national=[contact_view(e, lang) for e in national],
    )


# --- Rendering -------------------------------------------------------------------------

def font_faces() -> str:
    """@font-face rules pointing at local DejaVu files (embedded, no web fonts)."""
    rules = []
    for (weight, style), name in FONTS.items():
        path = FONT_DIR / name
        if not path.exists():
            raise PocketError(f"font not found: {path} (apt-get install fonts-dejavu-core "
                              f"fonts-dejavu-extra, or set POCKET_FONT_DIR)")
        rules.append(f'@font-face {{ font-family: "KB Pocket"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)


def render_html(content: GuideContent) -> str:
    """The guide as one HTML document (Jinja, autoescaped; snippets are trusted HTML)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template(TEMPLATE)
    return template.render(
        g=content, t=LABELS[content.lang],
        printed_on=format_date(content.printed_on, content.lang),
        verify_after=format_date(content.verify_after, content.lang),
        css=font_faces() + "\n" + CSS_FILE.read_text(encoding="utf-8"),
        local_lines=range(LOCAL_LINES), markup=jinja2.utils.markupsafe.Markup)


_RENDER_STATE: dict[str, Any] = {}     # per process: fonts and images loaded once, reused


def allowed_roots() -> tuple[Path, ...]:
    """Folders a guide may load files from: the project and the configured font folder."""
    return (ROOT.resolve(), FONT_DIR.resolve())


def check_fetch(url: str) -> Path | None:
    """The project file WeasyPrint may load for `url` (None for a data: URI), else PocketError.

    A guide is printed from the project's own files only: an include or a data file that
    names another host (even 127.0.0.1), another scheme or a file outside the project
    stops the print instead of being fetched.
    """
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return None
    if scheme != "file":
        raise PocketError(f"refused to fetch {url[:200]!r}: a pocket guide loads only files of the "
                          f"project, never a {scheme or 'relative'} URL (remove it from the snippet, "
                          f"template or data that names it)")
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise PocketError(f"refused to fetch {url[:200]!r}: a file URL on another host")
    path = Path(url2pathname(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in allowed_roots()):
        raise PocketError(f"refused to fetch {url[:200]!r}: outside the project folder {ROOT}")
    return path


def url_fetcher():
    """A WeasyPrint URL fetcher that serves only check_fetch()-approved URLs (and fails loudly)."""
    if "fetcher_class" not in _RENDER_STATE:
        from weasyprint.urls import URLFetcher

        class ProjectURLFetcher(URLFetcher):
            """WeasyPrint's fetcher, limited to data: URIs and the project's own files."""

            def fetch(self, url, headers=None):
                check_fetch(url)
                return super().fetch(url, headers)

        _RENDER_STATE["fetcher_class"] = ProjectURLFetcher
    return _RENDER_STATE["fetcher_class"](allowed_protocols=("data", "file"), fail_on_errors=True,
                                          allow_redirects=False, timeout=5)


def write_pdf(html: str, target: Path) -> Path:
    """HTML -> tagged PDF (PDF/UA-1: tags, document language and title) at `target`."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    if "font_config" not in _RENDER_STATE:
        _RENDER_STATE.update(font_config=FontConfiguration(), cache={})
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        weasyprint.HTML(string=html, base_url=str(ROOT), url_fetcher=url_fetcher()).write_pdf(
            str(target), pdf_variant="pdf/ua-1", pdf_tags=True,
            font_config=_RENDER_STATE["font_config"], cache=_RENDER_STATE["cache"])
    except FatalURLFetchingError as error:
        cause = error.__cause__
        target.unlink(missing_ok=True)
        if isinstance(cause, PocketError):
            raise PocketError(f"{target.name}: {cause}") from None
        raise PocketError(f"{target.name}: {error} ({type(cause).__name__}: {cause})") from None
    return target


def build_guide(region: str, lang: str, today: dt.date, site_url: str, out_dir: Path,
                providers: Providers = Providers()) -> Path:
    """One region × language: gather, render, write; returns the PDF path."""
    content = gather_guide(region, lang, today, site_url, providers)
    return write_pdf(render_html(content), Path(out_dir) / pdf_name(region, lang))


def _build_one(job: tuple) -> str:
    region, lang, today, site_url, out_dir, providers = job
    return str(build_guide(region, lang, today, site_url, out_dir, providers))


def build_all(out_dir: Path, today: dt.date, site_url: str, providers: Providers = Providers(),
              regions: tuple[str, ...] = REGIONS, workers: int = MAX_WORKERS) -> list[Path]:
    """All guides (regions × languages) into out_dir, in `workers` processes."""
    # Fail early, in this process, with one clear message (site_url, fonts, sources).
    region_url(site_url, regions[0], LANGUAGES[0])
    font_faces()
    jobs = [(r, lang, today, site_url, Path(out_dir), providers) for r in regions for lang in LANGUAGES]
    if workers <= 1:
        return [Path(_build_one(job)) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [Path(p) for p in pool.map(_build_one, jobs)]


# --- Site links ------------------------------------------------------------------------

def guide_links(lang: str, page_url: str, regions: tuple[str, ...] = REGIONS) -> list[dict]:
    """Download links (relative to the page at `page_url`) for the index table."""
    from mkdocs.utils import get_relative_url

    links = []
    for region in regions:
        row = {"region": region, "name": REGION_NAMES[region][lang], "files": {}}
        for file_lang in LANGUAGES:
            row["files"][file_lang] = get_relative_url(f"{PDF_DIR}/{pdf_name(region, file_lang)}", page_url)
        links.append(row)
    return links


# --- CLI -------------------------------------------------------------------------------

def add_arguments(name, parser) -> None:
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "guias-de-bolsillo",
                        help="output folder (default: dist/guias-de-bolsillo/)")
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL", ""),
                        help="live site URL for the QR codes (default: $SITE_URL)")
    parser.add_argument("--region", action="append", choices=REGIONS,
                        help="only this region (repeatable; default: all)")


def run_pocket_guides(args) -> int:
    """CLI: build the guides; print where they are and how long it took."""
    start = time.perf_counter()
    try:
        paths = build_all(args.out, args.today, args.site_url,
                          regions=tuple(args.region or REGIONS))
    except PocketError as error:
        print(f"pocket-guides: {error}")
        return 1
    seconds = time.perf_counter() - start
    biggest = max(p.stat().st_size for p in paths) // 1024
    print(f"{len(paths)} pocket guides in {args.out} ({seconds:.1f} s, largest {biggest} KB)")
    return 0


# --- Markers: download links on the site -------------------------------------------------

GUIDES_ENV = "POCKET_GUIDES"                # POCKET_GUIDES=0 skips the PDFs (e.g. mkdocs serve)


def guides_enabled(site_url: str) -> bool:
    """The build writes the PDFs only with a site_url (QR target) and unless POCKET_GUIDES=0."""
    return bool(site_url) and os.environ.get(GUIDES_ENV, "1").lower() not in ("0", "false", "no")


def _marker_links(ctx, regions: tuple[str, ...]) -> dict:
    config = ctx.extra.get("config") or {}
    page = ctx.extra.get("page")
    page_url = page.url if page is not None else ""
    return {"rows": guide_links(ctx.lang, page_url, regions),
            "enabled": guides_enabled(config.get("site_url") or ""),
            "lang": ctx.lang}


def _register_markers() -> None:
    from scripts.markers import MarkerError, register

    @register("guias")
    def render_guides_table(ctx) -> str:
        """All 26 guides: one row per region, a PDF link per language."""
        return ctx.render("partials/kb-pocket-guides.html", **_marker_links(ctx, REGIONS))

    @register("guia-region")
    def render_region_guide(ctx) -> str:
        """The two PDFs (es, en) of `region=` or else the page's `region:` front matter."""
        region = ctx.args.get("region") or ctx.meta.get("region")
        if region not in REGIONS:
            raise MarkerError(f"kb:guia-region needs front matter 'region:' (or region=...) set to "
                              f"one of {', '.join(REGIONS)} (got {region!r})")
        return ctx.render("partials/kb-pocket-region.html", **_marker_links(ctx, (region,)))


_register_markers()
