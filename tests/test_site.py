"""The real site, built strictly through the MkDocs API, and what the hooks refuse."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from scripts import ROOT
from scripts.offline import make_offline_copy
from tests.conftest import TODAY

SECTIONS = ["", "identificacion/", "protocolos/", "directorio/", "guias-de-bolsillo/", "formacion/",
            "marco-legal/", "glosario/", "acerca/"]
EXTERNAL_ASSET_RE = re.compile(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(https?:)?//(?!example\.org)', re.I)


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def build_docs(docs: Path, site: Path) -> None:
    """Strict build of a modified docs tree with the real configuration and hooks."""
    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, docs_dir=str(docs), site_dir=str(site))
    build(config)


def build_error(docs: Path, site: Path, caplog) -> str:
    """Build that must abort; return what MkDocs logged as the reason."""
    with pytest.raises(Abort):
        build_docs(docs, site)
    return "\n".join(r.getMessage() for r in caplog.records if r.levelname in ("ERROR", "WARNING"))


@pytest.mark.parametrize("url", SECTIONS)
def test_every_section_landing_exists_in_both_languages_with_lang(built_site, url):
    assert '<html lang="es"' in read(built_site, url)
    assert '<html lang="en"' in read(built_site, "en/" + url)


def test_language_switcher_keeps_the_current_page(built_site):
    es = read(built_site, "protocolos/")
    en = read(built_site, "en/protocolos/")
    assert re.search(r'href="\.\./en/protocolos/"[^>]*hreflang="en"', es)
    assert re.search(r'href="\.\./\.\./protocolos/"[^>]*hreflang="es"', en)


def test_navigation_is_translated(built_site):
    assert "Protocolos de atención" in read(built_site, "")
    en = read(built_site, "en/")
    assert "Care protocols" in en and "Protocolos de atención" not in en


def test_review_dates_and_reading_time_shown_in_each_language(built_site):
    es = read(built_site, "acerca/")
    en = read(built_site, "en/acerca/")
    assert "Última revisión" in es and "29 de noviembre de 2026" in es
    assert "Próxima revisión" in es and "29 de noviembre de 2027" in es
    assert "Last editorial check" in en and "29 November 2026" in en and "Next review due" in en
    assert "Última revisión editorial" in es   # issue 15 item 10: an editorial check, not a clinical review
    assert re.search(r"Tiempo de lectura</dt><dd>\d+ min", es)


def test_home_help_block_dials_national_lines_from_data(built_site):
    home = read(built_site, "")
    assert 'id="que-hacer-ahora"' in home
    for number in ("1818", "100", "105", "106", "113"):
        assert f'href="tel:{number}"' in home
    assert "kb-help-strip" in read(built_site, "protocolos/")


def test_search_indexes_are_per_language_and_folded(built_site):
    es = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert es["config"]["lang"] == ["kbes"] and en["config"]["lang"] == ["kben"]   # scripts/search_rank.py
    assert any(d["title"] == "Protocolos de atención" for d in es["docs"])
    assert not any(d["title"] == "Protocolos de atención" for d in en["docs"])
    assert (built_site / "assets/javascripts/lunr/min/lunr.kbes.min.js").is_file()
    assert '"base": "../../en/"' in read(built_site, "en/protocolos/")


def test_no_asset_from_another_host(built_site):
    for html in built_site.rglob("*.html"):
        match = EXTERNAL_ASSET_RE.search(html.read_text(encoding="utf-8"))
        assert match is None, f"{html.relative_to(built_site)} loads {match.group(0)}"
    css = "".join(p.read_text(encoding="utf-8") for p in built_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_search_dialog_has_an_accessible_name(built_site):
    assert 'role="dialog" aria-label="Buscar"' in read(built_site, "")
    assert 'role="dialog" aria-label="Search"' in read(built_site, "en/")


@pytest.mark.usefixtures("no_pocket_guides")
def test_unknown_marker_fails_the_build(docs_copy, tmp_path, caplog):
    for lang in ("es", "en"):
        page = docs_copy / "acerca" / f"index.{lang}.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n<!-- kb:no-existe -->\n", encoding="utf-8")
    log = build_error(docs_copy, tmp_path / "site", caplog)
    assert re.search(r"docs/acerca/index.es.md:\d+: unknown marker 'kb:no-existe' → known markers: ", log)


@pytest.mark.usefixtures("no_pocket_guides")
def test_missing_translation_fails_the_build(docs_copy, tmp_path, caplog):
    (docs_copy / "acerca" / "accesibilidad.en.md").unlink()
    log = build_error(docs_copy, tmp_path / "site", caplog)
    assert "accesibilidad.es.md: translation: missing acerca/accesibilidad.en.md" in log


@pytest.mark.usefixtures("no_pocket_guides")
def test_bad_front_matter_fails_the_build(docs_copy, tmp_path, caplog):
    page = docs_copy / "acerca" / "index.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("review_every_months: 12", "review_every_months: doce"),
                    encoding="utf-8")
    log = build_error(docs_copy, tmp_path / "site", caplog)
    assert "acerca/index.en.md:6: review_every_months: 'doce' is not of type 'integer'" in log


@pytest.mark.usefixtures("no_pocket_guides")
def test_broken_link_and_anchor_fail_strict_build(docs_copy, tmp_path, caplog):
    page = docs_copy / "acerca" / "index.es.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[x](no-existe.md) [y](accesibilidad.md#nada)\n",
                    encoding="utf-8")
    log = build_error(docs_copy, tmp_path / "site", caplog)
    assert "'acerca/index.es.md' contains a link 'no-existe.md', but the target 'acerca/no-existe.md' is not found" in log
    assert "does not contain an anchor '#nada'" in log


@pytest.mark.usefixtures("no_pocket_guides")
def test_stale_english_page_shows_notice(docs_copy, tmp_path):
    en = docs_copy / "acerca" / "accesibilidad.en.md"
    en.write_text(en.read_text(encoding="utf-8").replace("reviewed_on: 2026-11-29", "reviewed_on: 2026-10-01"),
                  encoding="utf-8")
    site = tmp_path / "site"
    build_docs(docs_copy, site)
    html = read(site, "en/acerca/accesibilidad/")
    assert "This translation may be out of date" in html
    assert 'href="../../../acerca/accesibilidad/" hreflang="es"' in html
    assert "may be out of date" not in read(site, "en/acerca/")


def test_offline_zip_has_both_languages_and_search(tmp_path, offline_site, monkeypatch):
    def same_build(site_dir, **options):   # the session's offline build, made by the same call
        assert options == {"offline": True, "published_url": ""}   # as the session's build
        shutil.copytree(offline_site, site_dir)

    monkeypatch.setattr("scripts.offline.build_site", same_build)
    zip_path = make_offline_copy(tmp_path, TODAY)
    assert zip_path.name == "trata-salud-offline-2026-11-29.zip"
    names = set(zipfile.ZipFile(zip_path).namelist())
    top = "trata-salud-offline-2026-11-29/"
    for name in ("index.html", "en/index.html", "search/search_index.js", "en/search/search_index.js",
                 "assets/javascripts/iframe-worker/shim.js", "LEEME.txt"):
        assert top + name in names


def test_hreflang_alternates_are_absolute_when_site_url_is_set(built_site):
    en = read(built_site, "en/protocolos/")
    assert '<link rel="alternate" href="https://example.org/guia/protocolos/" hreflang="es">' in en
    assert '<link rel="canonical" href="https://example.org/guia/en/protocolos/">' in en


def test_page_checks_run_again_only_when_docs_change(docs_copy):
    from scripts.checks import check_all_pages_once

    assert check_all_pages_once(docs_copy, TODAY) == []
    page = docs_copy / "acerca" / "index.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("review_every_months: 12", "review_every_months: 99"),
                    encoding="utf-8")
    problems = check_all_pages_once(docs_copy, TODAY)
    assert {p.field for p in problems} == {"review_every_months"}   # schema maximum and parity
    assert check_all_pages_once(docs_copy, TODAY) != []   # failures are never cached
