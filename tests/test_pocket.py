"""Pocket guides (scripts/pocket.py): 26 A6 PDFs with the right contacts, QR, language, fonts."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from scripts import LANGUAGES
from scripts import pocket
from scripts.markers import MarkerContext, MarkerError, load_registry

FIXTURES = Path(__file__).parent / "fixtures" / "pocket"
TODAY = dt.date(2026, 11, 29)                 # same fixed date as conftest.TODAY
SITE = "https://example.org/guia/"
MM_PER_PT = 25.4 / 72
MAX_BYTES = 500 * 1024


def esc(text: str) -> str:
    """Text as the autoescaped template writes it."""
    return str(escape(text))


# --- Fixture providers (module level, so worker processes can pickle them) ---------------

def fixture_snippet(name: str, lang: str) -> str:
    return (FIXTURES / "_includes" / f"{name}.{lang}.md").read_text(encoding="utf-8")


def fixture_indicators(lang: str) -> list[dict]:
    return yaml.safe_load((FIXTURES / "indicators.yml").read_text(encoding="utf-8"))


def fixture_contacts(region: str, today: dt.date) -> list[dict]:
    """Every fixture entry of the region, unfiltered: the guides' own guard must drop the bad ones."""
    return [e for e in _fixture_contacts() if e["region"] == region]


def fixture_national(today: dt.date | None = None) -> list[dict]:
    """The real national lines (data, not content typed here)."""
    from scripts.directory import national_lines

    return national_lines(today)


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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_site_url_the_guide_has_no_qr_and_says_why(lang):
    content = pocket.gather_guide("cusco", lang, TODAY, "", PROVIDERS)
    assert content.url == "" and content.qr_svg == ""
    html = pocket.render_html(content)
    assert "<img" not in html and "directorio/cusco" not in html
    assert esc(pocket.LABELS[lang]["no_qr"]) in html


def test_missing_snippet_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pocket, "INCLUDES_DIR", tmp_path)
    with pytest.raises(pocket.PocketError) as error:
        pocket.read_snippet("ruta-derivacion", "es")
    assert "ruta-derivacion.es.md (needed by the pocket guides)" in str(error.value)


def test_add_months_clamps_to_month_end():
    assert pocket.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert pocket.add_months(dt.date(2026, 10, 31), 14) == dt.date(2027, 12, 31)


# --- Hostile input (issue 17) -----------------------------------------------------------

class _Recorder:
    """A loopback HTTP server that records every request (none must arrive)."""

    def __enter__(self):
        import http.server
        import threading

        self.hits = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def __exit__(self, *args):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("markup", [
    '<img src="{url}/leak.png" alt="">',
    '<link rel="stylesheet" href="{url}/x.css">',
    '<style>@import url("{url}/x.css");</style>',
    '<p style="background: url({url}/bg.png)">x</p>',
])
def test_a_snippet_naming_a_local_http_address_is_refused_and_nothing_is_fetched(markup, tmp_path):
    with _Recorder() as server:
        def hostile(name, lang):
            text = fixture_snippet(name, lang)
            return text + "\n\n" + markup.format(url=server.url) + "\n" if name == "ruta-derivacion" else text

        providers = pocket.Providers(snippet=hostile, key_indicators=fixture_indicators,
                                     usable_contacts=fixture_contacts, national_lines=fixture_national)
        with pytest.raises(pocket.PocketError) as error:
            pocket.build_guide("cusco", "es", TODAY, SITE, tmp_path, providers)
        assert server.hits == []
    assert str(error.value).startswith("guia-bolsillo-cusco-es.pdf: refused to fetch 'http://127.0.0.1:")
    assert str(error.value).endswith("a pocket guide loads only files of the project, never a http URL "
                                     "(remove it from the snippet, template or data that names it)")
    assert not (tmp_path / "guia-bolsillo-cusco-es.pdf").exists()


