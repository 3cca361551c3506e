"""Dates written the way each language writes them in prose."""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def format_date(value: dt.date, lang: str) -> str:
    """'29 de noviembre de 2026' (es) or '29 November 2026' (en)."""
    month = MONTHS[lang][value.month - 1]
    if lang == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{value.day} {month} {value.year}"
