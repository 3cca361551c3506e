"""Links in the built site: every href/src a reader can follow resolves, in the right language.

MkDocs validates Markdown links only; hooks, templates and data add links MkDocs never sees.
This module reads the built HTML (normal build with directory URLs, or the offline file://
copy with .html URLs) and returns Problems. Network checks of external URLs live in
`scripts.links_online`.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import phonenumbers

from scripts import DEFAULT_LANGUAGE, LANGUAGES
from scripts.directory.common import SHORT_CODES
from scripts.problems import Problem

LANGUAGE_NAMES = {"es": "Spanish", "en": "English"}
NEUTRAL_DIRS = {"assets", "search"}            # shared by both languages
SWITCHER_CLASS = "md-select__link"             # Material's language switcher entries
THEME_PSEUDO_URLS = {"javascript:void(0)", "javascript:void(0);", "javascript:;"}
IGNORED_TARGETS = {"sitemap.xml", "sitemap.xml.gz", "feed_rss_created.xml",
                   "feed_rss_updated.xml", "feed_json_created.json", "feed_json_updated.json"}
FILE_URL_MARKER = "search/search_index.js"     # written only by Material's offline plugin
NOT_SERVED_OFFLINE = {"404.html"}              # never shown when opened from file:// (any folder)
PHONE_REGION = "PE"
TEXT_LIMIT = 60
LINK_ATTRS = {"href", "src", "srcset", "poster"}
MAILTO_ADDRESS_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
WHITESPACE_RE = re.compile(r"\s+")
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Bare tags (no attributes, not <a>/<script>/<style>…) cannot hold a link, id or text of their
# own: dropping them before html.parser sees them saves ~20 % of the parse, same result
# (tests compare both on the real site). [ \t] only, so line numbers do not move.
BARE_TAG_RE = re.compile(r"</?(?!(?:a|script|style|textarea|title|html)\b)[a-zA-Z][a-zA-Z0-9]*[ \t]*/?>")
PARALLEL_FROM = 300                            # pages; below this one process is faster


class Link(NamedTuple):
    """One followable URL in a page (a NamedTuple: cheap to pickle between processes)."""

    line: int
    tag: str
    attr: str
    url: str
    text: str
    hreflang: str          # the hreflang attribute (primary subtag), or ""
    switcher: bool         # language switcher / rel=alternate hreflang: crosses languages on purpose


class ParsedPage(NamedTuple):
    """What the checker needs from one HTML file."""

    rel: str
    lang: str | None       # from <html lang>, primary subtag
    anchors: frozenset[str]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class SiteInfo:
    """Facts about the whole build the link checks need."""

    files: frozenset[str]          # every file, site-relative POSIX path
    dirs: frozenset[str]
    pages: dict[str, ParsedPage]
    base_path: str                 # path of site_url ("/guia/"), "/" without one
    site_url: str                  # absolute site_url ("https://example.org/guia/") or ""
    file_urls: bool                # offline copy: opened from file://, no server


def _clean_text(text: str) -> str:
    text = WHITESPACE_RE.sub(" ", text).strip()
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


class _LinkParser(HTMLParser):
    """Collects ids/names and every href/src with a readable text, in one pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.anchors: set[str] = set()
        self.links: list[Link] = []
        self._open: list[list] = []        # pending <a> links: [line, attrs dict, text parts]

    def handle_starttag(self, tag, attrs):
        if not attrs:
            if tag == "a":                 # <a> without href: its </a> must not close a real link
                self._open.append([0, None, []])
            return
        a = dict(attrs)
        if "id" in a and a["id"]:
            self.anchors.add(a["id"])
        if tag == "a" and a.get("name"):
            self.anchors.add(a["name"])
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].split("-")[0].lower()
        if tag == "img" and self._open and a.get("alt"):
            self._open[-1][2].append(a["alt"])
        if not LINK_ATTRS.intersection(a):
            if tag == "a":
                self._open.append([0, None, []])
            return
        line = self.getpos()[0]
        if tag == "a":
            self._open.append([line, a if "href" in a else None, []])
            for attr in ("src", "poster"):             # unusual on <a>, but followable
                if attr in a:
                    self._add(line, tag, attr, a, self._label(tag, a))
            return
        label = self._label(tag, a)
        for attr in ("href", "src", "poster"):
            if attr in a:
                self._add(line, tag, attr, a, label)
        if a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self._add(line, tag, "srcset", dict(a, srcset=candidate.split()[0]), label)

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            line, a, parts = self._open.pop()
            if a is not None:
                text = _clean_text("".join(parts)) or _clean_text(a.get("aria-label") or a.get("title") or "")
                self._add(line, "a", "href", a, text or "<a>")
            if self._open:                 # nested links: the outer text includes the inner one
                self._open[-1][2].append(" ".join(parts))

    def close(self):
        super().close()
        while self._open:                  # unclosed <a> at end of file
            self.handle_endtag("a")

    @staticmethod
    def _label(tag: str, a: dict) -> str:
        if tag == "img":
            return _clean_text(a.get("alt") or "") or "<img>"
        if tag == "link":
            return f"<link rel={a.get('rel', '')}>"
        return _clean_text(a.get("aria-label") or a.get("title") or "") or f"<{tag}>"

    def _add(self, line: int, tag: str, attr: str, a: dict, text: str) -> None:
        url = (a.get(attr) or "").strip()
        classes = (a.get("class") or "").split()
        hreflang = (a.get("hreflang") or "").split("-")[0].lower()
        switcher = bool(hreflang) or SWITCHER_CLASS in classes
        self.links.append(Link(line, tag, attr, url, text, hreflang, switcher))


