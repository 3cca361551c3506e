"""Hostile input on the pages/site side (issue 17): each case is refused with its exact message.

One fixture per case under tests/fixtures/hostile/: front matter (frontmatter/), page
bodies (pages/), YAML data files (yaml/). Built HTML and CSS are checked from small
strings; the browser side (the Content-Security-Policy) is tests/test_hostile_browser.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from scripts import ROOT
from scripts.checks import check_pages
from scripts.csp import add_policy, policy, script_hash, theme_script_patterns
from scripts.flows import load_flow
from scripts.frontmatter import check_page
from scripts.glossary import load_glossary
from scripts.indicators import load_indicators
from scripts.page_safety import check_page_safety, check_symlinks
from scripts.pages import parse_page
from scripts.problems import ProblemsError
from scripts.site_resources import check_css_text, check_html_text, check_site_resources
from scripts.sources import load_sources
from scripts.vocabulary import load_vocabulary
from scripts.yamlutil import MAX_BYTES, parse_yaml, read_yaml_file

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
TODAY = dt.date(2026, 11, 29)
PLAIN = ("→ remove HTML, entities and Markdown: Material prints this field as it is "
         "(in the navigation and the page head)")
BOM = "→ save it as UTF-8 without BOM (most editors: 'UTF-8', not 'UTF-8 with BOM')"
HOST = "→ copy the file into docs/assets/ and link it relatively: nothing may load from other hosts"
SITE_HOST = "→ copy the file into docs/ and link it relatively: nothing may load from other hosts"
HANDLER = "→ remove the attribute: pages run no inline JavaScript (the CSP refuses it)"
EMBED = "→ link to the page instead (nothing is embedded or loaded from other hosts)"
STYLE = "→ put styles in docs/assets/stylesheets/extra.css (no stylesheet inside a page)"


def front_matter(name: str) -> list[str]:
    folder = FIXTURES / "frontmatter"
    return [p.format() for p in check_page(parse_page(folder / name, folder), set(), TODAY)]


def body(name: str) -> list[str]:
    folder = FIXTURES / "pages"
    return [p.format() for p in check_page_safety(parse_page(folder / name, folder))]


def yaml_file(name: str) -> list[str]:
    return [p.format() for p in read_yaml_file(FIXTURES / "yaml" / name)[1]]


# --- Front matter ------------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("title_markup.es.md", f"2: title: must be plain text, found '<' {PLAIN}"),
    ("description_markup.es.md", f"3: description: must be plain text, found '<' {PLAIN}"),
    ("title_bidi.es.md", "2: title: contains invisible or control characters (U+202E) → retype the text: "
                         "bidi controls and zero-width characters can hide or reorder what readers see"),
    ("audience_string.es.md", "4: audience: must be a list, not the single value 'medicina' "
                              "→ write it as a list: audience: [medicina]"),
    ("date_31_february.es.md", "5: reviewed_on: 2026-02-31 is not a real date (day is out of range for month) "
                               "→ write a date that exists, as YYYY-MM-DD"),
    ("duplicate_key.es.md", "6: title: duplicate key 'title' (first on line 2) "
                            "→ keep one of the two: YAML would silently drop the first"),
    ("bom.es.md", f"1: file: the file starts with a byte-order mark (BOM) {BOM}"),
    ("not_utf8.es.md", "9: file: not UTF-8 text (byte 165) → save the file as UTF-8"),
    ("deep_nesting.es.md", "7: extra: nested more than 32 levels deep "
                           "→ flatten the data: no file of this project needs that depth"),
    ("alias_bomb.es.md", "13: f: expands to more than 200,000 values through aliases "
                         "→ remove the repeated aliases (*name): this looks like an alias bomb"),
])
def test_front_matter_is_refused_with_file_line_and_field(name, expected):
    assert front_matter(name) == [f"tests/fixtures/hostile/frontmatter/{name}:{expected}"]


def test_straight_quotes_in_a_description_are_allowed_and_escaped_in_the_head():
    assert front_matter("description_quotes.es.md") == []


def test_description_with_quotes_is_escaped_in_the_built_meta_tag(built_site):
    html = (built_site / "identificacion" / "explotacion-sexual" / "index.html").read_text(encoding="utf-8")
    assert 'mesera, cocinera o niñera, &#34;prostibares&#34; cerca' in html
    assert '"prostibares"' not in html.split("</head>")[0]


# --- Page bodies ---------------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("script.es.md", "13: <script>: raw <script> in a page → pages hold no JavaScript: the site's scripts "
                     "live in docs/assets/javascripts/ (extra_javascript)"),
    ("onload_handler.es.md", f"13: onload: inline event handler onload= (HTML attribute) {HANDLER}"),
    ("heading_attribute_handler.es.md",
     f"11: onmouseover: inline event handler onmouseover= (attribute list) {HANDLER}"),
    ("iframe_src.es.md", f"13: <iframe>: embedded content (<iframe>) is not allowed {EMBED}"),
    ("iframe_srcdoc.es.md", f"13: <iframe>: embedded content (<iframe>) is not allowed {EMBED}"),
    ("external_image.es.md", f"13: image: image from another host: https://example.org/mapa.png {HOST}"),
    ("external_image_reference.es.md",
     f"13: image: image from another host: https://example.org/mapa.png (defined on line 15) {HOST}"),
    ("external_stylesheet.es.md", f"13: <link>: <link> in a page {STYLE}"),
    ("css_import.es.md", f"13: @import: CSS @import in a page {STYLE}"),
    ("css_url.es.md", f"11: url(): CSS url() from another host: https://example.org/x.png {HOST}"),
    ("javascript_link.es.md", "11: link: javascript: URL → link to a page or file of the site"),
    ("duplicate_heading_ids.es.md", "15: heading id: duplicate id #pasos (also line 11) → give each heading its "
                                    "own { #id } (links and the table of contents need it)"),
])
def test_active_content_and_other_hosts_in_pages_are_refused(name, expected):
    assert body(name) == [f"tests/fixtures/hostile/pages/{name}:{expected}"]


def test_code_blocks_and_inline_code_are_only_text():
    assert body("code_is_fine.es.md") == []


def test_the_real_pages_pass():
    assert [p.format() for p in check_pages(ROOT / "docs", TODAY)] == []


# --- Symlinks under docs/ --------------------------------------------------------

def test_symlinks_under_docs_are_refused_before_anything_is_read(docs_copy):
    (docs_copy / "acerca" / "secreto.txt").symlink_to("/etc/passwd")
    outside = docs_copy.parent / "fuera"
    outside.mkdir()
    (docs_copy / "carpeta").symlink_to(outside, target_is_directory=True)
    hint = ("→ replace it with a real file or folder inside docs/: a link can publish files from outside the "
            "project in the site and the offline copy")
    expected = [f"{docs_copy}/acerca/secreto.txt: file: is a symbolic link (to /etc/passwd) {hint}",
                f"{docs_copy}/carpeta: file: is a symbolic link (to {outside}) {hint}"]
    assert sorted(p.format() for p in check_symlinks(docs_copy)) == expected
    assert sorted(p.format() for p in check_pages(docs_copy, TODAY)) == expected


def test_a_build_with_a_symlink_stops_before_copying(docs_copy, tmp_path, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    (docs_copy / "passwd.txt").symlink_to("/etc/passwd")
    site = tmp_path / "site"
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(site), docs_dir=str(docs_copy))
    with pytest.raises(Abort):
        build(config)
    assert f"{docs_copy}/passwd.txt: file: is a symbolic link (to /etc/passwd)" in caplog.text
    assert not (site / "passwd.txt").exists()


# --- YAML loaders --------------------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("date_31_february.yml", "2: revisado: 2026-02-31 is not a real date (day is out of range for month) "
                             "→ write a date that exists, as YYYY-MM-DD"),
    ("duplicate_key.yml", "3: termino: duplicate key 'termino' (first on line 2) "
                          "→ keep one of the two: YAML would silently drop the first"),
    ("bom.yml", f"1: the file starts with a byte-order mark (BOM) {BOM}"),
    ("not_utf8.yml", "2: not UTF-8 text (byte 11) → save the file as UTF-8"),
    ("deep_nesting.yml", "1: a: nested more than 32 levels deep "
                         "→ flatten the data: no file of this project needs that depth"),
    ("alias_bomb.yml", "6: f: expands to more than 200,000 values through aliases "
                       "→ remove the repeated aliases (*name): this looks like an alias bomb"),
    ("too_many_aliases.yml", "2: b: more than 100 aliases (*name) "
                             "→ write the values out instead of repeating anchors"),
    ("syntax.yml", "1: invalid YAML: mapping values are not allowed here → fix the YAML syntax"),
])
def test_yaml_files_are_refused_with_line_and_field(name, expected):
    assert yaml_file(name) == [f"tests/fixtures/hostile/yaml/{name}:{expected}"]


def test_too_large_yaml_is_refused_before_parsing():
    _data, problems = parse_yaml("a: '" + "x" * MAX_BYTES + "'\n", "big.yml")
    assert [p.format() for p in problems] == [
        "big.yml: too large (1,000,006 characters; the limit is 1,000,000) "
        "→ split the file, or check it is the file you meant"]


def _copy_fixture(name: str, tmp_path: Path, target: str) -> Path:
    path = tmp_path / target
    shutil.copyfile(FIXTURES / "yaml" / name, path)
    return path


def test_every_loader_reports_a_duplicate_key_with_its_line(tmp_path):
    expected = "3: termino: duplicate key 'termino' (first on line 2) → keep one of the two: YAML would silently drop the first"
    glossary = _copy_fixture("duplicate_key.yml", tmp_path, "glosario.yml")
    assert [p.format() for p in load_glossary(glossary)[1]] == [f"{glossary}:{expected}"]
    flow = _copy_fixture("duplicate_key.yml", tmp_path, "flujo.yml")
    assert [p.format() for p in load_flow(flow)[1]] == [f"{flow}:{expected}"]
    indicators = _copy_fixture("duplicate_key.yml", tmp_path, "indicadores.yml")
    assert [p.format() for p in load_indicators(indicators, source_ids=set())[1]] == [f"{indicators}:{expected}"]
    sources = tmp_path / "fuentes"
    sources.mkdir()
    _copy_fixture("duplicate_key.yml", sources, "a.yml")
    assert [p.format() for p in load_sources(sources)[1]] == [f"{sources}/a.yml:{expected}"]


def test_every_loader_reports_an_impossible_date(tmp_path):
    expected = ("2: revisado: 2026-02-31 is not a real date (day is out of range for month) "
                "→ write a date that exists, as YYYY-MM-DD")
    glossary = _copy_fixture("date_31_february.yml", tmp_path, "glosario.yml")
    assert [p.format() for p in load_glossary(glossary)[1]] == [f"{glossary}:{expected}"]
    flow = _copy_fixture("date_31_february.yml", tmp_path, "flujo.yml")
    assert [p.format() for p in load_flow(flow)[1]] == [f"{flow}:{expected}"]


def test_vocabulary_refuses_an_alias_bomb_with_a_clear_error(tmp_path):
    vocabulary = _copy_fixture("alias_bomb.yml", tmp_path, "vocabulario.yml")
    with pytest.raises(ProblemsError, match="6: f: expands to more than 200,000 values through aliases"):
        load_vocabulary(vocabulary)


# --- Built HTML and CSS ------------------------------------------------------------------

@pytest.mark.parametrize("html,expected", [
    ('<script>alert(1)</script>', "1: <script>: inline script that is not Material's own (the CSP refuses it) "
                                  "→ scripts come only from the site's files (docs/assets/javascripts/, extra_javascript)"),
    ('<script src="https://cdn.example/x.js"></script>',
     "1: <script src>: script from another host: https://cdn.example/x.js → scripts come only from the site's "
     "files (docs/assets/javascripts/, extra_javascript)"),
    ('<img src="https://evil.example/a.png">', f"1: <img src>: loads https://evil.example/a.png from another host {SITE_HOST}"),
    ('<img src="a.png" srcset="a.png 1x, //evil.example/b.png 2x">',
     f"1: <img srcset>: loads //evil.example/b.png from another host {SITE_HOST}"),
    ('<link rel="stylesheet" href="https://evil.example/s.css">',
     f"1: <link href>: loads https://evil.example/s.css from another host {SITE_HOST}"),
    ('<link rel="icon" href="//evil.example/i.png">', f"1: <link href>: loads //evil.example/i.png from another host {SITE_HOST}"),
    ('<svg><use href="https://evil.example/s.svg#i"></use></svg>',
     f"1: <use href>: loads https://evil.example/s.svg#i from another host {SITE_HOST}"),
    ('<h2 id="x" onmouseover="alert(1)">T</h2>',
     "1: <h2 onmouseover>: inline event handler onmouseover= → remove the attribute: the CSP refuses inline "
     "JavaScript; use a script file"),
    ('<a href="javascript:alert(1)">x</a>', "1: <a href>: active URL javascript:alert(1) → link to a page or file of the site"),
    ('<object data="x.swf"></object>',
     "1: <object>: embedded content <object> → remove it: the site embeds nothing (the CSP refuses frames and objects)"),
    ('<embed src="x.swf">',
     "1: <embed>: embedded content <embed> → remove it: the site embeds nothing (the CSP refuses frames and objects)"),
    ('<base href="https://evil.example/">', "1: <base>: <base> changes where every link goes → remove it"),
    ('<meta http-equiv="refresh" content="0; url=https://evil.example/">',
     "1: <meta refresh>: redirects to another host: https://evil.example/ → link to the other site instead of "
     "redirecting readers"),
    ('<span style="background:url(\'https://evil.example/y\')">z</span>',
     f"1: <span style>: loads https://evil.example/y from another host {SITE_HOST}"),
    ('<form action="https://evil.example/post"></form>',
     "1: <form action>: sends the form to another host: https://evil.example/post → forms stay on the site"),
])
def test_built_html_loading_from_other_hosts_or_running_code_fails(html, expected):
    assert [p.format() for p in check_html_text(f"{html}\n", "page.html")] == [f"page.html:{expected}"]


def test_built_iframe_with_srcdoc_fails_twice():
    got = [p.format() for p in check_html_text('<p>a</p>\n<iframe srcdoc="x"></iframe>', "page.html")]
    embed = "→ remove it: the site embeds nothing (the CSP refuses frames and objects)"
    assert got == [f"page.html:2: <iframe srcdoc>: inline document (srcdoc) {embed}",
                   f"page.html:2: <iframe>: embedded content <iframe> {embed}"]


def test_plain_links_and_data_scripts_are_fine():
    html = ('<a href="https://creativecommons.org/">CC</a><link rel="canonical" href="https://example.org/">'
            '<script id="__config" type="application/json">{"a": 1}</script><img src="data:image/png;base64,AA">')
    assert check_html_text(html, "page.html") == []


def test_a_redirect_page_to_the_site_is_fine_but_not_to_another_host():
    template = ('<script>var anchor=window.location.hash.substr(1);location.href="{url}"+(anchor?"#"+anchor:"")'
                '</script>\n<meta http-equiv="refresh" content="0; url={url}">')
    assert check_html_text(template.format(url="../nueva/"), "old/index.html") == []
    assert [p.format() for p in check_html_text(template.format(url="https://evil.example/"), "old/index.html")] == [
        "old/index.html:1: <script>: inline script that is not Material's own (the CSP refuses it) → scripts come "
        "only from the site's files (docs/assets/javascripts/, extra_javascript)",
        "old/index.html:2: <meta refresh>: redirects to another host: https://evil.example/ → link to the other "
        "site instead of redirecting readers"]


def test_css_import_and_url_from_other_hosts_fail():
    css = 'body { color: red }\n@import url("https://evil.example/x.css");\na { background: url(//evil.example/x.png) }\n'
    assert [p.format() for p in check_css_text(css, "x.css")] == [
        f"x.css:2: url(): loads https://evil.example/x.css from another host {SITE_HOST}",
        f"x.css:3: url(): loads //evil.example/x.png from another host {SITE_HOST}",
        f"x.css:2: @import: imports https://evil.example/x.css from another host {SITE_HOST}",
    ]


def test_the_built_site_loads_nothing_from_other_hosts(built_site):
    assert [p.format() for p in check_site_resources(built_site)] == []


def test_the_offline_copy_loads_nothing_from_other_hosts(offline_site):
    assert [p.format() for p in check_site_resources(offline_site)] == []


# --- The policy -------------------------------------------------------------------------------

def test_policy_refuses_frames_objects_base_and_other_hosts():
    text = policy([])
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "frame-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
                      "worker-src 'self'", "manifest-src 'self'", "connect-src 'self'"):
        assert directive in text
    assert "unsafe" not in text and "frame-ancestors" not in text   # ignored (with an error) in a meta tag
    assert "file:" in policy([], offline=True) and "file:" not in text


def test_only_materials_own_inline_scripts_are_hashed(built_site):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    theme = '<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>'
    assert theme in page
    hostile = "<html><head><meta charset=\"utf-8\"></head><body>" + theme + "<script>alert(1)</script></body></html>"
    tag = add_policy(hostile).split('content="')[1].split('"')[0]
    assert script_hash(theme[8:-9]) in tag and script_hash("alert(1)") not in tag
    assert len(theme_script_patterns()) >= 5


def test_every_built_page_has_the_policy_before_any_script(built_site, offline_site):
    for site in (built_site, offline_site):
        for path in list(site.rglob("*.html"))[:400]:
            html = path.read_text(encoding="utf-8")
            if "<head" not in html or 'http-equiv="refresh"' in html:
                continue
            at = html.find('http-equiv="Content-Security-Policy"')
            assert 0 < at < html.find("<script"), path
