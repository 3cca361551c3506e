"""Contact directory: validator messages, review report, API, rendering, exports, built pages."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from scripts import ROOT
from scripts.__main__ import main
from scripts.directory import (CONTACTS_DIR, NATIONAL, REGIONS, SHORT_CODES, directory_views, export_names,
                               national_lines, region_views, usable_contacts)
from scripts.directory.phones import parse_phone
from scripts.directory.render import card_data
from scripts.directory.validate import overdue_entries, validate_contacts
from scripts.directory.exports import (_fold, no_number_note, read_csv, read_json, read_vcards, to_csv,
                             to_json, to_vcards, vcard_name)
from scripts.pages import load_pages
from scripts.yamlutil import load_yaml_file

sys.path.insert(0, str(Path(__file__).parent))
from contacts_tree import make_build_tree  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "contacts"
TODAY = dt.date(2026, 11, 29)
INEI = {"amazonas": "01", "cajamarca": "06", "callao": "07", "cusco": "08", "lima": "15", "loreto": "16",
        "madre-de-dios": "17", "pasco": "19", "piura": "20", "puno": "21", "tacna": "23", "tumbes": "24"}


def directory_with(tmp_path: Path, fixture: str | None = None, as_name: str = "piura.yml") -> Path:
    """A contacts folder: the valid national file plus one fixture saved as `as_name`."""
    folder = tmp_path / "contactos"
    folder.mkdir()
    shutil.copy(FIXTURES / "valid_nacional.yml", folder / "nacional.yml")
    shutil.copy(FIXTURES / (fixture or "valid_piura.yml"), folder / as_name)
    return folder


def problems_of(tmp_path, fixture):
    return [(p.line, p.field, p.message) for p in validate_contacts(directory_with(tmp_path, fixture), TODAY)]


# --- The real data ---------------------------------------------------------------

def test_real_directory_is_valid():
    assert [p.format() for p in validate_contacts(CONTACTS_DIR, TODAY)] == []


def test_thirteen_files_one_per_region_plus_national():
    names = sorted(p.stem for p in CONTACTS_DIR.glob("*.yml"))
    assert names == sorted([*REGIONS, NATIONAL])
    assert {slug: code for slug, (code, _name) in REGIONS.items()} == INEI


def test_national_ids_kept_for_other_pages():
    ids = [e["id"] for e in load_yaml_file(CONTACTS_DIR / "nacional.yml")["entries"]]
    for kept in ("linea-1818", "linea-100", "pnp-105", "samu-106", "minsa-113-5"):
        assert kept in ids


def test_forbidden_numbers_are_not_published():
    """MIMP switchboards (unresolved), 911 (not in service), 111 (extortion), IOM press line."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in CONTACTS_DIR.glob("*.yml"))
    numbers = re.findall(r"number:\s*\"?([^\"\n]+)", text)
    for banned in ("419-7260", "626-1600", "911", "111", "633 0000", "633-0000", "221 7209"):
        assert not any(banned in n for n in numbers), banned


def test_regional_phones_come_only_from_the_mimp_import():
    """FACTS §5d: no hand-written regional number; every regional phone traces to a MIMP dataset row."""
    for slug in REGIONS:
        for view in region_views(slug):
            if view["phones"]:
                assert view["provenance"] and view["provenance"]["dataset"] in ("mimp-nacional", "mimp-servicios"), view["id"]
                assert view["provenance"]["record"], view["id"]


def test_every_regional_entry_has_ubigeo_source_and_date():
    for slug in REGIONS:
        for view in region_views(slug):
            assert view["ubigeo"][:2] == INEI[slug]
            assert len(view["ubigeo"]) in (2, 6)
            assert view["source"] and view["verified_on"] <= TODAY


def test_every_region_has_exactly_one_page_pair():
    pages = [p for p in load_pages() if p.meta.get("region")]
    spanish = sorted(p.meta["region"] for p in pages if p.lang == "es")
    english = sorted(p.meta["region"] for p in pages if p.lang == "en")
    assert spanish == english == sorted(REGIONS)
    for page in pages:
        assert page.key == f"directorio/{page.meta['region']}"
        assert f"../identificacion/contextos-peru.md#{page.meta['region']}" in page.body


# --- Validator: every kind of bad entry ---------------------------------------------------

