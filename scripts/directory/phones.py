"""Phone numbers: how to show and dial one (short codes, E.164 through phonenumbers)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scripts.directory.common import SHORT_CODES

# What a phone string may contain: digits, spaces, brackets, hyphens, one leading +.
# phonenumbers itself is lenient (it finds a number inside '<script>… +51 1 411 9999',
# reads letters as a keypad: '01 625 CALL'); the data must be the number and nothing else.
PHONE_TEXT_RE = re.compile(r"^\+?[0-9 ()\-]{3,20}$")


def phone_text_problem(number: str) -> str | None:
    """Why a phone string is not just a number (None when it is)."""
    text = str(number)
    if text != text.strip():
        return "has spaces around the number"
    if not PHONE_TEXT_RE.match(text):
        return "contains something other than the number (only digits, spaces, brackets, hyphens and a leading + are allowed)"
    return None


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
    if phone_text_problem(text):
        return None
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
