"""National lines on the home page: a short `summary` per line, read whole (formato=resumen)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from scripts import ROOT
from scripts.directory.render import render_national_lines
from scripts.directory.validate import validate_contacts
from scripts.markers import MarkerContext, MarkerError

TODAY = dt.date(2026, 12, 1)
FIXTURES = ROOT / "tests" / "fixtures" / "contacts"


def _context(args, lang="es", contacts_dir=None):
    extra = {"contacts_dir": contacts_dir} if contacts_dir else {}
    return MarkerContext(name="lineas-nacionales", args=args, lang=lang, src_uri="index.es.md", meta={},
                         render=lambda template, **variables: variables, extra=extra)


def test_resumen_shows_each_lines_summary_instead_of_its_description():
    full = render_national_lines(_context({}))["lines"]
    brief = render_national_lines(_context({"formato": "resumen"}))["lines"]
    assert [line["id"] for line in brief] == [line["id"] for line in full]
    by_id = {line["id"]: line["description"] for line in brief}
    assert by_id["linea-1818"] == "Denunciar trata. Gratuita y confidencial."
    assert all(len(text) <= 60 for text in by_id.values())
    english = {line["id"]: line["description"] for line in render_national_lines(_context({"formato": "resumen"}, "en"))["lines"]}
    assert english["pnp-105"] == "Police: immediate danger."
    assert by_id["samu-106"] != next(line["description"] for line in full if line["id"] == "samu-106")


def test_a_line_without_summary_stops_the_resumen_format(tmp_path):
    folder = tmp_path / "contactos"
    folder.mkdir()
    text = (ROOT / "docs" / "_data" / "contactos" / "nacional.yml").read_text(encoding="utf-8")
    kept = [line for line in text.split("\n") if not (line.startswith("    summary:") and "Policía" in line)]
    (folder / "nacional.yml").write_text("\n".join(kept), encoding="utf-8")
    with pytest.raises(MarkerError, match=r"formato=resumen: no summary for pnp-105: add summary"):
        render_national_lines(_context({"formato": "resumen"}, contacts_dir=folder))
    assert render_national_lines(_context({}, contacts_dir=folder))["lines"]          # other formats need none


def _with_summary(tmp_path, summary_line: str) -> Path:
    folder = tmp_path / "contactos"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "valid_piura.yml", folder / "piura.yml")
    text = (FIXTURES / "valid_nacional.yml").read_text(encoding="utf-8")
    first = text.index("    description:")
    (folder / "nacional.yml").write_text(text[:first] + summary_line + "\n" + text[first:], encoding="utf-8")
    return folder


def test_a_summary_is_short_bilingual_and_checked_like_every_shown_text(tmp_path):
    assert validate_contacts(_with_summary(tmp_path / "ok", '    summary: {es: "Denunciar trata.", en: "Report trafficking."}'), TODAY) == []
    long = _with_summary(tmp_path / "long", '    summary: {es: "' + "x" * 61 + '", en: "Report."}')
    assert [(p.field, "too long" in p.message) for p in validate_contacts(long, TODAY)] == [("linea-100.summary.es", True)]
    one = _with_summary(tmp_path / "one", '    summary: {es: "Denunciar trata."}')
    assert [(p.field, p.message) for p in validate_contacts(one, TODAY)] == [
        ("linea-100.summary.en", "missing required field 'en'")]
    hidden = _with_summary(tmp_path / "bidi", '    summary: {es: "Denunciar\u202etrata.", en: "Report trafficking."}')
    assert [p.field for p in validate_contacts(hidden, TODAY)] == ["linea-100.summary.es"]


def test_a_summary_never_shows_readers_an_internal_reference(tmp_path):
    leaky = _with_summary(tmp_path, '    summary: {es: "Denunciar trata (FACTS.md).", en: "Report trafficking."}')
    assert [(p.field, p.message) for p in validate_contacts(leaky, TODAY)] == [
        ("linea-100.summary.es", "shows readers an internal reference ('FACTS.md')")]