@pytest.mark.parametrize("fixture, expected", [
    ("invalid_phone.yml", [(10, "cem-piura.phones[0].number",
                            "'12345' is neither a valid Peruvian number nor a national short code")]),
    ("invalid_email.yml", [(9, "fistrap-piura.emails[0]", "not a valid e-mail address: 'fistrap.piura@'")]),
    ("invalid_url_http.yml", [(9, "fistrap-piura.url", "not an https URL: 'http://www.gob.pe/mpfn'")]),
    ("invalid_ubigeo.yml", [(9, "fistrap-piura.ubigeo", "'21' is not the INEI code of Piura ('20')")]),
    ("invalid_ubigeo_missing.yml", [(5, "fistrap-piura.ubigeo", "missing: Piura has INEI code '20'")]),
    ("invalid_future_date.yml", [(11, "fistrap-piura.verified_on",
                                  "2027-01-15 is in the future (today is 2026-11-29)")]),
    ("invalid_confidential_address.yml", [(10, "hrt-piura.address",
                                           "a shelter (HRT, Casa de Acogida, CAR) must never publish its address")]),
    ("invalid_shelter_not_confidential.yml", [(7, "hrt-piura.confidential_location",
                                               "a shelter must be marked confidential_location: true")]),
    ("invalid_no_source.yml", [(5, "fistrap-piura.source", "missing required field 'source'")]),
    ("invalid_blank_source.yml", [(5, "fistrap-piura.source", "every entry needs a source")]),
    ("invalid_region_mismatch.yml", [(2, "region", "'puno' does not match the file name 'piura'")]),
    ("invalid_service_type.yml", [(7, "fistrap-piura.service_type",
                                   "'fiscalia' is not allowed (use one of: linea-nacional, policia, salud, "
                                   "salud-mental, proteccion, justicia, institucion-nacional, coordinacion, "
                                   "ong, albergue, consulado, cem, sar, sau, upe)")]),
    ("invalid_missing_english.yml", [(6, "fistrap-piura.name.en", "missing required field 'en'")]),
    ("invalid_language.yml", [(9, "fistrap-piura.languages[1]", "'qu' is not allowed (use one of: spa, que, aym, eng)")]),
    ("invalid_unknown_field.yml", [(9, "fistrap-piura.phone", "unknown field 'phone'")]),
    ("invalid_precision.yml", [(12, "fistrap-piura.verified_precision",
                                "2025-02-07 is not the first day of its month")]),
    ("invalid_shared_reason_missing.yml", [(5, "diresa-piura.shared_number_reason",
                                            "missing required field 'shared_number_reason'")]),
    ("invalid_yaml.yml", [(6, "", "not valid YAML: unclosed bracket '{'")]),
])
def test_validator_message(tmp_path, fixture, expected):
    assert problems_of(tmp_path, fixture) == expected


# --- Never published, and hostile input (scripts/directory/privacy.py; issues 14 and 17) -----------------
# Fixtures: tests/fixtures/contacts/invalid_hostile_*.yml, written by make_hostile.py there.

SHELTER = "a shelter (HRT, Casa de Acogida, CAR) must never publish its"
NOT_ONLY_NUMBER = ("contains something other than the number (only digits, spaces, brackets, hyphens and a "
                   "leading + are allowed)")


