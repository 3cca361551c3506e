"""The bibliography: every source cited by a page, kept once in docs/_data/fuentes/."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from scripts import DATA_DIR
from scripts.problems import Problem, relpath, unknown_fields
from scripts.yamlutil import line_of, parse_yaml

SOURCES_DIR = DATA_DIR / "fuentes"
REQUIRED_FIELDS = ("id", "title", "publisher", "year")
ALLOWED_FIELDS = {"id", "title", "author", "publisher", "year", "url", "lang", "note"}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: str
    author: str = ""
    url: str = ""
    lang: str = ""
    note: str = ""


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
            sources[source_id] = Source(**{k: str(entry.get(k) or "") for k in ALLOWED_FIELDS})
    return sources, tuple(problems)


def cite(source: Source) -> str:
    """Plain-text citation: Author. Title. Publisher, year."""
    parts = [source.author, source.title, f"{source.publisher}, {source.year}"]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


# --- Marker ---------------------------------------------------------------

from scripts.markers import MarkerContext, MarkerError, register  # noqa: E402


@register("fuentes")
def render_sources(ctx: MarkerContext) -> str:
    """The page's `sources`, as a list with links (under the page's Fuentes heading)."""
    sources, problems = load_sources()
    if problems:
        raise MarkerError("; ".join(p.format() for p in problems))
    ids = ctx.meta.get("sources") or []
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise MarkerError(f"unknown source ids in front matter: {', '.join(unknown)}")
    return ctx.render("partials/kb-sources.html", sources=[sources[i] for i in ids], lang=ctx.lang)
