"""Page sources refused at build: active content, other hosts, duplicate ids, symlinks (issue 17).

A page (or snippet) is Markdown plus a little plain HTML (`<div markdown>`, `<abbr>`).
Nothing in it may run code or load from another host: the Content-Security-Policy
(scripts/csp.py) would stop it in the browser, and this check stops it at the build, with
file, line and what to do. Fenced code blocks and `inline code` are skipped (they are
printed as text). Symlinks under docs/ are refused before anything is copied: they could
publish files from outside the project (/etc/passwd) in the site and the offline zip.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from scripts.pages import Page, _body_lines
from scripts.problems import Problem, relpath

INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
RAW_TAG_RE = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|portal|base|meta|link|style)\b", re.I)
HTML_HANDLER_RE = re.compile(r"<[a-z][^>]*?[\s\"'/](on[a-z]+)\s*=", re.I)
ATTR_LIST_HANDLER_RE = re.compile(r"\{:?[^{}\n]*?(?<![\w-])(on[a-z]+)\s*=", re.I)
ACTIVE_URL_RE = re.compile(
    r"(?:\]\(\s*<?|(?:href|src|action|formaction|xlink:href|data)\s*=\s*[\"']?)\s*"
    r"(javascript|vbscript|data\s*:\s*text/html)\s*:?", re.I)
EXTERNAL = r"(?:[a-z][a-z0-9+.-]*:)?//"
MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?\s*(" + EXTERNAL + r"[^\s)>]*)", re.I)
HTML_IMAGE_RE = re.compile(r"<(?:img|source|video|audio|track|input|image|use)\b[^>]*?\s"
                           r"(src|srcset|poster|href|xlink:href)\s*=\s*[\"']?\s*(" + EXTERNAL + r"[^\s\"'>]*)", re.I)
REF_IMAGE_RE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?")
REF_DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?\s*(" + EXTERNAL + r"\S*?)>?(?:\s|$)", re.I)
CSS_IMPORT_RE = re.compile(r"@import\b", re.I)
CSS_URL_RE = re.compile(r"url\(\s*[\"']?\s*(" + EXTERNAL + r"[^\s\"')]*)", re.I)

EMBED_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal"}
HINT_SCRIPT = "pages hold no JavaScript: the site's scripts live in docs/assets/javascripts/ (extra_javascript)"
HINT_EMBED = "link to the page instead (nothing is embedded or loaded from other hosts)"
HINT_HEAD = "remove it: it would change where links go or send readers elsewhere"
HINT_STYLE = "put styles in docs/assets/stylesheets/extra.css (no stylesheet inside a page)"
HINT_HANDLER = "remove the attribute: pages run no inline JavaScript (the CSP refuses it)"
HINT_HOST = "copy the file into docs/assets/ and link it relatively: nothing may load from other hosts"


def _code_free(line: str) -> str:
    """The line with `inline code` blanked (printed as text, never run)."""
    return INLINE_CODE_RE.sub(lambda m: " " * len(m.group(0)), line)


def check_source(text: str, shown: str, first_line: int = 1) -> list[Problem]:
    """Active content and other-host references in Markdown text (outside code)."""
    problems: list[Problem] = []
    lines = [(n, _code_free(line)) for n, line in _body_lines(text, first_line)]
    external_refs = {}
    for number, line in lines:
        found = REF_DEF_RE.match(line)
        if found:
            external_refs[found.group(1).strip().lower()] = (number, found.group(2))
    for number, line in lines:
        for match in RAW_TAG_RE.finditer(line):
            tag = match.group(1).lower()
            if tag == "script":
                problems.append(Problem(shown, number, "<script>", "raw <script> in a page", HINT_SCRIPT))
            elif tag in EMBED_TAGS:
                problems.append(Problem(shown, number, f"<{tag}>", f"embedded content (<{tag}>) is not allowed",
                                        HINT_EMBED))
            elif tag in ("base", "meta"):
                problems.append(Problem(shown, number, f"<{tag}>", f"<{tag}> in a page", HINT_HEAD))
            else:
                problems.append(Problem(shown, number, f"<{tag}>", f"<{tag}> in a page", HINT_STYLE))
        for regex, kind in ((HTML_HANDLER_RE, "HTML attribute"), (ATTR_LIST_HANDLER_RE, "attribute list")):
            for match in regex.finditer(line):
                name = match.group(1).lower()
                problems.append(Problem(shown, number, name, f"inline event handler {name}= ({kind})",
                                        HINT_HANDLER))
        for match in ACTIVE_URL_RE.finditer(line):
            scheme = re.sub(r"\s", "", match.group(1).lower())
            problems.append(Problem(shown, number, "link", f"{scheme}: URL", "link to a page or file of the site"))
        for match in MD_IMAGE_RE.finditer(line):
            problems.append(Problem(shown, number, "image", f"image from another host: {match.group(1)}", HINT_HOST))
        for match in HTML_IMAGE_RE.finditer(line):
            problems.append(Problem(shown, number, match.group(1).lower(),
                                    f"loads from another host: {match.group(2)}", HINT_HOST))
        for match in REF_IMAGE_RE.finditer(line):
            label = (match.group(2) or match.group(1)).strip().lower()
            if label in external_refs:
                def_line, url = external_refs[label]
                problems.append(Problem(shown, number, "image",
                                        f"image from another host: {url} (defined on line {def_line})", HINT_HOST))
        if CSS_IMPORT_RE.search(line):
            problems.append(Problem(shown, number, "@import", "CSS @import in a page", HINT_STYLE))
        for match in CSS_URL_RE.finditer(line):
            problems.append(Problem(shown, number, "url()", f"CSS url() from another host: {match.group(1)}",
                                    HINT_HOST))
    return problems


def check_heading_ids(page: Page) -> list[Problem]:
    """An explicit `{ #id }` used twice on a page makes two elements with one id."""
    problems, first = [], {}
    for heading in page.headings():
        if not heading.anchor:
            continue
        if heading.anchor in first:
            problems.append(Problem(relpath(page.path), heading.line, "heading id",
                                    f"duplicate id #{heading.anchor} (also line {first[heading.anchor]})",
                                    "give each heading its own { #id } (links and the table of contents need it)"))
        else:
            first[heading.anchor] = heading.line
    return problems


def check_page_safety(page: Page) -> list[Problem]:
    """Everything this module refuses in one page."""
    return check_source(page.body, relpath(page.path), page.body_start) + check_heading_ids(page)


def check_snippets(docs_dir: Path) -> list[Problem]:
    """Snippets (docs/_includes/) end up inside pages: the same rules."""
    problems = []
    for path in sorted((Path(docs_dir) / "_includes").rglob("*.md")):
        if path.is_symlink():
            continue                     # reported by check_symlinks
        problems += check_source(path.read_text(encoding="utf-8", errors="replace"), relpath(path))
    return problems


def check_symlinks(docs_dir: Path) -> list[Problem]:
    """Every symbolic link under docs/ (file or folder), without following any."""
    problems = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink():
                problems.append(Problem(relpath(path), None, "file",
                                        f"is a symbolic link (to {os.readlink(path)})",
                                        "replace it with a real file or folder inside docs/: a link can publish "
                                        "files from outside the project in the site and the offline copy"))
    return problems
