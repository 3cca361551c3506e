"""Front-matter checker: each bad input gives the exact problem, with file, line and field."""

import datetime as dt
from pathlib import Path

from scripts.frontmatter import check_page, check_unique_titles, next_review, overdue_pages
from scripts.pages import parse_page

FIXTURES = Path(__file__).parent / "fixtures" / "frontmatter"
TODAY = dt.date(2026, 11, 29)
SOURCES = {"s06", "s16"}


def problems_of(name: str, known=SOURCES, today=TODAY, docs=FIXTURES):
    page = parse_page(docs / name, docs)
    return [p.format() for p in check_page(page, known, today)]


def test_valid_page_has_no_problems():
    assert problems_of("valid_page.es.md") == []


def test_missing_title_names_field_and_fix():
    assert problems_of("invalid_missing_title.es.md") == [
        "tests/fixtures/frontmatter/invalid_missing_title.es.md:1: title: missing "
        "→ add 'title:' (see CONTRIBUTING.md, 'Front matter')"]


def test_each_bad_field_is_reported_with_its_line():
    got = problems_of("invalid_bad_fields.es.md")
    path = "tests/fixtures/frontmatter/invalid_bad_fields.es.md"
    assert got == [
        f"{path}:1: front matter: Additional properties are not allowed ('colour' was unexpected) "
        "→ remove the key or fix its spelling",
        f"{path}:3: description: 'corta' is too short → see scripts/schemas/page.schema.json",
        f"{path}:6: review_every_months: 48 is greater than the maximum of 36 → see scripts/schemas/page.schema.json",
        f"{path}:4: audience: unknown audience 'enfermeras' → use one of: medicina, enfermeria, obstetricia, "
        "psicologia, admision-seguridad, gestion, formacion, todo-el-personal (docs/_data/vocabulario.yml)",
        f"{path}:7: sources: unknown source 'no-existe' → add it to docs/_data/fuentes/*.yml or fix the id",
        f"{path}:5: reviewed_on: 2027-01-01 is in the future → use the date of the last real review",
    ]


def test_invalid_yaml_gives_line():
    got = problems_of("invalid_yaml.es.md")
    assert got == ["tests/fixtures/frontmatter/invalid_yaml.es.md:3: front matter: invalid YAML: "
                   "expected ',' or ']', but got '<stream end>' → fix the YAML syntax"]


def test_missing_front_matter():
    assert problems_of("invalid_no_front_matter.es.md") == [
        "tests/fixtures/frontmatter/invalid_no_front_matter.es.md:1: front matter: missing "
        "→ start the file with a '---' block (see CONTRIBUTING.md)"]


def test_reviewed_clinical_review_needs_reviewer_and_date():
    got = problems_of("invalid_clinical_review.es.md")
    assert got == [
        "tests/fixtures/frontmatter/invalid_clinical_review.es.md:7: clinical_review.reviewer_role: missing "
        "→ add 'reviewer_role:' (see CONTRIBUTING.md, 'Front matter')",
        "tests/fixtures/frontmatter/invalid_clinical_review.es.md:7: clinical_review.reviewed_on: missing "
        "→ add 'reviewed_on:' (see CONTRIBUTING.md, 'Front matter')"]


def test_protocol_pages_need_sources_and_clinical_review(tmp_path):
    docs = tmp_path / "docs"
    (docs / "protocolos").mkdir(parents=True)
    (docs / "protocolos" / "x.es.md").write_text((FIXTURES / "valid_page.es.md").read_text(), encoding="utf-8")
    page = parse_page(docs / "protocolos" / "x.es.md", docs)
    messages = [(p.field, p.message) for p in check_page(page, SOURCES, TODAY)]
    assert messages == [("sources", "required in protocolos/ pages"),
                        ("clinical_review", "required in protocolos/ pages")]


def test_duplicate_titles_in_one_language(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (FIXTURES / "valid_page.es.md").read_text(encoding="utf-8")
    for name in ("a.es.md", "b.es.md"):
        (docs / name).write_text(text, encoding="utf-8")
    pages = [parse_page(docs / n, docs) for n in ("a.es.md", "b.es.md")]
    got = check_unique_titles(pages)
    assert [(p.field, p.message) for p in got] == [("title", "duplicate title 'Página válida' (also a.es.md)")]


def test_next_review_adds_months_and_clamps_day():
    assert next_review({"reviewed_on": dt.date(2026, 8, 31), "review_every_months": 6}) == dt.date(2027, 2, 28)
    assert next_review({"reviewed_on": "2026-11-29", "review_every_months": 12}) == dt.date(2027, 11, 29)


def test_overdue_is_reported_not_failed_by_date_alone():
    page = parse_page(FIXTURES / "valid_page.es.md", FIXTURES)
    assert overdue_pages([page], dt.date(2027, 3, 31)) == []
    got = overdue_pages([page], dt.date(2027, 4, 2))
    assert [p.message for p in got] == ["review overdue since 2027-04-01"]