@pytest.mark.parametrize("case, expected", [
    ("shelter_phone", [(13, "hrt-piura.phones", f"{SHELTER} phone")]),
    ("shelter_coordinates", [(13, "hrt-piura.latitude", f"{SHELTER} coordinates"),
                             (14, "hrt-piura.longitude", f"{SHELTER} coordinates")]),
    ("shelter_address_in_notes", [(13, "hrt-piura.notes.es", "looks like the shelter's address (Jr. Ayacucho 3…)")]),
    ("shelter_map_url", [(13, "hrt-piura.url", "the URL carries coordinates or a map of the shelter")]),
    ("casa_acogida_as_service", [
        (7, "casa-acogida-sullana.service_type",
         "a shelter (HRT, Casa de Acogida, CAR) must have service_type: albergue and confidential_location: true"),
        (9, "casa-acogida-sullana.phones", f"{SHELTER} phone")]),
    ("cai", [(6, "cem-piura.name", "a CAI (Centro de Atención Institucional) re-educates aggressors: it is not a "
                                   "service for victims and is never listed")]),
    ("person_field", [(15, "cem-piura.responsable",
                       "field 'responsable' would publish a person's name; no person's name is ever published")]),
    ("person_in_notes", [(15, "cem-piura.notes.es",
                          "looks like a person's name: 'Dra. Rosa'; no person's name is ever published")]),
    ("phone_script", [(10, "cem-piura.phones[0].number", f"'<script>alert(1)</script> +51 1 411 9999' {NOT_ONLY_NUMBER}")]),
    ("phone_isub", [(10, "cem-piura.phones[0].number", f"'tel:+5114119999;isub=1234' {NOT_ONLY_NUMBER}")]),
    ("phone_vanity", [(10, "cem-piura.phones[0].number", f"'01 625 CALL' {NOT_ONLY_NUMBER}")]),
    ("name_blank", [(6, "cem-piura.name.es", "is blank (or has no letter or digit)")]),
    ("name_zero_width", [(6, "cem-piura.name.es", "contains the invisible character U+200B (ZERO WIDTH SPACE)")]),
    ("name_bidi", [(6, "cem-piura.name.es", "contains the direction control U+202E (RIGHT-TO-LEFT OVERRIDE), which "
                                            "can reverse what a reader sees (digits of a number, for example)")]),
    ("name_cyrillic", [(6, "cem-piura.name.es", "contains 'і' (U+0456, CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I), "
                                                "a letter from another script that looks like a Latin one")]),
    ("url_localhost", [(15, "cem-piura.url", "'https://localhost:8000/admin' points to a local or private host (localhost)")]),
    ("url_ip", [(15, "cem-piura.url",
                 "'https://192.168.1.10/directorio' points to a raw IP address (192.168.1.10), not to a public site's name")]),
    ("internal_ref", [(13, "cem-piura.source", "shows readers an internal reference ('FACTS.md')")]),
    ("duplicate_key", [(5, "region", "not valid YAML: the key 'region' appears twice in the same mapping")]),
    ("impossible_date", [(14, "", "2026-02-31 is not a date (day is out of range for month)")]),
    ("bom", [(1, "", "starts with a byte-order mark (BOM)")]),
])
def test_never_published_and_hostile_input(tmp_path, case, expected):
    problems = validate_contacts(directory_with(tmp_path, f"invalid_hostile_{case}.yml"), TODAY)
    assert [(p.line, p.field, p.message) for p in problems] == expected
    assert all(p.hint and p.path.endswith("piura.yml") for p in problems)   # what to do, and where


def test_hostile_fixtures_are_up_to_date():
    """The fixtures with invisible characters are generated: regenerate instead of editing them."""
    sys.path.insert(0, str(FIXTURES))
    import make_hostile

    for name, text in make_hostile.CASES.items():
        assert (FIXTURES / f"invalid_hostile_{name}.yml").read_text(encoding="utf-8") == text, name


def test_a_bad_phone_never_gets_a_tel_link():
    for number in ("<script>alert(1)</script> +51 1 411 9999", "tel:+5114119999;isub=1234", "01 625 CALL"):
        assert parse_phone(number) is None, number
    assert parse_phone("(01) 411-9999").href == "tel:+5114119999"


def test_no_internal_reference_in_any_rendered_field():
    """Issue 15: 'FACTS.md §3 S52', '(S26, S41)', '(s02)' never reach a reader (internal_ref keeps them)."""
    from scripts.directory.privacy import INTERNAL_REF_RE

    for views in directory_views(CONTACTS_DIR, TODAY).values():
        for view in views:
            for lang in ("es", "en"):
                card = card_data(view, lang)
                for key in ("name", "description", "notes", "source", "hours", "service_area"):
                    assert not INTERNAL_REF_RE.search(card[key] or ""), (view["id"], key, card[key])


def test_samu_is_not_said_to_reach_all_of_peru():
    samu = next(v for v in national_lines(TODAY) if v["id"] == "samu-106")
    assert "Todo el Perú" not in samu["service_area"]["es"] and "Lima" in samu["service_area"]["es"]
    linea_100 = next(v for v in national_lines(TODAY) if v["id"] == "linea-100")
    assert linea_100["url"] is None          # Chat 100's address is not Línea 100's


def test_duplicate_id_across_files(tmp_path):
    problems = validate_contacts(directory_with(tmp_path, "invalid_duplicate_id.yml"), TODAY)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].field) == (5, "linea-100.id")
    assert re.fullmatch(r"duplicate id 'linea-100' \(also in .*nacional\.yml\)", problems[0].message)
    assert problems[0].path.endswith("piura.yml")


