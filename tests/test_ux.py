"""Issue 18 at phone size (360x740) in headless Chromium: the home page's first screen, the
quick exit that never leaves the screen, the checklist you can tick, and the training list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts import ROOT

EXIT_URL = "https://www.google.com.pe/"
PHONE = {"width": 360, "height": 740}
# The twelve region pages of the directory, in alphabetical order (as the navigation lists them).
REGIONS = sorted(f"directorio/{p.name.split('.')[0]}.md" for p in (ROOT / "docs" / "directorio").glob("*.es.md")
                 if p.name != "index.es.md")


def neutral_site(context) -> None:
    """Answer the quick-exit destination locally: tests never reach another host."""
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        body="<!doctype html><title>Google</title><p>neutral</p>", content_type="text/html"))


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def settled_box(page, selector: str) -> dict:
    """The element's box once it stops moving (the search overlay slides in; slower under load)."""
    before = box(page, selector)
    for _ in range(40):
        page.wait_for_timeout(50)
        now = box(page, selector)
        if now == before:
            return now
        before = now
    return before


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def phone_page(browser, javascript: bool = True):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    neutral_site(context)
    return context, context.new_page()


# --- 1. Home: who to call, on the first screen ------------------------------------------

def test_region_list_comes_from_the_navigation():
    assert len(REGIONS) == 12 and "directorio/madre-de-dios.md" in REGIONS


@pytest.mark.parametrize("lang", ["es", "en"])
def test_home_picker_links_every_region_and_the_national_lines(built_site, lang):
    html = (built_site / ("" if lang == "es" else "en") / "index.html").read_text(encoding="utf-8")
    picker = re.search(r'<nav aria-labelledby="su-region" class="kb-regions">(.*?)</nav>', html, re.S)
    assert picker, "home page: region picker missing"
    hrefs = re.findall(r'<a href="([^"]+)"', picker.group(1))
    expected = [f"directorio/{Path(r).stem}/" for r in REGIONS] + ["directorio/#lineas-nacionales"]
    assert hrefs == expected


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_home_call_tiles_and_region_picker_fit_the_first_screen(browser, site_url, prefix, javascript):
    context, page = phone_page(browser, javascript)
    try:
        page.goto(site_url + prefix)
        tiles = page.locator(".kb-urgent .kb-line")
        assert tiles.count() == 5
        for item in tiles.all() + page.locator(".kb-regions li > a").all() + [page.locator("#su-region")]:
            rect = item.bounding_box()
            assert rect["y"] >= 0 and rect["y"] + rect["height"] <= PHONE["height"], \
                f"/{prefix}: {item.inner_text()!r} is not whole on the first screen ({rect})"
            assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"]
        for call in page.locator(".kb-urgent .kb-line__call").all():
            rect = call.bounding_box()
            assert rect["height"] >= 44 and rect["width"] >= 44
        assert page.locator(".kb-regions li > a").count() == 13
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


# --- 2. Quick exit: always on screen, covers nothing -------------------------------------

PAGES = ["", "directorio/madre-de-dios/", "protocolos/primer-contacto/", "en/identificacion/lista-de-verificacion/",
         "en/formacion/mi-lista/"]


