"""Benchmark against the budgets of issue 10: page weight, search, Lighthouse, build times.

`python -m scripts bench` builds the site, serves it on 127.0.0.1 with gzip and cache headers
(scripts/static_server.py), measures it in Debian Chromium and prints ONE Markdown table with
each figure next to its budget. It runs outside CI: Lighthouse is an npm package
(`npm install --prefix .bench lighthouse@13.5.0`); without it the other figures still print.

The pure helpers below (asset lists, byte budgets, table) are also used by tests/test_budgets.py.
"""

from __future__ import annotations

import gzip
import html.parser
import json
import os
import posixpath
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from scripts import ROOT

KB = 1024
GZIP_LEVEL = 6                        # same as scripts/static_server.py
FIRST_VISIT_BUDGET = 150 * KB         # gzip: HTML + CSS + JS + fonts + images
REPEAT_VISIT_BUDGET = 30 * KB         # gzip: another page, assets cached
SEARCH_INDEX_BUDGET = 250 * KB        # gzip, per language
SEARCH_MS_BUDGET = 300                # first results after typing, index loaded
LIGHTHOUSE_BUDGET = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
FULL_BUILD_BUDGET = 60.0              # seconds: strict build, pocket guides, checks
INCREMENTAL_BUDGET = 3.0              # seconds: mkdocs serve, one page edited

LANGUAGE_PREFIXES = {"es": "", "en": "en/"}
SEARCH_QUERIES = {"es": ["trata", "salud", "atencion", "violencia", "niño"],
                  "en": ["trafficking", "health", "care", "violence", "child"]}
# page type -> (label, section folder; None = the home page; "" in folder = landing page)
PAGE_TYPES = {
    "home": ("Home", None),
    "landing": ("Section landing", "protocolos"),
    "protocol": ("Protocol page", "protocolos"),
    "region": ("Region page", "directorio"),
    "identification": ("Identification page", "identificacion"),
}
LIGHTHOUSE_TYPES = ("home", "protocol", "region")
LIGHTHOUSE_VERSION = "13.5.0"
BENCH_DIR = ROOT / ".bench"
INSTALL_HINT = f"npm install --prefix .bench lighthouse@{LIGHTHOUSE_VERSION}"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
COPY_IGNORE = (".git", ".bench", ".venv", "site", "dist", "node_modules", "__pycache__", ".pytest_cache")
CHECK_PREFIXES = ("check-", "validate-")
README = ROOT / "README.md"
SETUP_COMMAND = "bash .ci/setup"          # README command 1: `bash .ci/setup && <serve command>`
VENV_PYTHON = ".venv/bin/python"
# variables the README's serve command does not set: the bench must not inherit them either
SERVE_ENV_DROP = ("SITE_URL", "OFFLINE", "POCKET_GUIDES", "KB_RENDER_CACHE")
SERVE_START_TIMEOUT = 600                 # seconds for the first build under serve (26 PDFs)
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")


# --- Pure helpers ------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, what it was measured on, its value and budget."""

    figure: str
    subject: str
    value: str
    budget: str = ""
    result: str = ""                  # PASS, FAIL or "" (information only)


def gzip_size(data: bytes) -> int:
    """Bytes after gzip at the level web servers commonly use."""
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))


def kb(size: float) -> str:
    """1536 -> '1.5 KB' (KB = 1024 bytes, as browsers and Lighthouse count)."""
    return f"{size / KB:.1f} KB"


def verdict(value: float, limit: float, at_least: bool = False) -> str:
    """PASS when value is within the limit (≤, or ≥ with at_least)."""
    ok = value >= limit if at_least else value <= limit
    return "PASS" if ok else "FAIL"


