"""Contact directory: loading files, and the plain views pages, guides and exports use.

Two parsers, one meaning: files are read with the fast parser; only a file with problems is
parsed again with the line-keeping loader (scripts.directory.validate does that).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from scripts.dates import add_months, as_date
from scripts.directory.common import CONTACTS_DIR, GENERATED_SUBDIR, SCHEMA_PATH
from scripts.directory.phones import parse_phone, tel_href
from scripts.markers import MarkerError
from scripts.problems import Problem, relpath
from scripts.yamlutil import load_yaml

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
    line_problem: Problem | None = None

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
        """The same file parsed by PyYAML's LineLoader (LineDicts know their lines).

        When that parser fails where the fast one did not (an impossible date such as
        2026-02-31), the plain data is kept and the reason is in `line_problem`.
        """
        if self._lined is None:
            try:
                self._lined = ContactFile(self.path, load_yaml(self.text), text=self.text)
            except Exception as error:  # noqa: BLE001 - reported as a Problem, never a traceback
                self.line_problem = _yaml_problem(self.path, self.text, error)
                self._lined = self
        return self._lined


def load_contact_file(path: Path) -> dict[str, Any]:
    """One contact file as plain data; raise MarkerError on a bad shape."""
    data = parse_yaml(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise MarkerError(f"{Path(path).name}: expected 'region:' and a list under 'entries:'")
    return data


MAX_BYTES = 2_000_000        # the largest real file is ~0.1 MB; bigger is a mistake or an attack
LINE_RE = re.compile(r"at line (\d+)")
DATE_LINE_RE = re.compile(r"^[^#\n]*:\s+(\d{4}-\d{2}-\d{2})\s*(?:#.*)?$")


def _duplicate_key(text: str) -> tuple[int, str] | None:
    """(line, key) of the first key repeated in one mapping (PyYAML keeps the last silently)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - only a locating aid
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        return key.start_mark.line + 1, key.value
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _bad_date_line(text: str) -> tuple[int, str, str] | None:
    """(line, value, reason) of an unquoted date that does not exist (31 February)."""
    for number, line in enumerate(text.split("\n"), 1):
        match = DATE_LINE_RE.match(line)
        if match:
            try:
                dt.date.fromisoformat(match.group(1))
            except ValueError as error:
                return number, match.group(1), str(error)
    return None


def _yaml_problem(path: Path, text: str, error: BaseException | None = None) -> Problem:
    """Why a file cannot be read, with its line: never a bare parser exception.

    The fast parser's message is used when it names a line; a duplicate key (which only the
    fast parser refuses) is located here; otherwise PyYAML's line-numbering parser explains,
    and its own failures (impossible dates, deep nesting) are caught too.
    """
    shown, hint = relpath(path), "fix the YAML syntax"
    message = str(error or "")
    if "duplicate" in message:
        found = _duplicate_key(text)
        line, key = found if found else (None, "")
        return Problem(shown, line, key, f"not valid YAML: the key {key!r} appears twice in the same mapping",
                       "keep one of them (a second one would silently replace the first)")
    if "alias" in message and "limit" in message:
        return Problem(shown, None, "", "not valid YAML here: too many aliases (a file that expands without end)",
                       "write the data out; contact files use no anchors or aliases")
    first = message.strip().splitlines()[-1].strip() if message.strip() else ""
    at = LINE_RE.search(message)
    if at:
        return Problem(shown, int(at.group(1)), "", f"not valid YAML: {first or message.splitlines()[0]}", hint)
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as parse_error:
        mark = getattr(parse_error, "problem_mark", None)
        reason = getattr(parse_error, "problem", None) or str(parse_error).splitlines()[0]
        return Problem(shown, mark.line + 1 if mark else None, "", f"not valid YAML: {reason}", hint)
    except RecursionError:
        return Problem(shown, None, "", "not valid YAML here: nested too deeply", "contact files are at most a few levels deep")
    except Exception as other:  # noqa: BLE001 - never a traceback
        return Problem(shown, None, "", f"not valid YAML: {other}", hint)
    bad = _bad_date_line(text)
    if bad:
        return Problem(shown, bad[0], "", f"{bad[1]} is not a date ({bad[2]})", "write a real date as YYYY-MM-DD")
    return Problem(shown, None, "", f"not valid YAML: {first or 'the file cannot be read'}", hint)


def contact_paths(contacts_dir: Path = CONTACTS_DIR) -> list[Path]:
    """Hand-written files (<region>.yml), then generated ones (mimp/<region>.yml)."""
    folder = Path(contacts_dir)
    return sorted(folder.glob("*.yml")) + sorted((folder / GENERATED_SUBDIR).glob("*.yml"))


