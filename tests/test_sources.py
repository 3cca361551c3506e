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