class _References(html.parser.HTMLParser):
    """Local resources a page makes the browser load: styles, scripts, images, icons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.config = ""
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and a.get("href") and ("stylesheet" in rel or "icon" in rel):
            self.refs.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "script" and a.get("id") == "__config":
            self._in_config = True

    def handle_data(self, data):
        if self._in_config:
            self.config += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_config = False


def _local_file(site_dir: Path, base_file: Path, ref: str) -> Path | None:
    """The file in site_dir that `ref` (relative to base_file) points at, or None if remote."""
    parsed = urlparse(ref)
    if parsed.scheme or parsed.netloc or ref.startswith(("data:", "#")):
        return None
    target = (base_file.parent / unquote(parsed.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    try:
        target.relative_to(Path(site_dir).resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def css_fonts(site_dir: Path, css_file: Path) -> list[Path]:
    """Font files a stylesheet loads through url(...)."""
    text = css_file.read_text(encoding="utf-8", errors="replace")
    found = []
    for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text):
        if urlparse(ref).path.lower().endswith(FONT_SUFFIXES):
            path = _local_file(site_dir, css_file, ref)
            if path:
                found.append(path)
    return found


def page_assets(site_dir: Path, html_file: Path) -> list[Path]:
    """Files a first visit to the page downloads (not the search index): deterministic.

    Styles, scripts, images and icons named in the HTML, fonts named in those styles, and
    Material's search worker (started on every page load; it fetches the index only when
    search is opened).
    """
    parser = _References()
    parser.feed(Path(html_file).read_text(encoding="utf-8"))
    refs = list(parser.refs)
    if parser.config.strip():
        config = json.loads(parser.config)
        if config.get("search"):
            refs.append(posixpath.join(config.get("base") or ".", config["search"]))
    assets: list[Path] = []
    for ref in refs:
        path = _local_file(site_dir, Path(html_file), ref)
        if path and path not in assets:
            assets.append(path)
            if path.suffix == ".css":
                assets += [f for f in css_fonts(site_dir, path) if f not in assets]
    return assets


def visit_bytes(site_dir: Path, html_file: Path, cached: tuple[Path, ...] = ()) -> tuple[int, int]:
    """(raw, gzip) bytes of the page plus the assets not already in `cached`."""
    files = [Path(html_file)] + [a for a in page_assets(site_dir, html_file) if a not in cached]
    data = [f.read_bytes() for f in files]
    return sum(len(d) for d in data), sum(gzip_size(d) for d in data)


def first_and_repeat(site_dir: Path, html_file: Path, previous: Path) -> tuple[int, int]:
    """gzip bytes of a first visit, and of a visit after `previous` (its assets cached)."""
    cached = tuple(page_assets(site_dir, previous))
    return visit_bytes(site_dir, html_file)[1], visit_bytes(site_dir, html_file, cached)[1]


def html_pages(site_dir: Path) -> list[Path]:
    """Every page of the built site (both languages), sorted; 404.html included."""
    return sorted(Path(site_dir).rglob("*.html"))


def representative_pages(site_dir: Path, prefix: str = "") -> dict[str, Path | None]:
    """One page per type for a language: the heaviest page of its type, or None if none yet."""
    root = Path(site_dir) / prefix if prefix else Path(site_dir)
    chosen: dict[str, Path | None] = {}
    for key, (_, folder) in PAGE_TYPES.items():
        if folder is None:
            candidates = [root / "index.html"]
        elif key == "landing":
            candidates = [root / folder / "index.html"]
        else:
            candidates = [p for p in (root / folder).glob("*/index.html")] if (root / folder).is_dir() else []
        candidates = [p for p in candidates if p.is_file()]
        chosen[key] = max(candidates, key=lambda p: (p.stat().st_size, str(p))) if candidates else None
    return chosen


def page_url(site_dir: Path, html_file: Path) -> str:
    """Site-relative URL of a built page: 'protocolos/x/index.html' -> 'protocolos/x/'."""
    rel = Path(html_file).relative_to(site_dir).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def search_indexes(site_dir: Path) -> dict[str, Path]:
    """language -> its search index (scripts/search.py writes one per language)."""
    found = {}
    for lang, prefix in LANGUAGE_PREFIXES.items():
        path = Path(site_dir) / prefix / "search" / "search_index.json"
        if path.is_file():
            found[lang] = path
    return found


def lighthouse_scores(report: dict) -> dict[str, int]:
    """Category scores 0–100 from a Lighthouse JSON report (None scores count as 0)."""
    return {key: round((cat.get("score") or 0) * 100) for key, cat in report.get("categories", {}).items()}


def lighthouse_row(label: str, subject: str, scores: dict[str, int]) -> Row:
    """'perf / a11y / best practices / SEO' against their budgets."""
    value = " / ".join(str(scores.get(k, "–")) for k in LIGHTHOUSE_BUDGET)
    budget = " / ".join(("≥ " if k == "performance" else "") + str(v) for k, v in LIGHTHOUSE_BUDGET.items())
    ok = all(scores.get(k, 0) >= v for k, v in LIGHTHOUSE_BUDGET.items())
    return Row(label, subject, value, budget, "PASS" if ok else "FAIL")


def median_row(label: str, subject: str, values: list[float], limit: float, unit: str) -> Row:
    """A timing row: median of the runs against the budget, every run shown."""
    if not values:
        return Row(label, subject, "not measured", f"≤ {limit:g} {unit}", "FAIL")
    middle = statistics.median(values)
    runs = ", ".join(f"{v:.{0 if unit == 'ms' else 1}f}" for v in values)
    shown = f"{middle:.0f} ms" if unit == "ms" else f"{middle:.1f} s"
    return Row(label, subject, f"{shown} (median; runs: {runs})", f"≤ {limit:g} {unit}", verdict(middle, limit))


def render_table(rows: list[Row]) -> str:
    """The Markdown table the README quotes."""
    lines = ["| Figure | Measured on | Value | Budget | Result |", "|---|---|---|---|---|"]
    for row in rows:
        cells = [row.figure, row.subject, row.value, row.budget, row.result or "–"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def body_line_to_edit(text: str) -> int | None:
    """Index of the first plain paragraph line after the front matter (for the rebuild timing)."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    for index in range(start, len(lines)):
        if re.match(r"^[A-Za-zÁÉÍÓÚÑáéíóúñ¿¡]", lines[index]):
            return index
    return None


