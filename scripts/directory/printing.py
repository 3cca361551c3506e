"""What pocket guides and exports print: the usable entries of a region, the national lines.

The contract is documented in the package docstring (scripts/directory/__init__.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scripts.directory.common import CONTACTS_DIR, NATIONAL
from scripts.directory.model import region_views


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


# --- Honest status (FACTS.md §10i) ---------------------------------------------------
# A date taken from a news article is the date of the source, not a check of the number:
# only a call made by the team is "confirmed". Overdue reviews are for editors
# (report-contacts), never a line next to a call button.

STATUS_TEXT = {
    "es": {"confirmed": "Confirmado por teléfono el {date}",
           "listed": "Listado en el {directory} (edición {edition})",
           "source": "Según fuente de {date}",
           "none": "Sin fecha de fuente",
           "conflict": "Número por confirmar: los dos directorios del MIMP no coinciden. Confírmelo antes de usarlo.",
           "mimp-nacional": "directorio del MIMP",
           "mimp-servicios": "directorio de servicios del MIMP"},
    "en": {"confirmed": "Confirmed by phone on {date}",
           "listed": "Listed in {directory}, {edition} edition",
           "source": "According to a source dated {date}",
           "none": "Source undated",
           "conflict": "Number to be confirmed: MIMP's two directories disagree. Check it before you rely on it.",
           "mimp-nacional": "MIMP's directory",
           "mimp-servicios": "MIMP's directory of services"},
}


def prose_date(value: dt.date | None, lang: str, precision: str = "day") -> str:
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


def _edition(edition: str, lang: str) -> str:
    """'2026' stays; an ISO date becomes prose ('10 de septiembre de 2026')."""
    try:
        return prose_date(dt.date.fromisoformat(str(edition)), lang)
    except ValueError:
        return str(edition)


def status_line(entry: dict, lang: str) -> str:
    """What is known about an entry (a view), in one line: confirmed, listed, or a source date.

    'Confirmado por teléfono el 3 de diciembre de 2026' only when someone called
    (`confirmed_by_phone_on`); 'Listado en el directorio del MIMP (edición 2026)' for an
    imported service; otherwise 'Según fuente de <fecha>' (the newest dated source).
    """
    words = STATUS_TEXT[lang]
    if entry.get("confirmed_by_phone_on"):
        return words["confirmed"].format(date=prose_date(entry["confirmed_by_phone_on"], lang))
    provenance = entry.get("provenance") or {}
    if provenance.get("dataset") in ("mimp-nacional", "mimp-servicios"):
        return words["listed"].format(directory=words[provenance["dataset"]],
                                      edition=_edition(provenance.get("edition") or "", lang))
    if entry.get("verified_on"):
        return words["source"].format(date=prose_date(entry["verified_on"], lang, entry.get("verified_precision") or "day"))
    return words["none"]


def phone_note(phone: dict, lang: str) -> str:
    """The plain warning a phone in conflict carries ('' for the others)."""
    return STATUS_TEXT[lang]["conflict"] if phone.get("conflict") else ""


# --- Order: capital first, then by province ---------------------------------------------

TYPE_ORDER = {"cem": 0, "sau": 1, "upe": 2, "sar": 3}


def is_capital(entry: dict) -> bool:
    """In the region's capital province (INEI: province code 01 of the department)."""
    ubigeo = str(entry.get("ubigeo") or "")
    return len(ubigeo) == 6 and ubigeo[2:4] == "01"


def _tier(entry: dict, name: str) -> int:
    """Within a province: its main CEM, then SAU and UPE, other CEM, CEM in police stations, SAR."""
    kind = str(entry.get("service_type"))
    ubigeo = str(entry.get("ubigeo") or "")
    comisaria = "comisar" in name.casefold()
    if kind == "cem" and not comisaria and (ubigeo[4:6] == "01" or name.casefold() == f"cem {str(entry.get('province') or '').casefold()}"):
        return 0
    return {"sau": 1, "upe": 2, "sar": 5}.get(kind, 4 if comisaria else 3)


def _order_key(entry: dict) -> tuple:
    ubigeo = str(entry.get("ubigeo") or "")
    imported = len(ubigeo) == 6
    name = str((entry.get("name") or {}).get("es", "")) if isinstance(entry.get("name"), dict) else str(entry.get("name") or "")
    return (
        0 if imported else 1,                       # the region's MIMP services, then named institutions
        0 if is_capital(entry) else 1,              # capital province first
        "" if is_capital(entry) else str(entry.get("province") or "").casefold(),
        _tier(entry, name),                         # its main CEM, SAU and UPE on top
        0 if ubigeo[4:6] == "01" else 1,            # then the province's capital district
        str(entry.get("district") or "").casefold(),
        name.casefold(),
        str(entry.get("id")),
    )


def print_order(entries: list[dict], region: str | None = None) -> list[dict]:
    """Capital first (its CEM, SAU and UPE on top), then the other provinces A-Z, then the
    hand-written institutions (FISTRAP, DIRESA...). Stable for the same input."""
    return sorted(entries, key=_order_key)


def province_groups(entries: list[dict]) -> list[tuple[str, list[dict]]]:
    """(province, entries) in print order; hand-written regional entries under ''."""
    groups: dict[str, list[dict]] = {}
    for entry in print_order(entries):
        key = str(entry.get("province") or "") if len(str(entry.get("ubigeo") or "")) == 6 else ""
        groups.setdefault(key, []).append(entry)
    return list(groups.items())
