"""Link checker: tiny generated sites with one kind of broken link each, and the real builds."""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import threading
import time
from pathlib import Path

import pytest

from scripts import check_all, cli_links, links_online
from scripts.__main__ import main
from scripts.check_all import CheckResult, Context, exit_code, format_json, format_table, run_checks
from scripts.links import (check_external, check_links, check_mailto, check_tel, external_links,
                           load_site, parse_html)
from scripts.links_online import (UrlResult, check_urls, dead_link_problems, fetch_url, load_cache,
                                  save_cache)
from scripts.problems import Problem

TODAY = dt.date(2026, 11, 29)


def page(lang: str, body: str, title: str = "Página") -> str:
    """A small HTML page shaped like Material's: header with switcher, content, footer."""
    return (f'<!doctype html>\n<html lang="{lang}">\n<head><title>{title}</title>\n'
            f'<link rel="stylesheet" href="{{root}}assets/main.css">\n</head>\n<body>\n{body}\n</body></html>\n')


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root; `{root}` in pages becomes the path to the site root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        depth = rel.count("/")
        path.write_text(text.replace("{root}", "../" * depth), encoding="utf-8")
    return root


def good_site() -> dict[str, str]:
    """A two-language site whose every link is valid (directory URLs)."""
    return {
        "assets/main.css": "body{}",
        "assets/images/logo.svg": "<svg/>",
        "index.html": page("es", """
<a href="#contenido" class="md-skip">Saltar</a>
<a href="./" hreflang="es" class="md-select__link">Español</a>
<a href="en/" hreflang="en" class="md-select__link">English</a>
<link rel="alternate" href="en/" hreflang="en">
<img src="assets/images/logo.svg" alt="Logo">
<h1 id="contenido">Inicio</h1>
<a href="acerca/">Acerca de</a> <a href="acerca/#objetivo">Objetivo</a>
<a href="acerca/#ancla-vieja">Ancla por nombre</a> <a href="#top">Arriba</a> <a href="#">Arriba 2</a>
<a href="tel:113">Infosalud</a> <a href="tel:+5111234567">Lima</a> <a href="tel:+51912345678">Celular</a>
<a href="mailto:ayuda@example.org?subject=Hola%20equipo">Correo</a>
<a href="https://www.gob.pe/minsa">MINSA</a> <a href="javascript:void(0)" class="md-nav__link">Menú</a>
<a href="sitemap.xml">Mapa</a> <a href="acerca/index.html?x=1">Con consulta</a>
"""),
        "acerca/index.html": page("es", """
<h2 id="objetivo">Objetivo</h2><a name="ancla-vieja"></a>
<a href="../"><span>Inicio</span></a> <a href="../#contenido">Contenido</a>
<a href="../en/acerca/" hreflang="en">English</a>
"""),
        "en/index.html": page("en", """
<a href="../" hreflang="es" class="md-select__link">Español</a>
<a href="acerca/#objetivo">About: goal</a> <a href="./">Home</a>
"""),
        "en/acerca/index.html": page("en", """<h2 id="objetivo">Goal</h2><a href="../">Home</a>"""),
        "sitemap.xml": "<urlset/>",
    }


def at(files: dict[str, str], rel: str, url: str, last: bool = False) -> str:
    """`rel:line` of the (first or last) line of page `rel` linking `url`: reports give HTML lines."""
    numbers = [n for n, line in enumerate(files[rel].splitlines(), 1) if f'="{url}"' in line]
    assert numbers, f"{url!r} not in {rel}"
    return f"{rel}:{numbers[-1] if last else numbers[0]}"


def format_all(problems: list[Problem]) -> list[str]:
    return [p.format() for p in problems]


def test_valid_site_has_no_problems(tmp_path):
    assert check_links(write_site(tmp_path, good_site())) == []


