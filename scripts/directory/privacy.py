"""What must never be published, and hostile input: rules the validator applies to every entry.

- Shelters (HRT, Casa de Acogida, CAR, albergue): no phone, address or coordinates, and no
  address typed into a text field or coordinates in a URL (FACTS.md §10j).
- CAI rows (re-education of aggressors): not a service for victims, left out.
- No person's name: no field that holds one (`responsable`...), no "Dra. …" in any text.
- Text a reader sees: never blank, no invisible or direction-changing characters, no letters
  from another script (a Cyrillic "і" in "Línea 1818"), no internal references
  ("FACTS.md §3 S52", "(S26, S41)", "(s02)").
- URLs: never a local host or a raw IP address.

Each rule returns (key path, message, hint); scripts.directory.validate turns them into
Problems with the file and line.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

# Text fields a reader sees (cards, pocket guides, exports); internal_ref and provenance are not.
RENDERED_TEXT = ("name", "organization", "description", "summary", "notes", "service_area", "hours", "languages_note",
                 "shared_number_reason")
RENDERED_PLAIN = ("source", "province", "district")
PHONE_TEXT = ("description", "hours")
# Fields that would hold a person's name (the source of MIMP's file B had `responsable`).
PERSON_KEYS = {"responsable", "responsible", "contact_person", "contacto", "persona", "encargado", "encargada",
               "director", "directora", "coordinador", "coordinadora", "jefe", "jefa", "staff", "person", "people"}
PERSON_RE = re.compile(r"(?<![\w.])(?:Dr|Dra|Lic|Licda|Sr|Sra|Srta|Abog|Mg|Ing|Psic|Obst|Enf)\.\s*[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+"
                       r"|\b(?:responsable|encargad[oa]|a cargo de|coordinador[a]?|contactar a)\s*:?\s+"
                       r"(?:(?:la|el)\s+)?(?:(?:Dr|Dra|Lic|Sr|Sra)\.?\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")
SHELTER_NAME_RE = re.compile(r"\b(HRT|hogar(?:es)? de refugio|casa(?:s)? (?:de )?acogida|casa refugio|CAR|"
                             r"centro(?:s)? de atenci[oó]n residencial|albergue)\b", re.I)
CAI_NAME_RE = re.compile(r"\b(CAI|centro de atenci[oó]n institucional)\b", re.I)
# An address typed in prose: a street word followed soon by a number, or "N° 12", "Mz. B Lote 4".
ADDRESS_RE = re.compile(r"\b(?:av|avenida|jr|jir[oó]n|calle|ca|psje|pasaje|prolongaci[oó]n|carretera|mz|manzana|"
                        r"lote|lt|km|urb|urbanizaci[oó]n|a\.\s?h|asentamiento humano)\b\.?[^.;\n]{0,40}?\d"
                        r"|\bn[°º]\s*\d|\bnro\.?\s*\d|\bs/n\b", re.I)
COORDS_RE = re.compile(r"-?\d{1,2}\.\d{3,}\s*[,;/ ]\s*-?\d{2,3}\.\d{3,}|[@=]-?\d{1,2}\.\d{3,}|\bgeo:|"
                       r"maps\.(?:google|apple)|goo\.gl/maps|openstreetmap|waze", re.I)
INTERNAL_REF_RE = re.compile(r"FACTS\.md|§|\(\s*[Ss]\d{1,2}(?:\s*[,;–-]\s*[Ss]?\d{1,2})*\s*\)|\b[Ss]\d{2}\b(?!\s*/)"
                             r"|\bS[1-9]\b(?![/.\-])|fuente por confirmar|\bTODO\b|\bFIXME\b")
INVISIBLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home", ".corp", ".test", ".invalid", ".example")


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    """Every string inside a value, with its key path ('notes.es', 'phones[0].number')."""
    out: list[tuple[str, str]] = []
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        kind = type(item)
        if kind is str:
            out.append((where, item))
        elif isinstance(item, dict):
            stack.extend((f"{where}.{key}" if where else str(key), sub) for key, sub in reversed(item.items()))
        elif kind is list:
            stack.extend((f"{where}[{index}]", sub) for index, sub in reversed(list(enumerate(item))))
    return out


def _texts(value: Any) -> list[tuple[str, str]]:
    """An {es, en} map's strings with their language key (or a plain string)."""
    if isinstance(value, dict):
        return [(f".{key}", item) for key, item in value.items() if isinstance(item, str)]
    return [("", value)] if isinstance(value, str) else []


ASCII_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=4096)
def _char_problem(char: str) -> str | None:
    """The problem with one non-ASCII character (cached: data use few distinct ones)."""
    code = ord(char)
    if code in BIDI:
        return (f"contains the direction control U+{code:04X} ({unicodedata.name(char, 'unnamed')}), "
                "which can reverse what a reader sees (digits of a number, for example)")
    category = unicodedata.category(char)
    if code in INVISIBLE or category == "Cf":
        return f"contains the invisible character U+{code:04X} ({unicodedata.name(char, 'unnamed')})"
    if category == "Cc":
        return f"contains the control character U+{code:04X}"
    if char.isalpha() and char not in "ºª" and not unicodedata.name(char, "").startswith("LATIN"):
        return (f"contains {char!r} (U+{code:04X}, {unicodedata.name(char, 'unnamed')}), a letter from another "
                "script that looks like a Latin one")
    return None


def character_problem(text: str) -> str | None:
    """Invisible or bidi characters, control characters, or letters from a script other than Latin."""
    if text.isascii():
        match = ASCII_CONTROL_RE.search(text)
        return f"contains the control character U+{ord(match.group(0)):04X}" if match else None
    for char in text:
        if char < "\x80":
            if ASCII_CONTROL_RE.match(char):
                return f"contains the control character U+{ord(char):04X}"
            continue
        problem = _char_problem(char)
        if problem:
            return problem
    return None


