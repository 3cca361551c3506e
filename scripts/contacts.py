"""Contact directory: load the YAML data and render the national lines.

The full validator, region pages and exports grow here (issue: regional directory).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts import DATA_DIR
from scripts.markers import MarkerContext, MarkerError, register
from scripts.yamlutil import load_yaml_file

CONTACTS_DIR = DATA_DIR / "contactos"
NATIONAL_FILE = "nacional.yml"
SHORT_CODES = {"100", "105", "106", "113", "116", "1818"}


def load_contact_file(path: Path) -> dict[str, Any]:
    """One contact file as data (LineDicts keep YAML line numbers)."""
    data = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise MarkerError(f"{path.name}: expected 'region:' and a list under 'entries:'")
    return data


def tel_href(number: str) -> str:
    """`tel:` target: short codes as dialled, others as digits with '+'."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return f"tel:{digits}"


def localise(value: Any, lang: str) -> str:
    """Pick the language from an {es, en} map; plain values pass through."""
    if isinstance(value, dict):
        return str(value.get(lang) or "")
    return "" if value is None else str(value)


@register("lineas-nacionales")
def render_national_lines(ctx: MarkerContext) -> str:
    """Compact list of national lines (home page help block, directory, guides)."""
    data = load_contact_file(CONTACTS_DIR / NATIONAL_FILE)
    wanted = [i for i in ctx.args.get("ids", "").split(",") if i]
    entries = [e for e in data["entries"] if not wanted or e["id"] in wanted]
    missing = set(wanted) - {e["id"] for e in entries}
    if missing:
        raise MarkerError(f"unknown national line ids: {', '.join(sorted(missing))}")
    lines = []
    for entry in entries:
        phone = entry["phones"][0]
        lines.append({
            "id": entry["id"],
            "name": localise(entry["name"], ctx.lang),
            "description": localise(entry.get("description"), ctx.lang),
            "number": phone["number"],
            "href": tel_href(phone["number"]),
            "note": localise(phone.get("description"), ctx.lang),
            "available_24h": bool(entry.get("available_24h")),
            "verified_on": entry.get("verified_on"),
        })
    return ctx.render("partials/kb-lines.html", lines=lines, lang=ctx.lang,
                      compact=ctx.args.get("formato") == "compacto")