def test_each_kind_of_broken_link_is_reported_exactly(tmp_path):
    files = good_site()
    files["index.html"] = files["index.html"].replace("</body>", """
<a href="falta/">Página que falta</a>
<a href="acerca/#no-existe">Ancla que falta</a>
<a href="en/acerca/">Versión inglesa</a>
<a href="tel:01 123 4567">Teléfono con espacios</a>
<a href="tel:+51123">Número corto</a>
<a href="tel:999">Código raro</a>
<a href="http://www.gob.pe/minsa">MINSA inseguro</a>
<img src="assets/images/falta.png" alt="Mapa de rutas">
<a href="mailto:no-es-un-correo">Escríbanos</a>
</body>""")
    files["en/acerca/index.html"] = files["en/acerca/index.html"].replace(
        "</body>", '<a href="../../acerca/#objetivo">Spanish page</a></body>')
    problems = check_links(write_site(tmp_path, files))
    assert format_all(problems) == [
        f'{at(files, "en/acerca/index.html", "../../acerca/#objetivo")}: href: ../../acerca/#objetivo ("Spanish page"): '
        "wrong language: English page links to the Spanish page acerca/index.html",
        f'{at(files, "index.html", "falta/")}: href: falta/ ("Página que falta"): page not found (falta/index.html)',
        f'{at(files, "index.html", "acerca/#no-existe")}: href: acerca/#no-existe ("Ancla que falta"): '
        "anchor #no-existe not found in acerca/index.html",
        f'{at(files, "index.html", "en/acerca/")}: href: en/acerca/ ("Versión inglesa"): '
        "wrong language: Spanish page links to the English page en/acerca/index.html",
        f'{at(files, "index.html", "tel:01 123 4567")}: href: tel:01 123 4567 ("Teléfono con espacios"): not in E.164 form: write tel:+5111234567',
        f'{at(files, "index.html", "tel:+51123")}: href: tel:+51123 ("Número corto"): not a valid phone number',
        f'{at(files, "index.html", "tel:999")}: href: tel:999 ("Código raro"): unknown short code 999 (known: 100, 105, 106, 113, 116, 1818)',
        f'{at(files, "index.html", "http://www.gob.pe/minsa")}: href: http://www.gob.pe/minsa ("MINSA inseguro"): insecure http link: use https',
        f'{at(files, "index.html", "assets/images/falta.png")}: src: assets/images/falta.png ("Mapa de rutas"): file not found (assets/images/falta.png)',
        f'{at(files, "index.html", "mailto:no-es-un-correo")}: href: mailto:no-es-un-correo ("Escríbanos"): '
        "not a valid e-mail address: 'no-es-un-correo'",
    ]


def test_same_broken_link_twice_in_a_page_is_reported_once(tmp_path):
    files = good_site()
    files["en/index.html"] = files["en/index.html"].replace(
        "</body>", '<a href="gone/">Gone</a>\n<nav><a href="gone/">Gone again</a></nav></body>')
    assert format_all(check_links(write_site(tmp_path, files))) == [
        f'{at(files, "en/index.html", "gone/")}: href: gone/ ("Gone"): page not found (en/gone/index.html)']


def test_theme_pseudo_urls_pass_other_javascript_and_data_urls_do_not(tmp_path):
    files = good_site()
    files["en/index.html"] = files["en/index.html"].replace("</body>", """
<a href="javascript:alert(1)">Alert</a>
<img src="data:image/png;base64,AAAA" alt="Inline">
</body>""")
    assert format_all(check_links(write_site(tmp_path, files))) == [
        f'{at(files, "en/index.html", "javascript:alert(1)")}: href: javascript:alert(1) ("Alert"): javascript: link: does nothing without JavaScript',
        f'{at(files, "en/index.html", "data:image/png;base64,AAAA")}: src: data:image/png;base64,AAAA ("Inline"): data: URL: put the file in docs/assets/ and link it',
    ]


def test_link_text_falls_back_to_aria_label_title_and_image_alt(tmp_path):
    files = good_site()
    files["en/index.html"] = files["en/index.html"].replace("</body>", """
<a href="x/" aria-label="Close">  </a><a href="y/" title="Next"></a><a href="z/"><img src="../assets/images/logo.svg" alt="Logo"></a>
<script src="../assets/app.js"></script>
</body>""")
    assert format_all(check_links(write_site(tmp_path, files))) == [
        f'{at(files, "en/index.html", "x/")}: href: x/ ("Close"): page not found (en/x/index.html)',
        f'{at(files, "en/index.html", "y/")}: href: y/ ("Next"): page not found (en/y/index.html)',
        f'{at(files, "en/index.html", "z/")}: href: z/ ("Logo"): page not found (en/z/index.html)',
        f'{at(files, "en/index.html", "../assets/app.js")}: src: ../assets/app.js ("<script>"): file not found (assets/app.js)',
    ]


