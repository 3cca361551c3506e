"""The site in real headless Chromium: search, language switcher, zero external requests, axe."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

SECTIONS = ["", "identificacion/", "protocolos/", "directorio/", "guias-de-bolsillo/", "formacion/",
            "marco-legal/", "glosario/", "acerca/"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def search(page, url: str, query: str) -> list[str]:
    """Open `url`, type `query` in Material's search and return the result titles."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    box = page.locator("input.md-search__input")
    box.click()
    box.type(query, delay=20)
    meta = page.locator(".md-search-result__meta")
    meta.wait_for(state="visible")
    page.wait_for_function(
        "() => !/Escriba para|Type to start|Inicializando|Initializing/.test("
        "document.querySelector('.md-search-result__meta').textContent)", timeout=10000)
    return [t.strip() for t in page.locator(".md-search-result__item h1, .md-search-result__item h2")
            .all_text_contents()]


@pytest.mark.parametrize("query", ["atención", "atencion", "Atencion"])
def test_spanish_search_is_accent_insensitive_over_http(page, site_url, query):
    titles = search(page, site_url, query)
    assert "Protocolos de atención" in titles


@pytest.mark.parametrize("query", ["niño", "nino"])
def test_spanish_search_folds_enye(page, site_url, query):
    titles = search(page, site_url, query)
    assert titles, f"no result for {query!r}"


def test_english_pages_search_only_the_english_index(page, site_url):
    titles = search(page, site_url + "en/", "protocols")
    assert "Care protocols" in titles
    assert not any("Protocolos" in t for t in titles)
    titles = search(page, site_url + "en/", "atencion")
    assert "Protocolos de atención" not in titles and "Inicio" not in titles


@pytest.mark.parametrize("path,query,expected", [
    ("index.html", "atencion", "Protocolos de atención"),
    ("index.html", "atención", "Protocolos de atención"),
    ("en/index.html", "protocols", "Care protocols"),
])
def test_search_works_from_file_urls(page, offline_site, path, query, expected):
    titles = search(page, (offline_site / path).as_uri(), query)
    assert expected in titles


def test_language_switcher_keeps_the_page(page, site_url):
    page.goto(site_url + "protocolos/")
    page.locator("a.md-select__link[hreflang='en']").first.dispatch_event("click")
    page.wait_for_url("**/en/protocolos/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("a.md-select__link[hreflang='es']").first.dispatch_event("click")
    page.wait_for_url(site_url + "protocolos/")    # "**/protocolos/" also matches the English page
    assert page.locator("html").get_attribute("lang") == "es"


def test_language_switcher_works_from_file_urls(page, offline_site):
    page.goto((offline_site / "protocolos" / "index.html").as_uri())
    href = page.locator("a.md-select__link[hreflang='en']").first.get_attribute("href")
    assert href.endswith("en/protocolos/index.html")


# The site's own production host (built_site uses site_url https://example.org/guia/):
# Material fetches <alternate>/sitemap.xml from it, which in production is the same site.
OWN_HOSTS = ("127.0.0.1", "localhost", "example.org")


def _external_requests(page, urls: list[str], query: str) -> list[str]:
    """Visit pages and use search; return every request to a host other than the site's own."""
    seen = []

    def route(route):
        parsed = urlparse(route.request.url)
        if parsed.scheme in ("http", "https") and parsed.hostname not in OWN_HOSTS:
            seen.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", route)
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    search(page, urls[0], query)
    return seen


def test_zero_requests_to_other_hosts_over_http(page, site_url):
    urls = [site_url + p for p in SECTIONS] + [site_url + "en/" + p for p in SECTIONS]
    assert _external_requests(page, urls, "trata") == []


def test_zero_requests_to_other_hosts_from_file_urls(page, offline_site):
    urls = [(offline_site / p / "index.html").as_uri() for p in SECTIONS]
    assert _external_requests(page, urls, "trata") == []


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("section", SECTIONS)
def test_axe_finds_no_wcag_violations_on_landing_pages(page, site_url, lang, section):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + lang + section)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    assert violations == []


def test_no_sideways_scroll_at_320px(page, site_url):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("", "en/", "acerca/", "directorio/"):
        page.goto(site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path or '/'} is {width}px wide at 320px"


def test_skip_link_is_first_focusable_and_targets_content(page, site_url):
    page.goto(site_url + "protocolos/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className + ' ' + document.activeElement.getAttribute('href')")
    assert focused.startswith("md-skip")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert page.locator(target).count() == 1


