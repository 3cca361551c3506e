"""Flow diagrams (scripts/flows.py): data checks with exact messages, safe SVG, text version."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from scripts import ROOT
from scripts.flows import FLOWS_DIR, check_flows, load_flow, render_flow, render_svg, text_version
from scripts.markers import MarkerContext, MarkerError

FIXTURES = Path(__file__).parent / "fixtures" / "flows"


def messages(name: str) -> list[str]:
    return [p.format() for p in load_flow(FIXTURES / name)[1]]


def test_real_flows_are_valid():
    assert check_flows(FLOWS_DIR) == []


def test_valid_fixture_has_no_problem():
    assert messages("valid_small.yml") == []


def test_unknown_target_and_unreachable_step():
    assert messages("invalid_target.yml") == [
        "tests/fixtures/flows/invalid_target.yml:6: steps[0].next: unknown step 'z' → steps in this flow: a, b",
        "tests/fixtures/flows/invalid_target.yml:7: steps[1].id: step 'b' cannot be reached from the first step"
        " → point a 'next' or a branch to it, or remove it",
    ]


def test_missing_language():
    assert messages("invalid_language.yml") == [
        "tests/fixtures/flows/invalid_language.yml:2: title: missing language 'en' → add 'en:' with the text in that language",
        "tests/fixtures/flows/invalid_language.yml:7: steps[0].text: missing language 'en' → add 'en:' with the text in that language",
    ]


def test_duplicate_step_id():
    assert messages("invalid_duplicate.yml") == [
        "tests/fixtures/flows/invalid_duplicate.yml:9: steps[2].id: duplicate step id 'b' → step ids must be unique in a flow",
    ]


def test_cycle_is_refused():
    assert messages("invalid_backwards.yml") == [
        "tests/fixtures/flows/invalid_backwards.yml:12: steps[1].branches[0].to: points back to step 'a'"
        " → flows run top to bottom: a step may only lead to a later step",
    ]


def test_shape_errors():
    assert messages("invalid_shape.yml") == [
        "tests/fixtures/flows/invalid_shape.yml:3: colour: unknown field → use only: id, steps, title",
        "tests/fixtures/flows/invalid_shape.yml:1: id: 'other-name' does not match the file name 'invalid_shape.yml'",
        "tests/fixtures/flows/invalid_shape.yml:6: steps[0].kind: unknown kind 'question' → use one of: action, decision, end, alert",
        "tests/fixtures/flows/invalid_shape.yml:9: steps[0]: has both 'next' and 'branches'"
        " → keep one: 'next' for one way on, 'branches' for a decision",
        "tests/fixtures/flows/invalid_shape.yml:9: steps[0].branches: must be a list of at least two branches"
        " → use 'next:' for a single way on",
        "tests/fixtures/flows/invalid_shape.yml:9: steps[0].kind: a step with branches must have 'kind: decision'",
        "tests/fixtures/flows/invalid_shape.yml:13: steps[1].branches: a decision needs at least two branches",
    ]


def test_yaml_syntax_error_is_a_problem():
    assert messages("invalid_yaml.yml") == [
        "tests/fixtures/flows/invalid_yaml.yml:3: not valid YAML → quote texts that contain ':', '?', '{' or start with '¿'",
    ]


@pytest.fixture()
def small_flow():
    flow, problems = load_flow(FIXTURES / "valid_small.yml")
    assert problems == []
    return flow


@pytest.mark.parametrize("lang", ["es", "en"])
def test_svg_is_accessible_and_self_contained(small_flow, lang):
    svg = render_svg(small_flow, lang)
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg and 'width="100%"' in svg and 'viewBox="0 0 360 ' in svg
    assert re.search(r"<title id=\"[^\"]+\">.+</title><desc id=", svg)
    # No reference to anything outside the document: only #fragment urls.
    assert not re.search(r'(?:href|src)\s*=\s*"(?!#)', svg)
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert re.findall(r"url\(([^)]*)\)", svg) == ["#kb-flow-valid_small-arrow"] * svg.count("marker-end")


def test_svg_escapes_text(small_flow):
    svg = render_svg(small_flow, "es")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "Prueba &lt;b&gt;&amp;&lt;/b&gt;" in svg


def test_text_version_numbers_branches(small_flow):
    items = text_version(small_flow, "es")
    assert [i["number"] for i in items] == [1, 2, 3]
    assert items[0]["ways"] == [{"label": "Si sí", "number": 2}, {"label": "Si no", "number": 3}]
    assert items[2]["end"] is True
    assert text_version(small_flow, "en")[0]["ways"][0] == {"label": "If yes", "number": 2}


def context(args: dict[str, str], lang: str = "es") -> MarkerContext:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "overrides")), autoescape=True)
    return MarkerContext(name="flujo", args=args, lang=lang, src_uri="protocolos/x.es.md", meta={},
                         render=lambda template, **kw: env.get_template(template).render(**kw))


def test_marker_renders_figure_svg_and_numbered_list():
    html = render_flow(context({"id": "primer-contacto"}))
    assert html.startswith('<figure class="kb-flow" id="flujo-primer-contacto">')
    assert "<svg " in html and '<ol class="kb-flow__list">' in html
    assert 'Si sí → <a href="#flujo-primer-contacto-paso-2">paso 2</a>' in html
    assert "\n\n" not in html   # one raw HTML block for Markdown
    assert "If yes → " in render_flow(context({"id": "primer-contacto"}, "en"))


def test_marker_unknown_flow():
    with pytest.raises(MarkerError, match="no flow 'nada': expected docs/_data/flujos/nada.yml"):
        render_flow(context({"id": "nada"}))


def test_check_flows_command_reports_each_problem(tmp_path, capsys):
    import argparse
    import shutil

    from scripts.flows import run_check_flows

    flows = tmp_path / "_data" / "flujos"
    flows.mkdir(parents=True)
    shutil.copy(FIXTURES / "invalid_duplicate.yml", flows / "invalid_duplicate.yml")
    assert run_check_flows(argparse.Namespace(docs_dir=tmp_path)) == 1
    out = capsys.readouterr().out
    assert "steps[2].id: duplicate step id 'b'" in out and "1 problem(s) found." in out
    (flows / "invalid_duplicate.yml").unlink()
    assert run_check_flows(argparse.Namespace(docs_dir=tmp_path)) == 0
