"""Per-language, accent-insensitive search indexes for Material's lunr search.

Material (with static-i18n) writes one index for both languages, and lunr cannot fold
accents (a query `atencion*` never matches `atención`). We split the index per language
and add `title_folded`/`text_folded` fields holding the folded form of accented words,
which `plugins.search.fields` in mkdocs.yml declares (see ../shared/TECH_NOTES.md §1-3).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

WORD_RE = re.compile(r"\w+", re.U)
TAG_RE = re.compile(r"<[^>]+>")
CONFIG_BASE_RE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')


def fold(text: str) -> str:
    """Lower-case, strip accents and ñ's tilde: 'Niño Atención' -> 'nino atencion'."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1 << 16)
def _folded_if_changed(word: str) -> str | None:
    """fold(word) when it differs from word.lower(), else None (cached: words repeat a lot)."""
    folded = fold(word)
    return folded if folded != word.lower() else None


def folded_words(text: str) -> str:
    """The distinct words of `text` whose folded form differs, folded, space-separated."""
    seen: dict[str, None] = {}
    for word in WORD_RE.findall(TAG_RE.sub(" ", text)):
        folded = _folded_if_changed(word)
        if folded is not None:
            seen.setdefault(folded, None)
    return " ".join(seen)


def add_folded_fields(index: dict) -> dict:
    """Add title_folded / text_folded to every document of a Material index."""
    for doc in index.get("docs", []):
        doc["title_folded"] = folded_words(doc.get("title", ""))
        doc["text_folded"] = folded_words(doc.get("text", ""))
    return index


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


def write_language_indexes(site_dir: Path, languages: dict[str, str]) -> dict[str, int]:
    """Give each language its own accent-folded index (+ .js copy when built offline).

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
    for lang, part in parts.items():
        add_folded_fields(part)
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
