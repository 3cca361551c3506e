"""Reading time from rendered HTML, the way Material's blog plugin estimates it."""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 200
SECONDS_PER_IMAGE = 12
TAG_RE = re.compile(r"<[^>]+>")
SKIP_RE = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
WORD_RE = re.compile(r"\w+", re.U)


def reading_time(html: str) -> int:
    """Minutes to read `html` (at least 1)."""
    images = len(re.findall(r"<img\b", html, re.I))
    text = TAG_RE.sub(" ", SKIP_RE.sub(" ", html))
    words = len(WORD_RE.findall(text))
    seconds = words / WORDS_PER_MINUTE * 60 + images * SECONDS_PER_IMAGE
    return max(1, math.ceil(seconds / 60))
