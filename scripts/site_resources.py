"""Every resource a built page or stylesheet loads must be the site's own; no active content (issue 17).

`check_site_resources(site_dir)` reads each built .html, .css and .svg once, with regular
expressions (a 130-page site in well under a second), and fails on:
- src / srcset / poster / data / href of stylesheets, icons, preloads and manifests, SVG
  `<use>`/`<image>` href, CSS url() and @import that name another host (a scheme or `//`);
- `<iframe>`, `<frame>`, `<object>`, `<embed>`, `<applet>`, `<portal>` and `<base>`;
- inline event handlers (`on...=`), `javascript:` / `vbscript:` / `data:text/html` URLs;
- `<script src>` from another host, and inline scripts other than Material's own
  (scripts/csp.py: the only ones the Content-Security-Policy hashes);
- `<meta http-equiv="refresh">` to another host, and forms posting to one.
mkdocs-redirects' pages (a relative redirect script and meta refresh) pass.
Plain links (`<a href>`, canonical and alternate links) may point anywhere: they load nothing.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from scripts.csp import SRC_RE, is_data_script, is_theme_script, theme_script_patterns
from scripts.problems import Problem, relpath

TAG_RE = re.compile(r"<!--.*?-->|<(script|style)(\s[^>]*)?>(.*?)</\1\s*>|<([a-zA-Z][\w:-]*)((?:\s+[^\s\"'>/=]+"
                    r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>", re.S | re.I)
ATTR_RE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
CSS_URL_RE = re.compile(r"url\(\s*([\"']?)(.*?)\1\s*\)", re.I | re.S)
CSS_IMPORT_RE = re.compile(r"@import\s+(?:url\(\s*)?[\"']?([^\"')\s;]+)", re.I)
OTHER_HOST_RE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
ACTIVE_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)\s*:?", re.I)
REFRESH_URL_RE = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.I)

EMBED_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal"}
RESOURCE_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload", "prefetch",
                 "modulepreload", "manifest", "import", "dns-prefetch", "preconnect"}
URL_ATTRS = {"src", "href", "action", "formaction", "poster", "data", "xlink:href", "background", "ping"}
LOADING_ATTRS = {"src", "poster", "data", "background"}          # on any element: it loads
SVG_LOADING_TAGS = {"use", "image", "feimage"}
# mkdocs-redirects' pages (redirect_maps in mkdocs.yml): one script sending readers to the
# new address of a moved page, kept with its #anchor. Only a relative address is accepted.
REDIRECT_SCRIPT_RE = re.compile(r'var anchor=window\.location\.hash\.substr\(1\);location\.href="'
                                r'(?!(?:[a-z][a-z0-9+.-]*:)?//)[A-Za-z0-9._~/%#-]*"\+\(anchor\?"#"\+anchor:""\)')
# Material's search "share" button: an inert `javascript:void(0)` the theme's JS handles.
INERT_URLS = {"javascript:void(0)"}

HINT_HOST = "copy the file into docs/ and link it relatively: nothing may load from other hosts"
HINT_EMBED = "remove it: the site embeds nothing (the CSP refuses frames and objects)"
HINT_SCRIPT = "scripts come only from the site's files (docs/assets/javascripts/, extra_javascript)"
HINT_HANDLER = "remove the attribute: the CSP refuses inline JavaScript; use a script file"


class _Lines:
    """Offset -> 1-based line, by bisecting the newline positions."""

    def __init__(self, text: str):
        self.ends = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_left(self.ends, offset) + 1


def _value(raw: str | None) -> str:
    if raw is None:
        return ""
    if raw[:1] in "\"'":
        raw = raw[1:-1]
    return raw.replace("&amp;", "&").replace("&#58;", ":").replace("&colon;", ":")


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def check_css_text(text: str, shown: str, line_at=None, base_line: int = 0) -> list[Problem]:
    """url() and @import of a stylesheet (or a style attribute/element) that leave the site."""
    line_at = line_at or _Lines(text)
    problems = []
    for match in CSS_URL_RE.finditer(text):
        url = match.group(2).strip()
        if OTHER_HOST_RE.match(url):
            problems.append(Problem(shown, base_line + line_at(match.start()), "url()",
                                    f"loads {url[:80]} from another host", HINT_HOST))
        elif ACTIVE_SCHEME_RE.match(url):
            problems.append(Problem(shown, base_line + line_at(match.start()), "url()",
                                    f"active URL {url[:40]}", "use an image file of the site"))
    for match in CSS_IMPORT_RE.finditer(text):
        url = match.group(1)
        if OTHER_HOST_RE.match(url):
            problems.append(Problem(shown, base_line + line_at(match.start()), "@import",
                                    f"imports {url[:80]} from another host", HINT_HOST))
    return problems


def check_html_text(text: str, shown: str, patterns=None) -> list[Problem]:
    """Every resource reference and active content of one HTML (or SVG) document."""
    patterns = patterns if patterns is not None else theme_script_patterns()
    line_at = _Lines(text)
    problems: list[Problem] = []

    def add(offset, field, message, hint):
        problems.append(Problem(shown, line_at(offset), field, message, hint))

    for match in TAG_RE.finditer(text):
        if match.group(0).startswith("<!--"):
            continue
        if match.group(1):                                 # <script> or <style> with its content
            tag, raw_attrs, body = match.group(1).lower(), match.group(2) or "", match.group(3)
        else:
            tag, raw_attrs, body = match.group(4).lower(), match.group(5) or "", None
        attrs = {name.lower(): _value(value) for name, value in ATTR_RE.findall(raw_attrs)}
        at = match.start()
        for name, value in attrs.items():
            if name.startswith("on") and len(name) > 2:
                add(at, f"<{tag} {name}>", f"inline event handler {name}=", HINT_HANDLER)
            elif name in URL_ATTRS and ACTIVE_SCHEME_RE.match(value) and value.strip() not in INERT_URLS:
                add(at, f"<{tag} {name}>", f"active URL {value[:40]}", "link to a page or file of the site")
            elif name == "style":
                problems += [Problem(shown, line_at(at), f"<{tag} style>", p.message, p.hint)
                             for p in check_css_text(value, shown, lambda _o: 0)]
            elif name == "srcdoc":
                add(at, f"<{tag} srcdoc>", "inline document (srcdoc)", HINT_EMBED)
        if tag in EMBED_TAGS:
            add(at, f"<{tag}>", f"embedded content <{tag}>", HINT_EMBED)
            continue
        if tag == "base":
            add(at, "<base>", "<base> changes where every link goes", "remove it")
            continue
        if tag == "script":
            src = attrs.get("src")
            if src is not None and "src" in attrs:
                if OTHER_HOST_RE.match(src):
                    add(at, "<script src>", f"script from another host: {src[:80]}", HINT_SCRIPT)
            elif not is_data_script(raw_attrs) and not SRC_RE.search(raw_attrs or ""):
                if not is_theme_script(body, patterns) and not REDIRECT_SCRIPT_RE.fullmatch(body):
                    add(at, "<script>", "inline script that is not Material's own (the CSP refuses it)",
                        HINT_SCRIPT)
            continue
        if tag == "style":
            problems += check_css_text(body, shown, lambda o, base=match.start(3): line_at(base + o))
            continue
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            target = REFRESH_URL_RE.search(attrs.get("content", ""))
            if target and OTHER_HOST_RE.match(target.group(1)):
                add(at, "<meta refresh>", f"redirects to another host: {target.group(1)[:80]}",
                    "link to the other site instead of redirecting readers")
            continue
        for name in ("srcset", "imagesrcset"):
            for url in _srcset_urls(attrs.get(name, "")):
                if OTHER_HOST_RE.match(url):
                    add(at, f"<{tag} {name}>", f"loads {url[:80]} from another host", HINT_HOST)
        for name in LOADING_ATTRS:
            url = attrs.get(name)
            if url and OTHER_HOST_RE.match(url):
                add(at, f"<{tag} {name}>", f"loads {url[:80]} from another host", HINT_HOST)
        href = attrs.get("href") or attrs.get("xlink:href")
        if href and OTHER_HOST_RE.match(href):
            rels = set(attrs.get("rel", "").lower().split())
            if (tag == "link" and rels & RESOURCE_RELS) or tag in SVG_LOADING_TAGS:
                add(at, f"<{tag} href>", f"loads {href[:80]} from another host", HINT_HOST)
        if tag in ("form", "button", "input"):
            action = attrs.get("action") or attrs.get("formaction")
            if action and OTHER_HOST_RE.match(action):
                add(at, f"<{tag} action>", f"sends the form to another host: {action[:80]}",
                    "forms stay on the site")
    return problems


def check_site_resources(site_dir: Path) -> list[Problem]:
    """Problems in every built .html, .css and .svg file of a site."""
    site_dir = Path(site_dir)
    patterns = theme_script_patterns()
    problems: list[Problem] = []
    for path in sorted(site_dir.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in (".html", ".css", ".svg") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        shown = relpath(path, site_dir)
        if suffix == ".css":
            problems += check_css_text(text, shown)
        else:
            problems += check_html_text(text, shown, patterns)
    return problems


def check_offline_resources(offline_site_dir: Path) -> list[Problem]:
    """The same for the offline (file://) copy, which Material's offline plugin rewrites."""
    return check_site_resources(offline_site_dir)