def is_shelter(entry: dict) -> bool:
    """An albergue, a confidential location, or a name that says HRT / Casa de Acogida / CAR."""
    if entry.get("service_type") == "albergue" or entry.get("confidential_location"):
        return True
    return any(SHELTER_NAME_RE.search(text) for _k, text in _texts(entry.get("name")))


@lru_cache(maxsize=8192)
def url_problem(url: str) -> str | None:
    """A local host or raw IP address in an https URL."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "cannot be parsed as a URL"
    if parts.username or parts.password or "@" in parts.netloc:
        return "carries a user name or password before the host"
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return f"points to a raw IP address ({host}), not to a public site's name"
    except ValueError:
        pass
    if host == "localhost" or host.endswith(LOCAL_SUFFIXES) or "." not in host:
        return f"points to a local or private host ({host})"
    if parts.port is not None:
        return f"names a port ({parts.port}); public sites are published without one"
    return None


def entry_problems(entry: dict) -> list[tuple[str, str, str]]:
    """(field path, message, hint) for every rule above that the entry breaks."""
    found: list[tuple[str, str, str]] = []
    names = [text for _k, text in _texts(entry.get("name"))]
    # CAI rows: never a service for victims
    if any(CAI_NAME_RE.search(text) for text in names):
        found.append(("name", "a CAI (Centro de Atención Institucional) re-educates aggressors: it is not a service "
                      "for victims and is never listed", "delete the entry (FACTS.md §10j)"))
    # shelters: nothing that locates them or reaches them directly
    if is_shelter(entry):
        if entry.get("service_type") != "albergue" and any(SHELTER_NAME_RE.search(t) for t in names):
            found.append(("service_type", "a shelter (HRT, Casa de Acogida, CAR) must have service_type: albergue "
                          "and confidential_location: true", "it then carries no phone, address or coordinates"))
        for key in ("phones", "address", "latitude", "longitude", "province", "district"):
            if entry.get(key) not in (None, [], {}, ""):
                what = {"phones": "phone", "latitude": "coordinates", "longitude": "coordinates"}.get(key, key)
                found.append((key, f"a shelter (HRT, Casa de Acogida, CAR) must never publish its {what}",
                              "delete it: people reach a shelter only through a referral (Línea 100, CEM, UPE, Fiscalía)"))
        for field in RENDERED_TEXT:
            for suffix, text in _texts(entry.get(field)):
                if ADDRESS_RE.search(text):
                    found.append((f"{field}{suffix}", f"looks like the shelter's address ({ADDRESS_RE.search(text).group(0)}…)",
                                  "a shelter's address is never published, not even in prose: delete it"))
                if COORDS_RE.search(text):
                    found.append((f"{field}{suffix}", "looks like the shelter's coordinates or a map link",
                                  "a shelter's location is never published: delete it"))
        for key in ("url", "source_url"):
            if isinstance(entry.get(key), str) and COORDS_RE.search(entry[key]):
                found.append((key, "the URL carries coordinates or a map of the shelter",
                              "a shelter's location is never published: link to the institution, not to a map"))
    # a person's name
    for key in entry:
        if str(key).casefold() in PERSON_KEYS:
            found.append((str(key), f"field {key!r} would publish a person's name; no person's name is ever published",
                          "delete the field: name the service or the role, never the person"))
    # One walk over the entry's strings; each rule first searches all of them joined (fast,
    # the common case is clean data) and only then finds the field (the benchmark times this).
    strings = list(_strings({k: v for k, v in entry.items() if k != "internal_ref"}, ""))
    # (streets named after people are addresses, not staff: the address is not searched)
    people = [(path, text) for path, text in strings if not path.startswith(("provenance", "address"))]
    if PERSON_RE.search("\n".join(text for _p, text in people)):
        for path, text in people:
            match = PERSON_RE.search(text)
            if match:
                found.append((path, f"looks like a person's name: {match.group(0)!r}; no person's name is ever published",
                              "name the service or the role (e.g. 'la fiscal provincial'), never the person"))
    # text a reader sees: not blank, no invisible, bidi or look-alike letters, no internal references
    rendered = [(f"{f}{s}", t) for f in RENDERED_TEXT for s, t in _texts(entry.get(f))]
    for path, text in rendered:
        if not text.strip() or not any(ch.isalnum() for ch in text):
            found.append((path, "is blank (or has no letter or digit)", "write the text in both languages"))
    if character_problem("\t".join(text for _p, text in strings)):
        for path, text in strings:
            problem = character_problem(text)
            if problem:
                found.append((path, problem, "retype it with plain letters and digits"))
    rendered += [(f, entry[f]) for f in RENDERED_PLAIN if isinstance(entry.get(f), str)]
    for index, phone in enumerate(entry.get("phones") or []):
        if isinstance(phone, dict):
            rendered += [(f"phones[{index}].{f}{s}", t) for f in PHONE_TEXT for s, t in _texts(phone.get(f))]
    if INTERNAL_REF_RE.search("\n".join(text for _p, text in rendered)):
        for path, text in rendered:
            match = INTERNAL_REF_RE.search(text)
            if match:
                found.append((path, f"shows readers an internal reference ({match.group(0)!r})",
                              "move it to internal_ref (never rendered) or to a YAML comment"))
    # URLs
    for key in ("url", "source_url"):
        if isinstance(entry.get(key), str):
            problem = url_problem(entry[key])
            if problem:
                found.append((key, f"{entry[key]!r} {problem}", "link only to public https sites by name"))
    return found