def parse_html(text: str, rel: str, drop_bare_tags: bool = True) -> ParsedPage:
    """Anchors and links of one HTML document; a link repeated (menus, tables of contents) once."""
    parser = _LinkParser()
    parser.feed(BARE_TAG_RE.sub("", text) if drop_bare_tags else text)
    parser.close()
    unique: dict[tuple[str, str, bool, str], Link] = {}
    for link in parser.links:
        unique.setdefault((link.url, link.attr, link.switcher, link.hreflang), link)
    return ParsedPage(rel, parser.lang, frozenset(parser.anchors), tuple(unique.values()))


def _parse_files(site_dir: str, rels: list[str]) -> list[ParsedPage]:
    root = Path(site_dir)
    return [parse_html((root / rel).read_text(encoding="utf-8", errors="replace"), rel) for rel in rels]


def _parse_files_plain(site_dir: str, rels: list[str]) -> list[tuple]:
    """Worker side: plain tuples pickle several times faster than NamedTuples."""
    return [(p.rel, p.lang, tuple(p.anchors), tuple(map(tuple, p.links)))
            for p in _parse_files(site_dir, rels)]


def _from_plain(data: tuple) -> ParsedPage:
    rel, lang, anchors, links = data
    return ParsedPage(rel, lang, frozenset(anchors), tuple(map(Link._make, links)))