def readme_commands(text: str) -> list[str]:
    """Every command of the README's ```sh blocks: comments dropped, `a && b` split in two."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            tokens = shlex.split(line, comments=True)
            while tokens:
                part = tokens[:tokens.index("&&")] if "&&" in tokens else tokens
                commands.append(shlex.join(part))
                tokens = tokens[len(part) + 1:]
    return commands


def readme_serve_command(text: str) -> list[str]:
    """The README's own `mkdocs serve` command (the one after `bash .ci/setup &&`), as argv."""
    commands = readme_commands(text)
    if SETUP_COMMAND not in commands or commands.index(SETUP_COMMAND) + 1 >= len(commands):
        raise ValueError(f"README.md: no `{SETUP_COMMAND} && ... mkdocs serve ...` command")
    argv = shlex.split(commands[commands.index(SETUP_COMMAND) + 1])
    if "serve" not in argv:
        raise ValueError(f"README.md: the command after `{SETUP_COMMAND}` is not `mkdocs serve`: {shlex.join(argv)}")
    return argv


def with_port(argv: list[str], port: int) -> list[str]:
    """The serve command on another port (the README's may be taken): `-a host:port` changed, or added."""
    argv = list(argv)
    for flag in ("-a", "--dev-addr"):
        if flag in argv and argv.index(flag) + 1 < len(argv):
            index = argv.index(flag) + 1
            host = argv[index].rpartition(":")[0] or "127.0.0.1"
            argv[index] = f"{host}:{port}"
            return argv
    return [*argv, "-a", f"127.0.0.1:{port}"]


def check_commands(commands: dict[str, tuple[str, str]]) -> list[str]:
    """The checks a full build runs: `check` when it exists (it runs them all), else each one."""
    if "check" in commands:
        return ["check"]
    return [name for name in commands if name.startswith(CHECK_PREFIXES)]


# --- Measurements (side effects) ----------------------------------------------------------

def _is_search_request(url: str) -> bool:
    path = urlparse(url).path
    return path.endswith(("search_index.json", "search_index.js")) or "/lunr/" in path


