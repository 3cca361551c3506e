"""Offline app (issue 19): manifests, icons, precache lists, the worker, in Chromium over http."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import struct
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from scripts import pwa
from scripts.problems import Problem
from tests.conftest import BUILT_SITE_URL, CHROMIUM, CHROMIUM_ARGS, guides_copied_from
from tests.test_browser import AXE_TAGS, search
from tests.test_site import build_docs

SITE = (Path(__file__).parent / "fixtures" / "pwa" / "site").resolve()
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M10 2h4v7h7v4h-7v9h-4v-9H3V9h7z"/></svg>'
SAVED = "__kb-saved.json"
OFFLINE_PAGES = ["", "identificacion/", "protocolos/primer-contacto/", "directorio/cusco/", "glosario/",
                 "marco-legal/ley-28950/", "en/", "en/protocolos/", "en/directorio/lima/", "en/acerca/"]


def urls(lang: str, site: Path = SITE) -> list[str]:
    return [pwa.page_url(site, p, lang) for p in pwa.precache_files(site, lang)]


# --- Manifest, theme, icons ----------------------------------------------------------------------

def test_theme_colour_comes_from_extra_css():
    assert pwa.theme_colour(":root {\n  --md-primary-fg-color: #8A1538;   /* red */\n}") == "#8a1538"
    assert pwa.site_theme() == pwa.theme_colour(pwa.THEME_CSS.read_text(encoding="utf-8"))


def test_theme_colour_missing_says_where_to_put_it():
    with pytest.raises(ValueError) as error:
        pwa.theme_colour(":root { --md-accent-fg-color: #000; }")
    assert str(error.value) == ("extra.css: no '--md-primary-fg-color: #rrggbb;' to take the app's theme "
                                "colour from")


@pytest.mark.parametrize("lang,icon", [("es", "assets/images/app-icon-192.png"),
                                       ("en", "../assets/images/app-icon-192.png")])
def test_manifest_has_the_language_scope_and_installable_fields(lang, icon):
    data = pwa.manifest(lang, "Nombre largo", "Descripción", "#8a1538")
    assert (data["start_url"], data["scope"], data["id"], data["lang"], data["display"]) == (
        "./", "./", "./", lang, "standalone")
    assert len(data["short_name"]) <= 12 and data["theme_color"] == "#8a1538"
    assert data["icons"][0] == {"src": icon, "sizes": "192x192", "type": "image/png", "purpose": "any"}
    assert [(i["sizes"], i["purpose"]) for i in data["icons"]] == [
        ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")]


def test_head_data_points_at_the_language_manifest():
    assert pwa.head_data("en", "#111111") == {"manifest": "en/manifest.webmanifest", "theme_color": "#111111"}
    assert pwa.head_data("es", "#111111")["manifest"] == "manifest.webmanifest"


def test_icon_svg_centres_the_logo_in_white_on_the_theme_colour():
    svg = pwa.icon_svg(LOGO, 192, "#8a1538")
    assert '<rect width="192" height="192" fill="#8a1538"/>' in svg
    assert 'fill="#ffffff" transform="translate(96 96) scale(4.48) translate(-12 -12)"' in svg


@pytest.mark.parametrize("logo,message", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>',
     "logo.svg: needs a viewBox 'x y width height' to be drawn as an icon"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle r="3"/></svg>',
     "logo.svg: no <path d=...> to draw"),
])
def test_icon_svg_refuses_a_logo_it_cannot_draw(logo, message):
    with pytest.raises(ValueError) as error:
        pwa.icon_svg(logo, 192, "#000000")
    assert str(error.value) == message


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_write_icons_draws_192_and_512_pixel_pngs(tmp_path):
    paths = pwa.write_icons(tmp_path, "#8a1538")
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "assets/images/app-icon-192.png", "assets/images/app-icon-512.png"]
    assert [png_size(p.read_bytes()) for p in paths] == [(192, 192), (512, 512)]


def test_app_mode_none_offline_retire_with_pwa_0_serve_under_mkdocs_serve():
    assert pwa.app_mode(False, None, {}) == "on" and pwa.app_mode(False, "build", {"PWA": "1"}) == "on"
    assert pwa.app_mode(True, "serve", {"PWA": "0"}) == "none"
    assert pwa.app_mode(False, "serve", {"PWA": "0"}) == "retire"
    assert pwa.app_mode(False, "serve", {}) == "serve"


# --- Precache lists --------------------------------------------------------------------------------

def test_spanish_precache_lists_pages_and_what_they_load_not_english_or_skipped_files():
    assert urls("es") == [
        "a/", "assets/x.css", "assets/i.svg", "assets/fonts/f.woff2", "assets/logo.svg", "manifest.webmanifest",
        "datos/c.es.vcf", "assets/app.js", "assets/workers/search.js", "search/search_index.json",
        "directorio/cusco/", "./", "assets/i2.svg",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js", "assets/javascripts/lunr/min/lunr.es.min.js"]


def test_english_precache_is_relative_to_en_and_has_no_spanish_page_or_lunr_file():
    assert urls("en") == ["a/", "../assets/x.css", "../assets/i.svg", "../assets/fonts/f.woff2",
                          "../assets/logo.svg", "manifest.webmanifest", "../assets/app.js",
                          "../assets/workers/search.js", "search/search_index.json", "./"]


def test_a_page_with_a_broken_material_config_is_named(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "index.html").write_text('<script id="__config">{"search": </script>', encoding="utf-8")
    with pytest.raises(ValueError) as error:
        pwa.page_loads(tmp_path.resolve(), (tmp_path / "x" / "index.html").resolve())
    assert str(error.value).startswith("x/index.html: Material's __config is not JSON (Expecting value")


@pytest.mark.parametrize("rel,lang,url", [
    ("index.html", "es", "./"), ("a/index.html", "es", "a/"), ("en/index.html", "en", "./"),
    ("en/a/index.html", "en", "a/"), ("assets/x.css", "en", "../assets/x.css"),
    ("search/search_index.json", "es", "search/search_index.json")])
def test_page_url_is_relative_to_the_language_root(rel, lang, url):
    assert pwa.page_url(SITE, SITE / rel, lang) == url


@pytest.mark.parametrize("langs,files", [
    ([], []), (["en"], []),
    (["es"], ["min/lunr.stemmer.support.min.js", "min/lunr.es.min.js"]),
    (["es", "en"], ["min/lunr.stemmer.support.min.js", "min/lunr.es.min.js", "min/lunr.multi.min.js"]),
    (["ja"], ["min/lunr.stemmer.support.min.js", "tinyseg.js", "min/lunr.ja.min.js"]),
])
def test_lunr_files_are_those_materials_search_worker_imports(langs, files):
    assert pwa.lunr_files(langs) == [f"assets/javascripts/lunr/{f}" for f in files]


def test_pocket_guide_is_offered_only_where_its_region_page_exists():
    guides = pwa.pocket_guides(SITE, "es")
    assert list(guides) == ["directorio/cusco/"]     # nacional: no directorio/ page in the fixture
    assert guides["directorio/cusco/"].url == "guias-de-bolsillo/pdf/guia-bolsillo-cusco-es.pdf"
    assert pwa.pocket_guides(SITE, "en") == {}       # no en/directorio/cusco/ page


def test_revision_and_version_change_with_content():
    items = pwa.entries(SITE, pwa.precache_files(SITE, "es"), "es")
    same = pwa.version(items, {}, "worker")
    assert pwa.version(items, {}, "worker") == same
    changed = [pwa.Entry(items[0].url, pwa.revision(b"new text"), 8), *items[1:]]
    assert len({same, pwa.version(changed, {}, "worker"), pwa.version(items, {}, "worker v2")}) == 3


def test_download_size_is_gzip_for_text_and_raw_for_compressed_files():
    text = b"a" * 10000
    assert pwa.size_of(Path("x.html"), text) < 100
    assert pwa.size_of(Path("x.pdf"), text) == 10000


def test_budget_counts_the_largest_guide_and_names_the_heaviest_files():
    items = [pwa.Entry("a/", "r", 600), pwa.Entry("b.js", "r", 300)]
    guides = {"directorio/x/": pwa.Entry("x.pdf", "r", 200), "directorio/y/": pwa.Entry("y.pdf", "r", 100)}
    assert pwa.check_budget("en", items, guides, budget=1100) == []
    assert pwa.check_budget("en", items, guides, budget=1099) == [Problem(
        "en/sw.js", None, "precache",
        "the offline app of 'en' downloads 0.00 MB, over the 0 MB budget; largest: a/ (0 KB), b.js (0 KB)",
        "make pages or assets lighter, or leave a kind of file out in scripts/pwa.py (SKIP)")]


# --- The worker's code -----------------------------------------------------------------------------

def test_render_worker_fills_the_slot_once_and_cannot_close_a_script():
    js = pwa.render_worker("var CONFIG = /*KB:CONFIG*/null;", {"x": "</script>é"})
    assert js == 'var CONFIG = {"x":"<\\/script>\\u00e9"};'
    with pytest.raises(ValueError) as error:
        pwa.render_worker("var CONFIG = {};", {})
    assert str(error.value) == "pwa_worker.js: needs '/*KB:CONFIG*/null' exactly once"


def test_not_saved_page_is_bilingual_with_the_worker_language_first_and_no_script():
    page = pwa.not_saved_page("en")
    assert page.index('lang="en"><h1>Page not saved') < page.index('lang="es"><h1>Página no guardada')
    assert '<a href="{home}">' in page and "<script" not in page and "style" not in page


def test_write_workers_writes_one_worker_per_language(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    configs, problems = pwa.write_workers(site)
    assert problems == [] and sorted(configs) == ["en", "es"]
    es = (site / "sw.js").read_text(encoding="utf-8")
    assert f'"version":"{configs["es"]["version"]}"' in es and '"elsewhere":["en/"]' in es
    assert configs["en"]["elsewhere"] == [] and configs["es"]["guides"] == {
        "directorio/cusco/": ["guias-de-bolsillo/pdf/guia-bolsillo-cusco-es.pdf", pwa.revision(b"%PDF-1.7 es")]}
    before = configs["es"]["version"]
    (site / "a" / "index.html").write_text("changed", encoding="utf-8")
    configs, _ = pwa.write_workers(site)
    assert configs["es"]["version"] != before


# --- The built site ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,prefix", pwa.LANGUAGE_PREFIXES.items())
def test_built_site_has_a_manifest_and_worker_per_language(built_site, lang, prefix):
    data = json.loads((built_site / prefix / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (data["lang"], data["start_url"], data["scope"]) == (lang, "./", "./")
    assert data["name"] == {"es": "Trata de personas · Guía para el personal de salud",
                            "en": "Human trafficking · A guide for health staff"}[lang]
    for icon in data["icons"]:
        size = int(icon["sizes"].split("x")[0])
        assert png_size((built_site / prefix / icon["src"]).resolve().read_bytes()) == (size, size)
    assert (built_site / prefix / "sw.js").is_file()


def test_built_precache_fits_the_budget_and_lists_every_page(built_site):
    rows = {row["lang"]: row for row in pwa.precache_report(built_site)}
    assert sorted(rows) == ["en", "es"]
    for lang, row in rows.items():
        assert row["download"] + row["largest_guide"] <= pwa.PRECACHE_BUDGET, row
        listed = set(urls(lang, built_site))
        pages = {pwa.page_url(built_site, p, lang) for p in pwa.language_pages(built_site, lang)}
        assert pages <= listed and len(pages) > 50
        assert "search/search_index.json" in listed and not any(u.startswith("en/") for u in listed)
        assert any("/workers/search." in u for u in listed)
    # the search plugin's own lunr languages (scripts/search_lunr.js), named in each index
    assert "assets/javascripts/lunr/min/lunr.kbes.min.js" in urls("es", built_site)
    assert "assets/javascripts/lunr/min/lunr.kben.min.js" in urls("en", built_site)   # en/ copy
    assert any(u.startswith("assets/javascripts/workers/search.") for u in urls("en", built_site))
    assert len(pwa.pocket_guides(built_site, "es")) == 13


def test_every_page_links_its_language_manifest(built_site):
    for lang, prefix in pwa.LANGUAGE_PREFIXES.items():
        for page in pwa.language_pages(built_site, lang):
            text = page.read_text(encoding="utf-8")
            link = text.split('<link rel="manifest" href="')[1].split('"')[0]
            assert (page.parent / link).resolve() == (built_site / prefix / "manifest.webmanifest").resolve()
            assert '<meta name="theme-color" content="#8a1538">' in text


def test_offline_copy_has_no_worker_manifest_or_link(offline_site):
    assert not list(offline_site.rglob("sw.js")) and not list(offline_site.rglob("*.webmanifest"))
    assert 'rel="manifest"' not in (offline_site / "index.html").read_text(encoding="utf-8")


# --- In Chromium, over http://127.0.0.1 (a secure context) ----------------------------------------

class _Recorder(http.server.SimpleHTTPRequestHandler):
    """Static server that remembers the paths it was asked for."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".webmanifest": "application/manifest+json"}
    log: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.log.append(self.path)
        super().do_GET()