@pytest.mark.parametrize("url,message", [
    ("file:///etc/passwd", "refused to fetch 'file:///etc/passwd': outside the project folder"),
    ("https://example.org/x.png", "refused to fetch 'https://example.org/x.png': a pocket guide loads only "
                                  "files of the project, never a https URL"),
    ("ftp://example.org/x", "never a ftp URL"),
    ("file://evil.example/share/x.png", "refused to fetch 'file://evil.example/share/x.png': a file URL on another host"),
])
def test_fetcher_refuses_anything_but_project_files(url, message):
    with pytest.raises(pocket.PocketError) as error:
        pocket.check_fetch(url)
    assert message in str(error.value)


def test_fetcher_refuses_a_symlink_out_of_the_project(tmp_path):
    link = pocket.ROOT / ".cache" / "test-pocket-link.png"
    link.parent.mkdir(exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to("/etc/hostname")
    try:
        with pytest.raises(pocket.PocketError) as error:
            pocket.check_fetch(link.as_uri())
        assert "outside the project folder" in str(error.value)
    finally:
        link.unlink()


def test_fetcher_serves_project_files_fonts_and_data_uris():
    css = pocket.CSS_FILE
    assert pocket.check_fetch(css.as_uri()) == css.resolve()
    font = pocket.FONT_DIR / pocket.FONTS[("normal", "normal")]
    assert pocket.check_fetch(font.as_uri()) == font.resolve()
    assert pocket.check_fetch("data:image/svg+xml;base64,PHN2Zy8+") is None


def _broken_docs(tmp_path: Path) -> Path:
    """A copy of the content data with one phone the validator refuses."""
    import shutil

    docs = tmp_path / "docs"
    for part in ("_data", "_includes"):
        shutil.copytree(pocket.DOCS_DIR / part, docs / part)
    national = docs / "_data" / "contactos" / "nacional.yml"
    text = national.read_text(encoding="utf-8")
    national.write_text(text.replace('number: "1818"', 'number: "<script>x</script> 1818"', 1), encoding="utf-8")
    return docs


def test_cli_validates_first_and_refuses_to_print_bad_data(tmp_path, capsys):
    from scripts.__main__ import main

    docs = _broken_docs(tmp_path)
    out = tmp_path / "out"
    assert main(["pocket-guides", "--docs-dir", str(docs), "--out", str(out), "--site-url", SITE,
                 "--today", TODAY.isoformat()]) == 1
    printed = capsys.readouterr().out
    expected = [p.format() for p in pocket.preflight(TODAY, docs)]
    assert expected and all("nacional.yml" in line and "phones[0].number" in line for line in expected[:1])
    assert printed.splitlines()[:len(expected)] == expected
    assert printed.splitlines()[-1] == (f"pocket-guides: refused to print: {len(expected)} problem(s) in the data "
                                        "above (the site build refuses them too). Fix them and run again.")
    assert not out.exists()


def test_site_build_refuses_to_print_bad_data(tmp_path, monkeypatch):
    docs = _broken_docs(tmp_path)
    real = pocket.preflight
    monkeypatch.setattr(pocket, "preflight", lambda today: real(today, docs))
    built = []
    with pytest.raises(pocket.PocketError) as error:
        pocket.prepare_site_guides(SITE, TODAY, command="build", build=lambda *a: built.append(a))
    assert str(error.value).startswith("the data has problems, no guide was printed:\n")
    assert "nacional.yml" in str(error.value) and "phones[0].number" in str(error.value)
    assert built == []


def test_cli_without_site_url_prints_guides_without_qr(tmp_path, capsys):
    from scripts.__main__ import main

    assert main(["pocket-guides", "--out", str(tmp_path), "--site-url", "", "--region", "tacna",
                 "--today", TODAY.isoformat()]) == 0
    assert "the guides have no QR code and say why" in capsys.readouterr().out
    assert pocket.LABELS["es"]["no_qr"][:50] in pdf_text(tmp_path / pocket.pdf_name("tacna", "es"))


# --- Honest contacts (issues 14, 15, 17) -------------------------------------------------

def test_overdue_national_lines_print_what_is_known_never_verified():
    lines = fixture_national(TODAY)
    stale = [e for e in lines if e["stale"]]
    assert stale, "the real national data has overdue lines today (1818 was last dated 2025)"
    for lang in LANGUAGES:
        html = pocket.render_html(pocket.gather_guide("nacional", lang, TODAY, SITE, PROVIDERS))
        assert "verificado" not in html and "verified" not in html
        for entry in stale:
            assert pocket.status_line(entry, lang) in html
    line_1818 = next(e for e in lines if e["id"] == "linea-1818")
    assert pocket.status_line(line_1818, "es") == "Según fuente de 2025"
    assert pocket.status_line(line_1818, "en") == "According to a source dated 2025"


def _service(index: int, province: str, conflict: bool = False, region: str = "cusco") -> dict:
    return {"region": region, "id": f"fix-cem-{index}", "service_type": "cem",
            "name": {"es": f"CEM prueba {index}", "en": f"Test CEM {index}"},
            "description": {"es": "Atención a víctimas de violencia", "en": "Care for victims of violence"},
            "province": province, "district": province,
            "address": f"Jr. Prueba {index}",
            "phones": [{"number": f"084 555 {1000 + index}", "href": f"tel:+5184555{1000 + index}",
                        "conflict": conflict}],
            "verified_on": dt.date(2026, 1, 1), "review_every_months": 12, "source": "fixture"}


def test_phone_on_which_the_sources_disagree_is_not_printed():
    entries = [_service(1, "Cusco"), {**_service(2, "Cusco", conflict=True)},
               {**_service(3, "Cusco"), "phones": [_service(3, "Cusco")["phones"][0],
                                                   {**_service(4, "Cusco", conflict=True)["phones"][0]}]}]
    providers = pocket.Providers(snippet=fixture_snippet, key_indicators=fixture_indicators,
                                 usable_contacts=lambda region, today: entries, national_lines=fixture_national)
    content = pocket.gather_guide("cusco", "es", TODAY, SITE, providers)
    html = pocket.render_html(content)
    assert "084 555 1001" in html and "084 555 1003" in html
    assert "084 555 1002" not in html and "084 555 1004" not in html
    assert [c["id"] for c in content.contacts] == ["fix-cem-1", "fix-cem-3"]   # no printable phone: left out
    assert content.more_contacts == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_region_with_more_services_than_fit_says_how_many_more_and_where(lang):
    entries = [_service(i, "Cusco" if i < 3 else "Anta") for i in range(1, 31)]
    providers = pocket.Providers(snippet=fixture_snippet, key_indicators=fixture_indicators,
                                 usable_contacts=lambda region, today: entries, national_lines=fixture_national)
    content = pocket.gather_guide("cusco", lang, TODAY, SITE, providers)
    assert len(content.contacts) == pocket.MAX_REGIONAL
    assert content.more_contacts == 30 - pocket.MAX_REGIONAL
    html = pocket.render_html(content)
    assert esc(pocket.LABELS[lang]["more"].format(n=30 - pocket.MAX_REGIONAL)) in html
    no_url = pocket.render_html(pocket.gather_guide("cusco", lang, TODAY, "", providers))
    assert esc(pocket.LABELS[lang]["more_no_url"].format(n=30 - pocket.MAX_REGIONAL)) in no_url


def _ubigeo_service(index: int, province: str, code: str) -> dict:
    return {**_service(index, province), "ubigeo": f"08{code}01"}


def test_when_not_all_fit_every_province_keeps_its_first_service_capital_first():
    capital = [_ubigeo_service(i, "Cusco", "01") for i in range(1, 30)]
    others = [_ubigeo_service(100, "Anta", "03"), _ubigeo_service(101, "Urubamba", "13"),
              _ubigeo_service(102, "Anta", "03")]
    shown, more = pocket.regional_selection(others + capital, "cusco", TODAY, limit=5)
    from scripts.directory import print_order

    first_capital = [e["id"] for e in print_order(capital)][:3]
    assert [e["id"] for e in shown] == first_capital + ["fix-cem-100", "fix-cem-101"]
    assert more == len(others + capital) - 5


def test_internal_references_are_never_printed():
    assert pocket.internal_references("Llame (s02) al CEM (S26, S41). FACTS.md §3 S52 (fuente por confirmar)") == [
        "(s02)", "(S26, S41)", "FACTS.md §3", "(fuente por confirmar)"]

    def noisy(name, lang):
        return fixture_snippet(name, lang) + "\n\nDato (s02) y otro (S26, S41); FACTS.md §3.\n"

    providers = pocket.Providers(snippet=noisy, key_indicators=fixture_indicators,
                                 usable_contacts=fixture_contacts, national_lines=fixture_national)
    html = pocket.render_html(pocket.gather_guide("cusco", "es", TODAY, SITE, providers))
    assert pocket.internal_references(html) == [] and "Dato y otro;" in html


@pytest.mark.parametrize("region", ["lima", "madre-de-dios", "cusco", "piura"])
def test_real_regional_guides_list_the_imported_services_honestly(region):
    from scripts.directory import print_order, status_line, usable_contacts

    usable = usable_contacts(region, TODAY)
    for lang in LANGUAGES:
        content = pocket.gather_guide(region, lang, TODAY, SITE)
        assert content.contacts, f"{region}: no regional service printed"
        assert len(content.contacts) <= pocket.MAX_REGIONAL
        assert len(content.contacts) + content.more_contacts == len(usable)
        ids = [c["id"] for c in content.contacts]
        ordered = [e["id"] for e in print_order(usable, region) if e["id"] in ids]
        assert ids == ordered                                         # capital first, then by province
        provinces = {pocket._province(e) for e in usable if pocket.printable_phones(e)}
        assert provinces <= {c["province"] for c in content.contacts}  # every province has its nearest service
        html = pocket.render_html(content)
        disputed = [p["number"] for e in usable for p in e["phones"] if p.get("conflict")]
        for number in disputed:
            assert f">{number}<" not in html, f"{region}: disputed number {number} printed"
        assert esc(status_line(usable[0], lang)) in html or esc(content.status_common) in html
        assert "verificad" not in html and "verified" not in html


def test_regions_are_in_alphabetical_order_national_last():
    regional = pocket.REGIONS[:-1]
    assert list(regional) == sorted(regional, key=lambda r: pocket.REGION_NAMES[r]["es"])
    assert pocket.REGIONS[-1] == "nacional"


# --- Under mkdocs serve: printed again only when an input changes --------------------------

def _counting_build(calls):
    def build(folder, today, qr_url):
        calls.append((today, qr_url))
        Path(folder).mkdir(parents=True, exist_ok=True)
        for region, lang in CASES:
            (Path(folder) / pocket.pdf_name(region, lang)).write_bytes(b"%PDF-1.7 " + region.encode())
    return build


@pytest.fixture()
def serve_inputs(tmp_path, monkeypatch):
    """The fingerprint reads one temporary input file instead of the whole project."""
    data = tmp_path / "input.yml"
    data.write_text("a: 1\n")
    monkeypatch.setattr(pocket, "FINGERPRINT_INPUTS", (str(data),))
    monkeypatch.setattr(pocket, "preflight", lambda today, docs_dir=None: [])
    monkeypatch.delenv(pocket.GUIDES_ENV, raising=False)
    monkeypatch.delenv(pocket.PUBLISHED_URL_ENV, raising=False)
    return data


def test_serve_reuses_the_guides_until_an_input_changes(serve_inputs, tmp_path, monkeypatch):
    calls, cache = [], tmp_path / "cache"
    build = _counting_build(calls)
    first = pocket.prepare_site_guides(SITE, TODAY, command="serve", cache_dir=cache, build=build)
    again = pocket.prepare_site_guides(SITE, TODAY, command="serve", cache_dir=cache, build=build)
    assert len(calls) == 1 and first["reused"] is False and again["reused"] is True
    assert again["sizes"] == first["sizes"] and len(again["sizes"]) == 26
    serve_inputs.write_text("a: 2\n")                                    # data (or code, CSS...) edited
    pocket.prepare_site_guides(SITE, TODAY, command="serve", cache_dir=cache, build=build)
    pocket.prepare_site_guides(SITE, TODAY + dt.timedelta(days=1), command="serve", cache_dir=cache, build=build)
    pocket.prepare_site_guides("http://127.0.0.1:8001/", TODAY + dt.timedelta(days=1), command="serve",
                               cache_dir=cache, build=build)
    assert len(calls) == 4                                               # input, date, QR address
    monkeypatch.setenv(pocket.GUIDES_ENV, "rebuild")
    pocket.prepare_site_guides("http://127.0.0.1:8001/", TODAY + dt.timedelta(days=1), command="serve",
                               cache_dir=cache, build=build)
    assert len(calls) == 5                                               # on request
    assert len([d for d in cache.iterdir() if d.is_dir()]) <= pocket.CACHE_KEEP
    site = tmp_path / "site"
    published = pocket.publish_site_guides(site / pocket.PDF_DIR)
    assert len(published) == 26 and (cache / pocket.fingerprint(TODAY + dt.timedelta(days=1),
                                                                "http://127.0.0.1:8001/")).is_dir()


def test_serve_rebuilds_a_damaged_cache(serve_inputs, tmp_path):
    calls, cache = [], tmp_path / "cache"
    build = _counting_build(calls)
    state = pocket.prepare_site_guides(SITE, TODAY, command="serve", cache_dir=cache, build=build)
    (Path(state["folder"]) / pocket.pdf_name("puno", "es")).unlink()
    pocket.prepare_site_guides(SITE, TODAY, command="serve", cache_dir=cache, build=build)
    assert len(calls) == 2


def test_build_always_prints_afresh_and_cleans_up(serve_inputs, tmp_path):
    calls = []
    build = _counting_build(calls)
    for _ in range(2):
        state = pocket.prepare_site_guides(SITE, TODAY, command="build", cache_dir=tmp_path / "cache", build=build)
        assert state["temporary"] is True
        pocket.publish_site_guides(tmp_path / "site" / pocket.PDF_DIR)
        assert not Path(state["folder"]).exists()
    assert len(calls) == 2 and not (tmp_path / "cache").exists()


def test_pocket_guides_off_prints_nothing(serve_inputs, tmp_path, monkeypatch):
    monkeypatch.setenv(pocket.GUIDES_ENV, "0")
    calls = []
    state = pocket.prepare_site_guides(SITE, TODAY, command="serve", build=_counting_build(calls))
    assert state == {"enabled": False} and calls == []
    assert pocket.publish_site_guides(tmp_path / "site") == []


def test_fingerprint_covers_data_snippets_template_css_fonts_and_code():
    names = {p.relative_to(pocket.ROOT).as_posix() if p.is_relative_to(pocket.ROOT) else str(p)
             for p in pocket._input_files()}
    for expected in ("docs/_data/contactos/nacional.yml", "docs/_data/indicadores.yml",
                     "docs/_includes/ruta-derivacion.es.md", "overrides/partials/pocket-guide.html",
                     "docs/assets/stylesheets/pocket-a6.css", "scripts/pocket.py",
                     str(pocket.FONT_DIR / pocket.FONTS[("bold", "normal")])):
        assert expected in names, expected
    assert not any(n.startswith("docs/protocolos/") for n in names)   # editing a page changes nothing


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


SIZES = {pocket.pdf_name(r, lang): 40_000 + 1024 * i for i, (r, lang) in enumerate(CASES)}


@pytest.fixture()
def guides_state():
    """The markers' view of a build whose 26 guides exist (sizes made up), restored after."""
    saved = pocket.site_guides()
    pocket.remember_site_guides(True, SIZES, qr=True)
    yield
    pocket._SITE.clear()
    pocket._SITE.update(saved)


def test_guides_table_links_every_pdf_relative_to_the_page(guides_state):
    registry = load_registry()
    es = registry["guias"](_context("guias", "es", "guias-de-bolsillo/"))
    en = registry["guias"](_context("guias", "en", "en/guias-de-bolsillo/"))
    for region, lang in CASES:
        assert f'href="pdf/{pocket.pdf_name(region, lang)}"' in es
        assert f'href="../../guias-de-bolsillo/pdf/{pocket.pdf_name(region, lang)}"' in en
    assert es.count("<a ") == en.count("<a ") == 26


def test_guide_links_are_named_for_screen_readers_with_their_size(guides_state):
    es = load_registry()["guias"](_context("guias", "es", "guias-de-bolsillo/"))
    en = load_registry()["guias"](_context("guias", "en", "en/guias-de-bolsillo/"))
    texts_es = [t.replace("\u00a0", " ") for t in re.findall(r"<a [^>]*>([^<]*)</a>", es)]
    texts_en = [t.replace("\u00a0", " ") for t in re.findall(r"<a [^>]*>([^<]*)</a>", en)]
    assert all("\u00a0KB" in t for t in re.findall(r"<a [^>]*>([^<]*)</a>", es))   # "52 KB" never split
    assert len(set(texts_es)) == len(set(texts_en)) == 26            # no link text twice
    puno = pocket.pdf_name("puno", "es")
    kb = -(-SIZES[puno] // 1024)
    assert f"Guía de Puno, español, PDF, {kb} KB" in texts_es
    assert f"Puno guide, Spanish, PDF, {kb} KB" in texts_en
    kb_en = -(-SIZES[pocket.pdf_name("puno", "en")] // 1024)
    assert f"Guía de Puno, inglés, PDF, {kb_en} KB" in texts_es
    assert f"Puno guide, English, PDF, {kb_en} KB" in texts_en
    assert f"Guía nacional, español, PDF, {-(-SIZES[pocket.pdf_name('nacional', 'es')] // 1024)} KB" in texts_es
    assert "PDF · ES" not in es
    # Page language first on each line.
    assert texts_es[0].startswith("Guía de Amazonas, español") and texts_en[0].startswith("Amazonas guide, English")


def test_guides_are_listed_in_alphabetical_order(guides_state):
    es = load_registry()["guias"](_context("guias", "es", "guias-de-bolsillo/"))
    ids = re.findall(r'id="guia-([a-z-]+)"', es)
    regional = [r for r in ids if r != "nacional"]
    assert regional == sorted(regional, key=lambda r: pocket.REGION_NAMES[r]["es"])
    assert regional.index("cajamarca") < regional.index("callao")
    assert ids[-1] == "nacional"


def test_guides_table_without_guides_says_so_and_links_nothing():
    saved = pocket.site_guides()
    pocket.remember_site_guides(False)
    try:
        html = load_registry()["guias"](_context("guias", "es", "guias-de-bolsillo/"))
    finally:
        pocket._SITE.clear()
        pocket._SITE.update(saved)
    assert "<a " not in html and "se construyó sin las guías en PDF" in html


def test_guides_table_without_qr_says_why(guides_state):
    pocket.remember_site_guides(True, SIZES, qr=False)
    html = load_registry()["guias"](_context("guias", "en", "en/guias-de-bolsillo/"))
    assert "have no QR code: it was built without the address of the published site" in html
    assert html.count("<a ") == 26


def test_region_marker_links_both_languages_of_the_page_region(guides_state):
    html = load_registry()["guia-region"](
        _context("guia-region", "en", "en/directorio/cusco/", meta={"region": "cusco"}))
    assert 'href="../../../guias-de-bolsillo/pdf/guia-bolsillo-cusco-en.pdf"' in html
    assert 'href="../../../guias-de-bolsillo/pdf/guia-bolsillo-cusco-es.pdf"' in html
    assert html.index("Cusco guide, English") < html.index("Cusco guide, Spanish")


def test_region_marker_without_region_front_matter_fails():
    with pytest.raises(MarkerError) as error:
        load_registry()["guia-region"](_context("guia-region", "es", "directorio/x/"))
    assert str(error.value) == ("kb:guia-region needs front matter 'region:' (or region=...) set to "
                                "one of " + ", ".join(pocket.REGIONS) + " (got None)")


def test_region_marker_argument_names_the_national_edition(guides_state):
    context = _context("guia-region", "es", "directorio/")
    context.args["region"] = "nacional"
    html = load_registry()["guia-region"](context)
    assert 'href="../guias-de-bolsillo/pdf/guia-bolsillo-nacional-es.pdf"' in html
    assert "Guía nacional, español, PDF" in html


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
    # Each link says the real size of its file.
    page = (built_site / "guias-de-bolsillo" / "index.html").read_text(encoding="utf-8")
    for href, label in re.findall(r'<a href="([^"]+\.pdf)"[^>]*>([^<]+)</a>', page):
        size = (built_site / "guias-de-bolsillo" / href).stat().st_size
        assert label.endswith(f", PDF, {-(-size // 1024)}\u00a0KB"), (href, label)


@pytest.mark.parametrize("region", ["madre-de-dios", "lima", "nacional"])
def test_real_guides_say_nothing_internal_and_never_verified(built_site, region):
    for lang in LANGUAGES:
        text = pdf_text(built_site / pocket.PDF_DIR / pocket.pdf_name(region, lang))
        assert pocket.internal_references(text) == []
        assert not re.search(r"\([sS]\d", text)
        for word in ("FACTS", "verificado", "verified", "por confirmar", "to be confirmed"):
            assert word not in text, (region, lang, word)
        assert "https://example.org/guia/" in text          # the QR target is the published site


@pytest.mark.browser
@pytest.mark.parametrize("path,lang", [("guias-de-bolsillo/", "es"), ("en/guias-de-bolsillo/", "en")])
def test_guides_page_at_360px_names_every_download_for_screen_readers(page, site_url, path, lang):
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    links = page.locator(".kb-pocket-guides a")
    assert links.count() == 26
    names = [links.nth(i).evaluate("a => a.textContent") for i in range(26)]
    pattern = (r"^Guía (de [A-ZÁÉÍÓÚ][\w ]+|nacional), (español|inglés), PDF, \d+\u00a0KB$" if lang == "es"
               else r"^([A-Z][\w ]+ guide|National guide), (Spanish|English), PDF, \d+\u00a0KB$")
    assert all(re.match(pattern, name) for name in names), names
    assert len(set(names)) == 26
    # Accessible names as the browser computes them (what a screen reader announces).
    snapshot = page.locator(".kb-pocket-guides").aria_snapshot()
    assert ("Guía de Puno, español, PDF," if lang == "es" else "Puno guide, English, PDF,") in snapshot
    boxes = [links.nth(i).bounding_box() for i in range(26)]
    assert all(b["x"] + b["width"] <= 360 for b in boxes)


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


def test_offline_copy_carries_the_guides_without_qr_and_says_why(offline_site):
    pdf_dir = offline_site / pocket.PDF_DIR
    assert sorted(p.name for p in pdf_dir.glob("*.pdf")) == sorted(pocket.pdf_name(r, lang) for r, lang in CASES)
    for lang_prefix, lang in (("", "es"), ("en/", "en")):
        page = offline_site / lang_prefix / "guias-de-bolsillo" / "index.html"
        html = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'href="([^"]+\.pdf)"', html)
        assert len(hrefs) == 26 and all((page.parent / h).resolve().is_file() for h in hrefs)
        assert ("no tienen código QR" if lang == "es" else "have no QR code") in html
    text = pdf_text(pdf_dir / pocket.pdf_name("puno", "es"))
    assert pocket.LABELS["es"]["no_qr"][:60] in text and "http" not in text.split("Líneas")[0]


def test_offline_copy_with_a_published_url_points_the_qr_there(tmp_path, monkeypatch):
    """make_offline_copy passes the published URL to the build; the guides' QR opens it."""
    from scripts import offline

    seen = {}

    def fake_build(site_dir, offline=False, site_url="", published_url=""):
        seen.update(offline=offline, site_url=site_url, published_url=published_url)
        Path(site_dir).mkdir(parents=True)
        (Path(site_dir) / "index.html").write_text("x")

    monkeypatch.setattr(offline, "build_site", fake_build)
    zip_path = offline.make_offline_copy(tmp_path, TODAY, "https://example.org/guia/")
    assert seen == {"offline": True, "site_url": "", "published_url": "https://example.org/guia/"}
    readme = (tmp_path / zip_path.stem / "LEEME.txt").read_text(encoding="utf-8")
    assert "Sus códigos QR abren el sitio publicado: https://example.org/guia/" in readme
    assert "No tienen código QR: esta copia se construyó sin la dirección del sitio publicado." in offline.readme_text(TODAY, "")


def test_qr_base_url_prefers_the_published_url(monkeypatch):
    monkeypatch.delenv(pocket.PUBLISHED_URL_ENV, raising=False)
    assert pocket.qr_base_url("") == ""
    assert pocket.qr_base_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/"
    monkeypatch.setenv(pocket.PUBLISHED_URL_ENV, "https://example.org/guia/")
    assert pocket.qr_base_url("") == "https://example.org/guia/"