def test_same_number_under_two_organisations(tmp_path):
    problems = validate_contacts(directory_with(tmp_path, "invalid_shared_number.yml"), TODAY)
    assert sorted((p.path.rsplit("/", 1)[-1], p.line, p.field, p.message) for p in problems) == [
        ("nacional.yml", 23, "ministerio-publico-lima.phones[0].number",
         "'(01) 625-5555' is also listed under another organisation (diresa-piura)"),
        ("piura.yml", 10, "diresa-piura.phones[0].number",
         "'(01) 625-5555' is also listed under another organisation (ministerio-publico-lima)"),
    ]


def test_shared_number_allowed_when_both_say_so(tmp_path):
    folder = directory_with(tmp_path, "invalid_shared_number.yml")
    reason = ("    shared_number: true\n"
              "    shared_number_reason: {es: Misma central., en: Same switchboard.}\n")
    for name in ("piura.yml", "nacional.yml"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace("    verified_on: 20", reason + "    verified_on: 20"),
                        encoding="utf-8")
    assert validate_contacts(folder, TODAY) == []


def test_problem_names_file_line_and_field(tmp_path):
    problem = validate_contacts(directory_with(tmp_path, "invalid_phone.yml"), TODAY)[0]
    assert re.fullmatch(r".*piura\.yml:10: cem-piura\.phones\[0\]\.number: '12345' is neither .*", problem.format())


def test_valid_fixtures_pass(tmp_path):
    assert validate_contacts(directory_with(tmp_path), TODAY) == []


@pytest.mark.parametrize("number, href", [
    ("1818", "tel:1818"), ("100", "tel:100"), ("105", "tel:105"), ("106", "tel:106"), ("113", "tel:113"),
    ("(01) 625-5555", "tel:+5116255555"), ("0800-15170", "tel:+5180015170"), ("(01) 311-0300", "tel:+5113110300"),
])
def test_phone_parsing(number, href):
    assert parse_phone(number).href == href


@pytest.mark.parametrize("number", ["911", "111", "12345", "+1 202 555 0100", "abc"])
def test_phone_rejected(number):
    assert parse_phone(number) is None


def test_short_codes_are_an_explicit_list():
    assert SHORT_CODES == {"100", "105", "106", "113", "116", "1818"}


# --- Review report and CLI ----------------------------------------------------------

def test_overdue_report_uses_given_today(tmp_path):
    folder = directory_with(tmp_path)
    overdue = overdue_entries(folder, TODAY)
    assert [(o.id, o.what, o.due.isoformat()) for o in overdue] == [
        ("ministerio-publico-lima", "entry", "2019-01-01"),
        ("diresa-piura", "entry", "2025-07-01"),
    ]
    assert overdue_entries(folder, dt.date(2018, 6, 1)) == []


def test_cli_validate_fails_on_bad_data(tmp_path, capsys):
    folder = directory_with(tmp_path, "invalid_email.yml")
    assert main(["validate-contacts", "--contacts-dir", str(folder), "--today", "2026-11-29"]) == 1
    out = capsys.readouterr().out
    assert "fistrap-piura.emails[0]: not a valid e-mail address: 'fistrap.piura@'" in out
    assert "1 problem(s) found." in out


def test_cli_validate_passes_on_real_data(capsys):
    assert main(["validate-contacts", "--today", "2026-11-29"]) == 0
    assert "All contact files are valid." in capsys.readouterr().out


def test_cli_report_never_fails_by_default(tmp_path, capsys):
    folder = directory_with(tmp_path)
    assert main(["report-contacts", "--contacts-dir", str(folder), "--today", "2026-11-29"]) == 0
    out = capsys.readouterr().out
    assert "diresa-piura (entry): verified 2023-07-01, review was due 2025-07-01" in out
    assert main(["report-contacts", "--contacts-dir", str(folder), "--today", "2026-11-29", "--fail-overdue"]) == 1


# --- API for the pocket guides ----------------------------------------------------------

def test_usable_contacts_skips_stale(tmp_path):
    folder = directory_with(tmp_path)
    assert [v["id"] for v in usable_contacts("piura", TODAY, folder)] == ["hrt-piura"]
    both = usable_contacts("piura", TODAY, folder, include_stale=True)
    assert [(v["id"], v["stale"]) for v in both] == [("diresa-piura", True), ("hrt-piura", False)]


def test_usable_contacts_never_carries_a_shelter_address(tmp_path):
    for view in usable_contacts("piura", TODAY, directory_with(tmp_path), include_stale=True):
        if view["confidential_location"]:
            assert view["address"] is None