def test_site_url_links_are_internal_and_root_absolute_links_use_its_path(tmp_path):
    files = good_site()
    files["index.html"] = files["index.html"].replace(
        "<head>", '<head><link rel="canonical" href="https://example.org/guia/">')
    files["404.html"] = page("en", """<a href="/guia/en/">Home</a> <a href="/guia/falta/">Missing</a>
<a href="/otra/">Elsewhere</a> <a href="https://example.org/guia/en/acerca/#objetivo">Absolute</a>""")
    site = write_site(tmp_path, files)
    assert format_all(check_links(site)) == [
        f'{at(files, "404.html", "/guia/falta/")}: href: /guia/falta/ ("Missing"): page not found (falta/index.html)',
        f'{at(files, "404.html", "/otra/")}: href: /otra/ ("Elsewhere"): outside the site (base path /guia/)',
    ]
    assert list(external_links(load_site(site))) == ["https://www.gob.pe/minsa"]


def test_offline_copy_needs_html_file_links(tmp_path):
    files = {
        "search/search_index.js": "var x",
        "assets/main.css": "",
        "index.html": page("es", '<a href="acerca.html#a">Bien</a> <a href="acerca/">Carpeta</a> '
                                 '<a href="/acerca.html">Absoluto</a>'),
        "acerca.html": page("es", '<h2 id="a">A</h2>'),
        "acerca/index.html": page("es", ""),
        "404.html": page("en", '<a href="/en/">Not served offline</a>'),
    }
    assert format_all(check_links(write_site(tmp_path, files))) == [
        f'{at(files, "index.html", "acerca/")}: href: acerca/ ("Carpeta"): folder link: from file:// it opens a file listing; '
        "link acerca/index.html",
        f'{at(files, "index.html", "/acerca.html")}: href: /acerca.html ("Absoluto"): root-absolute link: breaks when opened from file://',
    ]


def test_switcher_must_point_to_the_language_it_names(tmp_path):
    files = good_site()
    files["en/index.html"] = files["en/index.html"].replace(
        "</body>", '<a href="./" hreflang="es" class="md-select__link">Español</a></body>')
    assert format_all(check_links(write_site(tmp_path, files))) == [
        f'{at(files, "en/index.html", "./", last=True)}: href: ./ ("Español"): language switcher: hreflang=es but the target '
        "is the English page en/index.html"]


@pytest.mark.parametrize("url, why", [
    ("tel:113", None), ("tel:1818", None), ("tel:+5111234567", None), ("tel:+51912345678", None),
    ("tel:+51%20912345678", "not in E.164 form: write tel:+51912345678"),
    ("tel:912345678", "not in E.164 form: write tel:+51912345678"),
    ("tel:+34910000001", "not a Peruvian number"),
    ("tel:llamar", "not a phone number"),
    ("tel:", "not a phone number"),
])
def test_tel(url, why):
    assert check_tel(url) == why


@pytest.mark.parametrize("url, why", [
    ("mailto:a@example.org", None), ("mailto:a@example.org,b.c@ejemplo.gob.pe?subject=x", None),
    ("mailto:", "mailto: without an address"),
    ("mailto:a@b", "not a valid e-mail address: 'a@b'"),
    ("mailto:a b@example.org", "not a valid e-mail address: 'a b@example.org'"),
])
def test_mailto(url, why):
    assert check_mailto(url) == why


@pytest.mark.parametrize("url, why", [
    ("https://www.gob.pe/institucion/minsa", None),
    ("https://bvs.minsa.gob.pe:443/local/MINSA/4.pdf", None),
    ("https://ñandú.pe/", None),
    ("http://www.gob.pe/", "insecure http link: use https"),
    ("//cdn.example.org/x.js", "protocol-relative URL: write https://"),
    ("https://www.gob .pe/", "URL contains spaces: encode them as %20"),
    ("https:///path", "URL without a host name"),
    ("https://localhost/", "malformed host name 'localhost'"),
    ("https://www.gob.pe:99999/", "malformed URL (bad port or host)"),
    ("https://user:pw@example.org/", "URL with user name or password"),
    ("https://-bad-.pe/", "malformed host name '-bad-.pe'"),
    ("https://10.0.0.1/", "malformed host name '10.0.0.1'"),
])
def test_external(url, why):
    assert check_external(url) == why


