"""Indicators: validator messages, escaped rendering, the checklist and search in the built site."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest

from scripts import DOCS_DIR, ROOT
from scripts.indicators import (GROUPS, INDICATORS_FILE, key_indicators, load_indicators,
                                render_indicator_list)
from scripts.markers import MarkerError
from scripts.pages import load_pages

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
SOURCE_IDS = {"s01", "s09"}
SHOWN = "tests/fixtures/indicators"
GROUP_HINT = "use one of: fisicos, conductuales, control, laboral, sexual, nna, contexto"
REGIONS = ("madre-de-dios", "puno", "cusco", "loreto", "tumbes", "tacna", "piura", "amazonas",
           "cajamarca", "lima", "callao", "pasco")
LI_RE = re.compile(r'<li class="kb-indicator" id="indicador-([a-z0-9-]+)"[^>]*>(.*?)</li>', re.S)
TEXT_RE = re.compile(r'<span class="kb-indicator__text">(.*?)</span>', re.S)


def problems_of(name: str) -> list[str]:
    """Formatted problems of one fixture file."""
    _data, problems = load_indicators(FIXTURES / name, source_ids=SOURCE_IDS)
    return [p.format() for p in problems]


def renderer():
    """The partials, rendered with autoescape like overrides/hooks/markers.py does."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "overrides")), autoescape=True)
    return lambda template, **variables: env.get_template(template).render(**variables)


def valid_data():
    data, problems = load_indicators(FIXTURES / "valid_minimal.yml", source_ids=SOURCE_IDS)
    assert problems == []
    return data


# --- Validator -----------------------------------------------------------------

def test_valid_fixture_has_no_problems():
    assert problems_of("valid_minimal.yml") == []


def test_unknown_grupo_is_reported_with_its_line():
    assert problems_of("invalid_grupo.yml") == [
        f"{SHOWN}/invalid_grupo.yml:11: grupo: unknown grupo 'fisico' → {GROUP_HINT}"]


def test_missing_language_is_reported():
    assert problems_of("invalid_language.yml") == [
        f"{SHOWN}/invalid_language.yml:12: texto: missing language 'en' → write the text in es and en"]


def test_bad_fuerza_is_reported():
    assert problems_of("invalid_fuerza.yml") == [
        f"{SHOWN}/invalid_fuerza.yml:12: fuerza: bad fuerza 'alta' → "
        "use fuerte, media or debil, and only where a source grades the indicator"]


def test_unknown_source_id_is_reported():
    assert problems_of("invalid_source.yml") == [
        f"{SHOWN}/invalid_source.yml:13: fuentes: unknown source id 's99' → "
        "ids are listed in docs/_data/fuentes/*.yml"]


def test_duplicate_id_names_the_first_line():
    assert problems_of("invalid_duplicate.yml") == [
        f"{SHOWN}/invalid_duplicate.yml:14: id: duplicate id 'twice' (first on line 10) → ids must be unique"]


def test_empty_sources_need_por_confirmar():
    assert problems_of("invalid_no_sources.yml") == [
        f"{SHOWN}/invalid_no_sources.yml:13: fuentes: empty → cite a source, or set 'por_confirmar: true'"]


def test_real_data_is_valid_and_has_12_to_15_key_indicators():
    data, problems = load_indicators(INDICATORS_FILE)
    assert [p.format() for p in problems] == []
    key = [i for i in data.indicadores if i.clave]
    assert 12 <= len(key) <= 15
    assert {i.grupo for i in data.indicadores} == set(GROUPS)


# --- Marker rendering ------------------------------------------------------------

def test_marker_escapes_text_and_shows_strength_labels():
    out = render_indicator_list(renderer(), valid_data(), "es", {})
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;comillas&#34;" in out
    assert "Señal fuerte" in out
    assert "(señal de la práctica, sin fuente publicada aún)" in out
    english = render_indicator_list(renderer(), valid_data(), "en", {"grupo": "fisicos,laboral"})
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in english and "Strong sign" in english
    assert "Fear." not in english   # conductuales not asked for


def test_checklist_marker_shows_only_key_indicators_with_boxes():
    out = render_indicator_list(renderer(), valid_data(), "es", {"solo": "clave"})
    assert [m.group(1) for m in LI_RE.finditer(out)] == ["escape-check", "graded"]
    # real tick boxes, each labelled by its indicator (issue 18)
    assert out.count('<input type="checkbox" class="kb-indicator__check" id="marca-') == 2
    assert '<label for="marca-graded" class="kb-indicator__body">' in out
    assert "kb-indicators--check" in out


