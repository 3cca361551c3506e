"""The bibliography: every source cited by a page, kept once in docs/_data/fuentes/."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from scripts import DATA_DIR
from scripts.problems import Problem, relpath, unknown_fields
from scripts.yamlutil import line_of, parse_yaml

SOURCES_DIR = DATA_DIR / "fuentes"
REQUIRED_FIELDS = ("id", "title", "publisher", "year")
ALLOWED_FIELDS = {"id", "title", "author", "publisher", "year", "url", "lang", "note",
                  "title_lang"}   # title_lang: language of the title when it differs from `lang`


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: str
    author: str = ""
    url: str = ""
    lang: str = ""
    title_lang: str = ""            # a descriptive Spanish title for English documents, say
    note: Any = ""                  # {es: ..., en: ...}: shown in the page's language


def load_sources(sources_dir: Path = SOURCES_DIR) -> tuple[dict[str, Source], list[Problem]]:
    """Read every fuentes/*.yml; return sources by id and the problems found."""
    texts = tuple((path, path.read_text(encoding="utf-8")) for path in sorted(Path(sources_dir).glob("*.yml")))
    sources, problems = _parse_sources(texts)
    return dict(sources), list(problems)


@functools.lru_cache(maxsize=16)   # the build asks once per page; the files rarely change
def _parse_sources(texts: tuple[tuple[Path, str], ...]) -> tuple[dict[str, Source], tuple[Problem, ...]]:
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    seen_in: dict[str, str] = {}
    for path, text in texts:
        shown = relpath(path)
        data, yaml_problems = parse_yaml(text, shown)
        if yaml_problems:
            problems += yaml_problems
            continue
        data = data or []
        if not isinstance(data, list):
            problems.append(Problem(shown, 1, "", "must be a list of sources", "start each entry with '- id: ...'"))
            continue
        for entry in data:
            line = getattr(entry, "line", None)
            if not isinstance(entry, dict):
                problems.append(Problem(shown, line, "", "each source must be a mapping", ""))
                continue
            for name in REQUIRED_FIELDS:
                if not entry.get(name):
                    problems.append(Problem(shown, line, name, "missing", f"add '{name}:' to this source"))
            problems += unknown_fields(shown, entry, ALLOWED_FIELDS)
            url = str(entry.get("url") or "")
            if url and (urlparse(url).scheme not in ("https", "http") or not urlparse(url).netloc):
                problems.append(Problem(shown, line_of(entry, "url"), "url", f"not a web address: {url!r}", ""))
            source_id = str(entry.get("id") or "")
            if not source_id:
                continue
            if source_id in seen_in:
                problems.append(Problem(shown, line_of(entry, "id"), "id",
                                        f"duplicate id {source_id!r} (also in {seen_in[source_id]})",
                                        "ids must be unique across docs/_data/fuentes/*.yml"))
                continue
            seen_in[source_id] = shown
            note = entry.get("note") or ""
            if note and not (isinstance(note, dict) and all(note.get(k) for k in ("es", "en"))):
                problems.append(Problem(shown, line_of(entry, "note"), "note",
                                        "must be a map with both languages",
                                        "write note: {es: ..., en: ...} (English pages show the English note)"))
                note = ""
            fields = {k: str(entry.get(k) or "") for k in ALLOWED_FIELDS - {"note"}}
            sources[source_id] = Source(**fields, note=dict(note) if note else "")
    return sources, tuple(problems)


# Hosts of copies, wikis and blogs: a reader is told the citation is not the original.
SECONDARY_HOSTS = ("scribd.com", "slideshare.net", "studyres.com", "studylib.", "kipdf.com",
                   "pdfslide.", "pdfroom.com", "docslib.org", "readkong.com", "physio-pedia.com",
                   "wikipedia.org", "blogspot.", "wordpress.com", "issuu.com", "yumpu.com",
                   "fdocuments.", "docplayer.", "ebin.pub", "jerre-dev.xyz",
                   "xn--alejandromuante-8qb.com")
SECONDARY_WORDS = re.compile(r"\b(blog|wikipedia)\b", re.IGNORECASE)
NO_DATE = {"es": "s. f.", "en": "n.d."}
SECONDARY_LABEL = {"es": "Copia no oficial o fuente secundaria: contraste con el original.",
                   "en": "Unofficial copy or secondary source: check against the original."}


def is_secondary(source: Source) -> bool:
    """True for a copy on a document-sharing site, a wiki or a blog (not the publisher's own)."""
    host = urlparse(source.url).netloc.lower()
    return any(h in host for h in SECONDARY_HOSTS) or bool(SECONDARY_WORDS.search(source.publisher))


def _sentence(text: str) -> str:
    """`text` ending with one full stop (never '..', never '?.')."""
    text = text.strip()
    return text if not text or text[-1] in ".?!…" else text + "."


def note_text(source: Source, lang: str) -> str:
    """The source's note in `lang` ('' when it has none)."""
    note = source.note
    return note.get(lang, "") if isinstance(note, dict) else str(note or "")


def citation(source: Source, lang: str) -> dict[str, str]:
    """The pieces the partial prints, punctuated once: author, title, tail, note, label."""
    year = NO_DATE[lang] if source.year.strip() in NO_DATE.values() else source.year
    title = source.title.strip()
    title_lang = source.title_lang or source.lang
    return {
        "author": _sentence(source.author) if source.author else "",
        "title": title,
        "title_end": "" if title[-1:] in ".?!…" else ".",
        "title_lang": title_lang if title_lang and title_lang != lang else "",
        "href_lang": source.lang if source.lang and source.lang != lang else "",
        "tail": _sentence(f"{source.publisher}, {year}"),
        "note": _sentence(note_text(source, lang)),
        "secondary": SECONDARY_LABEL[lang] if is_secondary(source) else "",
    }


def cite(source: Source, lang: str = "es") -> str:
    """Plain-text citation: Author. Title. Publisher, year. (one full stop each)"""
    c = citation(source, lang)
    return " ".join(p for p in (c["author"], c["title"] + c["title_end"], c["tail"]) if p)


# --- Marker ---------------------------------------------------------------

from scripts.markers import MarkerContext, MarkerError, register  # noqa: E402


@register("fuentes", keep=True)
def render_sources(ctx: MarkerContext) -> str:
    """The page's `sources`, as a list with links (under the page's Fuentes heading)."""
    sources, problems = load_sources()
    if problems:
        raise MarkerError("; ".join(p.format() for p in problems))
    ids = ctx.meta.get("sources") or []
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise MarkerError(f"unknown source ids in front matter: {', '.join(unknown)}")
    return ctx.render("partials/kb-sources.html", lang=ctx.lang,
                      sources=[(sources[i], citation(sources[i], ctx.lang)) for i in ids])
