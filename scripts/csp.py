"""Content-Security-Policy for every page: only the site's own files, no inline script but the theme's.

The policy goes in a `<meta http-equiv>` tag right after `<meta charset>` (a static site
has no headers of its own; GitHub Pages sets none). It allows scripts, styles, images,
fonts, workers, the manifest and fetches from the site itself ('self': over http(s) the
site's origin; Chromium also matches file:// pages against file:// files, and the offline
copy adds `file:` for browsers that do not), plus `data:` images (Material's icons are
CSS data URLs). No frames, objects, <base> or forms to other sites.

Inline scripts: Material's templates hold a few small ones (`__md_scope`, the palette and
tab restorers). Each page's policy carries the sha256 of the inline scripts of that page
that are exactly one of those, as Material's own templates write them (read from the
installed theme, so an upgrade is followed); any other inline script gets no hash, so the
browser refuses it (and scripts/site_resources.py fails the build's check on it).
Directives a meta tag cannot carry (frame-ancestors, report-uri, sandbox) are left out:
browsers ignore them there with a console error.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT_RE = re.compile(r"<script(\s[^>]*)?>(.*?)</script\s*>", re.S | re.I)
TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
SRC_RE = re.compile(r"\ssrc\s*=", re.I)
JINJA_EXPRESSION_RE = re.compile(r"\{\{.*?\}\}", re.S)
JINJA_STATEMENT_RE = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
# What a Jinja expression inside a theme script may expand to: a relative or absolute URL
# path (base_url, scope), never a quote, bracket or semicolon.
EXPRESSION_VALUE = r"[A-Za-z0-9._~/:%-]*"
CHARSET_RE = re.compile(r"<meta charset=[\"']?utf-8[\"']?>", re.I)
DATA_SCRIPT_TYPES = ("application/json", "application/ld+json")
THEME_SCRIPT_DIR = "partials/javascripts"

SOURCES = "'self'"
DIRECTIVES = (
    ("default-src", "'none'"),
    ("script-src", "{self} {hashes}"),
    ("style-src", "{self}"),
    ("img-src", "{self} data:"),
    ("font-src", "{self}"),
    ("connect-src", "{self}"),
    ("media-src", "{self}"),
    ("manifest-src", "{self}"),
    ("worker-src", "{self}"),
    ("frame-src", "'none'"),
    ("child-src", "'none'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "{self}"),
)


def material_templates() -> Path:
    """The installed Material theme's templates folder."""
    import material

    return Path(material.__file__).parent / "templates"


@functools.lru_cache(maxsize=4)
def theme_script_patterns(templates: Path | None = None) -> tuple[re.Pattern, ...]:
    """Every inline <script> of Material's partials/javascripts/*.html as a full-match pattern."""
    folder = Path(templates or material_templates()) / THEME_SCRIPT_DIR
    patterns = []
    for template in sorted(folder.glob("*.html")):
        text = JINJA_STATEMENT_RE.sub("", template.read_text(encoding="utf-8"))
        for match in INLINE_SCRIPT_RE.finditer(text):
            if match.group(1) and (SRC_RE.search(match.group(1)) or TYPE_RE.search(match.group(1))):
                continue
            parts = JINJA_EXPRESSION_RE.split(match.group(2))
            patterns.append(re.compile(EXPRESSION_VALUE.join(re.escape(p) for p in parts), re.S))
    return tuple(patterns)


def is_data_script(attributes: str | None) -> bool:
    """A <script type="application/json"> holds data, not code (Material's __config)."""
    found = TYPE_RE.search(attributes or "")
    return bool(found) and found.group(1).lower() in DATA_SCRIPT_TYPES


def inline_scripts(html: str) -> list[tuple[int, str]]:
    """(offset, code) of every inline script that would run (no src, not data)."""
    found = []
    for match in INLINE_SCRIPT_RE.finditer(html):
        attributes = match.group(1) or ""
        if SRC_RE.search(attributes) or is_data_script(attributes):
            continue
        found.append((match.start(), match.group(2)))
    return found


def is_theme_script(code: str, patterns: tuple[re.Pattern, ...] | None = None) -> bool:
    """True when `code` is exactly one of Material's own inline scripts."""
    return any(p.fullmatch(code) for p in (patterns if patterns is not None else theme_script_patterns()))


def script_hash(code: str) -> str:
    """CSP source for an inline script: 'sha256-<base64>' of its UTF-8 text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def policy(hashes: list[str], offline: bool = False) -> str:
    """The policy text for a page whose allowed inline scripts have these hashes."""
    own = SOURCES + (" file:" if offline else "")
    values = {"self": own, "hashes": " ".join(sorted(set(hashes)))}
    return "; ".join(f"{name} {value.format(**values)}".strip() for name, value in DIRECTIVES)


def add_policy(html: str, offline: bool = False) -> str:
    """The page with its CSP meta tag right after <meta charset> (before any script)."""
    hashes = [script_hash(code) for _offset, code in inline_scripts(html) if is_theme_script(code)]
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes, offline)}">'
    match = CHARSET_RE.search(html)
    if match:
        return html[: match.end()] + "\n    " + tag + html[match.end():]
    head = re.search(r"<head[^>]*>", html, re.I)
    at = head.end() if head else 0
    return html[:at] + tag + html[at:]
