"""Front-matter rules: the schema, then the meaning (vocabulary, sources, uniqueness)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jsonschema

from scripts.pages import Page
from scripts.dates import add_months, as_date
from scripts.problems import Problem, relpath
from scripts.vocabulary import VOCABULARY_FILE, load_vocabulary

SCHEMA_FILE = Path(__file__).parent / "schemas" / "page.schema.json"
SECTIONS_REQUIRING_SOURCES = ("identificacion", "protocolos", "marco-legal")
SECTIONS_REQUIRING_CLINICAL_REVIEW = ("protocolos",)
PLAIN_TEXT_FIELDS = ("title", "description")
# Material prints the title unescaped in the nav (and both fields in <head>): plain text only.
MARKUP_RE = re.compile(r"<|>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);|`|\*\*|__|\[[^\]]*\]\(|\{\{|\{%", re.I)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _jsonable(value):
    """Dates from YAML become ISO strings so the schema can check them."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value




def _schema_problems(page: Page) -> list[Problem]:
    shown = relpath(page.path)
    problems = []
    for error in sorted(_validator().iter_errors(_jsonable(page.meta)), key=lambda e: list(e.path)):
        field = ".".join(str(p) for p in error.path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            field = f"{field}.{missing}" if field else missing
            problems.append(Problem(shown, page.line_of(field.split(".")[0]) or 1, field, "missing",
                                    f"add '{missing}:' (see CONTRIBUTING.md, 'Front matter')"))
        elif error.validator == "type" and error.validator_value == "array" and not isinstance(error.instance, list):
            top = field.split(".")[0] if field else ""
            problems.append(Problem(shown, page.line_of(top) if top else 1, field or "front matter",
                                    f"must be a list, not the single value {error.instance!r}",
                                    f"write it as a list: {field}: [{error.instance}]"))
        elif error.validator == "additionalProperties":
            problems.append(Problem(shown, 1, field or "front matter", error.message,
                                    "remove the key or fix its spelling"))
        else:
            top = field.split(".")[0] if field else ""
            problems.append(Problem(shown, page.line_of(top) if top else 1, field or "front matter",
                                    error.message, "see scripts/schemas/page.schema.json"))
    return problems


def check_page(page: Page, known_sources: set[str], today: dt.date,
               vocabulary_file: Path = VOCABULARY_FILE) -> list[Problem]:
    """Every front-matter problem of one page."""
    if page.problems:
        return list(page.problems)
    problems = _schema_problems(page)
    shown = relpath(page.path)
    meta = page.meta
    audiences = load_vocabulary(vocabulary_file).get("audience", {})
    problems += plain_text_problems(page)
    for value in _as_list(meta.get("audience")):
        if isinstance(value, str) and value not in audiences:
            problems.append(Problem(shown, page.line_of("audience"), "audience", f"unknown audience {value!r}",
                                    f"use one of: {', '.join(audiences)} (docs/_data/vocabulario.yml)"))
    for value in _as_list(meta.get("sources")):
        if isinstance(value, str) and value not in known_sources:
            problems.append(Problem(shown, page.line_of("sources"), "sources", f"unknown source {value!r}",
                                    "add it to docs/_data/fuentes/*.yml or fix the id"))
    if page.section in SECTIONS_REQUIRING_SOURCES and not page.is_index and not meta.get("sources"):
        problems.append(Problem(shown, page.line_of("sources") or 1, "sources",
                                f"required in {page.section}/ pages",
                                "list the ids of the sources this page relies on"))
    if page.section in SECTIONS_REQUIRING_CLINICAL_REVIEW and not page.is_index and "clinical_review" not in meta:
        problems.append(Problem(shown, 1, "clinical_review", f"required in {page.section}/ pages",
                                "add 'clinical_review: {status: pendiente}' until a clinician has reviewed it"))
    reviewed = as_date(meta.get("reviewed_on"))
    if reviewed and reviewed > today:
        problems.append(Problem(shown, page.line_of("reviewed_on"), "reviewed_on",
                                f"{reviewed.isoformat()} is in the future", "use the date of the last real review"))
    return problems


def _as_list(value) -> list:
    """The items of a list field; a single value is reported by the schema, not per letter."""
    return value if isinstance(value, list) else []


def plain_text_problems(page: Page) -> list[Problem]:
    """`title` and `description` must be plain text: no HTML, entities, Markdown or control characters."""
    problems = []
    for name in PLAIN_TEXT_FIELDS:
        value = page.meta.get(name)
        if not isinstance(value, str):
            continue
        shown, line = relpath(page.path), page.line_of(name)
        markup = MARKUP_RE.search(value)
        if markup:
            problems.append(Problem(shown, line, name, f"must be plain text, found {markup.group(0)!r}",
                                    "remove HTML, entities and Markdown: Material prints this field as it is "
                                    "(in the navigation and the page head)"))
        hidden = sorted({f"U+{ord(c):04X}" for c in value
                         if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")})
        if hidden:
            problems.append(Problem(shown, line, name, f"contains invisible or control characters ({', '.join(hidden)})",
                                    "retype the text: bidi controls and zero-width characters can hide or "
                                    "reorder what readers see"))
    return problems


def check_unique_titles(pages: list[Page]) -> list[Problem]:
    """Titles must be unique within a language (screen-reader users rely on them)."""
    problems = []
    first: dict[tuple[str, str], Page] = {}
    for page in pages:
        title = str(page.meta.get("title") or "").strip()
        if not title:
            continue
        key = (page.lang, title.casefold())
        if key in first:
            problems.append(Problem(relpath(page.path), page.line_of("title"), "title",
                                    f"duplicate title {title!r} (also {first[key].rel})",
                                    "give each page of a language its own title"))
        else:
            first[key] = page
    return problems


def next_review(meta: dict) -> dt.date | None:
    """reviewed_on + review_every_months (day clamped to the month's length)."""
    reviewed = as_date(meta.get("reviewed_on"))
    months = meta.get("review_every_months")
    if not reviewed or not isinstance(months, int):
        return None
    return add_months(reviewed, months)


def overdue_pages(pages: list[Page], today: dt.date) -> list[Problem]:
    """Pages whose next review date has passed (report only; never breaks CI)."""
    problems = []
    for page in pages:
        due = next_review(page.meta)
        if due and due < today:
            problems.append(Problem(relpath(page.path), page.line_of("reviewed_on"), "reviewed_on",
                                    f"review overdue since {due.isoformat()}",
                                    "review the page and update reviewed_on"))
    return problems