def assert_exit_covers_nothing(page, where: str) -> None:
    exit_box = box(page, "a.kb-exit")
    assert exit_box, f"{where}: quick exit not rendered"
    assert exit_box["y"] >= 0 and exit_box["y"] + exit_box["height"] <= PHONE["height"], f"{where}: off screen"
    assert exit_box["x"] >= 0 and exit_box["x"] + exit_box["width"] <= PHONE["width"], f"{where}: off screen"
    assert exit_box["height"] >= 24 and exit_box["width"] >= 24
    on_top = page.evaluate("""([x, y]) => {
        const el = document.elementFromPoint(x, y); return Boolean(el && el.closest('a.kb-exit')); }""",
                           [exit_box["x"] + exit_box["width"] / 2, exit_box["y"] + exit_box["height"] / 2])
    assert on_top, f"{where}: something covers the quick exit"
    # It sits on the help strip or the sticky header, in room they keep free for it: never over
    # the page content, a call button or one of the header's own controls.
    header = box(page, "header.md-header")
    banner = box(page, ".md-banner")
    strip_or_header = [r for r in (header, banner) if r and r["y"] + r["height"] > 0]
    assert any(r["y"] <= exit_box["y"] and exit_box["y"] + exit_box["height"] <= r["y"] + r["height"]
               for r in strip_or_header), f"{where}: quick exit leaves the help strip and header ({exit_box})"
    for selector in (".md-header__button", ".md-header__title", ".md-search", ".kb-help-strip",
                     ".md-content a[href^='tel:']", ".md-select"):
        for element in page.locator(selector).all():
            other = element.bounding_box()
            if other and other["width"] and other["height"] and element.is_visible():
                assert not overlaps(exit_box, other), f"{where}: quick exit covers {selector} {other}"


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("path", PAGES)
def test_quick_exit_is_on_screen_at_every_scroll_position(browser, site_url, path, javascript):
    context, page = phone_page(browser, javascript)
    try:
        page.goto(site_url + path)
        for fraction in (0, 0.1, 0.5, 1):
            page.evaluate("f => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * f)",
                          fraction)
            page.wait_for_timeout(50)
            assert_exit_covers_nothing(page, f"/{path} scrolled {fraction:.0%}")
    finally:
        context.close()


@pytest.mark.browser
def test_quick_exit_from_the_middle_of_a_long_page_one_tap(browser, site_url):
    context, page = phone_page(browser)
    try:
        page.goto(site_url)
        page.goto(site_url + "directorio/madre-de-dios/")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
        page.locator("a.kb-exit").click()
        page.wait_for_url(EXIT_URL)
        page.go_back()
        assert page.url == site_url, "Back must skip the page that was left (location.replace)"
    finally:
        context.close()


@pytest.mark.browser
def test_quick_exit_stays_clear_of_the_phone_search_and_hides_in_print(browser, site_url):
    context, page = phone_page(browser)
    try:
        page.goto(site_url + "protocolos/")
        page.locator("label.md-header__button[for='__search']").click()
        page.locator("input.md-search__input").fill("trata")
        settled_box(page, "input.md-search__input")
        exit_box = settled_box(page, "a.kb-exit")
        assert exit_box["y"] + exit_box["height"] <= PHONE["height"]
        for selector in ("input.md-search__input", "button.md-search__icon[type='reset']", "label.md-search__icon"):
            other = settled_box(page, selector)
            if other and other["width"]:
                assert not overlaps(exit_box, other), f"quick exit covers {selector}"
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('a.kb-exit')).display") == "none"
    finally:
        context.close()


# --- 3. Checklist you can tick -----------------------------------------------------------

CHECKLIST = "identificacion/lista-de-verificacion/"


def shown_cases(page) -> list[str]:
    return [c.get_attribute("data-kb-ids") or f"{c.get_attribute('data-kb-min')}-{c.get_attribute('data-kb-max') or ''}"
            for c in page.locator(".kb-next__case").all() if c.is_visible()]


def tick(page, indicator: str) -> None:
    page.locator(f"label[for='marca-{indicator}']").click()


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_checklist_says_what_to_do_given_what_is_ticked(browser, site_url, prefix):
    context, page = phone_page(browser)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(site_url + prefix + CHECKLIST)
        boxes = page.locator("input.kb-indicator__check")
        assert boxes.count() >= 12
        rect = boxes.first.bounding_box()
        assert rect["width"] >= 20 and rect["height"] >= 20, "tick boxes too small for a finger"
        assert shown_cases(page) == ["0-0"]
        tick(page, "deuda")
        assert shown_cases(page) == ["1-1"]
        tick(page, "amenazas")
        assert shown_cases(page) == ["amenazas movimiento-restringido acompanante-controla", "2-"]
        tick(page, "nna-en-bar-o-campamento")
        assert shown_cases(page)[0] == "nna-en-bar-o-campamento"
        alarm = page.locator(".kb-next__case--alarm:visible a").first.get_attribute("href")
        assert alarm.endswith("protocolos/ninas-ninos-adolescentes/")
        tick(page, "deuda")
        tick(page, "amenazas")
        tick(page, "nna-en-bar-o-campamento")
        assert shown_cases(page) == ["0-0"]
        # Never stored, never sent: no storage, no cookie, no request while ticking.
        # (Material keeps its own UI settings in storage: compare before and after ticking.)
        storage = """() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage),
                                          document.cookie])"""
        before, stored = len(requests), page.evaluate(storage)
        tick(page, "its-lesiones-genitales")
        assert "violencia-sexual-72-horas" in page.locator(".kb-next__case--alarm:visible a").first.get_attribute("href")
        assert page.evaluate(storage) == stored and "lesiones" not in stored
        assert len(requests) == before
    finally:
        context.close()


