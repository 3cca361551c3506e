"""Run the page checks together, as the build and the CLI both need them."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from scripts import DOCS_DIR
from scripts.frontmatter import check_page, check_unique_titles
from scripts.page_safety import check_page_safety, check_snippets, check_symlinks
from scripts.pages import load_pages
from scripts.problems import Problem
from scripts.sources import SOURCES_DIR, load_sources
from scripts.structure import check_structure
from scripts.translations import check_translations
from scripts.vocabulary import VOCABULARY_FILE


# One page's own problems, by everything they are worked out from: the page as read, the
# source ids, the date and the vocabulary file (`mkdocs serve` checks only edited pages again).
_PAGE_PROBLEMS: dict[tuple, list[Problem]] = {}


def check_pages(docs_dir: Path = DOCS_DIR, today: dt.date | None = None,
                sources_dir: Path = SOURCES_DIR) -> list[Problem]:
    """Front matter, unique titles, fixed sections and safe sources (issue 17) of every page."""
    today = today or dt.date.today()
    symlinks = check_symlinks(docs_dir)
    if symlinks:
        return symlinks                   # nothing else is read through a link
    sources, problems = load_sources(sources_dir)
    pages = load_pages(docs_dir)
    known = frozenset(sources)
    vocabulary = VOCABULARY_FILE.read_bytes() if VOCABULARY_FILE.is_file() else b""
    for page in pages:
        key = (str(page.path), os.getcwd(), page.rel, repr(page.meta), repr(page.meta_lines), page.body,
               page.body_start, repr(page.problems), known, today, vocabulary)
        found = _PAGE_PROBLEMS.get(key)
        if found is None:
            found = check_page(page, set(known), today) + check_structure(page) + check_page_safety(page)
            if len(_PAGE_PROBLEMS) >= 5_000:
                _PAGE_PROBLEMS.clear()
            _PAGE_PROBLEMS[key] = found
        problems += found
    problems += check_snippets(docs_dir)
    problems += check_unique_titles(pages)
    return problems


def check_all_pages(docs_dir: Path = DOCS_DIR, today: dt.date | None = None) -> list[Problem]:
    """Everything the build refuses: page checks plus translation parity."""
    return check_pages(docs_dir, today) + check_translations(load_pages(docs_dir))


def docs_signature(docs_dir: Path) -> tuple:
    """What the page checks depend on: every file under docs/ with its size and mtime."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in Path(docs_dir).rglob("*") if p.is_file()))


_LAST: dict[str, tuple] = {}


def check_all_pages_once(docs_dir: Path, today: dt.date | None = None) -> list[Problem]:
    """check_all_pages, skipped when nothing under docs/ changed since the last passing run.

    static-i18n runs a build per language, so without this the same checks ran twice per
    build (and on every `mkdocs serve` rebuild).
    """
    key = str(Path(docs_dir).resolve())
    symlinks = check_symlinks(docs_dir)
    if symlinks:
        return symlinks                   # before docs_signature, which would follow them
    signature = (docs_signature(docs_dir), today or dt.date.today())
    if _LAST.get(key) == signature:
        return []
    problems = check_all_pages(docs_dir, today)
    if not problems:
        _LAST[key] = signature
    return problems
