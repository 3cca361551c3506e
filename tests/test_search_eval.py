"""Search quality (issue 16): the evaluation set through Material's real worker, http and file://.

One page per language and run; every query goes through the same search box, so the whole
set takes seconds. Timings are printed by `python -m scripts bench-search`, not asserted.
"""

from __future__ import annotations

import json

import pytest

from scripts.search_eval import (
    MIN_QUERIES, MIN_RECALL_AT_3, Outcome, Query, evaluate_site, load_eval_set, misses, missing_pages, page_path,
    score)
from scripts.search_rank import (
    SearchWords, document_weight, everyday_words, load_search_words, normalise, plugin_source, prepare_index)

# --- Pure parts ---------------------------------------------------------------


def test_the_evaluation_set_is_valid_and_big_enough():
    queries, problems = load_eval_set()
    assert problems == []
    assert len(queries) >= MIN_QUERIES
    assert {q.lang for q in queries} == {"es", "en"}
    assert sum(q.lang == "en" for q in queries) >= MIN_QUERIES // 2


def test_bad_evaluation_entries_are_reported(tmp_path):
    path = tmp_path / "evaluacion.yml"
    path.write_text("es:\n  - {q: '', pagina: protocolos/}\n  - {q: x, pagina: /protocolos/x}\n"
                    "  - {q: y, pagina: protocolos/y/, extra: 1}\nfr: []\n", encoding="utf-8")
    queries, problems = load_eval_set(path)
    fields = sorted(p.field for p in problems)
    assert "es[1].q" in fields and "es[2].pagina" in fields and "es[3].extra" in fields and "fr" in fields
    assert "en" in fields                       # the English list is missing
    assert [q.text for q in queries] == ["y"]


def test_page_path_from_http_and_file_links():
    assert page_path("http://h/en/protocolos/x/#pasos", "http://h/en/") == "protocolos/x/"
    assert page_path("file:///tmp/o/en/protocolos/x.html#a", "file:///tmp/o/en/") == "protocolos/x/"
    assert page_path("file:///tmp/o/directorio/index.html", "file:///tmp/o/") == "directorio/"
    assert page_path("file:///tmp/o/index.html", "file:///tmp/o/") == ""


def test_score_and_rank():
    query = Query("es", "q", ("a/",))
    outcomes = [Outcome(query, ("a/", "b/"), 10), Outcome(query, ("b/", "c/", "a/"), 30),
                Outcome(query, ("b/",), 20), Outcome(Query("es", "r", ("d/*",)), ("d/x/",), 5)]
    result = score(outcomes)
    assert result["recall@1"] == 0.5 and result["recall@3"] == 0.75
    assert result["mrr"] == pytest.approx((1 + 1 / 3 + 0 + 1) / 4)
    assert misses(outcomes) == [outcomes[2]]


def test_search_words_file_is_valid():
    words, problems = load_search_words()
    assert problems == []
    assert words.sections["protocolos"][0] == {"es": "Protocolo", "en": "Protocol"}
    assert words.sections["protocolos"][1] > words.sections["formacion"][1] > words.sections["acerca"][1]
    assert "de" in words.stop["es"] and "the" in words.stop["en"]


def test_bad_search_words_are_reported(tmp_path):
    path = tmp_path / "palabras.yml"
    path.write_text("secciones:\n  protocolos: {etiqueta: {es: Protocolo}, peso: 1}\n"
                    "  formacion: {etiqueta: {es: F, en: T}, peso: 0}\n"
                    "vacias: {es: [de, la]}\n"
                    "palabras:\n  - escriben: {es: [x], en: [y]}\n    buscar: {es: []}\n"
                    "  - escriben: {es: [de la], en: [word]}\n    buscar: {es: [x], en: [y]}\n"
                    "erratas:\n  es: {telefono: teléfono}\n", encoding="utf-8")
    _, problems = load_search_words(path)
    found = {(p.field, p.message) for p in problems}
    assert ("secciones.protocolos.etiqueta", "needs a label in es and en") in found
    assert any(f == "secciones.formacion.peso" for f, _ in found)
    assert ("vacias", "needs a word list for each language: es and en") in found
    assert ("palabras[1].buscar", "needs a word list for each language: es and en") in found
    assert ("erratas.es.telefono", "the misspelling equals the correct word") in found
    assert ("palabras[2].escriben.es", "'de la' is made only of stop words: search never sees it") in found