def test_parser_reads_ids_names_and_nested_text():
    parsed = parse_html('<html lang="en-GB"><p id="a"><a name="b" href="#a">One <b>two</b></a>'
                        '<a href="#c">Three <a name="c"></a>four <a>five</a></a>'
                        '<a href="#b">unclosed', "x.html")
    assert parsed.lang == "en"
    assert parsed.anchors == {"a", "b", "c"}
    assert [(l.url, l.text) for l in parsed.links] == [
        ("#a", "One two"), ("#c", "Three four five"), ("#b", "unclosed")]


# --- the real site ---------------------------------------------------------------------

# Reported to the lead, not the checker's to fix: FACTS §8 gives only http:// addresses for
# S19 (IDEHPUCP) and S36 (CHS Alternativo). Delete each line once brief.yml has an https URL.
KNOWN_HTTP_SOURCES: set[str] = set()   # sources FACTS gives only as http:// (none today)


def unexpected(problems: list[Problem]) -> list[str]:
    """Every problem except the known http:// sources above."""
    return [p.format() for p in problems
            if not (p.message.endswith("): insecure http link: use https")
                    and p.message.split(" (", 1)[0] in KNOWN_HTTP_SOURCES)]


def test_real_site_has_no_broken_links(built_site):
    assert unexpected(check_links(built_site)) == []


