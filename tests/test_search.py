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


# --- Material's search parses a page once per distinct HTML (serve rebuilds) ---------------

PAGE_HTML = ('<h1 id="t">Trata</h1><p>Primer <b>contacto</b></p><h2 id="s">Signos</h2>'
             '<p data-search-exclude>oculto</p><ul><li>uno</li></ul><h2 id="v">Vacío</h2>')


def _page(content, title="Página", meta=None):
    from types import SimpleNamespace
    return SimpleNamespace(meta=meta or {}, content=content, toc=[], url="protocolos/x/", title=title)


def _material_entries(page):
    """What Material 9.8's own add_entry_from_context makes of the page."""
    from material.plugins.search.plugin import Parser, SearchIndex
    index = SearchIndex()
    parser = Parser()
    parser.feed(page.content)
    parser.close()
    for section in parser.data:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
    return index.entries


def _cached_entries(page):
    from material.plugins.search.plugin import SearchIndex
    from scripts.search import add_entry_from_context
    index = SearchIndex()
    add_entry_from_context(index, page)
    return index.entries


def test_cached_search_parsing_gives_materials_entries_every_time():
    page = _page(PAGE_HTML)
    expected = _material_entries(page)
    assert [e["location"] for e in expected] == ["protocolos/x/", "protocolos/x/#s", "protocolos/x/#v"]
    assert _cached_entries(page) == expected
    assert _cached_entries(page) == expected          # second time from the cache


def test_cached_search_parsing_takes_a_new_title_and_new_html():
    untitled = '<p>Sin título</p><h2 id="a">A</h2><p>texto</p>'
    assert _cached_entries(_page(untitled, title="Uno"))[0]["title"] == "Uno"
    assert _cached_entries(_page(untitled, title="Dos"))[0]["title"] == "Dos"   # not the kept "Uno"
    assert _cached_entries(_page(untitled + "<p>más</p>"))[-1]["text"] == "<p>texto</p><p>más</p>"
    assert _cached_entries(_page(untitled, meta={"search": {"exclude": True}})) == []


def test_cached_search_parsing_is_checked_against_the_pinned_material():
    """add_entry_from_context copies Material 9.8's method: re-read it when Material changes."""
    from importlib.metadata import version
    assert version("mkdocs-material") == "9.8.2", (
        "mkdocs-material changed: compare scripts/search.py add_entry_from_context with "
        "material/plugins/search/plugin.py SearchIndex.add_entry_from_context, then update this pin")
