"""The Content-Security-Policy in real headless Chromium (issue 17).

A production-like build (SITE_URL and REPO_URL set, as the deploy job sets them) is the
test site. Each hostile case is injected into a copy of a built page; the browser must
refuse it (a securitypolicyviolation event naming the directive, and the code never
runs). The normal pages, search, the language switcher and the quick exit must work with
no violation at all, over http and from file:// (the offline copy).
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

from scripts.offline import build_site
from tests.conftest import BUILT_SITE_URL, guides_copied_from, serve

pytestmark = pytest.mark.browser

REPO_URL = "https://github.com/example/trata-salud"
PAGE = "protocolos/primer-contacto/index.html"
ARTICLE = '<article class="md-content__inner md-typeset">'
RECORD = ("window.__csp = [];"
          "document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.effectiveDirective));")

# case -> (HTML injected at the top of the article, what to do after load, refused directive)
CASES = {
    "inline-script": ('<script>window.__pwned = 1</script>', None, "script-src-elem"),
    "external-script": ('<script src="https://example.org/x.js"></script>', None, "script-src-elem"),
    "onload-handler": ('<img alt="" src="../../assets/images/favicon.svg" onload="window.__pwned = 1">', None,
                       "script-src-attr"),
    "heading-attribute-handler": ('<h2 id="hx" onmouseover="window.__pwned = 1">Señales</h2>', "hover:#hx",
                                  "script-src-attr"),
    "javascript-link": ('<a id="js" href="javascript:window.__pwned = 1">x</a>', "click:#js", "script-src-elem"),
    "iframe-src": ('<iframe src="https://example.org/"></iframe>', None, "frame-src"),
    "iframe-srcdoc": ('<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>', None, "script-src-elem"),
    "object": ('<object data="https://example.org/x.swf"></object>', None, "object-src"),
    "external-image": ('<img alt="" src="https://example.org/x.png">', None, "img-src"),
    "external-stylesheet": ('<link rel="stylesheet" href="https://example.org/x.css">', None, "style-src-elem"),
    "css-import": ('<style>@import url(https://example.org/x.css);</style>', None, "style-src-elem"),
    "css-url-attribute": ('<span style="background:url(https://example.org/y.png)">x</span>', None,
                          "style-src-attr"),
    "base": ('<base href="https://example.org/">', None, "base-uri"),
    "form": ('<form id="hf" action="https://example.org/"><button>x</button></form>', "submit:#hf", "form-action"),
}


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, built_site):
    """A strict build with SITE_URL and REPO_URL, plus one injected copy of a page per case.

    Its pocket guides are the session build's (same site_url), copied rather than printed again."""
    site = tmp_path_factory.mktemp("production")
    saved = os.environ.get("REPO_URL")
    os.environ["REPO_URL"] = REPO_URL
    try:
        with guides_copied_from(built_site) as copied:
            build_site(site, site_url=BUILT_SITE_URL)
        assert copied == [BUILT_SITE_URL]
    finally:
        if saved is None:
            os.environ.pop("REPO_URL", None)
        else:
            os.environ["REPO_URL"] = saved
    html = (site / PAGE).read_text(encoding="utf-8")
    assert ARTICLE in html
    for case, (snippet, _action, _directive) in CASES.items():
        target = site / "protocolos" / f"hostil-{case}" / "index.html"
        target.parent.mkdir()
        target.write_text(html.replace(ARTICLE, ARTICLE + snippet, 1), encoding="utf-8")
    url, server = serve(site)
    yield url
    server.shutdown()
    server.server_close()


def _open(page, url: str) -> list[str]:
    """Load `url` (desktop width: the search box is visible); return requests to other hosts (all refused)."""
    others = []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_init_script(RECORD)

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("file:") or host == "127.0.0.1":
            route.continue_()
        else:
            others.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(url)
    return others


def _violations(page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__csp || []")
        except Exception:  # noqa: BLE001 - a frame that never loaded has nothing to report
            pass
    return found


@pytest.mark.parametrize("case", CASES)
def test_the_browser_refuses_each_hostile_case(page, production_site, case):
    _snippet, action, directive = CASES[case]
    others = _open(page, f"{production_site}protocolos/hostil-{case}/")
    if action:
        verb, selector = action.split(":", 1)
        if verb == "submit":
            page.evaluate(f"document.querySelector('{selector}').requestSubmit()")
        else:
            getattr(page.locator(selector), verb)(no_wait_after=True)
    page.wait_for_timeout(300)
    assert directive in _violations(page)
    assert page.evaluate("window.__pwned") is None
    assert others == []     # refused before any request left the browser


@pytest.mark.parametrize("path", ["", "protocolos/primer-contacto/", "en/directorio/cusco/", "404.html"])
def test_normal_pages_have_no_violation_and_no_request_to_other_hosts(page, production_site, path):
    others = _open(page, production_site + path)
    page.wait_for_timeout(500)
    assert _violations(page) == [] and others == []


def test_repository_link_stays_but_asks_no_other_host(page, production_site):
    others = _open(page, production_site)
    page.wait_for_timeout(1000)
    assert page.locator(f'a.md-source[href="{REPO_URL}"]').count() >= 1
    assert others == [] and _violations(page) == []      # no api.github.com request for stars and forks


def test_search_switcher_and_quick_exit_work_under_the_policy(page, production_site):
    _open(page, production_site)
    box = page.locator("input.md-search__input")
    box.click()
    box.type("atencion", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10000)
    assert page.locator('a[hreflang="en"]').count() >= 1
    page.keyboard.press("Escape")
    exit_link = page.locator("a[data-kb-exit]")
    assert exit_link.count() == 1
    assert _violations(page) == []


def test_the_offline_copy_searches_from_file_urls_without_violations(page, offline_site):
    others = _open(page, (offline_site / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    box.type("atencion", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10000)
    assert _violations(page) == [] and others == []
