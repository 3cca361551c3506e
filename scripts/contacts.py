"""Contact directory: load, validate and render docs/_data/contactos/*.yml.

One file per region (plus `nacional.yml`); the fields follow Open Referral HSDS where it
has them (see scripts/schemas/contact.schema.json). A wrong number can hurt a patient, so
the validator checks meaning as well as shape, and every problem names file, line and field.

API for other helpers (pocket guides, exports)::

    usable_contacts(region, today) -> list[dict]
        The region's entries that may be printed: verified (have `verified_on` and a
        source), not stale on `today` (verified_on + review interval >= today, for the
        entry and every phone), and not a confidential location that carries an address.
        Pass include_stale=True to keep stale ones (each dict has "stale": True/False).
    national_lines(today=None, hotlines_only=True) -> list[dict]
        The national lines (nacional.yml, `hotline: true`) in file order, stale or not:
        check the "stale" flag before printing.

    Each dict holds: id, region, ubigeo, service_type, name/description/organization/
    notes/service_area/hours/languages_note as {"es": ..., "en": ...} (use
    `text(d["name"], lang)`), languages (ISO 639-3 codes), available_24h,
    confidential_location, emails, url, address (None when confidential), source,
    source_url, verified_on (date), review_due (date), stale (bool), and phones: a list of
    {number (as displayed), href ("tel:+5116255555" or "tel:1818"), e164 (or None for
    short codes), short_code (bool), type, free, available_24h, description, hours,
    languages, verified_on, stale}.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from scripts import DATA_DIR, DEFAULT_LANGUAGE, ROOT
from scripts.markers import MarkerContext, MarkerError, register
from scripts.dates import add_months, as_date
from scripts.problems import Problem, relpath
from scripts.yamlutil import line_of, load_yaml

CONTACTS_DIR = DATA_DIR / "contactos"
SCHEMA_PATH = ROOT / "scripts" / "schemas" / "contact.schema.json"
NATIONAL = "nacional"
NATIONAL_FILE = "nacional.yml"
EXPORT_DIR = "directorio/datos"       # where the build writes JSON, CSV and vCards
# National short codes dialled as they are (phonenumbers cannot parse them as PE numbers).
SHORT_CODES = {"100", "105", "106", "113", "116", "1818"}
# INEI department codes (ubigeo, 2 digits) of the twelve workshop regions.
REGIONS: dict[str, tuple[str, str]] = {
    "amazonas": ("01", "Amazonas"),
    "cajamarca": ("06", "Cajamarca"),
    "callao": ("07", "Callao"),
    "cusco": ("08", "Cusco"),
    "lima": ("15", "Lima"),
    "loreto": ("16", "Loreto"),
    "madre-de-dios": ("17", "Madre de Dios"),
    "pasco": ("19", "Pasco"),
    "piura": ("20", "Piura"),
    "puno": ("21", "Puno"),
    "tacna": ("23", "Tacna"),
    "tumbes": ("24", "Tumbes"),
}
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
URL_RE = re.compile(r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[^\s<>\"']*)?$")


# --- Loading ----------------------------------------------------------------
# Two parsers, one meaning: data are read with the fast Rust parser `yaml_rs` (what pages,
# exports and checks use); only a file that has problems is parsed again with PyYAML's
# line-keeping loader, to name the line of each problem. A test checks that both parsers
# give the same data for every real contact file. Without yaml_rs, PyYAML does both.

try:
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - fallback keeps the site buildable
    _yaml_rs = None

YAML_ERRORS: tuple[type[Exception], ...] = (yaml.YAMLError,) + ((_yaml_rs.YAMLDecodeError,) if _yaml_rs else ())


def parse_yaml(text: str) -> Any:
    """Plain data (dicts, lists, str, int, bool, date) from YAML text, fast."""
    if _yaml_rs is not None:
        return _yaml_rs.loads(text)
    return yaml.load(text, Loader=yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


@dataclass
class ContactFile:
    """One data file: its path, its text, its data (plain) and, on demand, LineDicts."""

    path: Path
    data: Any
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    _lined: Any = None
    _shown: str = ""

    @property
    def shown(self) -> str:
        if not self._shown:
            self._shown = relpath(self.path)
        return self._shown

    @property
    def region(self) -> str:
        return self.path.stem

    @property
    def entries(self) -> list:
        entries = self.data.get("entries") if isinstance(self.data, dict) else None
        return entries if isinstance(entries, list) else []

    def with_lines(self) -> "ContactFile":
        """The same file parsed by PyYAML's LineLoader (LineDicts know their lines)."""
        if self._lined is None:
            self._lined = ContactFile(self.path, load_yaml(self.text), text=self.text)
        return self._lined


