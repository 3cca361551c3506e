"""Run the page checks together, as the build and the CLI both need them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scripts import DOCS_DIR
from scripts.frontmatter import check_page, check_unique_titles
from scripts.pages import load_pages
from scripts.problems import Problem
from scripts.sources import SOURCES_DIR, load_sources
from scripts.structure import check_structure
from scripts.translations import check_translations


def check_pages(docs_dir: Path = DOCS_DIR, today: dt.date | None = None,
                sources_dir: Path = SOURCES_DIR) -> list[Problem]:
    """Front matter, unique titles and fixed sections of every page."""
    today = today or dt.date.today()
    sources, problems = load_sources(sources_dir)
    pages = load_pages(docs_dir)
    for page in pages:
        problems += check_page(page, set(sources), today)
        problems += check_structure(page)
    problems += check_unique_titles(pages)
    return problems


def check_all_pages(docs_dir: Path = DOCS_DIR, today: dt.date | None = None) -> list[Problem]:
    """Everything the build refuses: page checks plus translation parity."""
    return check_pages(docs_dir, today) + check_translations(load_pages(docs_dir))