@pytest.mark.browser
def test_checklist_ticks_vanish_on_quick_exit_and_when_coming_back(browser, site_url):
    context, page = phone_page(browser)
    try:
        page.goto(site_url + CHECKLIST)
        tick(page, "deuda")
        tick(page, "amenazas")
        # Leave and come back (Back may restore the page from the browser's page cache).
        page.goto(site_url + "protocolos/")
        page.go_back()
        assert page.locator("input.kb-indicator__check:checked").count() == 0
        page.reload()
        assert page.locator("input.kb-indicator__check:checked").count() == 0
        # Quick exit wipes the ticks before it leaves.
        tick(page, "deuda")
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        page.evaluate("""document.addEventListener('kb:exit', () => console.log('ticked:' +
            document.querySelectorAll('input.kb-indicator__check:checked').length))""")
        page.locator("a.kb-exit").click()
        page.wait_for_url(EXIT_URL)
        assert "ticked:0" in messages
    finally:
        context.close()


@pytest.mark.browser
def test_checklist_without_javascript_is_plain_checkboxes_and_every_case(browser, site_url):
    context, page = phone_page(browser, javascript=False)
    try:
        page.goto(site_url + "en/" + CHECKLIST)
        tick(page, "deuda")
        assert page.locator("#marca-deuda").is_checked()
        assert len(shown_cases(page)) == page.locator(".kb-next__case").count() == 7
    finally:
        context.close()


def test_checklist_cases_name_key_indicators_and_link_protocols(built_site):
    from scripts.indicators import key_indicators

    keys = {i["id"] for i in key_indicators("es")}
    for prefix in ("", "en/"):
        html = (built_site / prefix / CHECKLIST / "index.html").read_text(encoding="utf-8")
        named = {i for ids in re.findall(r'data-kb-ids="([^"]+)"', html) for i in ids.split()}
        assert named and named <= keys, f"unknown indicator ids {sorted(named - keys)}"
        cases = re.findall(r'<div class="kb-next__case[^"]*"(.*?)</div>', html, re.S)
        assert len(cases) == 7
        assert all("../../protocolos/" in case or "../como-preguntar/" in case for case in cases)


# --- 4. Training: build your own list ---------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_my_list_fits_a_phone_follows_the_menu_and_labels_the_share_field(browser, site_url, prefix):
    context, page = phone_page(browser)
    try:
        page.goto(site_url + prefix + "formacion/mi-lista/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        keys = page.eval_on_selector_all("li[data-kb-key]", "items => items.map(i => i.dataset.kbKey)")
        position = {key: i for i, key in enumerate(keys)}
        # The menu lists Identificación's pages in this order (not by URL).
        assert (position["identificacion/explotacion-sexual"] < position["identificacion/ninas-ninos-adolescentes"]
                < position["identificacion/lista-de-verificacion"])
        assert position["identificacion/que-es-la-trata"] < position["identificacion/salud-fisica"]
        page.locator("input[value='protocolos/primer-contacto']").check()
        page.locator("input[value='identificacion/salud-fisica']").check()
        page.locator("#kb-milista-form button[type=submit]").click()
        page.wait_for_selector("#kb-milista-link")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        share = page.get_by_label("Enlace de esta lista" if not prefix else "Link to this list")
        assert share.input_value().endswith("?p=identificacion/salud-fisica,protocolos/primer-contacto")
        label, field = box(page, "label[for='kb-milista-link']"), share.bounding_box()
        assert label["y"] + label["height"] <= field["y"], "the share field runs into its label"
        assert field["x"] + field["width"] <= PHONE["width"]
    finally:
        context.close()
