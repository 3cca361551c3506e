"""Stable addresses: a published URL that no page nor redirect serves fails the check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from scripts import ROOT
from scripts.urls import (URL_LIST_FILE, check_urls, expand_redirects, key_to_url, page_urls,
                          update_url_list)

FIXTURES = Path(__file__).parent / "fixtures" / "formacion"
PAGE = "---\ntitle: {title}\n---\n# {title}\n"


def make_docs(root: Path, keys: list[str]) -> Path:
    """A minimal docs tree with each key in both languages."""
    docs = root / "docs"
    for key in keys:
        for lang in ("es", "en"):
            path = docs / f"{key}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(PAGE.format(title=f"{key} {lang}"), encoding="utf-8")
    return docs


def make_config(root: Path, redirects: str = "{}") -> Path:
    config = root / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: !ENV [SITE_URL, '']\nplugins:\n  - search\n"
                      f"  - redirects:\n      redirect_maps: {redirects}\n", encoding="utf-8")
    return config


def test_urls_of_pages_in_both_languages():
    assert key_to_url("index", "es") == "/"
    assert key_to_url("index", "en") == "/en/"
    assert key_to_url("formacion/index", "en") == "/en/formacion/"
    assert key_to_url("formacion/casos", "es") == "/formacion/casos/"


def test_one_redirect_line_serves_both_languages():
    maps = {"formacion/vieja.md": "formacion/nueva.md#x"}
    assert expand_redirects(maps, "es") == {"formacion/vieja.md": "formacion/nueva.es.md#x"}
    assert expand_redirects(maps, "en") == {"en/formacion/vieja.md": "formacion/nueva.en.md#x"}


def test_removed_page_without_redirect_is_reported_with_what_to_do(tmp_path):
    docs = make_docs(tmp_path, ["index", "formacion/index", "formacion/nueva"])
    problems = check_urls(docs, FIXTURES / "invalid_removed_page.txt", make_config(tmp_path))
    removed = [p for p in problems if "was published" in p.message]
    assert [(p.line, p.message) for p in removed] == [
        (4, "/formacion/vieja/ was published but no page produces it now"),
        (5, "/en/formacion/vieja/ was published but no page produces it now"),
    ]
    assert removed[0].hint == (
        "if the page moved, add under plugins → redirects → redirect_maps in mkdocs.yml the line "
        "'formacion/vieja.md: <folder>/<new-page>.md' (one line covers both languages); if it was "
        "deleted, redirect it to its section's index.md. Do not delete the line from the list")


def test_redirect_keeps_the_old_address_and_new_pages_must_be_listed(tmp_path):
    docs = make_docs(tmp_path, ["index", "formacion/index", "formacion/nueva"])
    config = make_config(tmp_path, "{formacion/vieja.md: formacion/nueva.md}")
    problems = check_urls(docs, FIXTURES / "invalid_removed_page.txt", config)
    assert [p.message for p in problems] == [
        "/en/formacion/ (docs/formacion/index.en.md) is not in the list of published addresses",
        "/en/formacion/nueva/ (docs/formacion/nueva.en.md) is not in the list of published addresses",
        "/formacion/ (docs/formacion/index.es.md) is not in the list of published addresses",
        "/formacion/nueva/ (docs/formacion/nueva.es.md) is not in the list of published addresses",
    ]
    assert problems[0].hint == ("run `python -m scripts check-urls --update` and commit "
                                "docs/_data/urls-publicadas.txt")


def test_update_adds_new_pages_and_never_removes_a_url(tmp_path):
    docs = make_docs(tmp_path, ["index", "formacion/nueva"])
    url_list = tmp_path / "urls.txt"
    shutil.copy(FIXTURES / "invalid_removed_page.txt", url_list)
    assert update_url_list(docs, url_list) == ["/en/formacion/nueva/", "/formacion/nueva/"]
    lines = url_list.read_text(encoding="utf-8").splitlines()
    assert "/formacion/vieja/" in lines and "/formacion/nueva/" in lines
    assert update_url_list(docs, url_list) == []


def test_bad_redirects_are_reported(tmp_path):
    docs = make_docs(tmp_path, ["index", "formacion/nueva"])
    config = make_config(tmp_path, "{formacion/nueva.md: formacion/index.md, formacion/x.es.md: index.md, "
                                   "formacion/y.md: formacion/falta.md}")
    messages = [p.message for p in check_urls(docs, tmp_path / "none.txt", config) if p.field == "redirect_maps"]
    assert messages == [
        "'formacion/nueva.md' still exists as a page",
        "'formacion/nueva.md' → 'formacion/index.md': target docs/formacion/index.es.md does not exist",
        "'formacion/nueva.md' → 'formacion/index.md': target docs/formacion/index.en.md does not exist",
        "'formacion/x.es.md': write the old path as 'folder/page.md'",
        "'formacion/y.md' → 'formacion/falta.md': target docs/formacion/falta.es.md does not exist",
        "'formacion/y.md' → 'formacion/falta.md': target docs/formacion/falta.en.md does not exist",
    ]


def test_every_published_url_of_the_real_site_still_opens():
    problems = check_urls()
    assert not problems, "\n".join(p.format() for p in problems)


def test_removing_a_real_page_is_caught(docs_copy):
    for lang in ("es", "en"):
        (docs_copy / "formacion" / f"casos.{lang}.md").unlink()
    problems = check_urls(docs_copy, URL_LIST_FILE)
    assert {p.message for p in problems if "was published" in p.message} == {
        "/formacion/casos/ was published but no page produces it now",
        "/en/formacion/casos/ was published but no page produces it now",
    }
    assert all(url in page_urls() for url in ("/formacion/casos/", "/en/formacion/casos/"))


@pytest.mark.usefixtures("no_pocket_guides")
def test_redirect_plugin_writes_both_languages(docs_copy, tmp_path):
    """mkdocs-redirects with static-i18n: one map line, a redirect page per language."""
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, docs_dir=str(docs_copy), site_dir=str(site))
    config.plugins["redirects"].config["redirect_maps"] = {"formacion/vieja.md": "formacion/casos.md#caso-tumbes"}
    build(config)
    es = (site / "formacion" / "vieja" / "index.html").read_text(encoding="utf-8")
    en = (site / "en" / "formacion" / "vieja" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../casos/#caso-tumbes"' in es
    assert 'content="0; url=../casos/#caso-tumbes"' in en
    assert (site / "en" / "formacion" / "casos" / "index.html").is_file()
    # lists shared before the move still find the page
    for lang in ("", "en/"):
        catalogue = (site / f"{lang}formacion" / "mi-lista" / "index.html").read_text(encoding="utf-8")
        assert 'data-moved="{&#34;formacion/vieja&#34;: &#34;formacion/casos&#34;}"' in catalogue