def test_national_lines_api(tmp_path):
    lines = national_lines(TODAY, directory_with(tmp_path))
    assert [(v["id"], v["phones"][0]["href"], v["stale"]) for v in lines] == [("linea-100", "tel:100", False)]
    real = national_lines(TODAY)
    assert [v["id"] for v in real] == ["linea-1818", "linea-100", "pnp-105", "samu-106", "minsa-113-5"]
    assert all(v["phones"][0]["short_code"] for v in real)


# --- Rendering: escaping --------------------------------------------------------------------

def _env():
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "overrides")), autoescape=True)


def test_card_text_is_escaped(tmp_path):
    folder = directory_with(tmp_path)
    view = usable_contacts("piura", TODAY, folder, include_stale=True)[0]
    view["name"] = {"es": "<script>alert('x')</script> DIRESA", "en": "<b>DIRESA</b>"}
    view["description"] = {"es": "a & b <img src=x onerror=alert(1)>", "en": "x"}
    html = _env().get_template("partials/kb-contact-cards.html").render(
        cards=[card_data(view, "es")], lang="es", national=False, has_number=False)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; DIRESA" in html
    assert "a &amp; b &lt;img src=x onerror=alert(1)&gt;" in html


def test_card_says_what_is_known_and_never_shows_an_overdue_badge(tmp_path):
    """FACTS §10i: a news date is 'según fuente de …'; overdue reviews are for editors only."""
    view = usable_contacts("piura", TODAY, directory_with(tmp_path), include_stale=True)[0]
    assert view["stale"]
    for lang, status, none in (("es", "Según fuente de julio de 2023", "Todavía no conocemos ningún número regional"),
                               ("en", "According to a source dated July 2023", "We do not yet know any verified regional number")):
        html = _env().get_template("partials/kb-contact-cards.html").render(
            cards=[card_data(view, lang)], lang=lang, national=False, has_number=False)
        assert status in html and none in html
        for word in ("Verificación vencida", "Verification overdue", "Verificado", "Verified", "kb-badge"):
            assert word not in html


# --- Exports ------------------------------------------------------------------------------

def test_exports_round_trip():
    views = directory_views(CONTACTS_DIR, TODAY)
    total = sum(len(v) for v in views.values())
    services = read_json(to_json(views, TODAY))
    assert len(services) == total == json.loads(to_json(views, TODAY))["count"]
    flat = [v for region in views for v in views[region]]
    for service, view in zip(services, flat):
        assert service["id"] == view["id"]
        assert service["x_text"]["name"] == dict(view["name"])
        assert [p["number"] for p in service["phones"]] == [p["number"] for p in view["phones"]]
        assert service["assured_date"] == view["verified_on"].isoformat()
        assert service["location"]["external_identifier"] == view["ubigeo"]
        if view["confidential_location"]:
            assert service["location"]["location_type"] == "redacted"
            assert service["location"]["addresses"] == []
    rows = read_csv(to_csv(views))
    assert len(rows) == total
    for row, view in zip(rows, flat):
        assert (row["id"], row["name_es"], row["name_en"]) == (view["id"], view["name"]["es"], view["name"]["en"])
        assert row["phones_tel"].split(" | ") == ([p["href"] for p in view["phones"]] or [""])
        assert row["verified_on"] == view["verified_on"].isoformat()
    for region in REGIONS:
        for lang in ("es", "en"):
            cards = read_vcards(to_vcards(region, views, lang))
            expected = views[region] + views[NATIONAL]
            assert len(cards) == len(expected)
            assert [c["UID"] for c in cards] == [f"urn:trata-salud:{v['id']}" for v in expected]
            assert [c["FN"] for c in cards] == [v["name"][lang] for v in expected]
            # a number the sources disagree on is never one tap away (it is named in NOTE)
            assert [c["TEL"] for c in cards] == [[p["e164"] or p["number"] for p in v["phones"] if not p.get("conflict")]
                                                 for v in expected]


def test_vcard_lines_are_folded_and_escaped():
    views = directory_views(CONTACTS_DIR, TODAY)
    payload = to_vcards("piura", views, "es")
    assert all(len(line.encode("utf-8")) <= 75 for line in payload.split("\r\n"))
    assert "\\," in payload          # commas in text are escaped