def load_contact_file(path: Path) -> dict[str, Any]:
    """One contact file as plain data; raise MarkerError on a bad shape."""
    data = parse_yaml(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise MarkerError(f"{Path(path).name}: expected 'region:' and a list under 'entries:'")
    return data


def _yaml_problem(path: Path, text: str) -> Problem:
    """A syntax error, located by PyYAML (which reports line and reason)."""
    try:
        load_yaml(text)
        reason, line = "the fast parser rejected it", None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(relpath(path), line, "", f"not valid YAML: {reason}", "fix the YAML syntax")


def load_directory(contacts_dir: Path = CONTACTS_DIR) -> list[ContactFile]:
    """Every *.yml in the folder, parsed; YAML errors become Problems, never exceptions."""
    files = []
    for path in sorted(Path(contacts_dir).glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        try:
            files.append(ContactFile(path, parse_yaml(text), text=text))
        except YAML_ERRORS:
            files.append(ContactFile(path, None, [_yaml_problem(path, text)], text=text))
    return files


# --- Phones -----------------------------------------------------------------

@dataclass(frozen=True)
class Dial:
    """How to show and dial one number."""

    display: str
    href: str
    e164: str | None
    short_code: bool


@lru_cache(maxsize=65536)
def parse_phone(number: str) -> Dial | None:
    """A national short code or a valid Peruvian number; None when it is neither."""
    import phonenumbers

    text = str(number).strip()
    if text in SHORT_CODES:
        return Dial(text, f"tel:{text}", None, True)
    try:
        parsed = phonenumbers.parse(text, "PE")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 51 or not phonenumbers.is_valid_number(parsed):
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Dial(text, f"tel:{e164}", e164, False)


def tel_href(number: str) -> str:
    """`tel:` target: short codes as dialled, other numbers in E.164 (+51...)."""
    dial = parse_phone(number)
    if dial:
        return dial.href
    digits = "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
    return f"tel:{digits}"


# --- Schema -----------------------------------------------------------------

@lru_cache(maxsize=4)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """The JSON Schema (draft 2020-12) of a contact file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


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


def labels(kind: str) -> dict[str, dict[str, str]]:
    """Labels {code: {es, en}} of a controlled list in the schema ('service_type', 'language')."""
    schema = load_schema()
    if kind == "service_type":
        return schema["$defs"]["entry"]["properties"]["service_type"]["x-labels"]
    return schema["$defs"]["language"]["x-labels"]


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
            extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
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
        elif expected_ubigeo and str(ubigeo) != expected_ubigeo:
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
        if entry.get("confidential_location") and "address" in entry:
            problems.append(Problem(shown, where("address"), f"{eid}.address",
                                    "a confidential location (shelter) must not have an address",
                                    "delete the address; people reach it through a referral"))
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
            if url is not None and (not isinstance(url, str) or not URL_RE.match(url)):
                problems.append(Problem(shown, where(key), f"{eid}.{key}",
                                        f"not an https URL: {url!r}", "only https:// addresses are published"))
        # phones
        for index, phone in enumerate(entry.get("phones") or []):
            if not isinstance(phone, dict) or "number" not in phone:
                continue
            pline = line_of(phone, "number")
            if parse_phone(str(phone["number"])) is None:
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


# --- Data for pages, guides and exports ------------------------------------------

def text(value: Any, lang: str) -> str:
    """Pick the language from an {es, en} map; plain values pass through."""
    if isinstance(value, dict):
        return str(value.get(lang) or "")
    return "" if value is None else str(value)


localise = text  # older name used by the first version of this module


def _view(entry: dict, region: str, file_months: int, today: dt.date | None) -> dict:
    """An entry as a plain dict with dial data and review status (see module docstring)."""
    months = int(entry.get("review_every_months") or file_months or 12)
    verified = as_date(entry.get("verified_on"))
    due = add_months(verified, months) if verified else None
    phones = []
    for phone in entry.get("phones") or []:
        dial = parse_phone(str(phone.get("number")))
        pdate = as_date(phone.get("verified_on")) or verified
        pdue = add_months(pdate, months) if pdate else None
        phones.append({
            "number": str(phone.get("number")),
            "href": dial.href if dial else tel_href(str(phone.get("number"))),
            "e164": dial.e164 if dial else None,
            "short_code": bool(dial and dial.short_code),
            "type": phone.get("type", "voice"),
            "free": bool(phone.get("free")),
            "available_24h": bool(phone.get("available_24h", entry.get("available_24h"))),
            "description": phone.get("description"),
            "hours": phone.get("hours"),
            "languages": list(phone.get("languages") or entry.get("languages") or []),
            "verified_on": pdate,
            "verified_precision": phone.get("verified_precision") if phone.get("verified_on") else entry.get("verified_precision", "day"),
            "own_date": bool(phone.get("verified_on")),
            "review_due": pdue,
            "stale": bool(today and pdue and pdue < today),
        })
    confidential = bool(entry.get("confidential_location"))
    stale = bool(today and due and due < today) or any(p["stale"] for p in phones)
    return {
        "id": entry.get("id"),
        "region": region,
        "ubigeo": entry.get("ubigeo"),
        "service_type": entry.get("service_type"),
        "hotline": bool(entry.get("hotline")),
        "name": entry.get("name"),
        "organization": entry.get("organization"),
        "description": entry.get("description"),
        "notes": entry.get("notes"),
        "service_area": entry.get("service_area"),
        "hours": entry.get("hours"),
        "available_24h": bool(entry.get("available_24h")),
        "languages": list(entry.get("languages") or []),
        "languages_note": entry.get("languages_note"),
        "emails": list(entry.get("emails") or []),
        "url": entry.get("url"),
        "address": None if confidential else entry.get("address"),
        "confidential_location": confidential,
        "source": entry.get("source"),
        "source_url": entry.get("source_url"),
        "verified_on": verified,
        "verified_precision": entry.get("verified_precision", "day"),
        "review_every_months": months,
        "review_due": due,
        "stale": stale,
        "shared_number": bool(entry.get("shared_number")),
        "phones": phones,
    }


def directory_views(contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None) -> dict[str, list[dict]]:
    """All entries as views, by region slug (file order), 'nacional' included."""
    result: dict[str, list[dict]] = {}
    for cfile in load_directory(contacts_dir):
        if not isinstance(cfile.data, dict):
            continue
        months = int(cfile.data.get("review_every_months") or 12)
        result[cfile.region] = [_view(e, cfile.region, months, today) for e in cfile.entries if isinstance(e, dict)]
    return result


def region_views(region: str, contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None) -> list[dict]:
    """One region's entries as views (raises MarkerError for an unknown region)."""
    path = Path(contacts_dir) / f"{region}.yml"
    if not path.is_file():
        raise MarkerError(f"no contact file for region {region!r} ({relpath(path)})")
    data = load_contact_file(path)
    months = int(data.get("review_every_months") or 12)
    return [_view(e, region, months, today) for e in data["entries"]]


def usable_contacts(region: str, today: dt.date, contacts_dir: Path = CONTACTS_DIR,
                    include_stale: bool = False) -> list[dict]:
    """Entries of `region` safe to print on `today` (see the module docstring)."""
    usable = []
    for view in region_views(region, contacts_dir, today):
        if not view["verified_on"] or not str(view["source"] or "").strip():
            continue
        if view["stale"] and not include_stale:
            continue
        usable.append(view)
    return usable


def national_lines(today: dt.date | None = None, contacts_dir: Path = CONTACTS_DIR,
                   hotlines_only: bool = True) -> list[dict]:
    """The national lines of nacional.yml (hotline: true), each with its 'stale' flag."""
    views = region_views(NATIONAL, contacts_dir, today)
    return [v for v in views if v["hotline"] or not hotlines_only]


# --- Markers ---------------------------------------------------------------------

def _today(ctx: MarkerContext) -> dt.date:
    """The build date (tests may pass extra['today'])."""
    return ctx.extra.get("today") or dt.date.today()


def _format_date(value: dt.date | None, lang: str, precision: str = "day") -> str:
    """A date as prose; month- or year-only dates shown as such ('noviembre de 2025', '2025')."""
    from scripts.dates import MONTHS, format_date

    if not value:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        month = MONTHS[lang][value.month - 1]
        return f"{month} de {value.year}" if lang == "es" else f"{month} {value.year}"
    return format_date(value, lang)


def card_data(view: dict, lang: str) -> dict:
    """What the card template shows, in one language (all values plain text)."""
    lang_labels = labels("language")
    type_labels = labels("service_type")
    languages = [text(lang_labels.get(code, code), lang) for code in view["languages"]]
    phones = []
    for phone in view["phones"]:
        phones.append({
            "number": phone["number"], "href": phone["href"],
            "description": text(phone["description"], lang), "hours": text(phone["hours"], lang),
            "free": phone["free"], "available_24h": phone["available_24h"],
            "languages": [text(lang_labels.get(c, c), lang) for c in phone["languages"]
                          if phone["languages"] != view["languages"]],
            "verified_on": (_format_date(phone["verified_on"], lang, phone["verified_precision"] or "day")
                            if phone["own_date"] else ""),
            "verified_exact": (phone["verified_precision"] or "day") == "day",
            # the card's badge covers phones dated with the entry; flag only older numbers
            "stale": phone["stale"] and phone["own_date"],
        })
    address = view["address"]
    return {
        "id": view["id"],
        "name": text(view["name"], lang),
        "organization": text(view["organization"], lang),
        "type": view["service_type"],
        "type_label": text(type_labels.get(view["service_type"], view["service_type"]), lang),
        "description": text(view["description"], lang),
        "notes": text(view["notes"], lang),
        "service_area": text(view["service_area"], lang),
        "hours": text(view["hours"], lang),
        "available_24h": view["available_24h"],
        "languages": languages,
        "languages_note": text(view["languages_note"], lang),
        "emails": view["emails"],
        "url": view["url"],
        "address": f"{address['address_1']}, {address['city']}" if address else "",
        "confidential": view["confidential_location"],
        "source": view["source"],
        "source_url": view["source_url"],
        "verified_on": _format_date(view["verified_on"], lang, view["verified_precision"]),
        "verified_iso": view["verified_on"].isoformat() if view["verified_on"] else "",
        "verified_exact": view["verified_precision"] == "day",
        "review_months": view["review_every_months"],
        "stale": view["stale"],
        "phones": phones,
    }


def _contacts_dir(ctx: MarkerContext) -> Path:
    return Path(ctx.extra.get("contacts_dir") or CONTACTS_DIR)


@register("lineas-nacionales")
def render_national_lines(ctx: MarkerContext) -> str:
    """Compact list of national lines (home page help block, directory, guides)."""
    data = load_contact_file(_contacts_dir(ctx) / NATIONAL_FILE)
    wanted = [i for i in ctx.args.get("ids", "").split(",") if i]
    entries = [e for e in data["entries"] if (e["id"] in wanted if wanted else e.get("hotline"))]
    missing = set(wanted) - {e["id"] for e in entries}
    if missing:
        raise MarkerError(f"unknown national line ids: {', '.join(sorted(missing))}")
    if wanted:
        entries.sort(key=lambda e: wanted.index(e["id"]))
    lines = []
    for entry in entries:
        phone = entry["phones"][0]
        lines.append({
            "id": entry["id"],
            "name": text(entry["name"], ctx.lang),
            "description": text(entry.get("description"), ctx.lang),
            "number": phone["number"],
            "href": tel_href(phone["number"]),
            "note": text(phone.get("description"), ctx.lang),
            "available_24h": bool(entry.get("available_24h")),
            "verified_on": entry.get("verified_on"),
        })
    return ctx.render("partials/kb-lines.html", lines=lines, lang=ctx.lang,
                      compact=ctx.args.get("formato") == "compacto")


@register("contactos")
def render_contacts(ctx: MarkerContext) -> str:
    """Contact cards of a region (front matter `region:` or `region=` argument)."""
    region = ctx.args.get("region") or ctx.meta.get("region")
    if not region:
        raise MarkerError("kb:contactos needs 'region:' in front matter or a region= argument")
    today = _today(ctx)
    views = region_views(region, _contacts_dir(ctx), today)
    if ctx.args.get("solo") == "lineas":
        views = [v for v in views if v["hotline"]]
    elif ctx.args.get("solo") == "instituciones":
        views = [v for v in views if not v["hotline"]]
    cards = [card_data(v, ctx.lang) for v in views]
    has_number = any(c["phones"] for c in cards)
    return ctx.render("partials/kb-contact-cards.html", cards=cards, lang=ctx.lang, region=region,
                      national=region == NATIONAL, has_number=has_number)


def _page_href(ctx: MarkerContext, key: str, anchor: str = "") -> str:
    """Relative link from the current page to another page (directory or .html URLs, /en/)."""
    page, config = ctx.extra.get("page"), ctx.extra.get("config")
    directory_urls = bool(config.get("use_directory_urls", True)) if config is not None else True
    prefix = "" if ctx.lang == DEFAULT_LANGUAGE else f"{ctx.lang}/"
    name = key[:-len("/index")] if key.endswith("/index") else key
    target = f"{prefix}{name}/" if directory_urls else f"{prefix}{key}.html"
    href = _relative_url(target, page.url) if page is not None else target
    return f"{href}#{anchor}" if anchor else href


@register("directorio")
def render_directory(ctx: MarkerContext) -> str:
    """Directory home: every region (vista=regiones) or every service type (vista=tipos), no JS."""
    today = _today(ctx)
    views = directory_views(_contacts_dir(ctx), today)
    type_labels = labels("service_type")
    regions = []
    for slug, (ubigeo, name) in sorted(REGIONS.items(), key=lambda item: item[1][1]):
        regions.append({"slug": slug, "name": name, "ubigeo": ubigeo,
                        "href": _page_href(ctx, f"directorio/{slug}"),
                        "entries": [card_data(v, ctx.lang) for v in views.get(slug, [])]})
    by_type: dict[str, list[dict]] = {}
    for slug, entries in views.items():
        for view in entries:
            card = card_data(view, ctx.lang)
            card["region_name"] = REGIONS.get(slug, ("", ""))[1]
            card["href"] = (_page_href(ctx, f"directorio/{slug}", view["id"]) if slug in REGIONS
                            else f"#{view['id']}")
            by_type.setdefault(view["service_type"], []).append(card)
    types = [{"id": key, "label": text(label, ctx.lang), "entries": by_type[key]}
             for key, label in type_labels.items() if key in by_type]
    return ctx.render("partials/kb-directory.html", regions=regions, types=types, lang=ctx.lang,
                      view=ctx.args.get("vista", "regiones"))


@register("datos-abiertos")
def render_open_data(ctx: MarkerContext) -> str:
    """Links to the open-data exports (written by the build into directorio/datos/)."""
    from scripts.exports import export_names

    region = ctx.args.get("region") or ctx.meta.get("region")
    names = export_names(region if region and region != NATIONAL else None)
    page = ctx.extra.get("page")
    files = []
    for item in names:
        target = f"{EXPORT_DIR}/{item['file']}"
        href = target if page is None else _relative_url(target, page.url)
        files.append({**item, "href": href})
    return ctx.render("partials/kb-open-data.html", files=files, lang=ctx.lang)


def _relative_url(target: str, page_url: str) -> str:
    """Link from a page URL to a file at the site root (works for / and /en/, and file://)."""
    from mkdocs.utils import get_relative_url

    return get_relative_url(target, page_url or "./")
