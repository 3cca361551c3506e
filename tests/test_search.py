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


def test_english_pages_load_their_own_copy_of_the_search_worker(tmp_path):
    """The worker must sit inside /en/ so the English offline app controls it (issue 19)."""
    from scripts.search import copy_search_workers, point_config_worker

    html = '<script id="__config" type="application/json">{"base": "../..", "search": "../../assets/javascripts/workers/search.1.min.js"}</script>'
    assert '"search": "../../en/assets/javascripts/workers/search.1.min.js"' in point_config_worker(html, "en/")
    (tmp_path / "assets/javascripts/workers").mkdir(parents=True)
    (tmp_path / "assets/javascripts/workers/search.1.min.js").write_text("w", encoding="utf-8")
    (tmp_path / "assets/javascripts/lunr/min").mkdir(parents=True)
    for name in ("lunr.stemmer.support", "lunr.kben", "lunr.kbes"):
        (tmp_path / f"assets/javascripts/lunr/min/{name}.min.js").write_text(name, encoding="utf-8")
    (tmp_path / "en/search").mkdir(parents=True)
    (tmp_path / "en/search/search_index.json").write_text('{"config": {"lang": ["kben"]}, "docs": []}', encoding="utf-8")
    written = copy_search_workers(tmp_path, {"es": "", "en": "en/"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "en/assets/javascripts/lunr/min/lunr.kben.min.js",
        "en/assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "en/assets/javascripts/workers/search.1.min.js"]