def test_vcard_without_a_number_points_to_national_lines_taken_from_the_data():
    views = directory_views(CONTACTS_DIR, TODAY)
    by_id = {v["id"]: v for v in views[NATIONAL]}
    assert no_number_note(views[NATIONAL], "es") == (
        f"Sin número regional verificado: llame a {by_id['linea-100']['name']['es']} "
        f"({by_id['linea-100']['phones'][0]['number']}) o {by_id['linea-1818']['name']['es']} "
        f"({by_id['linea-1818']['phones'][0]['number']}).")
    renamed = [{**v, "phones": [{**v["phones"][0], "number": "999"}]} if v["id"] == "linea-100" else v
               for v in views[NATIONAL]]
    assert "(999)" in no_number_note(renamed, "en")
    assert no_number_note([], "en") == "No verified regional number: call the national lines in this file."
    entry = {**views[NATIONAL][0], "phones": []}
    card = read_vcards(to_vcards("x", {"x": [entry], NATIONAL: views[NATIONAL]}, "es"))[0]
    assert no_number_note(views[NATIONAL], "es") in card["NOTE"]


def test_vcard_folding_never_splits_a_character():
    line = "NOTE:" + "ñ" * 60
    folded = _fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert _fold("FN:short") == "FN:short"


def test_export_names_link_every_region():
    files = [n["file"] for n in export_names()]
    assert files[:2] == ["directorio.json", "directorio.csv"]
    assert {vcard_name(r, lang) for r in REGIONS for lang in ("es", "en")} <= set(files)


# --- The built site (a throw-away copy with stubs for sibling branches) --------------------

@pytest.fixture(scope="module")
def contacts_site(tmp_path_factory, request) -> Path:
    """Strict build of a copy of the repo (subprocess: the copy's own scripts/ are used)."""
    if all((ROOT / stubbed).exists() for stubbed in ("docs/_data/fuentes/brief.yml",
                                                     "docs/identificacion/contextos-peru.es.md")):
        return request.getfixturevalue("built_site")   # no stub needed: the copy would be this repo
    tree = make_build_tree(tmp_path_factory.mktemp("tree") / "repo")
    site = tree / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://example.org/guia/", "OFFLINE": "false"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=tree, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def _hrefs(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({prefix}[^"]*)"', html)


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
@pytest.mark.parametrize("region", sorted(REGIONS))
def test_region_pages_dial_correctly(contacts_site, region, lang_prefix):
    html = (contacts_site / lang_prefix / "directorio" / region / "index.html").read_text(encoding="utf-8")
    expected = sorted({p["href"] for v in national_lines(TODAY, hotlines_only=False) for p in v["phones"]}
                      | {p["href"] for v in region_views(region) for p in v["phones"]})
    assert sorted(set(_hrefs(html, "tel:"))) == expected
    assert {"tel:100", "tel:1818", "tel:105", "tel:106", "tel:113", "tel:+5116255555"} <= set(expected)
    for href in _hrefs(html, "tel:"):
        assert re.fullmatch(r"tel:(\+51\d{8,9}|1\d{2,3})", href)
    notice = "Todavía no conocemos ningún número regional verificado" if not lang_prefix else \
        "We do not yet know any verified regional number"
    assert notice not in html          # every region now has MIMP's services with phones
    assert 'id="contexto"' in html and f"contextos-peru/#{region}" in html


def test_no_shelter_address_in_built_pages(contacts_site):
    html = (contacts_site / "directorio" / "piura" / "index.html").read_text(encoding="utf-8")
    assert 'id="hrt-piura"' in html and "Dirección reservada" in html
    card = html.split('id="hrt-piura"')[1].split("</article>")[0]
    assert "Dirección</dt><dd>Dirección reservada" in card


def test_directory_home_lists_regions_and_filters_without_js(contacts_site):
    for prefix, word in (("", "Regiones"), ("en/", "Regions")):
        html = (contacts_site / prefix / "directorio" / "index.html").read_text(encoding="utf-8")
        assert html.count('class="kb-dir-group" id="region-') == 12
        assert 'id="tipo-salud"' in html and 'id="tipo-justicia"' in html and 'id="tipo-albergue"' in html
        for region in REGIONS:
            assert f'href="../{region}/"' in html or f'href="{region}/"' in html