def _load(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def measure_visit(browser, log: list, url: str, before: str | None = None) -> dict:
    """What Chromium fetched from our server for `url` (after `before` in the same tab, if given).

    `log` is the request log of scripts/static_server.py: cache hits never reach it, so a
    repeat visit counts only what the browser really downloaded again.
    """
    # The offline app's precache (issue 19) starts once the page has loaded and the browser is
    # idle: it is not the page's weight. `python -m scripts.pwa SITE` prints its size.
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    try:
        page = context.new_page()
        hosts: set[str] = set()
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or "")
                if r.url.startswith("http") else None)
        if before:
            _load(page, before)
        page.wait_for_timeout(300)
        hosts.clear()
        del log[:]
        _load(page, url)
        page.wait_for_timeout(500)           # late requests (worker, icons)
        fetched = list(log)
        page_part = [e for e in fetched if not _is_search_request(e["path"])]
        return {"raw": sum(e["raw"] for e in page_part), "sent": sum(e["sent"] for e in page_part),
                "requests": len(page_part), "errors": [e["path"] for e in fetched if e["status"] >= 400],
                "search_sent": sum(e["sent"] for e in fetched if _is_search_request(e["path"])),
                "other_hosts": sorted(hosts - {"127.0.0.1", "localhost"})}
    finally:
        context.close()


