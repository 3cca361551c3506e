"""Fixed sections per folder: missing and misordered sections are named."""

from scripts.pages import parse_page
from scripts.structure import check_structure

RULES = {"protocolos": ("cuando-aplicar", "pasos", "fuentes")}
FRONT = "---\ntitle: X\n---\n"


def page_with(tmp_path, body: str, name="protocolos/x.es.md"):
    docs = tmp_path / "docs"
    path = docs / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT + body, encoding="utf-8")
    return parse_page(path, docs)


def test_sections_in_order_pass(tmp_path):
    body = "## A { #cuando-aplicar }\n## B { #pasos }\n## Extra { #extra }\n## C { #fuentes }\n"
    assert check_structure(page_with(tmp_path, body), RULES) == []


def test_missing_section_is_named(tmp_path):
    body = "## A { #cuando-aplicar }\n## C { #fuentes }\n"
    got = [(p.field, p.message, p.hint) for p in check_structure(page_with(tmp_path, body), RULES)]
    assert got == [("sections", "missing section '## ... { #pasos }'",
                    "protocolos/ pages need, in order: cuando-aplicar, pasos, fuentes")]


def test_misordered_sections_are_reported(tmp_path):
    body = "## B { #pasos }\n## A { #cuando-aplicar }\n## C { #fuentes }\n"
    got = [p.message for p in check_structure(page_with(tmp_path, body), RULES)]
    assert got == ["out of order: pasos, cuando-aplicar, fuentes"]


def test_index_pages_and_other_folders_are_free(tmp_path):
    assert check_structure(page_with(tmp_path, "## Z { #z }\n", "protocolos/index.es.md"), RULES) == []
    assert check_structure(page_with(tmp_path, "## Z { #z }\n", "acerca/x.es.md"), RULES) == []
