"""The bibliography (docs/_data/fuentes/): the real data loads cleanly; bad data is reported."""

from __future__ import annotations

from pathlib import Path

from scripts.sources import load_sources

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXPECTED_IDS = {f"s{n:02d}" for n in range(1, 71)} | {"s72"}   # FACTS.md §8: no S71


def test_real_bibliography_loads_without_problems():
    sources, problems = load_sources()
    assert [p.format() for p in problems] == []
    assert EXPECTED_IDS <= set(sources)


def test_brief_sources_have_title_year_and_language():
    sources, _ = load_sources()
    for source_id in EXPECTED_IDS:
        assert sources[source_id].lang in ("es", "en"), source_id
        assert sources[source_id].title and sources[source_id].year, source_id


def test_invalid_fixture_gives_exactly_three_messages():
    sources, problems = load_sources(FIXTURES / "invalid_mixed")
    shown = "tests/fixtures/sources/invalid_mixed/fuentes.yml"
    assert [p.format() for p in problems] == [
        f"{shown}:6: title: missing → add 'title:' to this source",
        f"{shown}:14: url: not a web address: 'ftp://example.org/guia.pdf'",
        f"{shown}:16: id: duplicate id 's01' (also in {shown})"
        " → ids must be unique across docs/_data/fuentes/*.yml",
    ]
    assert set(sources) == {"s01", "s02", "s03"}
    assert sources["s01"].title == "Primera fuente"


# --- Rendering (issue 15 item 9) -------------------------------------------------------

from scripts.sources import Source, citation, cite, is_secondary  # noqa: E402


def _source(**fields) -> Source:
    base = {"id": "x", "title": "Título", "publisher": "MINSA", "year": "2020"}
    return Source(**{**base, **fields})


def test_citation_never_doubles_a_full_stop():
    s = _source(author="Zimmerman C., Watts C.", title="Guía.", year="s. f.")
    assert cite(s, "es") == "Zimmerman C., Watts C. Guía. MINSA, s. f."
    assert cite(s, "en") == "Zimmerman C., Watts C. Guía. MINSA, n.d."


def test_citation_marks_a_title_in_the_other_language_and_picks_the_note_language():
    s = _source(lang="es", note={"es": "Nota", "en": "Note"})
    assert citation(s, "en")["title_lang"] == "es" and citation(s, "en")["note"] == "Note."
    assert citation(s, "es")["title_lang"] == "" and citation(s, "es")["note"] == "Nota."


def test_copies_wikis_and_blogs_are_labelled_secondary():
    assert is_secondary(_source(url="https://es.scribd.com/document/1"))
    assert is_secondary(_source(publisher="Inforegion; blog PUCP"))
    assert not is_secondary(_source(url="https://www.gob.pe/minsa"))
    assert citation(_source(url="https://es.wikipedia.org/wiki/X"), "en")["secondary"].startswith("Unofficial copy")


def test_a_note_in_one_language_only_is_reported(tmp_path):
    (tmp_path / "f.yml").write_text('- id: a\n  title: T\n  publisher: P\n  year: "2020"\n  note: "solo español"\n',
                                    encoding="utf-8")
    _, problems = load_sources(tmp_path)
    assert [p.format() for p in problems] == [
        f"{problems[0].path}:5: note: must be a map with both languages"
        " → write note: {es: ..., en: ...} (English pages show the English note)"]


def test_a_descriptive_title_in_another_language_gets_its_own_lang():
    s = _source(lang="en", title_lang="es", url="https://example.org/")
    assert citation(s, "en")["title_lang"] == "es" and citation(s, "en")["href_lang"] == ""
    assert citation(s, "es")["title_lang"] == "" and citation(s, "es")["href_lang"] == "en"