@pytest.mark.parametrize("args, message", [
    ({"grupo": "fisico"}, f"unknown grupo fisico; {GROUP_HINT}"),
    ({"solo": "todas"}, "unknown solo=todas; the only value is solo=clave"),
    ({"tipo": "x"}, "unknown argument(s) tipo; use grupo=<fisicos|conductuales|control|laboral|sexual|nna|contexto> "
                    "and/or solo=clave"),
])
def test_bad_marker_arguments_stop_the_build(args, message):
    with pytest.raises(MarkerError) as error:
        render_indicator_list(renderer(), valid_data(), "es", args)
    assert str(error.value) == message


# --- Public API for the pocket guides ------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_key_indicators_returns_plain_dicts_in_the_language(lang):
    items = key_indicators(lang)
    data, _ = load_indicators(INDICATORS_FILE)
    by_id = {i.id: i for i in data.indicadores}
    assert items and all({"id", "grupo", "texto", "fuerza"} <= set(item) for item in items)
    for item in items:
        assert by_id[item["id"]].clave
        assert item["texto"] == by_id[item["id"]].texto[lang]
        assert item["fuerza"] in (None, "fuerte", "media", "debil")
    assert [GROUPS.index(i["grupo"]) for i in items] == sorted(GROUPS.index(i["grupo"]) for i in items)


def test_key_indicators_rejects_unknown_language():
    with pytest.raises(ValueError):
        key_indicators("fr")


# --- One source of truth -----------------------------------------------------------

def test_no_indicator_text_is_retyped_in_pages():
    data, _ = load_indicators(INDICATORS_FILE)
    pages = [p for p in load_pages(DOCS_DIR)]
    for indicator in data.indicadores:
        for page in pages:
            assert indicator.texto[page.lang] not in page.body, f"{page.rel} retypes indicator {indicator.id}"


def test_checklist_cites_the_sources_of_every_key_indicator():
    data, _ = load_indicators(INDICATORS_FILE)
    needed = {s for i in data.indicadores if i.clave for s in i.fuentes}
    for page in load_pages(DOCS_DIR):
        if page.key == "identificacion/lista-de-verificacion":
            assert needed <= set(page.meta["sources"]), page.rel


# --- Built site --------------------------------------------------------------------

def built_page(site: Path, lang: str, key: str) -> str:
    prefix = "" if lang == "es" else "en/"
    return (site / prefix / key / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_key_indicator_is_on_the_built_checklist(built_site, lang):
    page = built_page(built_site, lang, "identificacion/lista-de-verificacion")
    shown = {}
    for ident, body in LI_RE.findall(page):
        shown[ident] = html.unescape(TEXT_RE.search(body).group(1))
    expected = {i["id"]: i["texto"] for i in key_indicators(lang)}
    assert shown == expected
    assert 'class="kb-checklist"' in page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_identification_page_links_to_next_steps(built_site, lang):
    folder = built_site / ("" if lang == "es" else "en") / "identificacion"
    pages = [p for p in folder.glob("*/index.html")]
    assert len(pages) == 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert 'href="../../protocolos/primer-contacto/#pasos"' in text, page
        assert 'href="../../directorio/"' in text, page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_contexts_page_has_one_anchor_per_region(built_site, lang):
    page = built_page(built_site, lang, "identificacion/contextos-peru")
    for region in REGIONS:
        assert f'id="{region}"' in page, region


@pytest.mark.parametrize("index, word", [("search/search_index.json", "mercurio"),
                                         ("en/search/search_index.json", "mercury")])
def test_search_index_holds_the_mining_text(built_site, index, word):
    docs = json.loads((built_site / index).read_text(encoding="utf-8"))["docs"]
    hits = [d for d in docs if d["location"].startswith("identificacion/contextos-peru/")
            and word in d["text"].lower()]
    assert hits, f"no section of contextos-peru mentions {word!r} in {index}"
    from scripts.search_rank import normalise   # accents are folded by the lunr plugin (issue 16)

    assert any(" mineria " in normalise(d["text"]) or " mining " in normalise(d["text"]) for d in hits)






@pytest.mark.browser
@pytest.mark.parametrize("lang", ["es", "en"])
def test_checklist_prints_on_one_a4_page(browser, site_url, tmp_path, lang):
    if not shutil.which("pdfinfo"):
        pytest.fail("pdfinfo not found: install Debian's poppler-utils (bash .ci/setup --tests)")
    page = browser.new_page()
    page.goto(site_url + ("" if lang == "es" else "en/") + "identificacion/lista-de-verificacion/")
    pdf = tmp_path / f"checklist-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info


def test_identification_pages_follow_the_fixed_sections():
    from scripts.structure import SECTION_RULES, check_structure

    assert SECTION_RULES["identificacion"] == ("que-observar", "que-hacer", "fuentes")
    pages = [p for p in load_pages(DOCS_DIR) if p.section == "identificacion"]
    assert len(pages) == 22
    assert [p.format() for page in pages for p in check_structure(page)] == []
