"""Content guards (scripts/content.py, issue 15): duty to report, internal references, citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.content import check_site, consent_problems, internal_references

FIXTURES = Path(__file__).parent / "fixtures" / "content"
HINT_DUTY = ("say that reporting a woman victim is the staff's duty (Ley 30364 art. 15) and what "
             "stays her choice; see docs/_includes/deber-de-denunciar")
HINT_REF = "cite the source by name (front matter `sources`) or drop the editor note"
HINT_CITE = "format citations with scripts.sources.citation; give notes in es and en"


def test_invalid_site_gives_exactly_these_problems():
    shown = sorted(p.format() for p in check_site(FIXTURES / "invalid_site"))
    es, en = "protocolos/x/index.html", "en/protocolos/x/index.html"
    assert shown == sorted([
        f"{en}:2: duty-to-report: 'is an adult: respect the decision': 'She is an adult: respect her decision.' → {HINT_DUTY}",
        f"{en}:3: duty-to-report: adults 'decide whether to report': 'Adults decide whether to report.' → {HINT_DUTY}",
        f"{en}:7: internal-reference: readers see '(fuente por confirmar)' → {HINT_REF}",
        f"{en}:7: citation: s26: doubled full stop in 'Protocolo intersectorial . Ministerio del Interior, s. f.. (' → {HINT_CITE}",
        f"{en}:7: citation: s26: Spanish 's. f.' on an English page (write 'n.d.') → {HINT_CITE}",
        f"{en}:7: citation: s26: title in 'es' without lang=\"es\" → {HINT_CITE}",
        f"{es}:2: duty-to-report: reporting only 'with her consent': 'Persona adulta: con su consentimiento, "
        f"derive a FISTRAP o PNP para denunciar y al CEM para' → {HINT_DUTY}",
        f"{es}:3: duty-to-report: ties an adult's consent or decision to reporting without stating the duty "
        f"(Ley 30364, art. 15): 'Si es adulta y no quiere, no la denuncie: respete su consentimiento.' → {HINT_DUTY}",
        f"{es}:4: duty-to-report: «usted decide si declara» (a summoned witness must appear): "
        f"'Dígale: «La fiscalía puede investigar; usted decide si declara.»' → {HINT_DUTY}",
        f"{es}:5: internal-reference: readers see 'FACTS.md' → {HINT_REF}",
        f"{es}:5: internal-reference: readers see '§' → {HINT_REF}",
        f"{es}:6: internal-reference: readers see '(s02)' → {HINT_REF}",
        f"{es}:8: citation: s06: doubled full stop in 'Zimmerman C., Watts C.. WHO Ethical and Safety Recommendatio' → {HINT_CITE}",
    ])


def test_valid_site_states_the_duty_and_the_mens_pathway_without_problems():
    assert check_site(FIXTURES / "valid_site") == []


@pytest.mark.parametrize("text", [
    "Es adulta: respete su decisión y su propia valoración del riesgo.",
    "Persona adulta: con su consentimiento, derive a FISTRAP o PNP para denunciar.",
    "With an adult trafficking victim, consult your manager before reporting without consent.",
    "Aquí está a salvo. Usted decide qué contar.",
])
def test_each_wrong_framing_is_caught(text):
    assert consent_problems(text)


@pytest.mark.parametrize("text", [
    "Ante una mujer víctima de trata, adulta o no, debe denunciar: no depende de su consentimiento.",
    "An adult man: with his consent, refer to FISTRAP; whether you must report needs legal review.",
    "La persona adulta decide si entra a un programa de protección; respete su decisión.",
])
def test_correct_statements_pass(text):
    assert consent_problems(text) == []


def test_internal_references_found_and_ordinary_brackets_ignored():
    assert internal_references("Fuente (S26, S41) y (FACTS.md §2.5)") == ["(S26, S41)", "FACTS.md", "§"]
    assert internal_references("Ley 30364 (art. 15), RM 868-2022 (2022) y la Línea 100 (24 h)") == []


def test_built_site_has_no_consent_framing_internal_reference_or_bad_citation(built_site):
    """Both languages, every page. The duty-to-report guard must find nothing at all."""
    problems = check_site(built_site)
    assert [p.format() for p in problems] == []


# --- Legal-review notice (scripts/legal.py) ---------------------------------------------

LEGAL_PAGES = sorted((Path(__file__).parents[1] / "docs" / "marco-legal").glob("*.md"))


@pytest.mark.parametrize("page", LEGAL_PAGES, ids=lambda p: p.name)
def test_every_legal_page_carries_the_legal_review_notice(page):
    assert "<!-- kb:revision-legal -->" in page.read_text(encoding="utf-8")


def test_legal_review_notice_is_rendered_in_each_language(built_site):
    es = (built_site / "marco-legal" / "ley-30364-denuncia" / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "marco-legal" / "ley-30364-denuncia" / "index.html").read_text(encoding="utf-8")
    assert '<div class="admonition warning kb-legal-review" role="note"><p><strong>Pendiente de revisión legal.</strong>' in es
    assert '<div class="admonition warning kb-legal-review" role="note"><p><strong>Needs legal review.</strong>' in en
