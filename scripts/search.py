"""Per-language, accent-insensitive search indexes for Material's lunr search.

Material (with static-i18n) writes one index for both languages, and lunr cannot fold
accents (a query `atencion*` never matches `atención`). We split the index per language
(see ../shared/TECH_NOTES.md §1-3); scripts/search_rank.py then ranks and enriches each
part and writes the small lunr language plugin that folds accents inside lunr itself.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from scripts.search_rank import fold  # noqa: F401  (kept importable from here)

CONFIG_BASE_RE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')


def split_index(index: dict, languages: dict[str, str]) -> dict[str, dict]:
    """Split a merged index into one per language.

    `languages` maps locale -> URL prefix ('' for the default language, 'en/' for English).
    Locations are made relative to each language's root.
    """
    prefixes = sorted(((p, l) for l, p in languages.items() if p), key=lambda x: -len(x[0]))
    default = next(l for l, p in languages.items() if not p)
    result = {lang: {"config": {**index["config"], "lang": [lang]}, "docs": []} for lang in languages}
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        lang, rest = default, location
        for prefix, candidate in prefixes:
            if location.startswith(prefix) or location == prefix.rstrip("/"):
                lang, rest = candidate, location[len(prefix):]
                break
        result[lang]["docs"].append({**doc, "location": rest})
    return result


def write_language_indexes(site_dir: Path, languages: dict[str, str], words=None) -> dict[str, int]:
    """Give each language its own ranked, accent-folded index (+ .js copy when built offline).

    `words` is a scripts.search_rank.SearchWords (default: an empty one, no everyday words).

    static-i18n either writes one index per language (search/, en/search/) or, in some
    configurations, one merged index; both cases end with one folded index per language.
    Returns the number of documents per language ({} when no index was written yet).
    """
    site_dir = Path(site_dir)
    root_index = site_dir / "search" / "search_index.json"
    if not root_index.is_file():
        return {}
    index = json.loads(root_index.read_text(encoding="utf-8"))
    other_prefixes = tuple(p for p in languages.values() if p)
    if any(d.get("location", "").startswith(other_prefixes) for d in index.get("docs", [])):
        parts = split_index(index, languages)
    else:
        parts = {}
        for lang, prefix in languages.items():
            path = site_dir / prefix / "search" / "search_index.json"
            if path.is_file():
                part = json.loads(path.read_text(encoding="utf-8"))
                part["config"]["lang"] = [lang]
                parts[lang] = part
    offline = (site_dir / "search" / "search_index.js").is_file()
    counts = {}
    from scripts.search_rank import SearchWords, prepare_index, write_plugins

    words = words if words is not None else SearchWords()
    if parts:
        write_plugins(site_dir, words, tuple(parts))
    for lang, part in parts.items():
        prepare_index(part, lang, words)
        folder = site_dir / languages[lang] / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(part, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        if offline:
            (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
        counts[lang] = len(part["docs"])
    return counts


def point_config_base(html: str, prefix: str) -> str:
    """Make Material's `__config.base` point at a language root ('..' -> '../en/'; the slash matters)."""
    def replace(match: re.Match) -> str:
        base = match.group(2).rstrip("/") or "."
        return f"{match.group(1)}{base}/{prefix.strip('/')}/{match.group(3)}"
    return CONFIG_BASE_RE.sub(replace, html, count=1)


CONFIG_WORKER_RE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"search": "(?:\.\./)*)'
                              r'(assets/javascripts/workers/)')
WORKER_DIR = "assets/javascripts/workers"
LUNR_DIR = "assets/javascripts/lunr"


def point_config_worker(html: str, prefix: str) -> str:
    """Load Material's search worker from the language's own copy (`en/assets/...`).

    A worker is controlled by the service worker whose scope holds the worker's own URL, so a
    worker at /assets/ would never be the English offline app's, and its lunr files would not
    load offline for a reader of English only (scripts/pwa.py, issue 19).
    """
    return CONFIG_WORKER_RE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", html, count=1)


