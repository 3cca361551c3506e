"""Validation of contact files: JSON Schema (shape), meaning, cross-file rules, review dates.

Every problem is a Problem(path, line, field, message, hint). Valid data is checked with the
fast parser and compiled schema; only a file with problems is parsed again with the
line-keeping loader, so each problem names its line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from scripts.dates import add_months, as_date
from scripts.directory.common import CONTACTS_DIR, EMAIL_RE, NATIONAL, REGIONS, SCHEMA_PATH, SHORT_CODES, URL_RE
from scripts.directory.model import ContactFile, load_directory, load_schema
from scripts.directory.phones import parse_phone, phone_text_problem
from scripts.directory.privacy import PERSON_KEYS, entry_problems, url_problem
from scripts.problems import Problem
from scripts.yamlutil import line_of

@lru_cache(maxsize=4)
def _validator(path: Path = SCHEMA_PATH):
    from jsonschema import Draft202012Validator

    schema = load_schema(path)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=4)
def _fast_validator(path: Path = SCHEMA_PATH):
    """fastjsonschema (compiled) for the common case of valid data; None if unavailable."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover
        return None
    schema = dict(load_schema(path))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"   # same keywords, older draft name
    schema.pop("$id", None)
    return fastjsonschema.compile(schema)



def _jsonable(value: Any) -> Any:
    """Plain JSON data for the schema: dates as ISO strings, LineDicts as dicts."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is list:
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _locate(data: Any, path: Iterable) -> tuple[int | None, str]:
    """YAML line and a readable field name ('linea-100.phones[0].number') for a schema path."""
    line = getattr(data, "line", None)
    node = data
    parts: list[str] = []
    for key in path:
        if isinstance(node, dict) and key in node:
            line = line_of(node, key) or line
            parts.append(str(key))
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            item = node[key]
            line = getattr(item, "line", line)
            if isinstance(item, dict) and isinstance(item.get("id"), str) and parts == ["entries"]:
                parts = [item["id"]]
            else:
                parts[-1:] = [f"{parts[-1]}[{key}]"] if parts else [f"[{key}]"]
            node = item
        else:
            break
    return line, ".".join(parts)


def _schema_message(error) -> str:
    """Short English message for a schema error."""
    kind = error.validator
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"missing required field {missing[0]!r}" if missing else error.message
    if kind == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        extra = [k for k in extra if k.casefold() not in PERSON_KEYS]
        return f"unknown field {extra[0]!r}" if extra else error.message
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{error.instance!r} is not allowed (use one of: {allowed})"
    if kind == "type":
        return f"must be of type {error.validator_value}, not {type(error.instance).__name__}"
    return error.message


def schema_problems(cfile: ContactFile) -> list[Problem]:
    """Shape problems (JSON Schema), each at its YAML line."""
    document = _jsonable(cfile.data)
    fast = _fast_validator()
    if fast is not None:
        try:
            fast(document)
            return []
        except Exception:  # noqa: BLE001 - any failure: let jsonschema explain it
            pass
    problems = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        if error.validator in ("required", "dependentRequired"):
            line, name = _locate(cfile.data, path)
            missing = re.findall(r"'([^']+)' is a (?:required|dependency)", error.message)
            if error.validator == "required" and missing:
                name = f"{name}.{missing[0]}" if name else missing[0]
        elif error.validator == "additionalProperties":
            line, name = _locate(cfile.data, path)
            extra = [k for k in re.findall(r"'([^']+)'", error.message.split("(")[-1])
                     if k.casefold() not in PERSON_KEYS]       # the privacy rule names those
            if not extra:
                continue
            node = cfile.data
            for key in path:
                node = node[key]
            if extra and isinstance(node, dict):
                line = line_of(node, extra[0]) or line
                name = f"{name}.{extra[0]}" if name else extra[0]
        else:
            line, name = _locate(cfile.data, path)
        problems.append(Problem(cfile.shown, line, name, _schema_message(error),
                                "see scripts/schemas/contact.schema.json"))
    return problems


# --- Meaning checks ------------------------------------------------------------





def _org_key(entry: dict) -> str:
    """Which organisation an entry belongs to (for the shared-number rule)."""
    org = entry.get("organization") or entry.get("name") or {}
    return str(org.get("es") if isinstance(org, dict) else org).strip().casefold()


def _line_of_path(entry: dict, path: str) -> int | None:
    """Line of 'phones[0].description.es' inside an entry (the deepest key that has one)."""
    node, line = entry, line_of(entry, "id") or getattr(entry, "line", None)
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("[") and isinstance(node, list):
            index = int(part[1:-1])
            if index >= len(node):
                break
            node = node[index]
            line = getattr(node, "line", line)
        elif isinstance(node, dict) and part in node:
            line = line_of(node, part) or line
            node = node[part]
        else:
            break
    return line


def meaning_problems(cfile: ContactFile, today: dt.date) -> list[Problem]:
    """Problems JSON Schema cannot see: region/ubigeo, phones, e-mails, URLs, dates, addresses."""
    shown, data, problems = cfile.shown, cfile.data, []
    if not isinstance(data, dict):
        return [Problem(shown, 1, "", "must be a mapping with 'region:' and 'entries:'", "")]
    region = data.get("region")
    if region != cfile.region:
        problems.append(Problem(shown, line_of(data, "region"), "region",
                                f"{region!r} does not match the file name {cfile.region!r}",
                                f"write 'region: {cfile.region}'"))
    if cfile.region != NATIONAL and cfile.region not in REGIONS:
        problems.append(Problem(shown, line_of(data, "region"), "region", f"unknown region {cfile.region!r}",
                                f"use one of: {NATIONAL}, {', '.join(REGIONS)}"))
    expected_ubigeo = REGIONS.get(cfile.region, (None,))[0]
    for entry in cfile.entries:
        if not isinstance(entry, dict):
            continue
        eid = str(entry.get("id") or f"entries line {getattr(entry, 'line', '?')}")
        where = lambda key, _e=entry: line_of(_e, key)  # noqa: E731
        # ubigeo and region agree
        ubigeo = entry.get("ubigeo")
        if expected_ubigeo and ubigeo is None:
            problems.append(Problem(shown, where("id"), f"{eid}.ubigeo",
                                    f"missing: {REGIONS[cfile.region][1]} has INEI code {expected_ubigeo!r}",
                                    f"write ubigeo: \"{expected_ubigeo}\""))
        elif expected_ubigeo and str(ubigeo)[:2] != expected_ubigeo:
            problems.append(Problem(shown, where("ubigeo"), f"{eid}.ubigeo",
                                    f"{str(ubigeo)!r} is not the INEI code of {REGIONS[cfile.region][1]} ({expected_ubigeo!r})",
                                    "region name and ubigeo must agree"))
        elif cfile.region == NATIONAL and ubigeo is not None:
            problems.append(Problem(shown, where("ubigeo"), f"{eid}.ubigeo", "national entries have no ubigeo",
                                    "move the entry to its region's file"))
        # source
        if "source" in entry and not str(entry.get("source") or "").strip():
            problems.append(Problem(shown, where("id"), f"{eid}.source", "every entry needs a source",
                                    "say where the datum comes from (publisher, date, FACTS.md section)"))
        # dates
        verified = as_date(entry.get("verified_on"))
        if "verified_on" in entry and verified is None:
            problems.append(Problem(shown, where("verified_on"), f"{eid}.verified_on",
                                    f"not a date: {entry.get('verified_on')!r}", "write YYYY-MM-DD"))
        elif verified and verified > today:
            problems.append(Problem(shown, where("verified_on"), f"{eid}.verified_on",
                                    f"{verified.isoformat()} is in the future (today is {today.isoformat()})",
                                    "use the date of the newest dated source"))
        precision = entry.get("verified_precision")
        if verified and precision in ("month", "year") and (verified.day != 1 or (precision == "year" and verified.month != 1)):
            problems.append(Problem(shown, where("verified_precision"), f"{eid}.verified_precision",
                                    f"{verified.isoformat()} is not the first day of its {precision}",
                                    "a source dated only by month or year uses its first day"))
        # address of a confidential location
        # (a shelter's address, phone, coordinates: scripts/directory/privacy.py)
        if entry.get("service_type") == "albergue" and not entry.get("confidential_location"):
            problems.append(Problem(shown, where("service_type"), f"{eid}.confidential_location",
                                    "a shelter must be marked confidential_location: true", "and carry no address"))
        # e-mails and URLs
        for index, email in enumerate(entry.get("emails") or []):
            if not isinstance(email, str) or not EMAIL_RE.match(email):
                problems.append(Problem(shown, where("emails"), f"{eid}.emails[{index}]",
                                        f"not a valid e-mail address: {email!r}", "write name@domain.gob.pe"))
        for key in ("url", "source_url"):
            url = entry.get(key)
            if isinstance(url, str) and url_problem(url):
                continue                           # named by the privacy rules
            if url is not None and (not isinstance(url, str) or not URL_RE.match(url)):
                problems.append(Problem(shown, where(key), f"{eid}.{key}",
                                        f"not an https URL: {url!r}", "only https:// addresses are published"))
        # never published; hostile text (scripts/directory/privacy.py)
        for path, message, hint in entry_problems(entry):
            problems.append(Problem(shown, _line_of_path(entry, path), f"{eid}.{path}", message, hint))
        # phones
        for index, phone in enumerate(entry.get("phones") or []):
            if not isinstance(phone, dict) or "number" not in phone:
                continue
            pline = line_of(phone, "number")
            text_problem = phone_text_problem(str(phone["number"]))
            if text_problem:
                problems.append(Problem(shown, pline, f"{eid}.phones[{index}].number",
                                        f"{phone['number']!r} {text_problem}",
                                        "write only the number as Peru dials it, e.g. (01) 625-5555; put words in description"))
            elif parse_phone(str(phone["number"])) is None:
                problems.append(Problem(shown, pline, f"{eid}.phones[{index}].number",
                                        f"{phone['number']!r} is neither a valid Peruvian number nor a national short code",
                                        f"write it as Peru dials it, e.g. (01) 625-5555, or one of {', '.join(sorted(SHORT_CODES))}"))
            pdate = as_date(phone.get("verified_on"))
            if pdate and pdate > today:
                problems.append(Problem(shown, line_of(phone, "verified_on"), f"{eid}.phones[{index}].verified_on",
                                        f"{pdate.isoformat()} is in the future (today is {today.isoformat()})", ""))
    return problems


def cross_file_problems(files: list[ContactFile]) -> list[Problem]:
    """Ids unique across files; one number under two organisations only when both say so."""
    problems = []
    seen_ids: dict[str, str] = {}
    numbers: dict[str, list[tuple[ContactFile, dict, dict, int]]] = {}
    for cfile in files:
        for entry in cfile.entries:
            if not isinstance(entry, dict):
                continue
            eid = entry.get("id")
            if isinstance(eid, str):
                if eid in seen_ids:
                    problems.append(Problem(cfile.shown, line_of(entry, "id"), f"{eid}.id",
                                            f"duplicate id {eid!r} (also in {seen_ids[eid]})",
                                            "ids must be unique across all contact files"))
                else:
                    seen_ids[eid] = cfile.shown
            for index, phone in enumerate(entry.get("phones") or []):
                if isinstance(phone, dict) and "number" in phone:
                    dial = parse_phone(str(phone["number"]))
                    if dial:
                        numbers.setdefault(dial.href, []).append((cfile, entry, phone, index))
    for href, uses in numbers.items():
        orgs = {_org_key(entry) for _f, entry, _p, _i in uses}
        if len(orgs) < 2:
            continue
        for cfile, entry, phone, index in uses:
            if not entry.get("shared_number"):
                others = sorted(str(e.get("id")) for _f, e, _p, _i in uses if e is not entry)
                problems.append(Problem(cfile.shown, line_of(phone, "number"),
                                        f"{entry.get('id')}.phones[{index}].number",
                                        f"{phone['number']!r} is also listed under another organisation ({', '.join(others)})",
                                        "if this is right, set shared_number: true and explain it in shared_number_reason"))
    return problems


def validate_contacts(contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the directory: shape, meaning and cross-file rules."""
    today = today or dt.date.today()
    files = load_directory(contacts_dir)
    return validate_files(files, today)