def test_print_shows_content_only_with_link_urls_and_open_details(page, site_url):
    page.goto(site_url + "directorio/")
    page.evaluate("""() => { const d = document.createElement('details');
        d.innerHTML = '<summary>s</summary><p id="kb-hidden">oculto</p>';
        const p = document.createElement('p');
        p.innerHTML = '<a id="kb-ext" href="https://www.gob.pe/minsa">MINSA</a>';
        document.querySelector('article').append(d, p); }""")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-banner']
        .map(s => document.querySelector(s)).filter(Boolean)
        .map(e => getComputedStyle(e).display)""")
    assert set(hidden) == {"none"}
    assert page.locator("#kb-hidden").is_visible()
    after = page.evaluate("() => getComputedStyle(document.querySelector('#kb-ext'), '::after').content")
    assert after == '" (https://www.gob.pe/minsa)"'


def test_help_strip_leads_to_the_what_to_do_block_offline(page, offline_site):
    page.goto((offline_site / "acerca" / "accesibilidad.html").as_uri())
    page.locator("a.kb-help-strip").click()
    page.wait_for_url("**/index.html#que-hacer-ahora")
    page.locator("#que-hacer-ahora").wait_for(state="visible", timeout=5000)   # the page may still be loading


def test_no_sideways_scroll_at_320px_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    try:
        for path in ("", "protocolos/", "en/directorio/"):
            page.goto(site_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path or '/'} is {width}px wide at 320px with JavaScript off"
    finally:
        context.close()


@pytest.mark.parametrize("prefix,query,expected", [
    ("", "mercurio", "Minería: mercurio y salud ocupacional"),
    ("", "mineria", "Minería: mercurio y salud ocupacional"),
    ("en/", "mercury", "Mining: mercury and occupational health"),
])
def test_search_finds_the_mining_page(page, site_url, prefix, query, expected):
    assert expected in search(page, site_url + prefix, query)


# --- Quick exit (help strip; docs/assets/javascripts/kb.js) -------------------

EXIT_URL = "https://www.google.com.pe/"


def neutral_site(context) -> None:
    """Answer the quick-exit destination locally: tests never reach another host."""
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        body="<!doctype html><title>Google</title><p>neutral</p>", content_type="text/html"))


@pytest.mark.parametrize("url", SECTIONS)
def test_quick_exit_link_on_every_landing_page_in_both_languages(built_site, url):
    for prefix, label in (("", "Salir rápido"), ("en/", "Quick exit")):
        html = (built_site / prefix / url / "index.html").read_text(encoding="utf-8")
        assert (f'<a class="kb-exit" href="{EXIT_URL}" rel="noreferrer" data-kb-exit>{label}</a>' in html), \
            f"/{prefix}{url}: quick-exit link missing"
        assert "kb.js" in html


def test_quick_exit_leaves_and_back_does_not_return_to_the_page(page, site_url):
    neutral_site(page.context)
    page.goto(site_url)
    page.goto(site_url + "protocolos/primer-contacto/")
    button = page.locator("a.kb-exit")
    box = button.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24 and box["x"] + box["width"] <= 360
    button.click()
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == site_url, "Back must skip the page that was left (location.replace)"


def test_three_shift_presses_exit_but_not_while_typing(page, site_url):
    neutral_site(page.context)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "en/directorio/")
    page.locator("input.md-search__input").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == site_url + "en/directorio/", "Shift typed in the search box must not exit"
    page.keyboard.press("Escape")                  # leave search (its keys go to the search box)
    page.evaluate("document.activeElement.blur()")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)


def test_quick_exit_is_a_plain_link_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    neutral_site(context)
    page = context.new_page()
    try:
        page.goto(site_url + "acerca/")
        page.locator("a.kb-exit").click()
        page.wait_for_url(EXIT_URL)
    finally:
        context.close()


def test_tapping_an_acronym_shows_its_meaning_and_a_second_tap_hides_it(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(site_url + "protocolos/derivacion/")
        abbr = page.locator("article abbr[title]:not(a abbr)").first
        title = abbr.get_attribute("title")
        assert title
        abbr.tap()
        meaning = abbr.locator("xpath=following-sibling::*[1]")
        assert meaning.get_attribute("class") == "kb-abbr-meaning"
        assert meaning.text_content() == f" ({title})"
        abbr.tap()
        assert page.locator(".kb-abbr-meaning").count() == 0
    finally:
        context.close()