def test_exports_published_with_counts_equal_to_data(contacts_site):
    views = directory_views(CONTACTS_DIR, TODAY)
    total = sum(len(v) for v in views.values())
    datos = contacts_site / "directorio" / "datos"
    assert len(read_json((datos / "directorio.json").read_text(encoding="utf-8"))) == total
    assert len(read_csv((datos / "directorio.csv").read_text(encoding="utf-8"))) == total
    for region in REGIONS:
        for lang in ("es", "en"):
            cards = read_vcards((datos / vcard_name(region, lang)).read_text(encoding="utf-8"))
            assert len(cards) == len(views[region]) + len(views[NATIONAL])


@pytest.mark.parametrize("page", ["directorio/index.html", "directorio/tumbes/index.html",
                                  "en/directorio/index.html", "en/directorio/tumbes/index.html"])
def test_open_data_links_resolve(contacts_site, page):
    path = contacts_site / page
    links = [h for h in re.findall(r'href="([^"]+)" download', path.read_text(encoding="utf-8"))]
    assert links
    for link in links:
        assert (path.parent / link).resolve().is_file(), link


@pytest.mark.browser
def test_region_page_at_360px_without_js(browser, contacts_site):
    from conftest import serve

    base, server = serve(contacts_site)
    try:
        context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "directorio/madre-de-dios/")
        # the article itself never overflows (Material's language menu is not ours to test)
        widest = page.evaluate("Math.max(...Array.from(document.querySelectorAll('.md-content *'))"
                               ".map(e => e.getBoundingClientRect().right))")
        assert widest <= 360
        call = page.locator("a.kb-line__call", has_text="100").first
        box = call.bounding_box()
        assert box["height"] >= 44 and call.get_attribute("href") == "tel:100"
        # the national lines and the start of the region's services fit the first screen or so
        assert page.locator("#servicios").bounding_box()["y"] < 900
        first = page.locator("#prov-tambopata + .kb-cards article").first
        assert first.get_attribute("id") == "cem-madre-de-dios"
        service_call = first.locator("a.kb-call").first
        assert service_call.bounding_box()["height"] >= 44
        assert service_call.get_attribute("href") == "tel:+51994834124"
        page.goto(base + "en/directorio/")
        group = page.locator("details#region-piura")
        assert not group.locator("ul").is_visible()
        group.locator("summary").click()
        assert group.locator("ul").is_visible()
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_both_yaml_parsers_read_the_same_data():
    """The fast parser (pages, exports) and PyYAML (line numbers) agree on every real file."""
    from scripts.directory.model import parse_yaml
    from scripts.yamlutil import load_yaml, plain

    for path in sorted(CONTACTS_DIR.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text) == plain(load_yaml(text)), path.name


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_home_page_marker_shows_only_the_national_lines(contacts_site, prefix):
    html = (contacts_site / prefix / "index.html").read_text(encoding="utf-8")
    block = html.split('<ul class="kb-lines')[1].split("</ul>")[0]
    assert re.findall(r'href="(tel:[^"]+)"', block) == ["tel:1818", "tel:100", "tel:105", "tel:106", "tel:113"]


def _marker_context(name, args, meta=None, lang="es"):
    from scripts.markers import MarkerContext

    return MarkerContext(name=name, args=args, lang=lang, src_uri="index.es.md", meta=meta or {},
                         render=lambda template, **variables: {"template": template, **variables})


def test_lineas_nacionales_ids_argument_keeps_working():
    from scripts.directory.render import render_national_lines
    from scripts.markers import MarkerError

    out = render_national_lines(_marker_context("lineas-nacionales", {"ids": "pnp-105,linea-100"}))
    assert [(line["id"], line["href"]) for line in out["lines"]] == [("pnp-105", "tel:105"), ("linea-100", "tel:100")]
    default = render_national_lines(_marker_context("lineas-nacionales", {}))
    assert [line["id"] for line in default["lines"]] == ["linea-1818", "linea-100", "pnp-105", "samu-106", "minsa-113-5"]
    with pytest.raises(MarkerError, match="unknown national line ids: nope"):
        render_national_lines(_marker_context("lineas-nacionales", {"ids": "nope"}))


def test_contactos_marker_needs_a_region():
    from scripts.directory.render import render_contacts
    from scripts.markers import MarkerError

    with pytest.raises(MarkerError, match="kb:contactos needs 'region:'"):
        render_contacts(_marker_context("contactos", {}))
    with pytest.raises(MarkerError, match="no contact file for region 'atlantida'"):
        render_contacts(_marker_context("contactos", {}, {"region": "atlantida"}))


