"""Open data: the whole directory as HSDS-shaped JSON, as CSV, and one vCard file per region.

The build writes these into site/directorio/datos/ (overrides/hooks/contacts.py); the
directory pages link to them (`<!-- kb:datos-abiertos -->`). `read_*` functions parse the
files back, so tests can check that exports round-trip and that counts equal the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from scripts.directory.common import (CONTACTS_DIR, CSV_NAME, EXPORT_DIR, JSON_NAME, LANGS, NATIONAL, REGIONS,
                                      export_names, text, vcard_name)  # noqa: F401 (export_names: re-exported)
from scripts.directory.model import directory_views, labels
from scripts.directory.printing import phone_note, status_line

HSDS_VERSION = "3.0"
PROFILE = "pe-trata-salud (HSDS 3.0 + x_ fields: es/en text, region, source, review)"
CSV_FIELDS = ("id", "region", "ubigeo", "service_type", "name_es", "name_en", "organization_es",
              "organization_en", "description_es", "description_en", "phones", "phones_tel",
              "emails", "url", "languages", "available_24h", "hours_es", "hours_en", "address",
              "confidential_location", "service_area_es", "service_area_en", "verified_on",
              "review_every_months", "source", "source_url",
              # issue 14: where each imported service comes from, and what is known about it
              "province", "district", "latitude", "longitude", "phones_to_confirm", "status_es", "status_en",
              "confirmed_by_phone_on", "provenance_dataset", "provenance_record", "provenance_edition",
              "provenance_official_url", "provenance_file", "provenance_read_from", "provenance_sha256",
              "provenance_imported_on")
# National lines a card without a regional number points to (ids in contactos/nacional.yml;
# their names and numbers come from there, never typed here).
FALLBACK_LINES = ("linea-100", "linea-1818")


# --- JSON (HSDS-shaped) -------------------------------------------------------------

def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


PROVENANCE_FIELDS = ("dataset", "record", "official_name", "official_url", "edition", "file", "read_from",
                     "sha256", "imported_on")


def provenance(view: dict) -> dict | None:
    """Where an imported service comes from (dataset, record, edition, copy read, import date)."""
    source = view.get("provenance")
    if not source:
        return None
    data = {key: _iso(source.get(key)) for key in PROVENANCE_FIELDS}
    data["title"] = source.get("title")
    return data


def status(view: dict) -> dict:
    """What is known about the entry, in both languages (never "verified" for a desk check)."""
    return {lang: status_line(view, lang) for lang in LANGS}


def hsds_service(view: dict) -> dict:
    """One entry as an HSDS 3.0 `service`, with nested organisation, location and phones."""
    lang_labels = labels("language")
    service = {
        "id": view["id"],
        "name": text(view["name"], "es"),
        "description": text(view["description"], "es"),
        "status": "active",
        "url": view["url"],
        "email": view["emails"][0] if view["emails"] else None,
        "assured_date": _iso(view["verified_on"]),
        "organization": {"id": f"org-{view['id']}", "name": text(view["organization"] or view["name"], "es")},
        "phones": [{
            "id": f"{view['id']}-tel-{i}",
            "number": p["number"],
            "type": p["type"],
            "description": text(p["description"], "es") or None,
            "languages": [{"code": c, "name": text(lang_labels.get(c, c), "es")} for c in p["languages"]],
            "x_tel": p["href"],
            "x_e164": p["e164"],
            "x_short_code": p["short_code"],
            "x_free": p["free"],
            "x_available_24h": p["available_24h"],
            "x_verified_on": _iso(p["verified_on"]),
            "x_conflict": bool(p.get("conflict")),
            "x_listed_in": list(p.get("listed_in") or []),
            "x_note": {lang: phone_note(p, lang) for lang in LANGS} if p.get("conflict") else None,
        } for i, p in enumerate(view["phones"])],
        "languages": [{"code": c, "name": text(lang_labels.get(c, c), "es")} for c in view["languages"]],
        "service_areas": [{"id": f"{view['id']}-area", "name": text(view["service_area"], "es")}] if view["service_area"] else [],
        "schedules": [{"id": f"{view['id']}-horario",
                       "description": "24 horas" if view["available_24h"] else text(view["hours"], "es") or None}],
        "location": {
            "id": f"{view['id']}-lugar",
            "location_type": "redacted" if view["confidential_location"] else ("physical" if view["address"] else "virtual"),
            "external_identifier": view["ubigeo"],
            "external_identifier_type": "ubigeo" if view["ubigeo"] else None,
            "latitude": None if view["confidential_location"] else view.get("latitude"),
            "longitude": None if view["confidential_location"] else view.get("longitude"),
            "addresses": [{"address_1": view["address"]["address_1"], "city": view["address"]["city"],
                           "state_province": view["address"].get("state_province", ""), "country": "PE",
                           "address_type": "physical"}] if view["address"] else [],
        },
        "x_region": view["region"],
        "x_service_type": view["service_type"],
        "x_hotline": view["hotline"],
        "x_text": {key: view[key] for key in ("name", "organization", "description", "notes",
                                              "service_area", "hours", "languages_note") if view[key]},
        "x_available_24h": view["available_24h"],
        "x_confidential_location": view["confidential_location"],
        "x_source": view["source"],
        "x_source_url": view["source_url"],
        "x_review_every_months": view["review_every_months"],
        "x_province": view.get("province"),
        "x_district": view.get("district"),
        "x_source_date": _iso(view["verified_on"]),
        "x_confirmed_by_phone_on": _iso(view.get("confirmed_by_phone_on")),
        "x_status": status(view),
        "x_provenance": provenance(view),
    }
    return service


def to_json(views: dict[str, list[dict]], generated: dt.date) -> str:
    """The whole directory as one HSDS-shaped JSON document."""
    services = [hsds_service(v) for region in views for v in views[region]]
    document = {"hsds_version": HSDS_VERSION, "profile": PROFILE, "generated": generated.isoformat(),
                "count": len(services), "services": services}
    return json.dumps(document, ensure_ascii=False, indent=1)


def read_json(payload: str) -> list[dict]:
    """Services back from the JSON export."""
    return json.loads(payload)["services"]


# --- CSV --------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., -2+3, @SUM); tab and CR start one too in some programs (OWASP "CSV injection").
# Full-width forms are included: some spreadsheets normalise them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: formula starters get a leading apostrophe."""
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_row(view: dict) -> dict:
    """One entry as a flat CSV row (lists joined with ' | ')."""
    address = view["address"]
    return {
        "id": view["id"], "region": view["region"], "ubigeo": view["ubigeo"] or "",
        "service_type": view["service_type"],
        "name_es": text(view["name"], "es"), "name_en": text(view["name"], "en"),
        "organization_es": text(view["organization"], "es"), "organization_en": text(view["organization"], "en"),
        "description_es": text(view["description"], "es"), "description_en": text(view["description"], "en"),
        "phones": " | ".join(p["number"] for p in view["phones"]),
        "phones_tel": " | ".join(p["href"] for p in view["phones"]),
        "emails": " | ".join(view["emails"]), "url": view["url"] or "",
        "languages": " | ".join(view["languages"]),
        "available_24h": "true" if view["available_24h"] else "false",
        "hours_es": text(view["hours"], "es"), "hours_en": text(view["hours"], "en"),
        "address": f"{address['address_1']}, {address['city']}" if address else "",
        "confidential_location": "true" if view["confidential_location"] else "false",
        "service_area_es": text(view["service_area"], "es"), "service_area_en": text(view["service_area"], "en"),
        "verified_on": _iso(view["verified_on"]) or "", "review_every_months": str(view["review_every_months"]),
        "source": view["source"] or "", "source_url": view["source_url"] or "",
        "province": view.get("province") or "", "district": view.get("district") or "",
        "latitude": "" if view["confidential_location"] or view.get("latitude") is None else str(view["latitude"]),
        "longitude": "" if view["confidential_location"] or view.get("longitude") is None else str(view["longitude"]),
        "phones_to_confirm": " | ".join(p["number"] for p in view["phones"] if p.get("conflict")),
        "status_es": status_line(view, "es"), "status_en": status_line(view, "en"),
        "confirmed_by_phone_on": _iso(view.get("confirmed_by_phone_on")) or "",
        **{f"provenance_{key}": str((provenance(view) or {}).get(key) or "")
           for key in ("dataset", "record", "edition", "official_url", "file", "read_from", "sha256", "imported_on")},
    }


