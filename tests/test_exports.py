"""Open-data exports (scripts/directory/exports.py): hostile text is neutralised, counts agree."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from scripts.directory import CONTACTS_DIR, NATIONAL, directory_views
from scripts.directory.exports import (csv_cell, read_csv, read_vcards, to_csv, to_vcards, vcard,
                                       vcard_text, vcard_value)

TODAY = dt.date(2026, 11, 29)


def _entry(**changes) -> dict:
    """A real national entry (as the exports see it) with some fields replaced."""
    base = directory_views(CONTACTS_DIR, TODAY)[NATIONAL][0]
    return {**base, **changes}


# --- CSV: formula injection (issue 17) ----------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"https://x.example\",\"clic\")", "'=HYPERLINK(\"https://x.example\",\"clic\")"),
    ("+51 1 411 9999", "'+51 1 411 9999"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\uff1dcmd", "'\uff1dcmd"),                 # full-width equals sign
    ("CEM Puno", "CEM Puno"),
    ("(01) 411 9999", "(01) 411 9999"),
    ("a=b", "a=b"),                              # only the first character matters
    ("", ""),
    (None, ""),
])
def test_csv_cell_neutralises_formula_starters(value, expected):
    assert csv_cell(value) == expected


def test_csv_export_writes_every_hostile_field_as_text():
    hostile = _entry(name={"es": "=cmd|' /C calc'!A0", "en": "@SUM(1+1)"},
                     description={"es": "-1+1", "en": "+1"}, source="\r=2+5")
    rows = read_csv(to_csv({NATIONAL: [hostile]}))
    assert len(rows) == 1
    row = rows[0]
    assert row["name_es"] == "'=cmd|' /C calc'!A0"
    assert row["name_en"] == "'@SUM(1+1)"
    assert row["description_es"] == "'-1+1"
    assert row["description_en"] == "'+1"
    assert row["source"] == "'\r=2+5"
    # No cell of the whole file starts a formula.
    for record in csv.reader(io.StringIO(to_csv({NATIONAL: [hostile]}))):
        assert not [cell for cell in record if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_export_of_the_real_data_has_no_formula_cell():
    payload = to_csv(directory_views(CONTACTS_DIR, TODAY))
    for record in csv.reader(io.StringIO(payload)):
        assert not [cell for cell in record if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# --- vCard: line breaks (issue 17, RFC 6350 §3.4) -----------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("a\rb", "a\\nb"),                           # a bare CR
    ("a\nb", "a\\nb"),
    ("a\r\nb", "a\\nb"),                         # CRLF is one line break, not two
    ("a\u2028b\u2029c\x85d", "a\\nb\\nc\\nd"),   # Unicode line and paragraph separators, NEL
    ("a,b;c\\d", "a\\,b\\;c\\\\d"),
    ("tab\there", "tab here"),
    ("bell\x07\x00", "bell"),
])
def test_vcard_text_escapes_per_rfc_6350(value, expected):
    assert vcard_text(value) == expected


def test_vcard_value_never_breaks_the_line():
    assert vcard_value("https://x.example/\r\nEND:VCARD\rBEGIN:VCARD") == "https://x.example/END:VCARDBEGIN:VCARD"


def test_bare_cr_in_a_field_cannot_inject_a_property():
    hostile = _entry(name={"es": "Línea\rTEL:+51999999999", "en": "Line\rTEL:+51999999999"},
                     description={"es": "uno\r\nEND:VCARD\nBEGIN:VCARD\rFN:falso", "en": "x"},
                     url="https://x.example/\rTEL:+51888888888", emails=["a@x.example\rTEL:1"])
    payload = vcard(hostile, "es")
    physical = payload.split("\r\n")
    assert physical[-1] == ""
    lines = [line for line in "\r\n".join(physical[:-1]).replace("\r\n ", "").split("\r\n")]
    assert "\r" not in "".join(lines) and "\n" not in "".join(lines)
    assert [line for line in lines if line.startswith("TEL")] == [
        f"TEL;TYPE=VOICE:{p['e164'] or p['number']}" for p in hostile["phones"]]
    assert lines.count("BEGIN:VCARD") == lines.count("END:VCARD") == 1
    assert "FN:Línea\\nTEL:+51999999999" in lines
    assert "URL:https://x.example/TEL:+51888888888" in lines
    card = read_vcards(payload)
    assert len(card) == 1
    assert card[0]["FN"] == "Línea\nTEL:+51999999999"
    assert card[0]["NOTE"].startswith("uno\nEND:VCARD\nBEGIN:VCARD\nFN:falso")


def test_vcard_round_trip_keeps_backslashes_and_commas():
    entry = _entry(name={"es": "C:\\new, dir; x", "en": "y"})
    assert read_vcards(vcard(entry, "es"))[0]["FN"] == "C:\\new, dir; x"


def test_vcard_file_of_a_region_is_crlf_only():
    payload = to_vcards("puno", directory_views(CONTACTS_DIR, TODAY), "es")
    assert "\r" not in payload.replace("\r\n", "") and "\n" not in payload.replace("\r\n", "")


# --- Every imported service, with its provenance; counts equal everywhere (issue 14) ------

def _views():
    return directory_views(CONTACTS_DIR, TODAY)


def test_json_and_csv_carry_every_imported_service_with_its_provenance():
    from scripts.directory.exports import read_json, to_json

    views = _views()
    imported = [v for region in views for v in views[region] if v.get("provenance")]
    assert len(imported) >= 276                                        # CEM 225, SAR 34, SAU 4, UPE 13
    services = {s["id"]: s for s in read_json(to_json(views, TODAY))}
    rows = {r["id"]: r for r in read_csv(to_csv(views))}
    for view in imported:
        source = view["provenance"]
        prov = services[view["id"]]["x_provenance"]
        assert prov["dataset"] == source["dataset"] and prov["record"] == source["record"]
        assert prov["sha256"] == source["sha256"] and prov["imported_on"] == source["imported_on"].isoformat()
        assert prov["read_from"] == source["read_from"] and prov["file"] == source["file"]
        row = rows[view["id"]]
        assert (row["provenance_dataset"], row["provenance_record"], row["provenance_sha256"]) == (
            source["dataset"], source["record"], source["sha256"])
        assert row["province"] == view["province"] and row["district"] == view["district"]
        assert row["status_es"].startswith("Listado en el directorio") and row["status_en"].startswith("Listed in")
    by_type = {}
    for view in imported:
        by_type[view["service_type"]] = by_type.get(view["service_type"], 0) + 1
    assert by_type == {"cem": 225, "sar": 34, "sau": 4, "upe": 13}


def test_disputed_phones_are_flagged_in_every_format():
    from scripts.directory.exports import read_json, to_json

    views = _views()
    disputed = [(v, p) for region in views for v in views[region] for p in v["phones"] if p.get("conflict")]
    assert disputed
    services = {s["id"]: s for s in read_json(to_json(views, TODAY))}
    rows = {r["id"]: r for r in read_csv(to_csv(views))}
    for view, phone in disputed:
        assert any(p["number"] == phone["number"] and p["x_conflict"] for p in services[view["id"]]["phones"])
        assert phone["number"] in rows[view["id"]]["phones_to_confirm"].split(" | ")
        card = read_vcards(vcard(view, "es"))[0]
        assert f"{phone['number']}: Número por confirmar" in card["NOTE"]
        assert (phone["e164"] or phone["number"]) not in card["TEL"]                  # not one tap away


def test_exports_never_say_verified_or_show_internal_references():
    from scripts.directory.exports import to_json

    views = _views()
    payloads = [to_csv(views), to_json(views, TODAY)] + [to_vcards(r, views, lang) for r in views if r != NATIONAL
                                                        for lang in ("es", "en")]
    for payload in payloads:
        assert "FACTS" not in payload and "Verificado el" not in payload and "Verified on" not in payload


def test_counts_are_equal_across_json_csv_vcards_and_pages(built_site):
    import json
    import re

    from scripts.directory import REGIONS, vcard_name
    from scripts.directory.common import EXPORT_DIR

    views = _views()
    datos = built_site / EXPORT_DIR
    services = json.loads((datos / "directorio.json").read_text(encoding="utf-8"))
    rows = read_csv((datos / "directorio.csv").read_text(encoding="utf-8"))
    total = sum(len(v) for v in views.values())
    assert services["count"] == len(services["services"]) == len(rows) == total
    national = len(views[NATIONAL])
    for lang in ("es", "en"):
        cards = 0
        for region in REGIONS:
            region_cards = read_vcards((datos / vcard_name(region, lang)).read_text(encoding="utf-8"))
            assert len(region_cards) == len(views[region]) + national
            cards += len(region_cards) - national
        assert cards + national == total
    # Every exported regional entry is on its region page, in both languages.
    for region in REGIONS:
        for prefix in ("", "en/"):
            html = (built_site / prefix / "directorio" / region / "index.html").read_text(encoding="utf-8")
            ids = set(re.findall(r'\bid="([^"]+)"', html))
            missing = [v["id"] for v in views[region] if v["id"] not in ids]
            assert missing == [], f"{prefix}directorio/{region}/: {missing[:5]}"
