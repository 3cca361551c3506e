"""Glossary: data validation, the acronym check and the per-language tooltips."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from scripts.glossary import (abbreviation_block, append_abbreviations, check_glossary, find_acronyms,
                              load_glossary)

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"
ABBR_RE = re.compile(r'<abbr title="([^"]*)">([^<]+)</abbr>')


def messages(problems):
    return [p.format() for p in problems]


# --- Data file -------------------------------------------------------------------

def test_valid_glossary_loads_every_term():
    terms, problems = load_glossary(FIXTURES / "valid_glosario.yml")
    assert problems == []
    assert [t.id for t in terms] == ["cem", "vih", "trata-de-personas", "estados-unidos"]
    assert terms[1].sigla == {"es": "VIH", "en": "HIV"}
    assert terms[0].sigla == {"es": "CEM", "en": "CEM"}
    assert terms[3].sigla == {"es": "", "en": "US"}       # an acronym in one language only


def test_missing_language_is_reported_with_line_and_field():
    _, problems = load_glossary(FIXTURES / "invalid_missing_en.yml")
    assert messages(problems) == [
        "tests/fixtures/glossary/invalid_missing_en.yml:3: termino.en: missing → write the en text"]


def test_duplicate_id_names_the_first_line():
    terms, problems = load_glossary(FIXTURES / "invalid_duplicate.yml")
    assert messages(problems) == [
        "tests/fixtures/glossary/invalid_duplicate.yml:5: id: duplicate id 'cem' (also on line 1)"]
    assert [t.id for t in terms] == ["cem"]


def test_bad_id_sigla_and_unknown_field():
    _, problems = load_glossary(FIXTURES / "invalid_fields.yml")
    assert messages(problems) == [
        "tests/fixtures/glossary/invalid_fields.yml:1: definicion: missing → add 'definicion:' to this term",
        "tests/fixtures/glossary/invalid_fields.yml:4: definition: unknown field → use only: definicion, id, sigla, termino",
        "tests/fixtures/glossary/invalid_fields.yml:1: id: not kebab-case: 'Centro_Emergencia' → lowercase ASCII letters, digits and hyphens",
        "tests/fixtures/glossary/invalid_fields.yml:2: sigla: not an acronym: 'Cem' → two or more capital letters, nothing else",
    ]


def test_yaml_syntax_error_is_a_problem_not_a_crash():
    _, problems = load_glossary(FIXTURES / "invalid_yaml.yml")
    assert messages(problems) == [
        "tests/fixtures/glossary/invalid_yaml.yml:4: invalid YAML: mapping values are not allowed here → quote texts that contain ': '"]


def test_real_glossary_is_valid_and_covers_key_terms():
    terms, problems = load_glossary()
    assert problems == []
    ids = {t.id for t in terms}
    assert {"trata-de-personas", "trafico-ilicito-de-migrantes", "cem", "fistrap", "udavit", "upe",
            "demuna", "pep", "aoe", "cml", "pap", "nna"} <= ids


# --- Acronym check ----------------------------------------------------------------

def test_find_acronyms_skips_code_links_and_document_numbers():
    text = "El CEM y `XYZ` y [x](https://ABC.example/DEF) y el DS 007-2023-IN y RM 868-2022/MINSA.\n```\nFOO\n```\nIV y PDF"
    assert find_acronyms(text, 10) == [(10, "CEM"), (10, "DS"), (10, "RM")]


def test_check_names_file_and_line_of_undefined_acronyms():
    problems = check_glossary(FIXTURES / "docs_undefined", FIXTURES / "valid_glosario.yml")
    assert messages(problems) == [
        "tests/fixtures/glossary/docs_undefined/protocolos/ejemplo.en.md:7: acronym: 'ONG' is not in the glossary"
        " → add it to docs/_data/glosario.yml (sigla) or spell it out",
        "tests/fixtures/glossary/docs_undefined/protocolos/ejemplo.es.md:10: acronym: 'DS' is not in the glossary"
        " → add it to docs/_data/glosario.yml (sigla) or spell it out",
        "tests/fixtures/glossary/docs_undefined/protocolos/ejemplo.es.md:10: acronym: 'UDAVIT' is not in the glossary"
        " → add it to docs/_data/glosario.yml (sigla) or spell it out",
        "tests/fixtures/glossary/docs_undefined/_data/flujos/ejemplo.yml:6: acronym: 'ZZTOP' is not in the glossary"
        " → add it to docs/_data/glosario.yml (sigla) or spell it out",
    ]


def test_cli_exit_code(capsys):
    from scripts.__main__ import main

    assert main(["check-glossary", "--docs-dir", str(FIXTURES / "docs_undefined")]) == 1
    assert "docs_undefined/protocolos/ejemplo.es.md:10" in capsys.readouterr().out


# --- Tooltips ----------------------------------------------------------------------

def test_abbreviation_block_is_per_language():
    terms, _ = load_glossary(FIXTURES / "valid_glosario.yml")
    assert abbreviation_block(terms, "es") == ("*[CEM]: Centro Emergencia Mujer\n"
                                              "*[VIH]: Virus de la inmunodeficiencia humana\n"
                                              "*[HIV]: Virus de la inmunodeficiencia humana (VIH)\n"
                                              "*[US]: Estados Unidos")
    assert abbreviation_block(terms, "en") == ("*[CEM]: Centro Emergencia Mujer (women's emergency centre)\n"
                                              "*[HIV]: Human immunodeficiency virus\n"
                                              "*[US]: United States\n"
                                              "*[VIH]: Human immunodeficiency virus (HIV)")
    assert append_abbreviations("Texto\n\n", terms, "es").startswith("Texto\n\n*[CEM]:")


@pytest.mark.parametrize("lang,prefix", [("es", ""), ("en", "en/")])
def test_built_pages_show_acronym_tooltips_in_their_language(built_site, lang, prefix):
    terms, _ = load_glossary()
    expected = {t.sigla[lang]: t.termino[lang] for t in terms if t.sigla[lang]}
    page = (built_site / prefix / "protocolos" / "derivacion" / "index.html").read_text(encoding="utf-8")
    found = {text: html.unescape(title) for title, text in ABBR_RE.findall(page)}
    assert found["CEM"] == expected["CEM"]
    assert found["FISTRAP"] == expected["FISTRAP"]
    for sigla, title in found.items():
        assert title == expected[sigla], sigla


def test_glossary_page_lists_every_term_with_an_anchor(built_site):
    terms, _ = load_glossary()
    for prefix, lang in (("", "es"), ("en/", "en")):
        page = (built_site / prefix / "glosario" / "index.html").read_text(encoding="utf-8")
        for term in terms:
            assert f'<dt id="{term.id}">' in page
        assert html.escape(terms[0].definicion[lang], quote=True).replace("&#x27;", "&#39;") in page


def test_every_acronym_used_in_the_site_is_defined():
    """The real pages: any acronym without a glossary entry fails (python -m scripts check-glossary)."""
    assert messages(check_glossary()) == []