def to_csv(views: dict[str, list[dict]]) -> str:
    """The whole directory as CSV (UTF-8, header row, one row per entry)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for region in views:
        for view in views[region]:
            writer.writerow({key: csv_cell(value) for key, value in csv_row(view).items()})
    return buffer.getvalue()


def read_csv(payload: str) -> list[dict]:
    """Rows back from the CSV export."""
    return list(csv.DictReader(io.StringIO(payload)))


# --- vCard 3.0 (imports on Android and iPhone) ------------------------------------------

# Line breaks in any form: CRLF, a bare CR, LF, and the Unicode ones some readers honour.
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# Other control characters have no meaning in a card and may confuse a parser: dropped.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def vcard_text(value: str) -> str:
    """A TEXT value escaped per RFC 6350 §3.4: backslash, comma, semicolon; every line break -> \\n."""
    value = _CONTROL.sub("", str(value)).replace("\t", " ")
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _LINE_BREAK.sub("\\\\n", value)


def vcard_value(value: str) -> str:
    """A URI, e-mail or phone value: no line break or control character can end the line early."""
    return _CONTROL.sub("", _LINE_BREAK.sub("", str(value))).replace("\t", "")


_escape = vcard_text        # older name


def _unescape(value: str) -> str:
    """The inverse of vcard_text (one pass, so "\\\\n" stays a backslash and an n)."""
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _fold(line: str) -> str:
    """RFC 6350 line folding at 75 octets (never inside a UTF-8 character)."""
    if len(line) <= 75 and line.isascii():
        return line
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " " + char, 1 + width
        else:
            current += char
            size += width
    out.append(current)
    return "\r\n".join(out)


def no_number_note(national: list[dict], lang: str) -> str:
    """What a card without a phone number says: call the national lines (from the data)."""
    by_id = {v["id"]: v for v in national if v["phones"]}
    lines = [f"{text(by_id[i]['name'], lang)} ({by_id[i]['phones'][0]['number']})"
             for i in FALLBACK_LINES if i in by_id]
    if lang == "es":
        calls = " o ".join(lines) or "las líneas nacionales de este archivo"
        return f"Sin número regional verificado: llame a {calls}."
    calls = " or ".join(lines) or "the national lines in this file"
    return f"No verified regional number: call {calls}."


VCARD_WORDS = {
    "es": {"source": "Fuente"},
    "en": {"source": "Source"},
}


def vcard(view: dict, lang: str, no_number: str = "") -> str:
    """One entry as a vCard (what a phone's contacts app imports).

    A phone on which the sources disagree is not a TEL line (one tap would dial it, and a
    contacts app hides NOTE): NOTE names it first, with the directory's own warning, as the
    site does; pocket guides leave it out. NOTE then says what is known about the entry.
    """
    name = text(view["name"], lang)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(name)}", f"N:{_escape(name)};;;;"]
    org = text(view["organization"], lang)
    if org:
        lines.append(f"ORG:{_escape(org)}")
    phones = [p for p in view["phones"] if not p.get("conflict")]
    for phone in phones:
        kind = {"voice": "VOICE", "text": "TEXT", "fax": "FAX", "cell": "CELL"}.get(phone["type"], "VOICE")
        lines.append(f"TEL;TYPE={kind}:{vcard_value(phone['e164'] or phone['number'])}")
    for email in view["emails"]:
        lines.append(f"EMAIL;TYPE=INTERNET:{vcard_value(email)}")
    if view["url"]:
        lines.append(f"URL:{vcard_value(view['url'])}")
    note = [f"{p['number']}: {phone_note(p, lang)}" for p in view["phones"] if p.get("conflict")]
    note.append(text(view["description"], lang))
    if not phones:
        note.append(no_number)
    note.append(f"{status_line(view, lang)}. {VCARD_WORDS[lang]['source']}: {view['source']}")
    lines.append(f"NOTE:{_escape(' '.join(n for n in note if n))}")
    lines.append(f"UID:urn:trata-salud:{vcard_value(view['id'])}")
    lines.append("END:VCARD")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def to_vcards(region: str, views: dict[str, list[dict]], lang: str) -> str:
    """A region's file: its own entries, then every national entry."""
    national = list(views.get(NATIONAL, []))
    no_number = no_number_note(national, lang)
    return "".join(vcard(v, lang, no_number) for v in list(views.get(region, [])) + national)


def read_vcards(payload: str) -> list[dict]:
    """Cards back from a .vcf (unfolded): {'FN': ..., 'TEL': [...], 'UID': ...}."""
    unfolded = payload.replace("\r\n", "\n").replace("\n ", "")   # any newline convention
    cards, card = [], None
    for line in unfolded.split("\n"):
        if line == "BEGIN:VCARD":
            card = {"TEL": []}
        elif line == "END:VCARD" and card is not None:
            cards.append(card)
            card = None
        elif card is not None and ":" in line:
            key, value = line.split(":", 1)
            base = key.split(";")[0]
            if base == "TEL":
                card["TEL"].append(value)
            else:
                card[base] = _unescape(value)
    return cards


# --- Writing --------------------------------------------------------------------

def export_payloads(contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None) -> dict[str, str]:
    """Every export file's text by its name in <site>/directorio/datos/ (JSON, CSV, vCards)."""
    today = today or dt.date.today()
    views = directory_views(contacts_dir, today)
    payloads = {JSON_NAME: to_json(views, today), CSV_NAME: to_csv(views)}
    for region in REGIONS:
        for lang in LANGS:
            payloads[vcard_name(region, lang)] = to_vcards(region, views, lang)
    return payloads


def write_exports(site_dir: Path, contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None,
                  payloads: dict[str, str] | None = None) -> list[Path]:
    """Write JSON, CSV and the vCards into <site_dir>/directorio/datos/; return the paths.

    `payloads` (from `export_payloads`) skips working them out again.
    """
    if payloads is None:
        payloads = export_payloads(contacts_dir, today)
    target = Path(site_dir) / EXPORT_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in payloads.items():
        path = target / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
