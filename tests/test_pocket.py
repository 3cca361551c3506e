"""Pocket guides (scripts/pocket.py): 26 A6 PDFs with the right contacts, QR, language, fonts."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts import LANGUAGES
from scripts import pocket
from scripts.markers import MarkerContext, MarkerError, load_registry

FIXTURES = Path(__file__).parent / "fixtures" / "pocket"
TODAY = dt.date(2026, 11, 29)                 # same fixed date as conftest.TODAY
SITE = "https://example.org/guia/"
MM_PER_PT = 25.4 / 72
MAX_BYTES = 500 * 1024


# --- Fixture providers (module level, so worker processes can pickle them) ---------------

def fixture_snippet(name: str, lang: str) -> str:
    return (FIXTURES / "_includes" / f"{name}.{lang}.md").read_text(encoding="utf-8")


def fixture_indicators(lang: str) -> list[dict]:
    return yaml.safe_load((FIXTURES / "indicators.yml").read_text(encoding="utf-8"))


def fixture_contacts(region: str, today: dt.date) -> list[dict]:
    """Every fixture entry of the region, unfiltered: the guides' own guard must drop the bad ones."""
    return [e for e in _fixture_contacts() if e["region"] == region]


def fixture_national() -> list[dict]:
    """The real national lines (data, not content typed here)."""
    from scripts.directory import national_lines

    return national_lines()


def _fixture_contacts() -> list[dict]:
    return yaml.safe_load((FIXTURES / "contacts.yml").read_text(encoding="utf-8"))


PROVIDERS = pocket.Providers(snippet=fixture_snippet, key_indicators=fixture_indicators,
                             usable_contacts=fixture_contacts, national_lines=fixture_national)
CASES = [(region, lang) for region in pocket.REGIONS for lang in LANGUAGES]


def numbers(region: str, expect: str) -> list[str]:
    return [p["number"] for e in _fixture_contacts() if e["region"] == region and e["expect"] == expect
            for p in e["phones"]]


