"""Search index helpers: accent folding, per-language split, Material base rewrite."""

import json

from scripts.search import fold, point_config_base, split_index, write_language_indexes

LANGS = {"es": "", "en": "en/"}


def test_fold_strips_accents_and_tilde():
    assert fold("Atención NIÑO Vacunación pingüino") == "atencion nino vacunacion pinguino"


def test_split_index_relocates_english_docs():
    index = {"config": {"lang": ["es", "en"]}, "docs": [
        {"location": "protocolos/", "title": "Protocolos", "text": ""},
        {"location": "en/protocolos/", "title": "Protocols", "text": ""},
        {"location": "en/", "title": "Home", "text": ""}]}
    parts = split_index(index, LANGS)
    assert [d["location"] for d in parts["es"]["docs"]] == ["protocolos/"]
    assert [d["location"] for d in parts["en"]["docs"]] == ["protocolos/", ""]
    assert parts["en"]["config"]["lang"] == ["en"]


def test_write_language_indexes_splits_merged_index(tmp_path):
    (tmp_path / "search").mkdir()
    merged = {"config": {"lang": ["es", "en"]}, "docs": [
        {"location": "a/", "title": "Atención", "text": ""},
        {"location": "en/a/", "title": "Care", "text": ""}]}
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(merged), encoding="utf-8")
    assert write_language_indexes(tmp_path, LANGS) == {"es": 1, "en": 1}
    es = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert es["config"]["lang"] == ["kbes"]            # folded by the lunr plugin, not extra fields
    assert "title_folded" not in es["docs"][0]
    assert (tmp_path / "en" / "search" / "search_index.json").is_file()
    assert (tmp_path / "assets/javascripts/lunr/min/lunr.kben.min.js").is_file()


def test_point_config_base():
    html = '<script id="__config" type="application/json">{"annotate": null, "base": "../..", "x": 1}</script>'
    assert '"base": "../../en/"' in point_config_base(html, "en/")
    assert '"base": "./en/"' in point_config_base(html.replace("../..", "."), "en/")


def test_sitemap_is_copied_to_each_language_root(tmp_path):
    from scripts.search import copy_sitemap_per_language

    (tmp_path / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    assert copy_sitemap_per_language(tmp_path, LANGS) == [tmp_path / "en" / "sitemap.xml"]
    assert (tmp_path / "en" / "sitemap.xml").read_text(encoding="utf-8") == "<urlset/>"


def test_alternate_links_become_absolute():
    from scripts.search import absolute_alternates

    html = '<link rel="alternate" href="../../protocolos/" hreflang="es">'
    assert absolute_alternates(html, "https://example.org/guia/en/protocolos/") == (
        '<link rel="alternate" href="https://example.org/guia/protocolos/" hreflang="es">')
