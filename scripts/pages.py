"""Find the site's Markdown pages and read their front matter, headings and markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import DOCS_DIR, LANGUAGES
from scripts.problems import Problem, relpath
from scripts.yamlutil import BOM, YamlInputError, parse_yaml, read_text

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")
HEADING_ID_RE = re.compile(r"\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
MARKER_RE = re.compile(r"<!--\s*kb:([a-z0-9-]+)((?:\s+[a-z0-9_-]+=[^\s>]+)*)\s*-->")
ADMONITION_RE = re.compile(r"^\s*(!!!|\?\?\?\+?)\s")
TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
ORDERED_ITEM_RE = re.compile(r"^\d+\.[ \t]")
SNIPPET_RE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"')
EXCLUDED_DIRS = ("_data", "_includes", "assets")


@dataclass
class Heading:
    level: int
    text: str
    anchor: str | None
    line: int


@dataclass
class Page:
    """A Markdown page: its path, language, front matter and body facts."""

    path: Path
    rel: str                       # docs-relative path with suffix, e.g. protocolos/x.es.md
    key: str                       # docs-relative path without language, e.g. protocolos/x
    lang: str
    meta: dict[str, Any]
    meta_lines: dict[str, int]     # front-matter key -> file line
    body: str
    body_start: int                # file line where the body starts
    problems: list[Problem] = field(default_factory=list)

    @property
    def section(self) -> str:
        """First folder of the page ('' for the home page)."""
        parts = self.key.split("/")
        return parts[0] if len(parts) > 1 else ""

    @property
    def is_index(self) -> bool:
        return self.key.split("/")[-1] == "index"

    def line_of(self, key: str) -> int | None:
        return self.meta_lines.get(key)

    def headings(self) -> list[Heading]:
        return extract_headings(self.body, self.body_start)

    def markers(self) -> list[tuple[str, dict[str, str], int]]:
        return extract_markers(self.body, self.body_start)


def split_language(rel: str) -> tuple[str, str] | None:
    """'a/b.es.md' -> ('a/b', 'es'); None if the name has no known language suffix."""
    for lang in LANGUAGES:
        suffix = f".{lang}.md"
        if rel.endswith(suffix):
            return rel[: -len(suffix)], lang
    return None


def parse_page(path: Path, docs_dir: Path = DOCS_DIR) -> Page:
    """Read one page; YAML errors become Problems, never exceptions."""
    path = Path(path)
    rel = path.relative_to(docs_dir).as_posix()
    key, lang = split_language(rel) or (rel[:-3], "")
    shown = relpath(path)
    try:
        text = read_text(path)
    except YamlInputError as error:
        page = Page(path, rel, key, lang, {}, {}, "", 1)
        page.problems.append(Problem(shown, error.line, "file", error.problem, error.hint))
        return page
    page = Page(path, rel, key, lang, {}, {}, text, 1)
    if text.startswith(BOM):
        page.problems.append(Problem(shown, 1, "file", "the file starts with a byte-order mark (BOM)",
                                     "save it as UTF-8 without BOM (most editors: 'UTF-8', not 'UTF-8 with BOM')"))
        return page
    match = FRONT_MATTER_RE.match(text)
    if not match:
        page.problems.append(Problem(shown, 1, "front matter", "missing",
                                     "start the file with a '---' block (see CONTRIBUTING.md)"))
        return page
    meta, problems = parse_yaml(match.group(1), shown, first_line=2, field="front matter")
    page.problems += problems
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        page.problems.append(Problem(shown, 2, "front matter", "must be a mapping of keys to values", ""))
        meta = {}
    page.meta = dict(meta)
    page.meta_lines = {k: v + 1 for k, v in getattr(meta, "lines", {}).items()}
    page.body = text[match.end():]
    page.body_start = match.group(0).count("\n") + 1
    return page


def iter_page_paths(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Every content page (.md) under docs/, data and snippet folders excluded."""
    paths = []
    for path in sorted(Path(docs_dir).rglob("*.md")):
        rel = path.relative_to(docs_dir).parts
        if rel[0] in EXCLUDED_DIRS:
            continue
        paths.append(path)
    return paths


def load_pages(docs_dir: Path = DOCS_DIR) -> list[Page]:
    """Parse every page under docs_dir."""
    return [parse_page(p, docs_dir) for p in iter_page_paths(docs_dir)]


def _body_lines(body: str, start: int):
    """Yield (line_number, line) outside fenced code blocks."""
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield start + offset, line


def extract_headings(body: str, start: int = 1) -> list[Heading]:
    """ATX headings with their explicit `{ #id }` (None when absent)."""
    headings = []
    for number, line in _body_lines(body, start):
        match = HEADING_RE.match(line)
        if not match:
            continue
        text = match.group(2)
        anchor = HEADING_ID_RE.search(text)
        clean = HEADING_ID_RE.sub("", text).strip()
        headings.append(Heading(len(match.group(1)), clean, anchor.group(1) if anchor else None, number))
    return headings


def extract_markers(body: str, start: int = 1) -> list[tuple[str, dict[str, str], int]]:
    """Markers `<!-- kb:name key=value -->`, each alone on its line, with arguments and line."""
    found = []
    for number, line in _body_lines(body, start):
        match = MARKER_RE.fullmatch(line.strip())
        if match:
            args = dict(arg.split("=", 1) for arg in match.group(2).split())
            found.append((match.group(1), args, number))
    return found


def count_structure(body: str) -> dict[str, int]:
    """Counts that must match between a page and its translation."""
    counts = {"admonitions": 0, "tables": 0, "numbered items": 0}
    for _number, line in _body_lines(body, 1):
        if ADMONITION_RE.match(line):
            counts["admonitions"] += 1
        if TABLE_SEPARATOR_RE.match(line):
            counts["tables"] += 1
        if ORDERED_ITEM_RE.match(line):
            counts["numbered items"] += 1
    return counts


def extract_snippets(body: str) -> list[str]:
    """Snippet paths included with `--8<-- "..."`, language suffix removed."""
    names = []
    for _number, line in _body_lines(body, 1):
        match = SNIPPET_RE.match(line)
        if match:
            name = match.group(1)
            pair = split_language(name)
            names.append(pair[0] if pair else name)
    return names
