"""Dates written the way each language writes them in prose."""

from __future__ import annotations

import calendar
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


def as_date(value) -> dt.date | None:
    """A date from YAML (date, datetime or ISO string); None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