def test_dropping_bare_tags_changes_nothing_on_the_real_site(built_site, offline_site):
    pages = sorted(built_site.rglob("*.html")) + sorted(offline_site.rglob("*.html"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert parse_html(text, "x.html") == parse_html(text, "x.html", drop_bare_tags=False), path


def test_real_offline_copy_has_no_broken_links(offline_site):
    assert load_site(offline_site).file_urls
    assert unexpected(check_links(offline_site)) == []


def test_cli_check_links_exit_codes(tmp_path, capsys):
    site = write_site(tmp_path / "ok", good_site())
    assert main(["check-links", str(site)]) == 0
    assert capsys.readouterr().out == "Every link in the site resolves.\n"
    files = good_site()
    files["en/index.html"] = files["en/index.html"].replace("</body>", '<a href="gone/">Gone</a></body>')
    bad = write_site(tmp_path / "bad", files)
    assert main(["check-links", str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["message"] == 'gone/ ("Gone"): page not found (en/gone/index.html)'
    assert main(["check-links", str(tmp_path / "nothing")]) == 2


# --- online mode, against a local server -------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):
        pass

    def _answer(self, body: bool):
        path = self.path
        self.hits[path] = self.hits.get(path, 0) + 1
        if path == "/slow":
            time.sleep(1.5)
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/ok")
        elif path == "/head-refused" and self.command == "HEAD":
            self.send_response(405)
        elif path == "/flaky" and self.hits[path] == 1:
            self.send_response(503)
        elif path in ("/ok", "/slow", "/head-refused", "/flaky"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            try:
                self.wfile.write(b"ok")
            except OSError:
                pass

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture()
def server():
    _Handler.hits = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_ok_missing_redirect_and_head_refused(server):
    assert fetch_url(f"{server}/ok", timeout=2, retries=0) == (200, f"{server}/ok", "")
    assert fetch_url(f"{server}/missing", timeout=2, retries=0) == (404, f"{server}/missing", "")
    assert fetch_url(f"{server}/redirect", timeout=2, retries=0) == (200, f"{server}/ok", "")
    assert fetch_url(f"{server}/head-refused", timeout=2, retries=0)[0] == 200
    assert _Handler.hits["/missing"] == 2          # HEAD, then GET to be sure


def test_fetch_timeout_and_retry(server):
    status, _, error = fetch_url(f"{server}/slow", timeout=0.3, retries=0)
    assert (status, error) == (None, "timeout after 0.3 s")
    assert fetch_url(f"{server}/flaky", timeout=2, retries=1, backoff=0)[0] == 200
    assert _Handler.hits["/flaky"] == 2


def test_check_urls_uses_fresh_cache_and_rechecks_dead_and_old(server):
    asked = []

    def fetch(url):
        asked.append(url)
        return fetch_url(url.replace("https://site.test", server), timeout=0.3, retries=0)

    cache = {
        "https://site.test/ok": {"ok": True, "status": 200, "error": "", "final_url": "x",
                                 "checked_on": "2026-11-28"},
        "https://site.test/missing": {"ok": False, "status": 404, "error": "", "final_url": "x",
                                      "checked_on": "2026-11-28"},
        "https://site.test/redirect": {"ok": True, "status": 200, "error": "", "final_url": "x",
                                       "checked_on": "2026-11-01"},
    }
    urls = ["https://site.test/ok", "https://site.test/missing", "https://site.test/redirect",
            "https://site.test/slow"]
    results = check_urls(urls, cache, TODAY, max_age_days=7, workers=2, fetch=fetch)
    assert sorted(asked) == urls[1:]
    assert {u: (r.ok, r.status, r.error) for u, r in results.items()} == {
        "https://site.test/ok": (True, 200, ""),
        "https://site.test/missing": (False, 404, ""),
        "https://site.test/redirect": (True, 200, ""),
        "https://site.test/slow": (False, None, "timeout after 0.3 s"),
    }
    assert results["https://site.test/redirect"].final_url == f"{server}/ok"
    assert results["https://site.test/missing"].checked_on == "2026-11-29"


def test_cache_round_trip_and_bad_cache(tmp_path):
    path = tmp_path / ".cache" / "links.json"
    assert load_cache(path) == {}
    result = UrlResult("https://a.pe/", False, 404, "", "https://a.pe/", "2026-11-29")
    save_cache({"https://a.pe/": result}, {"https://b.pe/": {"ok": True}}, path)
    assert load_cache(path) == {
        "https://a.pe/": {"ok": False, "status": 404, "error": "", "final_url": "https://a.pe/",
                          "checked_on": "2026-11-29"},
        "https://b.pe/": {"ok": True}}
    path.write_text("{not json", encoding="utf-8")
    assert load_cache(path) == {}


def test_online_cli_reports_dead_links_without_failing(tmp_path, server, monkeypatch, capsys):
    files = good_site()
    files["en/index.html"] = files["en/index.html"].replace(
        "</body>", '<a href="https://site.test/missing">Old report</a>'
                   '<a href="https://site.test/ok">Live</a></body>')
    files["en/acerca/index.html"] = files["en/acerca/index.html"].replace(
        "</body>", '<a href="https://site.test/missing">Old report</a></body>')
    site = write_site(tmp_path / "site", files)

    def local(url, timeout):
        if not url.startswith("https://site.test/"):
            return 200, url, ""                     # no network in tests
        return fetch_url(url.replace("https://site.test", server), timeout=timeout, retries=0)

    monkeypatch.setattr(cli_links, "fetch_url", local)
    monkeypatch.setattr(links_online, "fetch_url", local)
    cache = tmp_path / "links.json"
    args = ["check-links", str(site), "--online", "--cache", str(cache), "--timeout", "2",
            "--today", "2026-11-29"]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        f'{at(files, "en/acerca/index.html", "https://site.test/missing")}: href: https://site.test/missing ("Old report"): dead link: HTTP 404 '
        "(also on 1 other page)",
        "1 dead external link(s).",
    ]
    assert set(load_cache(cache)) == {"https://site.test/missing", "https://site.test/ok",
                                      "https://www.gob.pe/minsa"}
    assert main(args + ["--fail-on-dead", "--format", "markdown", "--output", str(tmp_path / "r.md")]) == 1
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "## Dead external links (checked 2026-11-29)" in markdown
    line = at(files, "en/acerca/index.html", "https://site.test/missing").split(":")[1]
    assert f"| `en/acerca/index.html` | {line} | https://site.test/missing" in markdown


def test_dead_link_problems_one_per_url():
    from scripts.links import Link

    link = Link(3, "a", "href", "https://a.pe/x", "Norma", "", False)
    results = {"https://a.pe/x": UrlResult("https://a.pe/x", False, None, "timeout after 1 s", "", "2026-11-29")}
    assert format_all(dead_link_problems(results, {"https://a.pe/x": [("b.html", link), ("a.html", link)]})) == [
        'b.html:3: href: https://a.pe/x ("Norma"): dead link: timeout after 1 s (also on 1 other page)']


# --- one command for everything ------------------------------------------------------------

def _ok(docs_dir, today):
    return []


def _bad(pages):
    return [Problem("docs/x.es.md", 3, "title", "missing")]


def _crash():
    raise RuntimeError("Aborted with 2 warnings in strict mode!")


def _needs(whatever):
    return []


def test_run_checks_registry(tmp_path, monkeypatch):
    monkeypatch.setattr(Context, "_make_pages", lambda self: ["page"])
    checks = [
        ("ok", "tests.test_links:_ok"),
        ("bad", "tests.test_links:_bad"),
        ("missing module", "scripts.no_such_module:check"),
        ("missing function", "scripts.links:no_such_function"),
        ("first that exists", "scripts.links:no_such_function | tests.test_links:_bad"),
        ("none exists", "scripts.links:nope | scripts.nope:check"),
        ("unknown parameter", "tests.test_links:_needs"),
        ("crash", "tests.test_links:_crash"),
    ]
    results = run_checks(Context(tmp_path, TODAY, tmp_path), checks)
    assert [(r.name, r.status, r.note) for r in results] == [
        ("ok", "ok", ""),
        ("bad", "failed", ""),
        ("missing module", "skipped", "scripts.no_such_module not available yet"),
        ("missing function", "skipped", "scripts.links.no_such_function not available yet"),
        ("first that exists", "failed", ""),
        ("none exists", "skipped", "scripts.links.nope not available yet; scripts.nope not available yet"),
        ("unknown parameter", "skipped", "cannot call tests.test_links:_needs: needs 'whatever'"),
        ("crash", "error", "RuntimeError: Aborted with 2 warnings in strict mode!"),
    ]
    assert exit_code(results) == 1
    assert exit_code([r for r in results if r.status in ("ok", "skipped")]) == 0
    assert format_table(results[:3]) == (
        "check           result   problems\n"
        "--------------  -------  --------\n"
        "ok              ok              0\n"
        "bad             failed          1\n"
        "missing module  skipped         -  (scripts.no_such_module not available yet)\n"
        "\n"
        "bad:\n"
        "  docs/x.es.md:3: title: missing\n"
        "\n"
        "1 check(s) failed.")
    data = json.loads(format_json(results[:2]))
    assert data == {"ok": False, "checks": [
        {"name": "ok", "status": "ok", "note": "", "problems": []},
        {"name": "bad", "status": "failed", "note": "", "problems": [
            {"path": "docs/x.es.md", "line": 3, "field": "title", "message": "missing", "hint": ""}]}]}


def test_builds_happen_once_and_only_when_asked(tmp_path):
    built = []

    def builder(site, **options):
        built.append(options)
        write_site(site, good_site())

    context = Context(tmp_path, TODAY, tmp_path, builder=builder)
    results = run_checks(context, [("a", "scripts.check_all:check_site_links"),
                                   ("b", "scripts.check_all:check_site_links")])
    assert [r.status for r in results] == ["ok", "ok"]
    assert built == [{"site_url": check_all.SITE_URL, "docs_dir": tmp_path}]   # not docs/: --docs-dir


@pytest.mark.slow
def test_check_command_on_the_real_project(capsys, built_site, offline_site):
    # the session's strict builds (the same build_site calls): `check` would make the same two again
    code = main(["check", "--format", "json", "--today", TODAY.isoformat(), "--site", str(built_site),
                 "--offline-site", str(offline_site)])
    data = json.loads(capsys.readouterr().out)
    statuses = {c["name"]: c["status"] for c in data["checks"]}
    assert statuses["front matter and structure"] == statuses["translations"] == "ok"
    assert statuses["contacts"] != "skipped" and statuses["glossary"] != "skipped"
    for check in data["checks"]:
        if check["name"].startswith("links"):
            assert unexpected([Problem(**p) for p in check["problems"]]) == [], check["name"]
    assert code == (0 if data["ok"] else 1)


def test_parallel_parsing_gives_the_same_pages(tmp_path, monkeypatch):
    from scripts import links

    site = write_site(tmp_path, good_site())
    rels = ["index.html", "acerca/index.html", "en/index.html", "en/acerca/index.html"]
    serial = links.parse_site(site, rels, workers=1)
    monkeypatch.setattr(links, "PARALLEL_FROM", 1)
    assert links.parse_site(site, rels, workers=2) == serial
