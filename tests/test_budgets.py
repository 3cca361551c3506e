"""Budgets of issue 10 that CI can check without Lighthouse (the figures: python -m scripts bench).

Byte budgets are computed from the built files (gzip of the page and of the CSS/JS/images/
fonts it references), so they are deterministic; the browser tests load the key pages in
Chromium and refuse console errors, failed requests and requests to other hosts.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from scripts.bench import (
    FIRST_VISIT_BUDGET, LANGUAGE_PREFIXES, REPEAT_VISIT_BUDGET, SEARCH_INDEX_BUDGET, first_and_repeat,
    gzip_size, html_pages, kb, page_assets, page_url, representative_pages, search_indexes, visit_bytes)

SECTION_LANDINGS = ["", "identificacion/", "protocolos/", "directorio/", "guias-de-bolsillo/", "formacion/",
                    "marco-legal/", "glosario/", "acerca/"]
FIXTURES = Path(__file__).parent / "fixtures" / "bench"


# --- Pure helpers on a tiny fixture site ---------------------------------------------------

def test_page_assets_lists_styles_scripts_images_icons_fonts_and_the_search_worker():
    site = FIXTURES / "site"
    names = [p.relative_to(site).as_posix() for p in page_assets(site, site / "a" / "index.html")]
    assert names == ["assets/x.css", "assets/fonts/f.woff2", "assets/icon.svg", "assets/app.js",
                     "assets/logo.svg", "assets/workers/search.js"]


def test_visit_bytes_skips_cached_assets():
    site = FIXTURES / "site"
    page = site / "a" / "index.html"
    raw, _ = visit_bytes(site, page)
    assert raw == sum(p.stat().st_size for p in [page, *page_assets(site, page)])
    assert visit_bytes(site, page, tuple(page_assets(site, page)))[0] == page.stat().st_size


def test_representative_pages_fall_back_to_none():
    pages = representative_pages(FIXTURES / "site")
    assert {k: v and page_url(FIXTURES / "site", v) for k, v in pages.items()} == {
        "home": "", "landing": "protocolos/", "protocol": "protocolos/grande/", "region": None,
        "identification": None}


# --- The real site ---------------------------------------------------------------------------

def test_no_page_over_the_first_visit_budget(built_site):
    over = []
    for page in html_pages(built_site):
        size = visit_bytes(built_site, page)[1]
        if size > FIRST_VISIT_BUDGET:
            over.append(f"/{page_url(built_site, page)}: {kb(size)} gzip")
    assert over == [], f"first visit over {kb(FIRST_VISIT_BUDGET)}"


def language_home(site: Path, page: Path) -> Path:
    """The home page of the page's language (the page a repeat visit comes from)."""
    rel = page.relative_to(site).as_posix()
    prefix = next((p for p in LANGUAGE_PREFIXES.values() if p and rel.startswith(p)), "")
    return site / prefix / "index.html"


def test_no_page_over_the_repeat_visit_budget(built_site):
    over = []
    for page in html_pages(built_site):
        size = first_and_repeat(built_site, page, language_home(built_site, page))[1]
        if size > REPEAT_VISIT_BUDGET:
            over.append(f"/{page_url(built_site, page)}: {kb(size)} gzip after the home page")
    assert over == [], f"repeat visit over {kb(REPEAT_VISIT_BUDGET)}"


def test_search_index_per_language_within_budget(built_site):
    indexes = search_indexes(built_site)
    assert sorted(indexes) == ["en", "es"]
    sizes = {lang: gzip_size(path.read_bytes()) for lang, path in indexes.items()}
    assert all(size <= SEARCH_INDEX_BUDGET for size in sizes.values()), sizes


def test_pages_reference_no_remote_script_style_or_font(built_site):
    remote = []
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        for marker in ('<script src="http', '<link rel="stylesheet" href="http', "fonts.googleapis", "unpkg.com"):
            if marker in text:
                remote.append(f"/{page_url(built_site, page)}: {marker}")
    assert remote == []


# --- In Chromium -----------------------------------------------------------------------------

def key_pages(site: Path) -> list[str]:
    """Home and section landings in both languages, plus each page type's heaviest page."""
    paths = []
    for prefix in LANGUAGE_PREFIXES.values():
        paths += [prefix + s for s in SECTION_LANDINGS if (site / prefix / s / "index.html").is_file()]
        paths += [page_url(site, p) for p in representative_pages(site, prefix).values() if p is not None]
    return list(dict.fromkeys(paths))


@pytest.mark.browser
def test_key_pages_have_no_console_errors_failed_or_foreign_requests(page, built_site, site_url):
    problems: list[str] = []
    current = {"url": ""}
    page.on("console", lambda m: problems.append(f"{current['url']}: console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{current['url']}: page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"{current['url']}: failed {r.url}")
            if urlparse(r.url).hostname in ("127.0.0.1", "localhost") else None)
    page.on("response", lambda r: problems.append(f"{current['url']}: HTTP {r.status} {r.url}")
            if r.status >= 400 else None)

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("http") and host not in ("127.0.0.1", "localhost"):
            problems.append(f"{current['url']}: request to another host: {route.request.url}")
            return route.abort()
        return route.continue_()

    page.route("**/*", route)
    for path in key_pages(built_site):
        current["url"] = "/" + path
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
    assert problems == []


@pytest.mark.browser
@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES.values())
def test_search_index_is_fetched_only_when_search_is_opened(page, site_url, prefix):
    fetched = []
    page.on("request", lambda r: fetched.append(urlparse(r.url).path) if "search_index" in r.url else None)
    page.goto(site_url + prefix)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert fetched == []
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_request(lambda r: "search_index" in r.url):
        page.locator("input.md-search__input").click()
    assert fetched == [f"/{prefix}search/search_index.json"]
