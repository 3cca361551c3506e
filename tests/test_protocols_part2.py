"""Protocols of part 2 and the legal-framework pages, checked on the built site."""

from __future__ import annotations

import re

import pytest

from scripts import DATA_DIR
from scripts.directory.model import load_contact_file
from scripts.directory.phones import tel_href

PROTOCOLS = ("salud-mental", "ninas-ninos-adolescentes", "interpretes-interculturalidad",
             "personas-extranjeras", "documentacion-forense", "derivacion", "seguridad", "autocuidado")
LEGAL_PAGES = ("ley-28950", "codigo-penal", "politica-nacional-2030", "protocolo-intersectorial",
               "normas-minsa", "ley-30364-denuncia")
PROTOCOL_SECTIONS = ["cuando-aplicar", "pasos", "que-no-hacer", "derivar-a", "base-normativa", "fuentes"]
LEGAL_SECTIONS = ["que-dice", "que-significa-para-usted", "fuentes"]
LANGS = (("es", ""), ("en", "en/"))
H2_ID_RE = re.compile(r'<h2 id="([^"]+)"')
ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
DOSE_RE = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|g/kg|ml/kg)\b", re.I)
TEL_RE = re.compile(r'href="(tel:[^"]*)"')
KB_LINES_RE = re.compile(r'<ul class="kb-lines[^"]*">.*?</ul>', re.S)


def article(built_site, prefix: str, path: str) -> str:
    html = (built_site / prefix / path / "index.html").read_text(encoding="utf-8")
    match = ARTICLE_RE.search(html)
    assert match, f"no article in {prefix}{path}"
    return match.group(1)


def fixed_sections_in_order(html: str, required: list[str]) -> list[str]:
    return [anchor for anchor in H2_ID_RE.findall(html) if anchor in required]


@pytest.mark.parametrize("slug", PROTOCOLS)
@pytest.mark.parametrize("lang,prefix", LANGS)
def test_protocol_has_fixed_sections_diagram_and_pending_notice(built_site, slug, lang, prefix):
    html = (built_site / prefix / "protocolos" / slug / "index.html").read_text(encoding="utf-8")
    body = article(built_site, prefix, f"protocolos/{slug}")
    assert fixed_sections_in_order(body, PROTOCOL_SECTIONS) == PROTOCOL_SECTIONS
    # the flow: an inline SVG and the same steps as a numbered text version
    assert f'<figure class="kb-flow" id="flujo-{slug}">' in body
    assert "<svg" in body.split(f'id="flujo-{slug}"', 1)[1]
    assert f'<li id="flujo-{slug}-paso-1"' in body
    # never a review that did not happen
    assert 'class="kb-clinical-pending"' in html
    assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize("slug", PROTOCOLS + tuple(f"../marco-legal/{p}" for p in LEGAL_PAGES))
@pytest.mark.parametrize("lang,prefix", LANGS)
def test_no_drug_doses(built_site, slug, lang, prefix):
    body = article(built_site, prefix, f"protocolos/{slug}".replace("protocolos/../", ""))
    assert DOSE_RE.findall(re.sub(r"<[^>]+>", " ", body)) == []


@pytest.mark.parametrize("slug", LEGAL_PAGES)
@pytest.mark.parametrize("lang,prefix", LANGS)
def test_legal_page_sections(built_site, slug, lang, prefix):
    body = article(built_site, prefix, f"marco-legal/{slug}")
    assert fixed_sections_in_order(body, LEGAL_SECTIONS) == LEGAL_SECTIONS
    assert '<ol class="kb-sources">' in body


@pytest.mark.parametrize("lang,prefix", LANGS)
def test_current_intersectoral_protocol_is_the_2023_one(built_site, lang, prefix):
    body = article(built_site, prefix, "marco-legal/protocolo-intersectorial")
    first_paragraph = body.split("<p>", 1)[1].split("</p>", 1)[0]
    assert "DS 007-2023-IN" in re.sub(r"<[^>]+>", "", first_paragraph)


@pytest.mark.parametrize("lang,prefix", LANGS)
def test_referral_phone_links_come_only_from_data(built_site, lang, prefix):
    body = article(built_site, prefix, "protocolos/derivacion")
    national = load_contact_file(DATA_DIR / "contactos" / "nacional.yml")
    allowed = {tel_href(p["number"]) for e in national["entries"] for p in e["phones"]}
    in_lists = [href for block in KB_LINES_RE.findall(body) for href in TEL_RE.findall(block)]
    outside = TEL_RE.findall(KB_LINES_RE.sub("", body))
    assert outside == []
    assert set(in_lists) <= allowed
    assert {"tel:1818", "tel:100", "tel:105"} <= set(in_lists)


@pytest.mark.parametrize("lang,prefix,first_line", [
    ("es", "", "estabilice y llame a la central de emergencias"),
    ("en", "en/", "stabilise and call the PNP emergency line"),
])
def test_referral_page_includes_the_pathway_snippet(built_site, lang, prefix, first_line):
    body = article(built_site, prefix, "protocolos/derivacion")
    assert first_line in re.sub(r"<[^>]+>", "", body)




@pytest.mark.browser
def test_referral_page_fits_a_phone(page, site_url):
    """At 360 px the diagram scales to the column and the page has no sideways scroll."""
    page.goto(site_url + "protocolos/derivacion/")
    svg_width = page.eval_on_selector("#flujo-derivacion svg", "el => el.getBoundingClientRect().width")
    assert 200 < svg_width <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
