"""Training section: reading lists and their times, answer key, build-your-own list."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from scripts.formacion import (ROLES, extract_answers, fill_reading_times, format_minutes, moved_keys,
                               role_keys, sort_keys)
from scripts.pages import Page

FIXTURES = Path(__file__).parent / "fixtures" / "formacion"
ITEM_RE = re.compile(r'<li data-kb-key="([^"]+)"><a href="([^"]+)">([^<]+)</a>.*?'
                     r'<span class="kb-rt" data-kb-rt="[^"]+" data-min="(\d+)">', re.S)
TOTAL_RE = re.compile(r'data-kb-rt-sum="([^"]*)" data-min="(\d+)"')
FACT_RE = re.compile(r"<dt>(?:Tiempo de lectura|Reading time)</dt><dd>(\d+) min</dd>")


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def page(key: str, audience: list[str]) -> Page:
    return Page(Path(f"{key}.es.md"), f"{key}.es.md", key, "es", {"audience": audience}, {}, "", 1)


# --- Pure functions -------------------------------------------------------------

def test_reading_times_fill_placeholders_and_totals():
    content = ('<span class="kb-rt" data-kb-rt="a/b"></span> '
               '<span class="kb-rt-total" data-kb-rt-sum="a/b c/d"></span>')
    assert fill_reading_times(content, {"a/b": 5, "c/d": 58}, "es") == (
        '<span class="kb-rt" data-kb-rt="a/b" data-min="5">5 min</span> '
        '<span class="kb-rt-total" data-kb-rt-sum="a/b c/d" data-min="63">1 h 03 min</span>')


def test_reading_time_of_an_unknown_page_stops_the_build():
    with pytest.raises(KeyError, match=r"no reading time for page 'x/y' \(is docs/x/y.en.md in the build\?\)"):
        fill_reading_times('<span class="kb-rt" data-kb-rt="x/y"></span>', {}, "en")


def test_minutes_format():
    assert [format_minutes(m, "es") for m in (1, 59, 60, 125)] == ["1 min", "59 min", "1 h 00 min", "2 h 05 min"]


def test_role_list_comes_from_audience_in_the_given_order():
    pages = [page("protocolos/b", ["medicina"]), page("identificacion/a", ["todo-el-personal"]),
             page("protocolos/index", ["medicina"]), page("protocolos/c", ["psicologia"]),
             page("acerca/d", ["medicina"]), page("identificacion/z", ["medicina", "gestion"])]
    keys = role_keys(pages, "medicina", ["protocolos/b"], ["identificacion", "protocolos"])
    assert keys == ["protocolos/b", "identificacion/a", "identificacion/z"]
    assert sort_keys(["b/x", "a/y"], [], ["a", "b"]) == ["a/y", "b/x"]


def test_moved_pages_map_old_list_keys_to_new_ones():
    assert moved_keys({"a/vieja.md": "a/nueva.md#x", "b/x.md": "https://example.org/"}) == {"a/vieja": "a/nueva"}


def test_answers_are_collected_with_their_question_and_heading():
    answers = extract_answers((FIXTURES / "valid_answers.md").read_text(encoding="utf-8"))
    assert [(a.heading, a.number, a.question) for a in answers] == [
        ("Autoevaluación del módulo 1", 1, "Primera pregunta, que sigue en la línea siguiente?"),
        ("Caso 1. En la frontera", None, ""),
    ]
    assert answers[0].body == "Primera respuesta con un [enlace](otra.md).\n\nSegundo párrafo."
    assert answers[1].body == "Respuesta del caso."


# --- The built site ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["", "en/"])
def test_role_list_totals_are_the_sum_of_the_pages_shown_on_each_page(built_site, lang):
    text = read(built_site, f"{lang}formacion/listas-de-lectura")
    lists = text.split('<div class="kb-readings">')[1:]
    assert len(lists) == len(ROLES)
    filled = [block for block in lists if "kb-readings__empty" not in block]
    assert filled, "no role has any page: check the pages' audience"
    for block in filled:
        items = ITEM_RE.findall(block)
        keys, total = TOTAL_RE.search(block).groups()
        assert keys.split() == [key for key, *_ in items]
        assert int(total) == sum(int(minutes) for *_, minutes in items)
        for key, href, _title, minutes in items:
            target = (built_site / f"{lang}formacion/listas-de-lectura" / html.unescape(href) / "index.html").resolve()
            shown = FACT_RE.search(target.read_text(encoding="utf-8"))
            assert shown and shown.group(1) == minutes, f"{key}: list says {minutes} min"


def test_day_pages_list_readings_with_times_and_an_answer_key(built_site):
    for lang in ("", "en/"):
        for day in ("dia-1", "dia-2", "dia-3", "casos"):
            text = read(built_site, f"{lang}formacion/{day}")
            answers = text.count('<details class="note kb-respuesta"') + text.count('<details class="success kb-respuesta"')
            assert answers and text.count('class="kb-answer-key__item"') == answers, f"{lang}{day}"
            if day != "casos":
                assert 'class="kb-rt-total"' in text and 'data-kb-rt=' in text
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if "Clave de respuestas" in d["text"]]


def test_at_least_eight_cases_each_with_questions_and_a_model_answer(built_site):
    text = read(built_site, "formacion/casos")
    cases = re.findall(r'<h2 id="(caso-[a-z-]+)"', text)
    assert len(cases) >= 8
    assert text.count("Preguntas para discutir") == len(cases)


# --- In the browser ---------------------------------------------------------------



def tick_and_make_link(page, url: str, keys: list[str]) -> str:
    page.goto(url)
    for key in keys:
        page.locator(f'li[data-kb-key="{key}"] input[type=checkbox]').check()
    page.locator("#kb-milista-title").fill("Semana 1")
    page.locator("#kb-milista-form button[type=submit]").click()
    page.wait_for_selector("#kb-milista-link")
    return page.locator("#kb-milista-link").input_value()


@pytest.mark.browser
def test_custom_list_link_opens_the_same_list_in_a_fresh_page(browser, page, site_url):
    keys = ["identificacion/que-es-la-trata", "formacion/casos"]
    link = tick_and_make_link(page, site_url + "formacion/mi-lista/", keys)
    assert "?p=identificacion/que-es-la-trata,formacion/casos&t=Semana%201" in link
    fresh = browser.new_context().new_page()
    fresh.goto(link.replace("https://example.org/guia/", site_url))
    items = fresh.locator(".kb-milista__list li")
    assert [items.nth(i).get_attribute("data-kb-key") for i in range(items.count())] == keys
    assert fresh.locator("#kb-milista-heading").inner_text() == "Semana 1"
    assert "Casos para discusión" in fresh.locator(".kb-milista__list").inner_text()
    # the same keys in English, and the assignment sheet in print
    fresh.goto(site_url + "en/formacion/mi-lista/?p=" + ",".join(keys))
    assert "Case scenarios" in fresh.locator(".kb-milista__list").inner_text()
    fresh.emulate_media(media="print")
    assert fresh.locator(".kb-milista__picker").is_hidden()
    assert fresh.locator(".kb-milista__fill").is_visible()
    fresh.context.close()


@pytest.mark.browser
def test_custom_list_works_offline_from_file(page, offline_site):
    url = (offline_site / "formacion" / "mi-lista.html").as_uri()
    page.goto(url + "?p=formacion/casos,formacion/dia-1")
    assert page.locator(".kb-milista__list li").count() == 2
    assert page.locator(".kb-milista__list a").first.get_attribute("href").endswith("formacion/casos.html")
    link = tick_and_make_link(page, url, ["formacion/dia-2"])
    assert link.startswith("file://") and link.endswith("?p=formacion/dia-2&t=Semana%201")


@pytest.mark.browser
def test_without_javascript_the_catalogue_is_a_list_of_links(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(site_url + "formacion/mi-lista/")
    assert plain.locator(".kb-milista li a").count() > 10
    assert plain.locator(".kb-milista input[type=checkbox]").first.is_hidden()
    context.close()


@pytest.mark.browser
def test_answers_collapse_on_screen_and_print_on_their_own_sheet(page, site_url):
    page.goto(site_url + "formacion/dia-1/")
    assert page.locator(".kb-answer-key").is_hidden()
    assert page.locator("details.kb-respuesta").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator(".kb-answer-key").is_visible()
    assert page.locator("details.kb-respuesta").first.is_hidden()
    assert page.locator(".kb-answer-key").evaluate("e => getComputedStyle(e).breakBefore") == "page"


# --- The reading-list file (docs/_data/formacion/lecturas.yml), issues 17 and 18 ----------

def test_secciones_as_a_string_is_refused_with_file_line_and_field():
    from scripts.formacion import check_readings

    problems = check_readings(FIXTURES / "invalid_secciones_string.yml")
    assert [p.format() for p in problems] == [
        "tests/fixtures/formacion/invalid_secciones_string.yml:2: secciones: must be a list of section "
        "folders, not a string ('identificacion, protocolos') → write one per line under 'secciones:', "
        "e.g. '  - identificacion'"]


def test_bad_roles_are_refused_one_problem_each():
    from scripts.formacion import check_readings

    shown = "tests/fixtures/formacion/invalid_roles.yml"
    found = {(p.line, p.field, p.message) for p in check_readings(FIXTURES / "invalid_roles.yml")}
    assert (3, "orden", "must be a list of page keys, not a string ('protocolos/primer-contacto')") in found
    assert (10, "roles.partera", "unknown role") in found
    assert (6, "roles.medicina.por_que", "must give the reason in both languages") in found
    assert (7, "roles.medicina.primero[1]", "no page 'protocolos/no-existe' (docs/protocolos/no-existe.es.md)") in found
    assert (8, "roles.medicina.sin", "'protocolos/primer-contacto' is both read first and left out") in found
    assert (9, "roles.medicina.extra", "unknown field") in found
    assert (4, "roles.enfermeria", "missing: every role states why its list differs") in found
    assert all(p.path == shown for p in check_readings(FIXTURES / "invalid_roles.yml"))


def test_a_bad_reading_file_stops_the_marker_with_the_problem():
    from scripts.formacion import load_order
    from scripts.markers import MarkerError

    with pytest.raises(MarkerError, match=r"invalid_secciones_string.yml:2: secciones: must be a list"):
        load_order(FIXTURES / "invalid_secciones_string.yml")


def test_the_real_reading_file_is_valid():
    from scripts.formacion import check_readings

    assert [p.format() for p in check_readings()] == []


def test_role_list_reads_first_adds_and_leaves_out():
    pages = [page("protocolos/b", ["medicina"]), page("identificacion/a", ["todo-el-personal"]),
             page("protocolos/c", ["psicologia"]), page("marco-legal/d", ["todo-el-personal"])]
    sections = ["identificacion", "protocolos", "marco-legal"]
    keys = role_keys(pages, "medicina", ["identificacion/a"], sections, first=["protocolos/c", "protocolos/b"],
                     left_out=["marco-legal/d"])
    assert keys == ["protocolos/c", "protocolos/b", "identificacion/a"]


def test_catalogue_follows_the_navigation_order():
    from scripts.formacion import catalogue_keys, nav_keys, nav_sections

    nav = [{"Inicio": "index.md"}, {"Identificación": ["identificacion/index.md", "identificacion/que-es.md",
                                                       "identificacion/explotacion.md", "identificacion/lista.md"]},
           {"Marco": ["marco-legal/ley.md"]}, {"Protocolos": ["protocolos/primer.md"]}]
    order = nav_keys(nav)
    assert order == ["index", "identificacion/index", "identificacion/que-es", "identificacion/explotacion",
                     "identificacion/lista", "marco-legal/ley", "protocolos/primer"]
    sections = nav_sections(order, ["identificacion", "protocolos", "marco-legal"])
    assert sections == ["identificacion", "marco-legal", "protocolos"]
    pages = [page(k, []) for k in ("identificacion/lista", "identificacion/explotacion", "identificacion/que-es",
                                   "protocolos/primer", "marco-legal/ley")]
    assert catalogue_keys(pages, sections, order) == ["identificacion/que-es", "identificacion/explotacion",
                                                      "identificacion/lista", "marco-legal/ley", "protocolos/primer"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_role_lists_differ_and_say_why(built_site, lang):
    html_text = read(built_site, ("en/" if lang == "en" else "") + "formacion/listas-de-lectura")
    lists = {}
    for role in ROLES:
        block = html_text.split(f'id="{role}"', 1)[1].split("<h2", 1)[0]
        assert 'class="kb-readings__why"' in block, f"{role}: no reason shown"
        lists[role] = tuple(re.findall(r'<li data-kb-key="([^"]+)"', block))
    assert len(set(lists.values())) == len(ROLES), "two roles have the same list"
    assert len({frozenset(v) for v in lists.values()}) == len(ROLES), "two roles read the same pages"
    assert "marco-legal/codigo-penal" not in lists["admision-seguridad"]
    assert "protocolos/violencia-sexual-72-horas" in lists["psicologia"]
    assert lists["medicina"][:2] == ("protocolos/primer-contacto", "protocolos/emergencia-lesiones")
