"""MIMP importer (scripts/directory/importer.py): names, phones, privacy, determinism, review diff, summary.

Fixtures in tests/fixtures/import_mimp/ are FAKE rows shaped like data/mimp/ (see datasets.yml there).
The last tests check the real import: counts per region equal data/mimp/README.md, and the
generated files in docs/_data/contactos/mimp/ are what the datasets give.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from scripts.__main__ import main
from scripts.directory import REGIONS, region_views, status_line, usable_contacts
from scripts.directory.common import CONTACTS_DIR
from scripts.directory.importer import (DATA_DIR, ImportFailure, format_diff, parse_phones, previous_import,
                                        readable_name, review_diff, run_import, write_files)
from scripts.directory.validate import validate_contacts

FIXTURES = Path(__file__).parent / "fixtures" / "import_mimp"
TODAY = dt.date(2026, 12, 1)


def entries_by_id(result) -> dict[str, dict]:
    return {e["id"]: {**e, "_region": r} for r, es in result.entries.items() for e in es}


@pytest.fixture()
def result(tmp_path):
    return run_import(FIXTURES, tmp_path / "out", TODAY)


# --- Names and phones -------------------------------------------------------------------

@pytest.mark.parametrize("raw, kind, expected", [
    ("Cem Regular Chachapoyas", "cem", "CEM Chachapoyas"),
    ("Cem Comisaría Bagua", "cem", "CEM Comisaría Bagua"),
    ("Cem Comisaría De Familia Cajamarca", "cem", "CEM Comisaría de Familia Cajamarca"),
    ("Cem Comisaría Carmen De La Legua Reynoso", "cem", "CEM Comisaría Carmen de la Legua Reynoso"),
    ("Cem Comisaría Jicamarca Ii", "cem", "CEM Comisaría Jicamarca II"),
    ("Cem Regular Villa El Salvador", "cem", "CEM Villa El Salvador"),
    ("Cem Comisaría Ciudad Y Campo", "cem", "CEM Comisaría Ciudad y Campo"),
    ("El Parco", "sar", "SAR El Parco"),
    ("SAU Madre De Dios", "sau", "SAU Madre de Dios"),
    ("UPE - Lima Norte Callao", "upe", "UPE Lima Norte Callao"),
    ("UPE -Tumbes", "upe", "UPE Tumbes"),
])
def test_readable_names(raw, kind, expected):
    assert readable_name(raw, kind) == expected


def test_phones_parsed_never_repaired():
    phones, bad = parse_phones("913389516/902514020")
    assert [p["e164"] for p in phones] == ["+51913389516", "+51902514020"] and bad == []
    phones, bad = parse_phones("989287117 // 994768110")
    assert [p["number"] for p in phones] == ["989 287 117", "994 768 110"]
    assert parse_phones("994 839 886")[0][0]["number"] == "994 839 886"
    assert parse_phones("(084) 23-4567")[0][0]["e164"] == "+5184234567"
    assert parse_phones("9329499263") == ([], ["'9329499263' (10 digits) is not a valid Peruvian number"])
    assert parse_phones("994 800 850 anexo 12")[1] == [
        "'994 800 850 anexo 12' is not only digits (text or an extension around the number)"]
    assert parse_phones("") == ([], []) and parse_phones(None) == ([], [])


# --- What is imported, what is not ------------------------------------------------------

def test_summary_counts_imported_and_skipped_by_reason(result):
    assert dict(result.imported) == {"cem": 5, "sar": 1, "sau": 1, "upe": 2}
    assert dict(result.skipped) == {
        ("mimp-nacional", "CAI (re-education of aggressors): not a service for victims"): 1,
        ("mimp-nacional", "CEM outside the 12 regions"): 1,
        ("mimp-nacional", "invalid field (see the errors above)"): 1,
        ("mimp-nacional", "shelter (HRT): never published"): 1,
        ("mimp-servicios", "UPE outside the 12 regions"): 1,
        ("mimp-servicios", "not a UPE (CEM, SAR and SAU come from mimp-nacional; shelters are never published)"): 3,
    }
    summary = result.summary()
    assert summary.startswith("imported 9 services (CEM 5, SAR 1, SAU 1, UPE 2) into 12 region files")
    assert "skipped 8 rows:" in summary


def test_bad_row_names_dataset_row_and_field(result):
    assert [n.format() for n in result.errors] == [
        "mimp-nacional servicios[6] (Cem Regular Puno), field 'ubigeo': '2101' is not a 6-digit INEI ubigeo: row skipped"]


def test_malformed_phones_reported_and_left_out(result):
    assert [n.format() for n in result.phones_left_out] == [
        "mimp-nacional servicios[2] (Imaza), field 'telefono': '9329499263' (10 digits) is not a valid Peruvian "
        "number: left out, confirm it with MIMP",
        "mimp-nacional servicios[9] (Cem Regular Tacna), field 'telefono': '994 800 850 anexo 12' is not only digits "
        "(text or an extension around the number): left out, confirm it with MIMP",
        "mimp-nacional servicios[10] (Cem Comisaría De Familia Canto Rey), field 'telefono': no phone listed",
    ]
    by_id = entries_by_id(result)
    assert by_id["sar-imaza"]["phones"] == [] and by_id["cem-tacna"]["phones"] == []


def test_phones_the_files_disagree_on_are_flagged(result):
    by_id = entries_by_id(result)
    assert by_id["cem-pasco"]["phones"] == [
        {"number": "964 982 603", "type": "cell", "conflict": True, "listed_in": ["mimp-nacional"]},
        {"number": "994 820 645", "type": "cell", "conflict": True, "listed_in": ["mimp-servicios"]}]
    # a second number only one file has is flagged; the one both give is not
    assert by_id["cem-comisaria-de-familia-cajamarca"]["phones"] == [
        {"number": "914 157 811", "type": "cell"},
        {"number": "920 152 365", "type": "cell", "conflict": True, "listed_in": ["mimp-nacional"]}]
    assert "conflict" not in by_id["cem-chachapoyas"]["phones"][0]


def test_entry_fields_and_provenance(result):
    entry = entries_by_id(result)["cem-chachapoyas"]
    assert (entry["_region"], entry["service_type"], entry["province"], entry["district"], entry["ubigeo"]) == \
        ("amazonas", "cem", "Chachapoyas", "Chachapoyas", "010101")
    assert entry["address"] == {"address_1": "Jr. Ortiz Arrieta 1", "city": "Chachapoyas",
                                "state_province": "Amazonas", "country": "PE"}
    assert (entry["latitude"], entry["longitude"]) == (-6.2, -77.8)
    assert entry["provenance"] == {"dataset": "mimp-nacional", "record": "servicios[0]"}
    assert entry["source_url"] == "https://www.mimp.gob.pe/omep/fixture.xlsx"


def test_coordinates_only_when_real(result):
    by_id = entries_by_id(result)
    assert by_id["upe-madre-de-dios"]["latitude"] is None        # district centroid, not the service
    assert by_id["cem-pasco"]["latitude"] is None                # outside Peru
    assert {n.record for n in result.coordinates_left_out} == {"centros id=2", "servicios[8]"}


def test_no_shelter_cai_or_person_name_reaches_the_output(result):
    text = "\n".join(result.files.values())
    for never in ("Casa Acogida", "913152323", "CAI Cusco", "CAR Especializado", "999 999 999", "Nombre De Persona",
                  "responsable"):
        assert never not in text, never


# --- Output: valid, deterministic, dated honestly ------------------------------------------------

def test_generated_files_are_valid_contact_files(tmp_path):
    contacts = tmp_path / "contactos"
    shutil.copytree(CONTACTS_DIR, contacts, ignore=shutil.ignore_patterns("mimp"))
    result = run_import(FIXTURES, contacts / "mimp", TODAY)
    write_files(result, contacts / "mimp")
    assert [p.format() for p in validate_contacts(contacts, TODAY)] == []
    views = {v["id"]: v for v in region_views("pasco", contacts, TODAY)}
    assert status_line(views["cem-pasco"], "es") == "Listado en el directorio del MIMP (edición 2026)"
    assert status_line(views["cem-pasco"], "en") == "Listed in MIMP's directory, 2026 edition"
    assert [p["conflict"] for p in views["cem-pasco"]["phones"]] == [True, True]
    assert views["cem-pasco"]["provenance"]["read_from"] == "test fixture"
    assert any(v["id"] == "cem-pasco" for v in usable_contacts("pasco", TODAY, contacts))


def test_rerun_changes_nothing_and_keeps_the_import_date(tmp_path):
    out = tmp_path / "out"
    first = run_import(FIXTURES, out, TODAY)
    assert len(write_files(first, out)) == 12
    later = run_import(FIXTURES, out, TODAY + dt.timedelta(days=40))
    assert later.files == first.files
    assert write_files(later, out) == []
    assert "imported_on: 2026-12-01" in (out / "amazonas.yml").read_text(encoding="utf-8")


def _new_edition(tmp_path: Path, change) -> Path:
    """A copy of the fixture datasets with the national file changed and its sha256 updated."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    national = json.loads((data / "nacional.json").read_text(encoding="utf-8"))
    change(national["servicios"])
    raw = (json.dumps(national, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    (data / "nacional.json").write_bytes(raw)
    manifest = (data / "datasets.yml").read_text(encoding="utf-8")
    old = hashlib.sha256((FIXTURES / "nacional.json").read_bytes()).hexdigest()
    (data / "datasets.yml").write_text(manifest.replace(old, hashlib.sha256(raw).hexdigest()), encoding="utf-8")
    return data


def test_newer_edition_gives_a_review_diff_and_a_new_import_date(tmp_path):
    out = tmp_path / "out"
    write_files(run_import(FIXTURES, out, TODAY), out)

    def change(rows):
        rows[0]["telefono"] = "994834150"                     # CEM Chachapoyas: new number
        rows[1]["direccion"] = "Jr. Nuevo 9"                   # CEM Comisaría de Familia Cajamarca: moved
        rows[7]["tipo"] = "CAI"                                # SAU Madre de Dios: gone
        rows.append({**rows[0], "nombre": "Cem Regular Luya", "ubigeo": "010509", "telefono": "994841220"})

    old, _stamps = previous_import(out)
    newer = run_import(_new_edition(tmp_path, change), out, dt.date(2027, 2, 1))
    diff = review_diff(old, newer.entries)
    assert diff == {
        "added": ["amazonas/cem-luya CEM Luya: 994 841 220"],
        "removed": ["madre-de-dios/sau-madre-de-dios SAU Madre de Dios"],
        "phone": ["amazonas/cem-chachapoyas: 994 834 149 -> 994 834 150"],
        "address": ["cajamarca/cem-comisaria-de-familia-cajamarca: 'Jr. Amalia Puga 2' -> 'Jr. Nuevo 9'"],
    }
    text = format_diff(diff, first_import=False)
    assert text.splitlines()[0] == ("Review diff (check each line before you commit): added 1, removed 1, "
                                    "changed phone 1, changed address 1")
    amazonas = newer.files["amazonas"]
    assert "imported_on: 2027-02-01" in amazonas and "imported_on: 2026-12-01" in amazonas   # B unchanged


def test_a_file_the_manifest_does_not_describe_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    (data / "nacional.json").write_text('{"servicios": []}', encoding="utf-8")
    with pytest.raises(ImportFailure, match=r"mimp-nacional: nacional\.json has sha256 [0-9a-f]{64}, but "
                                            r"datasets\.yml says [0-9a-f]{64}\. If this is a new edition"):
        run_import(data, tmp_path / "out", TODAY)


def test_cli_prints_diff_and_summary_and_dry_run_writes_nothing(tmp_path, capsys):
    contacts = tmp_path / "contactos"
    contacts.mkdir()
    code = main(["import-mimp", "--data-dir", str(FIXTURES), "--contacts-dir", str(contacts), "--dry-run",
                 "--today", "2026-12-01"])
    out = capsys.readouterr().out
    assert code == 0 and not (contacts / "mimp").exists()
    assert "error: mimp-nacional servicios[6] (Cem Regular Puno), field 'ubigeo'" in out
    assert "phone left out: mimp-nacional servicios[2] (Imaza)" in out
    assert "Review diff (first import: every service is new): added 9" in out
    assert "imported 9 services (CEM 5, SAR 1, SAU 1, UPE 2)" in out
    code = main(["import-mimp", "--data-dir", str(FIXTURES), "--contacts-dir", str(contacts), "--check"])
    assert code == 1 and "12 generated file(s) would change" in capsys.readouterr().out


# --- The real data ---------------------------------------------------------------------------

README_COUNTS = {   # data/mimp/README.md, "The 12 regions": CEM, SAR, SAU (file A) and UPE (file B)
    "amazonas": (9, 5, 0, 1), "callao": (9, 0, 0, 1), "cajamarca": (16, 3, 0, 1), "cusco": (26, 5, 1, 1),
    "lima": (84, 0, 1, 3), "loreto": (13, 8, 0, 1), "madre-de-dios": (5, 2, 1, 1), "pasco": (7, 1, 0, 0),
    "piura": (20, 3, 0, 1), "puno": (20, 4, 1, 1), "tacna": (9, 2, 0, 1), "tumbes": (7, 1, 0, 1),
}


def test_real_import_counts_per_region_match_the_data_readme():
    for region in REGIONS:
        imported = [v for v in region_views(region, CONTACTS_DIR, TODAY) if v["provenance"]]
        counts = tuple(sum(1 for v in imported if v["service_type"] == kind) for kind in ("cem", "sar", "sau", "upe"))
        assert counts == README_COUNTS[region], region
    assert sum(sum(c) for c in README_COUNTS.values()) == 225 + 34 + 4 + 13


def test_generated_files_are_what_the_datasets_give():
    """Like HSDS's 'has the generator been run': the committed files equal a fresh import."""
    out = CONTACTS_DIR / "mimp"
    result = run_import(DATA_DIR, out, TODAY)
    for region, text in result.files.items():
        assert (out / f"{region}.yml").read_text(encoding="utf-8") == text, region
    assert [n.record for n in result.phones_left_out] == ["servicios[4]", "servicios[403]"]   # Imaza; Santa Rosa
    assert len(result.conflicts) == 14 and result.errors == []


def test_check_reports_a_hand_edited_generated_file(tmp_path):
    from scripts.directory.importer import check_generated

    docs = tmp_path / "docs"
    shutil.copytree(CONTACTS_DIR, docs / "_data" / "contactos")
    assert check_generated(docs) == []
    path = docs / "_data" / "contactos" / "mimp" / "pasco.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("964 982 603", "964 982 604"), encoding="utf-8")
    assert [(p.path.endswith("mimp/pasco.yml"), p.message) for p in check_generated(docs)] == [
        (True, "differs from what data/mimp/ gives (edited by hand, or the datasets changed)")]