def scan_site(site_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Every file and folder in the build, as site-relative POSIX paths."""
    files, dirs = set(), set()
    root = str(site_dir)
    for current, subdirs, names in os.walk(root):
        rel_dir = os.path.relpath(current, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        if prefix:
            dirs.add(rel_dir)
        files.update(prefix + name for name in names)
    return frozenset(files), frozenset(dirs)


def parse_site(site_dir: Path, rels: list[str], workers: int | None = None) -> dict[str, ParsedPage]:
    """Parse every page; in parallel processes for big sites (html.parser is CPU-bound)."""
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if workers <= 1 or len(rels) < PARALLEL_FROM:
        return {p.rel: p for p in _parse_files(str(site_dir), rels)}
    size = max(1, len(rels) // (workers * 4))
    chunks = [rels[i:i + size] for i in range(0, len(rels), size)]
    pages: dict[str, ParsedPage] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_parse_files_plain, [str(site_dir)] * len(chunks), chunks):
            pages.update((page.rel, page) for page in map(_from_plain, result))
    return pages


def detect_site_url(site_dir: Path) -> str:
    """The build's site_url: the canonical link of the home page ('' when none was set)."""
    home = site_dir / "index.html"
    if not home.exists():
        return ""
    match = re.search(r'<link[^>]*rel="canonical"[^>]*href="([^"]+)"', home.read_text(encoding="utf-8"))
    return match.group(1) if match else ""


def load_site(site_dir: Path, site_url: str | None = None, file_urls: bool | None = None,
              workers: int | None = None) -> SiteInfo:
    """Read the build once: file list, parsed pages, site_url and whether it is the file:// copy."""
    site_dir = Path(site_dir)
    files, dirs = scan_site(site_dir)
    if file_urls is None:
        file_urls = FILE_URL_MARKER in files
    rels = sorted(f for f in files if f.endswith(".html")
                  and not (file_urls and f.rsplit("/", 1)[-1] in NOT_SERVED_OFFLINE))
    pages = parse_site(site_dir, rels, workers)
    if site_url is None:
        site_url = detect_site_url(site_dir)
    base_path = urlsplit(site_url).path if site_url else "/"
    if not base_path.endswith("/"):
        base_path += "/"
    return SiteInfo(files, dirs, pages, base_path, site_url, file_urls)


def path_language(rel: str) -> str | None:
    """Language of a site file: a page in a language folder or at the root; None for assets."""
    first, _, rest = rel.partition("/")
    if first in NEUTRAL_DIRS or not rel.endswith(".html"):
        return None
    if rest and first in LANGUAGES and first != DEFAULT_LANGUAGE:
        return first
    return DEFAULT_LANGUAGE


def page_language(page: ParsedPage) -> str | None:
    """The page's language: <html lang> when it is one of ours, else its folder."""
    return page.lang if page.lang in LANGUAGES else path_language(page.rel)


# --- checks of one URL ---------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def check_tel(url: str) -> str | None:
    """Why a tel: href is wrong, or None: E.164 Peruvian number or a known short code."""
    number = unquote(url[4:])
    if number in SHORT_CODES:
        return None
    if number.isdigit() and len(number) <= 5:
        return f"unknown short code {number} (known: {', '.join(sorted(SHORT_CODES, key=int))})"
    try:
        parsed = phonenumbers.parse(number, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return "not a phone number"
    if not phonenumbers.is_valid_number(parsed):
        return "not a valid phone number"
    if phonenumbers.region_code_for_number(parsed) != PHONE_REGION:
        return "not a Peruvian number"
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if number != e164:
        return f"not in E.164 form: write tel:{e164}"
    return None


@functools.lru_cache(maxsize=4096)
def check_mailto(url: str) -> str | None:
    """Why a mailto: href is wrong, or None."""
    addresses = url[7:].split("?", 1)[0]
    if not addresses:
        return "mailto: without an address"
    for address in unquote(addresses).split(","):
        if not MAILTO_ADDRESS_RE.match(address.strip()):
            return f"not a valid e-mail address: {address.strip()!r}"
    return None


@functools.lru_cache(maxsize=16384)
def check_external(url: str) -> str | None:
    """Why an external URL is wrong, or None: https, a real host name, no spaces."""
    if url.startswith("//"):
        return "protocol-relative URL: write https://"
    parts = urlsplit(url)
    if parts.scheme == "http":
        return "insecure http link: use https"
    if WHITESPACE_RE.search(url):
        return "URL contains spaces: encode them as %20"
    try:
        host = parts.hostname or ""
        parts.port                                  # raises on a bad port
    except ValueError:
        return "malformed URL (bad port or host)"
    if not host:
        return "URL without a host name"
    if parts.username or parts.password:
        return "URL with user name or password"
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"malformed host name {host!r}"
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(HOST_LABEL_RE.match(label) for label in labels) or labels[-1].isdigit():
        return f"malformed host name {host!r}"
    return None


SCHEME_CHECKS = {"tel": check_tel, "mailto": check_mailto, "http": check_external, "https": check_external}


def is_external(url: str) -> bool:
    """An https link to another site (the ones the online mode fetches)."""
    return url.lower().startswith("https://")


# --- resolution ------------------------------------------------------------------------

def _resolve(page_rel: str, path: str, site: SiteInfo) -> tuple[str | None, str | None]:
    """Site-relative file a URL path points to, or (None, why)."""
    if path.startswith("/"):
        if site.file_urls:
            return None, "root-absolute link: breaks when opened from file://"
        if not path.startswith(site.base_path):
            return None, f"outside the site (base path {site.base_path})"
        joined = path[len(site.base_path):]
    else:
        joined = posixpath.join(posixpath.dirname(page_rel), path)
    trailing = path.endswith("/") or path in ("", ".")
    rel = posixpath.normpath(joined) if joined else "."
    if rel == ".." or rel.startswith("../"):
        return None, "points outside the site folder"
    if rel == ".":
        rel = ""
    if rel and rel in site.files and not trailing:
        return rel, None
    if rel in site.dirs or rel == "":
        index = f"{rel}/index.html" if rel else "index.html"
        if site.file_urls:
            return None, f"folder link: from file:// it opens a file listing; link {index}"
        if index in site.files:
            return index, None
        return None, f"page not found ({index})"
    if path.endswith("/") or path.endswith(".html") or "." not in rel.rsplit("/", 1)[-1]:
        target = rel + "/index.html" if not rel.endswith(".html") else rel
        return None, f"page not found ({target})"
    return None, f"file not found ({rel})"


def _scheme(url: str) -> str:
    """The URL's scheme, lower case ('' for relative URLs); cheaper than urlsplit."""
    match = SCHEME_RE.match(url)
    return match.group(1).lower() if match else ""


def check_link(page: ParsedPage, link: Link, site: SiteInfo, source_lang: str | None,
               resolved: dict[tuple[str, str], tuple[str | None, str | None]] | None = None) -> str | None:
    """Why one link is wrong, or None. `resolved` caches path resolution across pages."""
    url = link.url
    scheme = _scheme(url)
    if scheme:
        if site.site_url and url.startswith(site.site_url):
            if site.file_urls:
                return "absolute link to the online site in the offline copy"
            url = site.base_path + url[len(site.site_url):]
        elif scheme in SCHEME_CHECKS:
            return SCHEME_CHECKS[scheme](url)
        elif scheme == "javascript":
            return None if url.lower() in THEME_PSEUDO_URLS else "javascript: link: does nothing without JavaScript"
        elif scheme == "data":
            return "data: URL: put the file in docs/assets/ and link it"
        else:
            return f"unsupported URL scheme {scheme}:"
    elif url.startswith("//"):
        return check_external(url)
    if not url:
        return "empty link"
    path, _, fragment = url.partition("#")
    if "?" in path:
        path = path.split("?", 1)[0]
    if not path:
        target = page.rel
    else:
        if path.rsplit("/", 1)[-1] in IGNORED_TARGETS:
            return None
        key = (page.rel.rpartition("/")[0], path)
        found = resolved.get(key) if resolved is not None else None
        if found is None:
            found = _resolve(page.rel, unquote(path) if "%" in path else path, site)
            if resolved is not None:
                resolved[key] = found
        target, why = found
        if why:
            return why
    target_page = site.pages.get(target)
    target_lang = page_language(target_page) if target_page else path_language(target)
    if link.switcher:
        if link.hreflang and target_lang and link.hreflang in LANGUAGES and target_lang != link.hreflang:
            return (f"language switcher: hreflang={link.hreflang} but the target is the "
                    f"{LANGUAGE_NAMES[target_lang]} page {target}")
    elif source_lang and target_lang and target_page and source_lang != target_lang:
        return (f"wrong language: {LANGUAGE_NAMES[source_lang]} page links to the "
                f"{LANGUAGE_NAMES[target_lang]} page {target}")
    if fragment and target_page is not None:
        fragment = unquote(fragment) if "%" in fragment else fragment
        if fragment not in target_page.anchors and fragment != "top":
            return f"anchor #{fragment} not found in {target}"
    return None


def check_page_links(page: ParsedPage, site: SiteInfo,
                     resolved: dict[tuple[str, str], tuple[str | None, str | None]] | None = None
                     ) -> list[Problem]:
    """Problems of one page; the same broken link repeated (menus, tables of contents) once."""
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    lang = page_language(page)
    cache: dict[tuple[str, str, bool, str], str | None] = {}
    resolved = {} if resolved is None else resolved
    for link in page.links:
        key = (link.url, link.attr, link.switcher, link.hreflang)
        if key in cache:
            why = cache[key]
        else:
            why = cache[key] = check_link(page, link, site, lang, resolved)
        if why and (link.attr, link.url, why) not in seen:
            seen.add((link.attr, link.url, why))
            problems.append(Problem(page.rel, link.line, link.attr, f'{link.url} ("{link.text}"): {why}'))
    return problems


def check_site(site: SiteInfo) -> list[Problem]:
    """Every problem of every page of a loaded build."""
    problems: list[Problem] = []
    resolved: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for rel in sorted(site.pages):
        problems += check_page_links(site.pages[rel], site, resolved)
    return problems


def check_links(site_dir: Path, site_url: str | None = None, file_urls: bool | None = None,
                workers: int | None = None) -> list[Problem]:
    """Check every link of a built site folder (normal or offline build)."""
    return check_site(load_site(site_dir, site_url, file_urls, workers))


def external_links(site: SiteInfo) -> dict[str, list[tuple[str, Link]]]:
    """Every well-formed https URL of the site, with where it is used (for the online mode)."""
    found: dict[str, list[tuple[str, Link]]] = {}
    for rel in sorted(site.pages):
        for link in site.pages[rel].links:
            url = link.url
            if is_external(url) and not (site.site_url and url.startswith(site.site_url)) \
                    and check_external(url) is None:
                found.setdefault(url.split("#", 1)[0], []).append((rel, link))
    return found