def pdf_text(path: Path) -> str:
    """pdftotext output with whitespace runs folded to one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def guides(tmp_path_factory) -> Path:
    """All 26 guides built once from fixture content."""
    out = tmp_path_factory.mktemp("pocket")
    pocket.build_all(out, TODAY, SITE, PROVIDERS)
    return out


# --- Every region × language -------------------------------------------------------------

@pytest.mark.parametrize("region,lang", CASES)
def test_pdf_is_a6_small_tagged_with_language(guides, region, lang):
    from pypdf import PdfReader

    path = guides / pocket.pdf_name(region, lang)
    assert path.exists()
    assert path.stat().st_size < MAX_BYTES
    reader = PdfReader(path)
    for page in reader.pages:
        box = page.mediabox
        assert round(float(box.width) * MM_PER_PT) == 105
        assert round(float(box.height) * MM_PER_PT) == 148
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


@pytest.mark.parametrize("region,lang", CASES)
def test_pdf_lists_usable_contacts_and_national_lines_only(guides, region, lang):
    text = pdf_text(guides / pocket.pdf_name(region, lang))
    for number in numbers(region, "shown"):
        assert number in text, f"{region}/{lang}: verified number {number} missing"
    for entry in fixture_national():
        assert entry["phones"][0]["number"] in text
        assert pocket.localise(entry["name"], lang) in text
    for entry in [e for e in _fixture_contacts() if e["expect"] == "hidden"]:
        for phone in entry["phones"]:
            assert phone["number"] not in text, f"{region}/{lang}: {entry['id']} must not print"
        assert entry["name"][lang] not in text
    assert "Calle Secreta" not in text                   # a shelter's address never prints


@pytest.mark.parametrize("region,lang", CASES)
def test_qr_code_opens_the_live_region_page(guides, region, lang, tmp_path):
    import zxingcpp
    from PIL import Image

    prefix = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                    str(guides / pocket.pdf_name(region, lang)), str(prefix)], check=True)
    found = [b.text for b in zxingcpp.read_barcodes(Image.open(f"{prefix}.png"))]
    page = "directorio/" if region == "nacional" else f"directorio/{region}/"
    expected = SITE + ("en/" if lang == "en" else "") + page
    assert found == [expected]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fonts_are_embedded(guides, lang):
    out = subprocess.run(["pdffonts", str(guides / pocket.pdf_name("cusco", lang))], check=True,
                         capture_output=True, text=True).stdout.splitlines()[2:]
    assert out, "no fonts listed"
    for line in out:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"


SAFE_MM = 5                                   # no word closer than this to the paper edge


@pytest.mark.parametrize("region,lang", CASES)
def test_nothing_is_cut_at_the_page_edge(guides, region, lang):
    out = subprocess.run(["pdftotext", "-bbox", str(guides / pocket.pdf_name(region, lang)), "-"],
                         check=True, capture_output=True, text=True).stdout
    safe = SAFE_MM / MM_PER_PT
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for box in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)', page.group(3)):
            x0, y0, x1, y1 = map(float, box.groups()[:4])
            assert safe <= x0 and x1 <= width - safe and safe <= y0 and y1 <= height - safe, box.group(5)


def test_spanish_characters_survive(guides):
    text = pdf_text(guides / pocket.pdf_name("madre-de-dios", "es"))
    assert "Guía de bolsillo" in text and "Señales clave" in text and "Ñan" in text


# --- Content rules -----------------------------------------------------------------------

def test_verify_after_is_three_months_or_the_earliest_review_due():
    cusco = pocket.gather_guide("cusco", "es", TODAY, SITE, PROVIDERS)
    assert cusco.verify_after == dt.date(2027, 2, 28)       # 29 Nov + 3 months (clamped)
    mdd = pocket.gather_guide("madre-de-dios", "es", TODAY, SITE, PROVIDERS)
    assert mdd.verify_after == dt.date(2027, 2, 20)         # DEMUNA: 20 Nov + 3 months


def test_guard_drops_stale_flagged_unverified_and_exposed_shelters():
    kept = [e["id"] for e in fixture_contacts("cusco", TODAY) if pocket.printable(e, TODAY)]
    assert kept == ["fix-cusco-cem", "fix-cusco-fiscalia"]


def test_confidential_entry_without_address_prints_without_address():
    view = pocket.contact_view({"id": "x", "name": "S", "confidential_location": True,
                                "address": "Calle 1", "verified_on": "2026-11-01"}, "es")
    assert view["address"] == "" and view["confidential"] is True


def test_data_is_escaped_and_internal_links_become_text():
    html = pocket.render_html(pocket.gather_guide("madre-de-dios", "en", TODAY, SITE, PROVIDERS))
    assert "<script>" not in html and "Test DEMUNA &lt;script&gt;x&lt;/script&gt;" in html
    assert "Test sign one &lt;b&gt;no markup&lt;/b&gt;" in html
    assert "protocolos/index.md" not in html and "an internal link" in html
    assert '<html lang="en">' in html


def test_missing_site_url_fails_with_a_clear_message():
    with pytest.raises(pocket.PocketError) as error:
        pocket.gather_guide("cusco", "es", TODAY, "", PROVIDERS)
    assert str(error.value) == ("site_url is empty: the pocket guides need it for the QR code. "
                                "Set SITE_URL=https://.../ (or pass --site-url).")


def test_cli_without_site_url_exits_1(capsys, tmp_path):
    from scripts.__main__ import main

    assert main(["pocket-guides", "--out", str(tmp_path), "--site-url", ""]) == 1
    assert "site_url is empty" in capsys.readouterr().out


def test_missing_snippet_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pocket, "INCLUDES_DIR", tmp_path)
    with pytest.raises(pocket.PocketError) as error:
        pocket.read_snippet("ruta-derivacion", "es")
    assert "ruta-derivacion.es.md (needed by the pocket guides)" in str(error.value)


def test_add_months_clamps_to_month_end():
    assert pocket.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert pocket.add_months(dt.date(2026, 10, 31), 14) == dt.date(2027, 12, 31)


# --- Markers -----------------------------------------------------------------------------

class _Page:
    def __init__(self, url):
        self.url = url


def _context(name, lang, url, meta=None, site_url=SITE):
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(pocket.TEMPLATE_DIR)), autoescape=True)
    return MarkerContext(name=name, args={}, lang=lang, src_uri="x.md", meta=meta or {},
                         render=lambda t, **v: env.get_template(t).render(**v),
                         extra={"config": {"site_url": site_url}, "page": _Page(url)})


def test_guides_table_links_every_pdf_relative_to_the_page():
    registry = load_registry()
    es = registry["guias"](_context("guias", "es", "guias-de-bolsillo/"))
    en = registry["guias"](_context("guias", "en", "en/guias-de-bolsillo/"))
    for region, lang in CASES:
        assert f'href="pdf/{pocket.pdf_name(region, lang)}"' in es
        assert f'href="../../guias-de-bolsillo/pdf/{pocket.pdf_name(region, lang)}"' in en
    assert es.count("<a ") == en.count("<a ") == 26


def test_guides_table_without_site_url_says_so_and_links_nothing():
    html = load_registry()["guias"](_context("guias", "es", "guias-de-bolsillo/", site_url=""))
    assert "<a " not in html and "esta copia no las incluye" in html


def test_region_marker_links_both_languages_of_the_page_region():
    html = load_registry()["guia-region"](
        _context("guia-region", "en", "en/directorio/cusco/", meta={"region": "cusco"}))
    assert 'href="../../../guias-de-bolsillo/pdf/guia-bolsillo-cusco-en.pdf"' in html
    assert 'href="../../../guias-de-bolsillo/pdf/guia-bolsillo-cusco-es.pdf"' in html


def test_region_marker_without_region_front_matter_fails():
    with pytest.raises(MarkerError) as error:
        load_registry()["guia-region"](_context("guia-region", "es", "directorio/x/"))
    assert str(error.value) == ("kb:guia-region needs front matter 'region:' (or region=...) set to "
                                "one of " + ", ".join(pocket.REGIONS) + " (got None)")


def test_region_marker_argument_names_the_national_edition():
    context = _context("guia-region", "es", "directorio/")
    context.args["region"] = "nacional"
    html = load_registry()["guia-region"](context)
    assert 'href="../guias-de-bolsillo/pdf/guia-bolsillo-nacional-es.pdf"' in html
    assert "Edición nacional" in html


# --- The real site -----------------------------------------------------------------------

def test_site_build_writes_all_26_guides_linked_from_the_section(built_site):
    pdf_dir = built_site / pocket.PDF_DIR
    assert sorted(p.name for p in pdf_dir.glob("*.pdf")) == sorted(
        pocket.pdf_name(r, lang) for r, lang in CASES)
    for lang_prefix in ("", "en/"):
        page = built_site / lang_prefix / "guias-de-bolsillo" / "index.html"
        hrefs = re.findall(r'href="([^"]+\.pdf)"', page.read_text(encoding="utf-8"))
        assert len(hrefs) == 26
        for href in hrefs:
            assert (page.parent / href).resolve().exists(), href


# --- Print any page (docs/assets/stylesheets/print.css) ----------------------------------

PRINT_CSS = Path(__file__).parents[1] / "docs" / "assets" / "stylesheets" / "print.css"
PRINT_SAMPLE = """<!doctype html><html lang="es"><body><header class="md-header">NAV</header>
<article class="md-typeset">
<details class="note"><summary>Más</summary><p id="hidden">Texto plegado</p></details>
<p><a id="ext" href="https://www.gob.pe/mimp">MIMP</a> · <a id="tel" href="tel:100">100</a></p>
<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table><tr><td>a</td></tr></table></div></div>
<figure><svg id="svg" width="2000" height="500" viewBox="0 0 2000 500"><rect width="2000" height="500"/></svg></figure>
</article></body></html>"""


@pytest.mark.browser
def test_print_css_opens_details_shows_urls_and_fits_diagrams(page):
    page.set_content(PRINT_SAMPLE)
    page.add_style_tag(content=PRINT_CSS.read_text(encoding="utf-8"))
    page.emulate_media(media="print")
    assert page.locator("#hidden").is_visible()
    assert page.locator(".md-header").is_hidden()
    after = page.evaluate("id => getComputedStyle(document.getElementById(id), '::after').content", "ext")
    assert after == '" (" attr(href) ")"' or "https://www.gob.pe/mimp" in after
    tel_after = page.evaluate("id => getComputedStyle(document.getElementById(id), '::after').content", "tel")
    assert tel_after in ("none", "normal")
    width = page.evaluate("() => document.getElementById('svg').getBoundingClientRect().width")
    assert width <= page.evaluate("() => document.querySelector('article').getBoundingClientRect().width")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf[:4] == b"%PDF"


# --- Through the directory's own filter --------------------------------------------------

def test_directory_filter_and_guide_drop_stale_and_shelter_address(tmp_path):
    import functools

    from scripts.directory import usable_contacts

    providers = pocket.Providers(
        snippet=fixture_snippet, key_indicators=fixture_indicators, national_lines=fixture_national,
        usable_contacts=functools.partial(usable_contacts, contacts_dir=FIXTURES / "contactos"))
    path = pocket.build_guide("cusco", "es", TODAY, SITE, tmp_path, providers)
    text = pdf_text(path)
    assert "084 555 0111" in text and "Servicio verificado de prueba" in text
    assert "084 555 0112" not in text and "Servicio vencido de prueba" not in text
    assert "Jirón Escondido" not in text


def test_offline_copy_says_guides_are_online_only(offline_site):
    page = (offline_site / "guias-de-bolsillo" / "index.html").read_text(encoding="utf-8")
    assert "esta copia no las incluye" in page and ".pdf" not in page
    assert not (offline_site / pocket.PDF_DIR).exists()
