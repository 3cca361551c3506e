"""404.html in the reader's language: Spanish at the site root, English at en/404.html."""

from __future__ import annotations

from scripts.error_pages import ErrorPages


def test_the_default_language_keeps_the_root_and_others_get_their_folder(tmp_path):
    pages = ErrorPages()
    assert pages.place("<html lang=es>", "es", tmp_path) == "<html lang=es>"
    assert pages.place("<html lang=en>", "en", tmp_path) == "<html lang=es>"     # the root stays Spanish
    assert (tmp_path / "en" / "404.html").read_text(encoding="utf-8") == "<html lang=en>"


def test_an_english_only_build_still_writes_its_page(tmp_path):
    assert ErrorPages().place("<html lang=en>", "en", tmp_path) == "<html lang=en>"


def test_built_error_pages_are_in_their_language_and_link_to_help(built_site):
    root = (built_site / "404.html").read_text(encoding="utf-8")
    english = (built_site / "en" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in root and "Página no encontrada" in root and "Page not found" not in root
    assert '<html lang="en"' in english and "Page not found" in english
    for html in (root, english):
        assert 'http-equiv="Content-Security-Policy"' in html          # the CSP hook ran first
        assert "stylesheets/palette." not in html
    # error pages link from the site's root path (built_site: https://example.org/guia/)
    assert 'href="/guia/directorio/"' in root and 'href="/guia/en/directorio/"' in english
    assert '<a href="/guia/en/" hreflang="en">English version of the guide</a>' in root
    assert '<a href="/guia/" hreflang="es">Versión en español de la guía</a>' in english