def copy_search_worker(site_dir: Path, prefix: str, languages: list[str]) -> list[Path]:
    """Copy the search worker and the lunr files a language's index needs under `prefix`."""
    site_dir = Path(site_dir)
    written = []
    workers = site_dir / WORKER_DIR
    if not prefix or not workers.is_dir():
        return written
    names = [f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"]
    if names:
        names.insert(0, "min/lunr.stemmer.support.min.js")
    if len(languages) > 1:
        names.append("min/lunr.multi.min.js")
    pairs = [(path, site_dir / prefix / WORKER_DIR / path.name) for path in workers.iterdir() if path.is_file()]
    pairs += [(site_dir / LUNR_DIR / name, site_dir / prefix / LUNR_DIR / name) for name in names]
    for source, target in pairs:
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
    return written


def copy_search_workers(site_dir: Path, languages: dict[str, str]) -> list[Path]:
    """For every language with a prefix and an index, its own worker copy (copy_search_worker)."""
    written = []
    for prefix in filter(None, languages.values()):
        index = Path(site_dir) / prefix / "search" / "search_index.json"
        if index.is_file():
            langs = json.loads(index.read_text(encoding="utf-8"))["config"]["lang"]
            written += copy_search_worker(site_dir, prefix, langs)
    return written


def copy_sitemap_per_language(site_dir: Path, languages: dict[str, str]) -> list[Path]:
    """Copy sitemap.xml into each language root.

    Material's language selector fetches `<base>/sitemap.xml`; with `base` pointing at
    /en/ that file must exist there too, or every English page logs a 404.
    """
    source = Path(site_dir) / "sitemap.xml"
    written = []
    if not source.is_file():
        return written
    for prefix in (p for p in languages.values() if p):
        target = Path(site_dir) / prefix / "sitemap.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        written.append(target)
    return written


ALTERNATE_RE = re.compile(r'(<link rel="alternate" href=")([^"]+)(" hreflang="[a-z-]+">)')


def absolute_alternates(html: str, page_url: str) -> str:
    """Make `<link rel=alternate hreflang>` hrefs absolute (search engines ignore relative ones)."""
    from urllib.parse import urljoin

    return ALTERNATE_RE.sub(lambda m: m.group(1) + urljoin(page_url, m.group(2)) + m.group(3), html)


# --- Parsing each page's HTML once (mkdocs serve) ------------------------------------------

_SECTIONS: dict[str, list[tuple]] = {}     # sha-256 of a page's HTML -> its sections, as plain data
_SECTIONS_MAX = 2_000


def parsed_sections(content: str) -> list:
    """Material's search sections of one page's HTML, parsed once per distinct HTML.

    Material's `SearchIndex` parses every page again on every `mkdocs serve` rebuild (about
    0.4 s of a rebuild here). The parse is a pure function of the HTML, so a page whose
    HTML did not change reuses it. Each call returns fresh `Section` objects, because
    Material writes the page title into a section that has none.
    """
    import hashlib

    from material.plugins.search.plugin import Parser, Section

    key = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    kept = _SECTIONS.get(key)
    if kept is None:
        parser = Parser()
        parser.feed(content)
        parser.close()
        kept = [(s.el, s.depth, s.id, tuple(s.title), tuple(s.text)) for s in parser.data]
        if len(_SECTIONS) >= _SECTIONS_MAX:
            _SECTIONS.clear()
        _SECTIONS[key] = kept
    sections = []
    for element, depth, anchor, title, text in kept:
        section = Section(element, depth)
        section.id, section.title, section.text = anchor, list(title), list(text)
        sections.append(section)
    return sections


def add_entry_from_context(self, page) -> None:
    """Material 9.8's `SearchIndex.add_entry_from_context`, with `parsed_sections` as its parser."""
    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    for section in parsed_sections(page.content):
        if not section.is_excluded():
            self.create_entry_for_section(section, page.toc, page.url, page)


def reuse_search_parsing() -> None:
    """Make Material's search index use `add_entry_from_context` above (idempotent)."""
    from material.plugins.search.plugin import SearchIndex

    SearchIndex.add_entry_from_context = add_entry_from_context
