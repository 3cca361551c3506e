"""Names and constants every part of the directory shares (no imports from the package).

Kept at the bottom of the package so loading, validation, rendering and exports can all
import it without importing each other (the old contacts <-> exports cycle).
"""

from __future__ import annotations

import re
from typing import Any

from scripts import DATA_DIR, ROOT

CONTACTS_DIR = DATA_DIR / "contactos"
GENERATED_SUBDIR = "mimp"              # contactos/mimp/<region>.yml, written by `import-mimp`
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
LANGS = ("es", "en")
JSON_NAME = "directorio.json"
CSV_NAME = "directorio.csv"


def text(value: Any, lang: str) -> str:
    """Pick the language from an {es, en} map; plain values pass through."""
    if isinstance(value, dict):
        return str(value.get(lang) or "")
    return "" if value is None else str(value)


def vcard_name(region: str, lang: str) -> str:
    """File name of a region's vCard file in one language."""
    return f"contactos-{region}.{lang}.vcf"


def export_names(region: str | None = None) -> list[dict]:
    """Files a page links to: JSON and CSV, plus the vCards (one region's, or all)."""
    names = [
        {"file": JSON_NAME, "format": "JSON (HSDS)", "label": {"es": "Todo el directorio", "en": "The whole directory"}},
        {"file": CSV_NAME, "format": "CSV", "label": {"es": "Todo el directorio", "en": "The whole directory"}},
    ]
    regions = [region] if region else list(REGIONS)
    for slug in regions:
        for lang in LANGS:
            names.append({"file": vcard_name(slug, lang), "format": "vCard",
                          "vcard_lang": lang, "region": REGIONS[slug][1],
                          "label": {"es": f"Contactos de {REGIONS[slug][1]} para el teléfono",
                                    "en": f"{REGIONS[slug][1]} contacts for your phone"}})
    return names