@pytest.fixture()
def served(tmp_path):
    """serve(folder) -> (base URL, list of requested paths); servers closed at the end."""
    servers = []

    def serve(folder: Path):
        log: list[str] = []
        handler = functools.partial(type("H", (_Recorder,), {"log": log}), directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/", log

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


SAVED_CACHE_JS = """async (prefix) => {
  for (const name of await caches.keys()) {
    if (!name.startsWith(prefix)) continue;
    const keys = await (await caches.open(name)).keys();
    if (keys.some(k => k.url.endsWith('__kb-saved.json'))) return name;
  }
  return null;
}"""


def wait_until(page, js: str, arg, timeout: float = 60.0):
    """Poll an async page function until it returns something truthy (wait_for_function would
    take the pending Promise itself as truthy); return that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = page.evaluate(js, arg)
        except PlaywrightError as error:     # the page navigated meanwhile: ask the new one
            if "context was destroyed" not in str(error):
                raise
            value = None
        if value:
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"still false after {timeout:.0f} s: {js[:60]}... ({arg})")


def wait_saved(page, lang: str, timeout: float = 60.0) -> str:
    """Wait until the worker of `lang` has saved everything; return its cache name."""
    return wait_until(page, SAVED_CACHE_JS, f"kb-{lang}-", timeout)


def cached_urls(page, cache: str) -> list[str]:
    return page.evaluate("async (n) => (await (await caches.open(n)).keys()).map(k => k.url)", cache)


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    yield context
    context.close()


@pytest.mark.browser
def test_after_one_visit_the_guide_works_offline_in_both_languages(phone, built_site, served, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    base, log = served(site)
    foreign, errors = [], []
    phone.route("**/*", lambda route: (foreign.append(route.request.url), route.abort())
                if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost") else route.continue_())
    page = phone.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(base)
    assert page.locator(".kb-update").count() == 0 or page.locator(".kb-update").inner_text() == ""
    es_cache = wait_saved(page, "es")
    saved = cached_urls(page, es_cache)
    assert base + "protocolos/primer-contacto/" in saved and base + "search/search_index.json" in saved
    assert not any(u.startswith(base + "en/") for u in saved)
    page.goto(base + "directorio/cusco/")               # the reader chooses a region
    wait_until(page, "async (u) => !!(await caches.match(u))",
               base + "guias-de-bolsillo/pdf/guia-bolsillo-cusco-es.pdf", timeout=60)
    page.goto(base + "en/")                              # and opens the English guide once
    wait_saved(page, "en")
    wait_until(page, "(u) => navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL === u",
               base + "en/sw.js", timeout=30)        # it has taken over the page (clients.claim)

    phone.set_offline(True)
    for path in OFFLINE_PAGES:
        response = page.goto(base + path)
        assert response.ok and response.from_service_worker, path
        assert page.locator("h1").first.is_visible(), path
        assert page.evaluate("document.documentElement.lang") == ("en" if path.startswith("en/") else "es")
    for path in ("en/directorio/lima/", "directorio/cusco/"):   # tap-to-call links, offline
        page.goto(base + path)
        assert page.locator('.md-content a[href^="tel:"]').count() > 0, path
    assert page.evaluate("async (u) => (await fetch(u)).headers.get('content-type')",
                         base + "guias-de-bolsillo/pdf/guia-bolsillo-cusco-es.pdf") == "application/pdf"

    page.goto(base + "protocolos/")                      # language switch, offline
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(base + "en/protocolos/")
    assert page.locator("h1").first.inner_text().startswith("Care protocols")

    assert "Protocolos de atención" in search(page, base, "atencion")
    titles = search(page, base + "en/", "protocols")
    assert "Care protocols" in titles and not any("Protocolos" in t for t in titles)

    assert foreign == [] and errors == []
    response = page.goto(base + "no-guardada/")          # never saved: says so, in both languages
    assert response.status == 503 and "Página no guardada" in page.content() and "Page not saved" in page.content()
    page.get_by_role("link").click()                     # its link goes back to the (saved) home
    page.wait_for_url(base)
    page.goto(base + "identificacion/")                  # quick exit, offline: the guide disappears
    page.locator("a[data-kb-exit]").first.click()
    page.wait_for_function("() => !document.querySelector('a[data-kb-exit]')", timeout=10000)
    assert foreign == ["https://www.google.com.pe/"]


@pytest.mark.browser
def test_an_update_downloads_only_what_changed_and_offers_to_reload(phone, built_site, docs_copy, served, tmp_path,
                                                                   monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)            # the session's build of these same docs, first version
    monkeypatch.setenv("SITE_URL", BUILT_SITE_URL)   # rebuilt below with built_site's settings
    monkeypatch.setenv("OFFLINE", "false")
    monkeypatch.delenv("PUBLISHED_SITE_URL", raising=False)
    base, log = served(site)
    page = phone.new_page()
    page.goto(base + "protocolos/primer-contacto/")
    first = wait_saved(page, "es")
    assert page.locator(".kb-update").inner_text() == ""          # no notice on the first install

    edited = docs_copy / "protocolos" / "primer-contacto.es.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPárrafo kbnuevo.\n", encoding="utf-8")
    with guides_copied_from(built_site) as copied:               # the guides are no page: the same PDFs
        build_docs(docs_copy, site)                               # rebuilt into the served folder
    assert copied == [BUILT_SITE_URL]
    log.clear()
    page.reload()                                                 # the browser checks sw.js
    notice = page.locator(".kb-update[role=status]")
    notice.get_by_text("Hay una versión nueva de la guía.").wait_for(timeout=60000)
    downloaded = [p for p in log if not p.endswith("sw.js")]
    assert "/protocolos/primer-contacto/" in downloaded and len(downloaded) < 15, downloaded
    assert "kbnuevo" not in page.content()                        # still the saved version
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page, context=".kb-update", options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert result.response["violations"] == []
    with page.expect_navigation():
        notice.get_by_role("button", name="Actualizar").click()
    assert "kbnuevo" in page.content()
    names = page.evaluate("caches.keys()")
    assert first not in names and len([n for n in names if n.startswith("kb-es-")]) == 1
    phone.set_offline(True)
    page.goto(base + "protocolos/primer-contacto/")
    assert "kbnuevo" in page.content()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "en/"])
def test_chromium_finds_the_app_installable(browser, built_site, served, tmp_path, path):
    base, _ = served(built_site)
    # a persistent profile: Chromium never offers to install from an incognito-like context
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        page = context.new_page()
        page.goto(base + path)
        wait_saved(page, "en" if path else "es")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == base + path + "manifest.webmanifest" and not manifest.get("errors")
    finally:
        context.close()


@pytest.mark.browser
def test_file_copy_registers_no_worker_and_logs_no_error(page, offline_site):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "sitemap" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((offline_site / "index.html").as_uri())
    page.wait_for_timeout(1500)
    assert page.locator(".kb-update").count() == 0 and errors == []


@pytest.mark.browser
def test_with_data_saver_on_nothing_is_downloaded_in_the_background(phone, built_site, served):
    base, log = served(built_site)
    page = phone.new_page()
    phone.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    page.goto(base + "protocolos/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(5500)                      # past the idle callback's 5 s timeout
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    assert not any(p.endswith("sw.js") or "search_index" in p for p in log)


def test_retire_workers_replace_every_language_worker(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    paths = pwa.write_retire_workers(site)
    assert [p.relative_to(site).as_posix() for p in paths] == ["sw.js", "en/sw.js"]
    assert paths[0].read_text(encoding="utf-8") == pwa.RETIRE_WORKER and "unregister()" in pwa.RETIRE_WORKER


@pytest.mark.browser
def test_turning_the_app_off_removes_it_from_phones_at_the_next_visit(phone, built_site, served, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    base, _ = served(site)
    page = phone.new_page()
    page.goto(base + "glosario/")
    wait_saved(page, "es")
    pwa.write_retire_workers(site)                  # the next build has PWA=0 (or is mkdocs serve)
    page.reload()
    wait_until(page, "async () => (await navigator.serviceWorker.getRegistrations()).length === 0 && "
               "(await caches.keys()).length === 0", None, timeout=20)


def test_a_reader_of_english_only_can_search_offline(phone, built_site, served, tmp_path):
    """English pages only (the root worker never registered): search still works offline."""
    from tests.test_browser import search

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    base, _ = served(site)
    page = phone.new_page()
    page.goto(base + "en/")
    wait_saved(page, "en")
    wait_until(page, "(u) => navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL === u",
               base + "en/sw.js", timeout=30)
    phone.set_offline(True)
    assert "Care protocols" in search(page, base + "en/", "protocols")