def measure_search(browser, url: str, queries: list[str]) -> list[float]:
    """Milliseconds from the first keystroke to the first results, index already loaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _load(page, url)
        box = page.locator("input.md-search__input")
        with page.expect_response(lambda r: "search_index" in r.url):
            box.click()
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return m && !/Inicializando|Initializing/.test(m.textContent) }", timeout=20000)
        page.wait_for_timeout(500)             # worker finished building the index
        times = []
        for query in queries:
            box.fill("")
            page.wait_for_function("() => !document.querySelector('.md-search-result__list').children.length")
            page.evaluate("""() => {
                window.__kbT0 = null; window.__kbT1 = null;
                const input = document.querySelector('input.md-search__input');
                const list = document.querySelector('.md-search-result__list');
                input.addEventListener('keydown', () => { if (window.__kbT0 === null) window.__kbT0 = performance.now(); }, {once: true});
                const observer = new MutationObserver(() => {
                    if (window.__kbT0 !== null && list.children.length) { window.__kbT1 = performance.now(); observer.disconnect(); }
                });
                observer.observe(list, {childList: true});
            }""")
            box.press_sequentially(query)
            page.wait_for_function("() => window.__kbT1 !== null", timeout=10000)
            times.append(page.evaluate("() => window.__kbT1 - window.__kbT0"))
        return times
    finally:
        context.close()


def lighthouse_installed() -> bool:
    """True when `npm install --prefix .bench lighthouse` has been run."""
    return (BENCH_DIR / "node_modules" / ".bin" / "lighthouse").exists()


def median_run(runs: list[dict[str, int]]) -> dict[str, int] | None:
    """The run with the median performance score (Lighthouse's advice for noisy scores)."""
    if not runs:
        return None
    ordered = sorted(runs, key=lambda r: r.get("performance", 0))
    return ordered[(len(ordered) - 1) // 2]


def run_lighthouse(url: str, out_dir: Path, run: int = 0) -> dict[str, int] | None:
    """Lighthouse, mobile preset (its default: simulated slow 4G, mid-range phone)."""
    name = re.sub(r"[^a-z0-9]+", "-", urlparse(url).path.lower()).strip("-") or "home"
    out = out_dir / f"{name}-{run + 1}"
    command = ["npx", "--no-install", "lighthouse", url, "--quiet", "--output=json", "--output=html",
               f"--output-path={out}", "--only-categories=performance,accessibility,best-practices,seo",
               "--chrome-flags=" + " ".join(CHROMIUM_FLAGS)]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, cwd=BENCH_DIR, env=env, capture_output=True, text=True, timeout=300)
    report = Path(f"{out}.report.json")
    if done.returncode != 0 or not report.is_file():
        sys.stderr.write(f"lighthouse failed for {url}:\n{done.stderr[-2000:]}\n")
        return None
    return lighthouse_scores(json.loads(report.read_text(encoding="utf-8")))


def time_checks(names: list[str], site: Path | None = None) -> tuple[float, list[str]]:
    """Run each check command as CI would; seconds and the ones that failed.

    `check` reuses the site just built (`--site`), as a full build does: one build, then checks.
    """
    start, failed = time.perf_counter(), []
    for name in names:
        extra = ["--site", str(site)] if name == "check" and site else []
        done = subprocess.run([sys.executable, "-m", "scripts", name, *extra], cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
        if done.returncode != 0:
            failed.append(name)
    return time.perf_counter() - start, failed


def _copy_repo(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*COPY_IGNORE))
    return target


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def time_incremental(source_rel: Path, url_path: str, runs: int = 3) -> tuple[list[float], float | None, str]:
    """Edit-to-reload under the README's own `mkdocs serve` command, in a copy of the repo.

    Returns (seconds per edit, seconds of the first build, the command run). The command is
    README command 1 exactly as written (its own python, its own options; only the port is
    free-chosen), without SITE_URL, OFFLINE, POCKET_GUIDES or KB_RENDER_CACHE from this
    process: serve sets `site_url` itself, so every build writes what that build writes
    (the pocket-guide PDFs included). An edit counts as reloaded when the page served
    shows it: MkDocs' server holds every request until the rebuild is complete, which is
    also when the browser's live-reload request returns.
    """
    from scripts.static_server import free_port

    times: list[float] = []
    first_build = None
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        repo = _copy_repo(Path(tmp) / "repo")
        if (ROOT / ".venv").exists():
            (repo / ".venv").symlink_to((ROOT / ".venv").resolve())
        port = free_port()
        argv = with_port(readme_serve_command(README.read_text(encoding="utf-8")), port)
        if argv[0] == VENV_PYTHON and not (repo / VENV_PYTHON).exists():
            argv[0] = sys.executable                  # no .venv (e.g. CI's own python): same interpreter
        env = {k: v for k, v in os.environ.items() if k not in SERVE_ENV_DROP}
        start = time.monotonic()
        server = subprocess.Popen(argv, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/{url_path}"
            while not _fetch(url) and time.monotonic() - start < SERVE_START_TIMEOUT:
                if server.poll() is not None:
                    raise RuntimeError(f"`{shlex.join(argv)}` exited with code {server.returncode}")
                time.sleep(0.2)
            first_build = time.monotonic() - start
            time.sleep(2.0)                           # let the watcher settle after the first build
            source = repo / source_rel
            for run in range(runs):
                text = source.read_text(encoding="utf-8")
                lines = text.splitlines()
                index = body_line_to_edit(text)
                token = f"kbbench{run}x{int(time.time())}"
                if index is None:
                    lines.append(f"\n{token}")
                else:
                    lines[index] += f" {token}"
                start = time.monotonic()
                source.write_text("\n".join(lines) + "\n", encoding="utf-8")
                while token not in _fetch(url):
                    if time.monotonic() - start > 120:
                        break
                    time.sleep(0.05)
                else:
                    times.append(time.monotonic() - start)
                time.sleep(1.0)                   # let livereload settle before the next edit
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    return times, first_build, shlex.join(argv)


def rebuild_rows(site: Path | None) -> tuple[list[Row], list[str]]:
    """Rows for the README's `mkdocs serve`: first build, and edit-to-reload of one protocol page.

    The page is the heaviest protocol page of `site`, or without a site the first protocol page.
    """
    if site is None:
        pages = sorted(p for p in (ROOT / "docs" / "protocolos").glob("*.es.md") if p.name != "index.es.md")
        url_path = f"protocolos/{pages[0].name.removesuffix('.es.md')}/" if pages else ""
    else:
        target = representative_pages(site)["protocol"] or representative_pages(site)["landing"]
        url_path = page_url(site, target) if target else ""
    source = source_of(url_path, "es")
    if source is None:
        return [], [f"No source file found for /{url_path}: rebuild timing skipped."]
    print(f"Timing the README's mkdocs serve after editing {source} …", file=sys.stderr)
    times, first_build, command = time_incremental(source, url_path)
    rows = [Row("mkdocs serve: first build, until the page is served", command,
                f"{first_build:.1f} s" if first_build is not None else "not served")]
    rows.append(median_row("Edit-to-reload under the README's mkdocs serve (everything it builds, PDFs included)",
                           source.as_posix(), times, INCREMENTAL_BUDGET, "s"))
    return rows, []


def source_of(html_rel: str, lang: str) -> Path | None:
    """docs/ source of a built page URL ('protocolos/x/' -> docs/protocolos/x.es.md)."""
    stem = html_rel.strip("/")
    if lang != "es":
        stem = stem.removeprefix(LANGUAGE_PREFIXES[lang].strip("/")).strip("/")
    for candidate in (f"{stem}.{lang}.md", f"{stem}/index.{lang}.md") if stem else (f"index.{lang}.md",):
        if (ROOT / "docs" / candidate).is_file():
            return Path("docs") / candidate
    return None


# --- CLI -----------------------------------------------------------------------------------

def add_arguments(name, parser) -> None:
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    parser.add_argument("--no-build-times", action="store_true",
                        help="skip checks and the mkdocs serve rebuild timing")
    parser.add_argument("--rebuild-only", action="store_true",
                        help="measure only the edit-to-reload time of the README's mkdocs serve command")
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="Lighthouse runs per page; the median run is shown (default: 3)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "reports",
                        help="where Lighthouse reports go (default: .bench/reports/)")


def run_bench(args) -> int:
    """CLI: build, serve, measure; print one table; exit 1 if a budget is missed."""
    from playwright.sync_api import sync_playwright

    from scripts.__main__ import COMMANDS
    from scripts.offline import build_site
    from scripts.static_server import free_port, start_server

    if args.rebuild_only:
        rows, notes = rebuild_rows(None)
        return print_results(rows, notes)
    rows: list[Row] = []
    notes: list[str] = []
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="kb-bench-site-") as tmp:
        site = Path(tmp) / "site"
        print(f"Building the site (strict, SITE_URL=http://127.0.0.1:{port}/) …", file=sys.stderr)
        start = time.perf_counter()
        build_site(site, site_url=f"http://127.0.0.1:{port}/")
        build_seconds = time.perf_counter() - start
        pdfs = len(list(site.rglob("*.pdf")))
        log: list[dict] = []
        base, server = start_server(site, port, log)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                     args=CHROMIUM_FLAGS[1:])
                try:
                    for lang, prefix in LANGUAGE_PREFIXES.items():
                        pages = representative_pages(site, prefix)
                        home = base + prefix
                        for key, (label, _) in PAGE_TYPES.items():
                            html_file = pages[key]
                            if html_file is None:
                                rows.append(Row(f"{label} ({lang})", "no page of this type yet", "–"))
                                continue
                            url = base + page_url(site, html_file)
                            first = measure_visit(browser, log, url)
                            before = home if key != "home" else base + page_url(site, pages["landing"] or html_file)
                            repeat = measure_visit(browser, log, url, before=before)
                            subject = "/" + page_url(site, html_file)
                            rows.append(Row(f"{label} ({lang}), first visit", subject,
                                            f"{kb(first['sent'])} gzip ({kb(first['raw'])} raw, {first['requests']} requests)",
                                            f"≤ {kb(FIRST_VISIT_BUDGET)}", verdict(first["sent"], FIRST_VISIT_BUDGET)))
                            rows.append(Row(f"{label} ({lang}), repeat visit", f"{subject} after {urlparse(before).path}",
                                            f"{kb(repeat['sent'])} gzip", f"≤ {kb(REPEAT_VISIT_BUDGET)}",
                                            verdict(repeat["sent"], REPEAT_VISIT_BUDGET)))
                            if first["search_sent"]:
                                notes.append(f"{subject}: search files fetched on load ({kb(first['search_sent'])})")
                            if first["errors"]:
                                notes.append(f"{subject}: HTTP errors: {', '.join(first['errors'])}")
                            if first["other_hosts"]:
                                notes.append(f"{subject}: requests to other hosts: {', '.join(first['other_hosts'])}")
                    for lang, index in search_indexes(site).items():
                        data = index.read_bytes()
                        rows.append(Row(f"Search index ({lang})", "/" + index.relative_to(site).as_posix(),
                                        f"{kb(gzip_size(data))} gzip ({kb(len(data))} raw)",
                                        f"≤ {kb(SEARCH_INDEX_BUDGET)} gzip", verdict(gzip_size(data), SEARCH_INDEX_BUDGET)))
                        times = measure_search(browser, base + LANGUAGE_PREFIXES[lang], SEARCH_QUERIES[lang])
                        rows.append(median_row(f"Search: first results after typing ({lang})",
                                               ", ".join(SEARCH_QUERIES[lang]), times, SEARCH_MS_BUDGET, "ms"))
                finally:
                    browser.close()
            if args.no_lighthouse:
                notes.append("Lighthouse skipped (--no-lighthouse).")
            elif not lighthouse_installed():
                notes.append(f"Lighthouse not installed: run `{INSTALL_HINT}` (Node 20+), then re-run.")
            else:
                args.out.mkdir(parents=True, exist_ok=True)
                for lang, prefix in LANGUAGE_PREFIXES.items():
                    pages = representative_pages(site, prefix)
                    for key in LIGHTHOUSE_TYPES:
                        html_file = pages[key] or (pages["landing"] if key == "protocol" else None)
                        if html_file is None:
                            folder = PAGE_TYPES[key][1]
                            html_file = site / prefix / folder / "index.html" if folder else None
                        if html_file is None or not html_file.is_file():
                            rows.append(Row(f"Lighthouse, {PAGE_TYPES[key][0]} ({lang})", "no page yet", "–"))
                            continue
                        print(f"Lighthouse {page_url(site, html_file)} …", file=sys.stderr)
                        runs = [run_lighthouse(base + page_url(site, html_file), args.out, n)
                                for n in range(args.lighthouse_runs)]
                        scores = median_run([r for r in runs if r is not None])
                        label = f"Lighthouse perf / a11y / best pr. / SEO, {PAGE_TYPES[key][0]} ({lang})"
                        subject = "/" + page_url(site, html_file)
                        if args.lighthouse_runs > 1 and scores is not None:
                            subject += " (median of " + ", ".join(str(r["performance"]) for r in runs if r) + ")"
                        rows.append(lighthouse_row(label, subject, scores) if scores is not None
                                    else Row(label, subject, "run failed (see stderr)", "", "FAIL"))
                notes.append(f"Lighthouse reports: {args.out}")
        finally:
            server.shutdown()
            server.server_close()

        guides = f", {pdfs} pocket-guide PDFs" if pdfs else ", no pocket guides in this build"
        rows.append(Row("Strict build (both languages" + guides + ")", "scripts.offline.build_site",
                        f"{build_seconds:.1f} s"))
        if not args.no_build_times:
            names = check_commands(COMMANDS)
            print(f"Timing checks: {', '.join(names)} …", file=sys.stderr)
            check_seconds, failed = time_checks(names, site)
            rows.append(Row("Checks", "python -m scripts " + " / ".join(names), f"{check_seconds:.1f} s"
                            + (f" (failed: {', '.join(failed)})" if failed else "")))
            total = build_seconds + check_seconds
            rows.append(Row("Full build: strict build + pocket guides + checks", "sum of the two rows above",
                            f"{total:.1f} s", f"≤ {FULL_BUILD_BUDGET:g} s", verdict(total, FULL_BUILD_BUDGET)))
            more_rows, more_notes = rebuild_rows(site)
            rows += more_rows
            notes += more_notes
    return print_results(rows, notes)


def print_results(rows: list[Row], notes: list[str]) -> int:
    """The header (date, machine, load), the table and the notes; 1 if a budget is missed."""
    load = os.getloadavg()[0]
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M')} on 127.0.0.1 ({os.cpu_count()} cores, load average "
          f"{load:.1f} at the end; gzip level {GZIP_LEVEL}; {CHROMIUM}). KB = 1024 bytes; transferred "
          f"bytes include HTTP headers.\n")
    if load > (os.cpu_count() or 1):
        notes.append(f"The machine was busy (load {load:.1f} on {os.cpu_count()} cores): timings and "
                     "Lighthouse performance are pessimistic; re-run on an idle machine.")
    print(render_table(rows))
    for note in notes:
        print(f"\n- {note}")
    return 1 if any(row.result == "FAIL" for row in rows) else 0