def test_everyday_words_go_to_title_or_text_field():
    words, _ = load_search_words()
    rules, typos = words.rules["es"], words.typos["es"]
    in_title, in_text = everyday_words({"title": "Violencia sexual: primeras 72 horas", "text": ""}, rules, typos)
    assert "violacion" in in_title.split() and in_text == ""
    in_title, in_text = everyday_words(
        {"title": "Pasos", "text": "<p>Llame al CEM. El CEM atiende.</p>"}, rules, typos)
    assert in_title == "" and "centro emergencia mujer" in in_text       # acronym -> meaning
    in_title, _ = everyday_words({"title": "Centro Emergencia Mujer", "text": ""}, rules, typos)
    assert "cem" in in_title.split()                                       # meaning -> acronym
    _, in_text = everyday_words({"title": "x", "text": "adolescentes y adolescentes"}, rules, typos)
    assert "adolecentes" in in_text.split()                                # misspelling


def test_everyday_words_are_kept_per_rules_and_text():
    """Kept results (serve rebuilds) never outlive a change of the rules or of the text."""
    from scripts.search_rank import Rule
    doc = {"title": "Pasos", "text": "<p>Llame al CEM. El CEM atiende.</p>"}
    cem = [Rule(("centro emergencia mujer",), ("CEM",))]
    assert everyday_words(doc, cem, {}) == ("", "centro emergencia mujer")
    assert everyday_words(doc, cem, {}) == ("", "centro emergencia mujer")        # from the memo
    assert everyday_words(doc, [Rule(("linea cien",), ("CEM",))], {}) == ("", "linea cien")
    assert everyday_words(doc, cem, {"atiede": "atiende"}) == ("", "centro emergencia mujer atiede")
    assert everyday_words({**doc, "text": "<p>Llame al CEM.</p>"}, cem, {}) == ("", "")   # once is not enough
    assert everyday_words({**doc, "text": "<p>cem, cem</p>"}, cem, {}) == ("", "")      # an acronym is exact


def test_strong_rules_and_sections_lift_their_page():
    words, _ = load_search_words()
    index = {"config": {}, "docs": [
        {"location": "protocolos/x/", "title": "Violencia sexual", "text": ""},
        {"location": "protocolos/x/#pasos", "title": "Pasos",
         "text": "<li>Anticoncepción oral de emergencia (AOE): hasta 120 horas</li>"}]}
    prepare_index(index, "es", words)
    page, steps = index["docs"]
    assert "pastilla" in steps["kt"].split()          # fuerte: true, said once in the text
    assert "pastilla" in page["kx"].split()           # and its page answers to it too


def test_weights_labels_and_config():
    words, _ = load_search_words()
    assert document_weight("protocolos/x/", words) > document_weight("formacion/x/", words)
    assert document_weight("acerca/accesibilidad/", words) < document_weight("formacion/x/", words)
    assert document_weight("protocolos/x/#fuentes", words) < document_weight("protocolos/x/#pasos", words)
    index = {"config": {"lang": ["es"], "fields": {"title_folded": {}}},
             "docs": [{"location": "protocolos/x/", "title": "Violencia sexual", "text": "", "title_folded": "x"},
                      {"location": "protocolos/x/#pasos", "title": "Pasos", "text": ""}]}
    prepare_index(index, "es", words)
    assert index["config"]["lang"] == ["kbes"] and "tags" not in index["config"]["fields"]
    assert index["docs"][0]["tags"] == ["Protocolo"] and "tags" not in index["docs"][1]
    assert "title_folded" not in index["docs"][0]
    assert normalise("<b>Niñas,</b> niños") == " ninas ninos "