def validate_files(files: list[ContactFile], today: dt.date) -> list[Problem]:
    """Validate already loaded files (the benchmark times this too)."""
    problems: list[Problem] = []
    for cfile in files:
        problems += cfile.problems
        if cfile.data is None:
            continue
        found = schema_problems(cfile) + meaning_problems(cfile, today)
        if found:  # parse again, keeping lines, to say where each problem is
            lined = cfile.with_lines()
            if cfile.line_problem is not None:
                found = [cfile.line_problem] + [p for p in found if "is not a 'date'" not in p.message
                                                 and not p.message.startswith("not a date:")]
            else:
                found = (schema_problems(lined) + meaning_problems(lined, today)) or found
        problems += found
    parsed = [f for f in files if f.data is not None]
    cross = cross_file_problems(parsed)
    if cross:
        cross = cross_file_problems([f.with_lines() for f in parsed]) or cross
    problems += cross
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message))


# --- Review dates -------------------------------------------------------------

def review_interval(cfile_data: dict, entry: dict) -> int:
    """Months between verifications: the entry's own, else the file's, else 12."""
    return int(entry.get("review_every_months") or cfile_data.get("review_every_months") or 12)


@dataclass(frozen=True)
class Overdue:
    path: str
    line: int | None
    id: str
    what: str
    verified_on: dt.date
    due: dt.date


def overdue_entries(contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None) -> list[Overdue]:
    """Entries (and single phones) whose verification is older than their review interval."""
    today = today or dt.date.today()
    found = []
    for cfile in load_directory(contacts_dir):
        if not isinstance(cfile.data, dict):
            continue
        cfile = cfile.with_lines()
        for entry in cfile.entries:
            months = review_interval(cfile.data, entry)
            verified = as_date(entry.get("verified_on"))
            if verified and add_months(verified, months) < today:
                found.append(Overdue(cfile.shown, line_of(entry, "verified_on"), str(entry.get("id")), "entry",
                                     verified, add_months(verified, months)))
            for index, phone in enumerate(entry.get("phones") or []):
                pdate = as_date(phone.get("verified_on"))
                if pdate and add_months(pdate, months) < today:
                    found.append(Overdue(cfile.shown, line_of(phone, "verified_on"), str(entry.get("id")),
                                         f"phones[{index}] {phone.get('number')}", pdate, add_months(pdate, months)))
    return found
