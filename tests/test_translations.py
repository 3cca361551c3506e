"""Translation parity: missing twins, drifted structure and stale translations."""

from pathlib import Path

from scripts.pages import load_pages
from scripts.translations import check_translations, pair_pages, stale_translations

FIXTURES = Path(__file__).parent / "fixtures" / "translations"


def formatted(name: str) -> list[str]:
    return [p.format() for p in check_translations(load_pages(FIXTURES / name))]


def test_matching_pair_passes():
    assert formatted("ok") == []


def test_missing_english_twin_is_reported():
    assert formatted("missing") == [
        "tests/fixtures/translations/missing/solo.es.md: translation: missing solo.en.md "
        "→ create docs/solo.en.md with the same headings and ids"]


def test_drifted_translation_lists_every_difference():
    en = "tests/fixtures/translations/drift/pagina.en.md"
    assert formatted("drift") == [
        f"{en}:13: heading: 'Detail' has no explicit id → append '{{ #id }}' (same id in both languages)",
        f"{en}: heading ids: differ from pagina.es.md: only in Spanish: primera; only in English: first "
        "→ use the same headings, ids and order in both languages",
        f"{en}: markers: differ from pagina.es.md: es [fuentes], en [lineas-nacionales] "
        "→ use the same <!-- kb:... --> markers in the same order",
        f"{en}: admonitions: 0 here vs 1 in pagina.es.md → keep the same number of admonitions in both languages",
        f"{en}: tables: 0 here vs 1 in pagina.es.md → keep the same number of tables in both languages",
        f"{en}: numbered items: 1 here vs 2 in pagina.es.md → keep the same number of numbered items in both languages",
        f"{en}:4: audience: ['medicina'] here vs ['enfermeria'] in pagina.es.md "
        "→ front matter facts must agree between languages",
    ]


def test_stale_translation_when_spanish_reviewed_later():
    pairs, _ = pair_pages(load_pages(FIXTURES / "stale"))
    assert [p.format() for p in stale_translations(pairs)] == [
        "tests/fixtures/translations/stale/pagina.en.md:5: reviewed_on: translation stale: Spanish reviewed "
        "2026-11-15, English 2026-10-01 → update the English page from pagina.es.md, then its reviewed_on"]
    pairs, _ = pair_pages(load_pages(FIXTURES / "ok"))
    assert stale_translations(pairs) == []
