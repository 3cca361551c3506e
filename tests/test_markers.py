"""Markers: unknown markers stop the build; renderers get the page's language and escape data."""

import pytest

from scripts.markers import MarkerContext, MarkerError, register, render_markers


def make_context(name, args):
    return MarkerContext(name=name, args=args, lang="es", src_uri="x.es.md", meta={},
                         render=lambda template, **v: f"<p>{template}</p>")


def test_unknown_marker_names_file_line_and_known_markers():
    with pytest.raises(MarkerError) as error:
        render_markers("# T\n\n<!-- kb:no-existe -->\n", make_context, "docs/x.es.md")
    assert str(error.value).startswith("docs/x.es.md:3: unknown marker 'kb:no-existe' → known markers: ")
    assert "fuentes" in str(error.value) and "lineas-nacionales" in str(error.value)


def test_marker_inside_text_or_code_is_left_alone():
    text = "Use `<!-- kb:fuentes -->` on its own line.\n\n```\n<!-- kb:no-existe -->\n```\n"
    assert render_markers(text, make_context, "x") == text


def test_marker_args_and_failure_are_reported():
    @register("prueba")
    def _render(ctx):
        if ctx.args.get("fallar") == "si":
            raise ValueError("dato malo")
        return f"<b>{ctx.args['a']}-{ctx.lang}</b>"

    assert "<b>1-es</b>" in render_markers("<!-- kb:prueba a=1 -->", make_context, "x")
    with pytest.raises(MarkerError, match=r"^docs/y.es.md:2: marker 'kb:prueba' failed: dato malo$"):
        render_markers("\n<!-- kb:prueba fallar=si -->", make_context, "docs/y.es.md")