def test_markup_in_data_shows_as_text_through_the_build_environment(tmp_path):
    """Same Jinja environment as overrides/hooks/markers.py (Material's, with autoescape)."""
    from mkdocs.config import load_config

    from scripts.directory.render import render_contacts

    config = load_config(str(ROOT / "mkdocs.yml"))
    env = config.theme.get_env().overlay(autoescape=True)
    folder = directory_with(tmp_path)
    path = folder / "piura.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: {es: DIRESA Piura, en: DIRESA Piura}",
        "name: {es: \"<script>alert(1)</script>DIRESA\", en: \"<i>x</i>\"}"), encoding="utf-8")
    ctx = _marker_context("contactos", {}, {"region": "piura"})
    ctx.render = lambda template, **variables: env.get_template(template).render(config=config, **variables)
    ctx.extra["contacts_dir"] = folder
    html = render_contacts(ctx)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;DIRESA" in html


# --- Region pages list every MIMP service (issue 14) ------------------------------------------

ARTICLE_RE = re.compile(r'<article class="kb-card kb-card--service" id="([^"]+)"[^>]*>(.*?)</article>', re.S)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_region_page_lists_every_service_with_tap_to_call(contacts_site, region):
    from scripts.directory import print_order

    imported = print_order([v for v in region_views(region, CONTACTS_DIR, TODAY) if v["provenance"]])
    anchors = {}
    for prefix, note in (("", "Número por confirmar"), ("en/", "Number to be confirmed")):
        html = (contacts_site / prefix / "directorio" / region / "index.html").read_text(encoding="utf-8")
        cards = dict(ARTICLE_RE.findall(html))
        assert list(cards) == [v["id"] for v in imported]              # all of them, capital first
        for view in imported:
            card = cards[view["id"]]
            for phone in view["phones"]:
                assert f'href="{phone["href"]}"' in card and re.fullmatch(r"tel:\+51\d{9}", phone["href"])
            assert (note in card) == any(p["conflict"] for p in view["phones"]), view["id"]
            assert "Listado en el directorio" in card or "Listed in MIMP" in card
        anchors[prefix] = re.findall(r'<h3 class="kb-province__name" id="([^"]+)"', html)
        assert all(f'href="#{a}"' in html for a in anchors[prefix])    # jump links
    assert anchors[""] == anchors["en/"] and anchors[""][0].startswith("prov-")


# --- Status line and print order (the contract with pocket guides and exports) ------------------

def test_status_line_says_what_is_known():
    from scripts.directory import status_line

    base = {"verified_on": dt.date(2016, 8, 26), "verified_precision": "day", "provenance": None,
            "confirmed_by_phone_on": None}
    assert status_line(base, "es") == "Según fuente de 26 de agosto de 2016"
    assert status_line(base, "en") == "According to a source dated 26 August 2016"
    assert status_line({**base, "verified_on": dt.date(2025, 1, 1), "verified_precision": "year"}, "es") == \
        "Según fuente de 2025"
    called = {**base, "confirmed_by_phone_on": dt.date(2026, 12, 3)}
    assert status_line(called, "es") == "Confirmado por teléfono el 3 de diciembre de 2026"
    assert status_line(called, "en") == "Confirmed by phone on 3 December 2026"
    upe = next(v for v in region_views("cusco") if v["id"] == "upe-cusco")
    assert status_line(upe, "es") == "Listado en el directorio de servicios del MIMP (edición 10 de septiembre de 2026)"
    for views in directory_views(CONTACTS_DIR, TODAY).values():
        for view in views:
            for lang in ("es", "en"):
                assert "erific" not in status_line(view, lang)      # never "verificado" / "verified"


def test_print_order_puts_the_capital_cem_sau_upe_first():
    from scripts.directory import print_order, province_groups

    views = [v for v in region_views("madre-de-dios") if v["provenance"]]
    order = [v["id"] for v in print_order(views, "madre-de-dios")]
    assert order[:3] == ["cem-madre-de-dios", "sau-madre-de-dios", "upe-madre-de-dios"]
    assert [p for p, _ in province_groups(views)] == ["Tambopata", "Manu", "Tahuamanu"]
    cusco = [v["id"] for v in print_order(region_views("cusco"))]
    assert cusco.index("cem-cusco") < cusco.index("sau-cusco") < cusco.index("upe-cusco") < cusco.index("cem-acomayo")
    assert cusco[-1] in {v["id"] for v in region_views("cusco") if not v["provenance"]}   # institutions last