def test_plugin_source_embeds_stop_words_as_json():
    source = plugin_source("en", SearchWords(stop={"es": [], "en": ["the", "</script>"]}))
    assert '"stop": ["the", "</script>"]' in source and "__KB_SEARCH_DATA__" not in source
    assert 'lunr[DATA.name]' in source and '"name": "kben"' in source


def test_built_index_expectations_exist(built_site):
    queries, _ = load_eval_set()
    assert missing_pages(queries, built_site) == []
    es = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert es["config"]["lang"] == ["kbes"] and set(es["config"]["fields"]) == {"title", "text", "kt", "kx"}


# --- Through Material's worker ----------------------------------------------------


def _report(outcomes: dict[str, list[Outcome]]) -> str:
    lines = []
    for lang, items in outcomes.items():
        lines += [f"[{lang}] {o.query.text!r}: rank {o.rank}; got {list(o.results[:3])}" for o in misses(items)]
    return "\n".join(lines)


@pytest.mark.browser
def test_recall_at_3_over_http(browser, built_site, site_url):
    queries, _ = load_eval_set()
    outcomes = evaluate_site(browser, built_site, queries, site_url)
    for lang, items in outcomes.items():
        assert score(items)["recall@3"] >= MIN_RECALL_AT_3, f"{lang}: recall@3 below 95 %\n{_report(outcomes)}"
    # results say where they are from
    labels = {label for items in outcomes.values() for o in items for label in o.labels}
    assert {"Protocolo", "Directorio", "Identificación", "Protocol", "Directory", "Identification"} <= labels


@pytest.mark.browser
def test_recall_at_3_from_file_urls(browser, offline_site):
    queries, _ = load_eval_set()
    outcomes = evaluate_site(browser, offline_site, queries)
    for lang, items in outcomes.items():
        assert score(items)["recall@3"] >= MIN_RECALL_AT_3, f"{lang}: recall@3 below 95 %\n{_report(outcomes)}"


@pytest.mark.browser
@pytest.mark.parametrize("prefix,query", [("", "menor de edad"), ("", "trafico de migrantes"),
                                          ("", "senales de alerta"), ("", "anticoncepcion de emergencia"),
                                          ("en/", "the rights of a child")])
def test_short_words_never_bring_the_about_pages_first(browser, built_site, site_url, prefix, query):
    lang = "en" if prefix else "es"
    outcomes = evaluate_site(browser, built_site, [Query(lang, query, ("x/",))], site_url)[lang]
    assert outcomes[0].results, f"no result for {query!r}"
    assert not outcomes[0].results[0].startswith("acerca/"), outcomes[0].results[:3]


def test_check_search_data_reports_a_missing_expected_page(tmp_path):
    from scripts.search_eval import check_search_data

    problems = check_search_data(tmp_path)          # an empty "site": every expected page is missing
    assert problems and all(p.message.endswith("is not in the built site") for p in problems)
    assert check_search_data() == []


@pytest.mark.browser
def test_odd_queries_never_break_the_worker(page, site_url):
    from scripts.search_eval import RUN_QUERIES_JS

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 900})     # the search box is in the header
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    odd = ["*", "+", "-", "~", "^", "ab*cd", "*ino", "title:mina", '"violencia sexual"', "violencia~",
           "🙂", "<img src=x>", "a" * 300, "¿qué?", "de de de", "NIÑAS", "niño*"]
    results = page.evaluate(RUN_QUERIES_JS, odd)
    assert errors == []
    found = {r["query"]: len(r["links"]) for r in results}
    assert found["de de de"] == 0                       # stop words only: nothing, not "declaración"
    assert found["NIÑAS"] and found["niño*"] and found['"violencia sexual"']