def load_directory(contacts_dir: Path = CONTACTS_DIR) -> list[ContactFile]:
    """Every contact file, parsed; YAML errors become Problems, never exceptions."""
    files = []
    for path in contact_paths(contacts_dir):
        raw = path.read_bytes()
        if len(raw) > MAX_BYTES:
            files.append(ContactFile(path, None, [Problem(relpath(path), None, "", f"file is {len(raw):,} bytes "
                                                          f"(limit {MAX_BYTES:,})", "split it or remove what is not contact data")]))
            continue
        if raw.startswith(b"\xef\xbb\xbf"):
            files.append(ContactFile(path, None, [Problem(relpath(path), 1, "", "starts with a byte-order mark (BOM)",
                                                          "save the file as UTF-8 without BOM")]))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[:error.start].count(b"\n") + 1
            files.append(ContactFile(path, None, [Problem(relpath(path), line, "", "not UTF-8 text",
                                                          "save the file as UTF-8")]))
            continue
        try:
            files.append(ContactFile(path, parse_yaml(text), text=text))
        except Exception as error:  # noqa: BLE001 - YAML errors and worse become Problems
            files.append(ContactFile(path, None, [_yaml_problem(path, text, error)], text=text))
    return files


# --- Schema -----------------------------------------------------------------

@lru_cache(maxsize=4)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """The JSON Schema (draft 2020-12) of a contact file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def labels(kind: str) -> dict[str, dict[str, str]]:
    """Labels {code: {es, en}} of a controlled list in the schema ('service_type', 'language')."""
    schema = load_schema()
    if kind == "service_type":
        return schema["$defs"]["entry"]["properties"]["service_type"]["x-labels"]
    return schema["$defs"]["language"]["x-labels"]


# --- Data for pages, guides and exports ------------------------------------------

def _datasets(data: Any) -> dict[str, dict]:
    """The provenance block of a generated file, by dataset id (empty for hand-written files)."""
    items = data.get("datasets") if isinstance(data, dict) else None
    return {str(d["id"]): dict(d) for d in items or [] if isinstance(d, dict) and d.get("id")}


def _provenance(entry: dict, datasets: dict[str, dict]) -> dict | None:
    """Where an imported entry comes from: dataset facts plus the row; None when hand-written."""
    ref = entry.get("provenance")
    if not isinstance(ref, dict):
        return None
    meta = datasets.get(str(ref.get("dataset")), {})
    return {"dataset": ref.get("dataset"), "record": ref.get("record"), "title": meta.get("title"),
            "official_name": meta.get("official_name"), "official_url": meta.get("official_url"),
            "edition": meta.get("edition"), "file": meta.get("file"), "read_from": meta.get("read_from"),
            "sha256": meta.get("sha256"), "imported_on": as_date(meta.get("imported_on"))}


def _view(entry: dict, region: str, file_months: int, today: dt.date | None,
          datasets: dict[str, dict] | None = None) -> dict:
    """An entry as a plain dict with dial data and review status (see the package docstring)."""
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
            "conflict": bool(phone.get("conflict")),
            "listed_in": list(phone.get("listed_in") or []),
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
        "province": None if confidential else entry.get("province"),
        "district": None if confidential else entry.get("district"),
        "latitude": None if confidential else entry.get("latitude"),
        "longitude": None if confidential else entry.get("longitude"),
        "provenance": _provenance(entry, datasets or {}),
        "confirmed_by_phone_on": as_date(entry.get("confirmed_by_phone_on")),
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
        datasets = _datasets(cfile.data)
        result.setdefault(cfile.region, []).extend(
            _view(e, cfile.region, months, today, datasets) for e in cfile.entries if isinstance(e, dict))
    return result


def region_views(region: str, contacts_dir: Path = CONTACTS_DIR, today: dt.date | None = None) -> list[dict]:
    """One region's entries as views, hand-written then imported (MarkerError for an unknown region)."""
    path = Path(contacts_dir) / f"{region}.yml"
    if not path.is_file():
        raise MarkerError(f"no contact file for region {region!r} ({relpath(path)})")
    views = []
    for one in (path, Path(contacts_dir) / GENERATED_SUBDIR / f"{region}.yml"):
        if one is not path and not one.is_file():
            continue
        data = load_contact_file(one)
        months = int(data.get("review_every_months") or 12)
        datasets = _datasets(data)
        views += [_view(e, region, months, today, datasets) for e in data["entries"]]
    return views
