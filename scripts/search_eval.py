"""Search quality measured with Material's own search worker in headless Chromium (issue 16).

The evaluation set (docs/_data/busqueda/evaluacion.yml) lists queries as staff type them,
with the page each must find. `run_queries` drives the real search box of one open page
for many queries (no reload per query) and reads the result list; `score` gives recall@1,
recall@3 and MRR. `python -m scripts bench-search` builds the site (http and file://),
prints those figures per language, the time from the last key to the first results, and
each language's index size. CI (tests/test_search_eval.py) fails below MIN_RECALL_AT_3.
"""

from __future__ import annotations

import gzip
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

from scripts import DATA_DIR, LANGUAGES
from scripts.problems import Problem, relpath, unknown_fields
from scripts.yamlutil import line_of, load_yaml_file

EVAL_FILE = DATA_DIR / "busqueda" / "evaluacion.yml"
MIN_RECALL_AT_3 = 0.95
LATENCY_TARGET_MS = 100
INDEX_BUDGET_GZIP = 150_000
LANGUAGE_PREFIXES = {"es": "", "en": "en/"}
MIN_QUERIES = 80
TYPED_QUERIES = 20                   # queries typed key by key for the latency figure
QUERY_KEYS = {"q", "pagina"}

# Runs inside the page: for each query, empty the box, wait for the placeholder, set the
# query, fire one keyup (Material listens to keyup) and wait for the result list to change.
RUN_QUERIES_JS = """
async (queries) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const placeholder = config.translations["search.result.placeholder"].trim();
  const input = document.querySelector("input.md-search__input");
  const meta = document.querySelector(".md-search-result__meta");
  const list = document.querySelector(".md-search-result__list");
  const watched = meta.parentElement;
  const until = (test, timeout) => new Promise((resolve, reject) => {
    if (test()) return resolve(performance.now());
    const observer = new MutationObserver(() => {
      if (test()) { observer.disconnect(); clearTimeout(timer); resolve(performance.now()); }
    });
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no results in time")); }, timeout);
    observer.observe(watched, {childList: true, subtree: true, characterData: true});
  });
  const key = () => input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "a"}));
  await until(() => meta.textContent.trim() === placeholder, 20000);
  if (queries.length) {                  /* warm the worker up, as the first keys of a word do */
    input.value = queries[0]; key();
    await until(() => meta.textContent.trim() !== placeholder, 5000);
  }
  const results = [];
  for (const query of queries) {
    input.value = ""; key();
    await until(() => meta.textContent.trim() === placeholder && !list.children.length, 5000);
    input.value = query;
    const start = performance.now();
    key();
    const end = await until(() => meta.textContent.trim() !== placeholder, 5000);
    const links = [...list.querySelectorAll(":scope > li > a:first-child")].map(a => a.href);
    const labels = [...list.querySelectorAll(":scope > li > a:first-child .md-tag")].map(t => t.textContent);
    results.push({query, ms: end - start, links, labels});
  }
  return results;
}
"""


# Runs inside the page: type each query one character at a time (a keyup every `gap` ms, as
# on a phone) and time from the last key to the last change of the result list (which is
# the full query's result: the worker answers in order).
TYPE_QUERIES_JS = """
async ([queries, gap]) => {
  const input = document.querySelector("input.md-search__input");
  const watched = document.querySelector(".md-search-result");
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const key = () => input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "a"}));
  const times = [];
  for (const query of queries) {
    input.value = ""; key(); await sleep(300);
    let last = 0;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(watched, {childList: true, subtree: true, characterData: true});
    let lastKey = 0;
    for (let i = 1; i <= query.length; i++) {
      input.value = query.slice(0, i); lastKey = performance.now(); key();
      if (i < query.length) await sleep(gap);
    }
    await sleep(600);
    observer.disconnect();
    times.push({query, ms: Math.max(0, last - lastKey)});
  }
  return times;
}
"""


@dataclass(frozen=True)
class Query:
    """One evaluation query and the pages that count as right (URL paths, language-less)."""

    lang: str
    text: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What the search returned for one query."""

    query: Query
    results: tuple[str, ...]        # page paths, best first
    ms: float
    labels: tuple[str, ...] = ()

    @property
    def rank(self) -> int | None:
        """1-based position of the first right page, None when it is not in the list."""
        for position, page in enumerate(self.results, 1):
            if any(page == want or (want.endswith("/*") and page.startswith(want[:-1])) for want in self.query.pages):
                return position
        return None


# --- The evaluation set ------------------------------------------------------

def load_eval_set(path: Path = EVAL_FILE) -> tuple[list[Query], list[Problem]]:
    """Read and validate the evaluation set: every problem at once."""
    shown = relpath(path)
    if not Path(path).is_file():
        return [], [Problem(shown, None, "", "evaluation set not found", "restore docs/_data/busqueda/evaluacion.yml")]
    try:
        data = load_yaml_file(path)
    except yaml.YAMLError as error:
        return [], [Problem(shown, None, "", f"not valid YAML: {error}", "fix the syntax")]
    if not isinstance(data, dict):
        return [], [Problem(shown, 1, "", "must map each language (es, en) to a list of queries",
                            "write es: [{q: violacion, pagina: protocolos/violencia-sexual-72-horas/}]")]
    problems = unknown_fields(shown, data, set(LANGUAGES))
    queries: list[Query] = []
    for lang in LANGUAGES:
        items = data.get(lang)
        if not isinstance(items, list) or not items:
            problems.append(Problem(shown, line_of(data, lang), lang, "needs a list of queries", "add {q: ..., pagina: ...}"))
            continue
        seen: set[str] = set()
        for number, item in enumerate(items, 1):
            where = f"{lang}[{number}]"
            if not isinstance(item, dict):
                problems.append(Problem(shown, None, where, "must be {q: query, pagina: page/}", "see the other lines"))
                continue
            problems += unknown_fields(shown, item, QUERY_KEYS, where)
            text, pages = item.get("q"), item.get("pagina")
            pages = [pages] if isinstance(pages, str) else pages
            if not isinstance(text, (str, int)) or not str(text).strip():
                problems.append(Problem(shown, line_of(item, "q"), f"{where}.q", "the query is empty", "write what staff type"))
                continue
            if not isinstance(pages, list) or not pages or not all(isinstance(p, str) for p in pages):
                problems.append(Problem(shown, line_of(item, "q"), f"{where}.pagina", "needs the expected page",
                                        "write pagina: protocolos/primer-contacto/ (or a list)"))
                continue
            bad = [p for p in pages if p.startswith(("/", "en/")) or (p and not p.endswith(("/", "/*")))]
            if bad:
                problems.append(Problem(shown, line_of(item, "pagina"), f"{where}.pagina",
                                        f"{bad[0]!r} is not a page path like protocolos/primer-contacto/",
                                        "no leading slash, no language prefix, end with / (or /* for any page below)"))
                continue
            if str(text).strip().lower() in seen:
                problems.append(Problem(shown, line_of(item, "q"), f"{where}.q", f"query {text!r} is listed twice",
                                        "keep one line per query"))
            seen.add(str(text).strip().lower())
            queries.append(Query(lang, str(text).strip(), tuple(pages)))
        if len(seen) and len(items) < MIN_QUERIES // 2:
            problems.append(Problem(shown, line_of(data, lang), lang, f"only {len(items)} queries",
                                    f"keep at least {MIN_QUERIES // 2} per language"))
    return queries, problems


def missing_pages(queries: list[Query], site_dir: Path) -> list[Problem]:
    """Expected pages that the built site does not have (a page moved: update the set)."""
    problems = []
    for query in queries:
        for page in query.pages:
            folder = Path(site_dir) / LANGUAGE_PREFIXES[query.lang] / page.removesuffix("*")
            if not (folder / "index.html").is_file():
                problems.append(Problem(relpath(EVAL_FILE), None, f"{query.lang}: {query.text}",
                                        f"expected page {page} is not in the built site", "update pagina"))
    return problems


# --- Measuring ----------------------------------------------------------------

def page_path(href: str, root: str) -> str:
    """A result link as a language-less page path: '.../en/protocolos/x.html#a' -> 'protocolos/x/'."""
    path = unquote(urlparse(href).path)
    root_path = unquote(urlparse(root).path)
    if path.startswith(root_path):
        path = path[len(root_path):]
    path = path.lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")] + "/"
    return path


def run_queries(page, url: str, queries: list[Query], root: str | None = None) -> list[Outcome]:
    """Open `url` in a Playwright page, run every query through Material's search, read results."""
    root = root or url.rsplit("/", 1)[0] + "/"
    page.goto(url)
    page.locator("input.md-search__input").click()
    raw = page.evaluate(RUN_QUERIES_JS, [q.text for q in queries])
    return [Outcome(q, tuple(page_path(link, root) for link in r["links"]), r["ms"], tuple(r["labels"]))
            for q, r in zip(queries, raw)]


def typing_times(page, url: str, texts: list[str], gap_ms: int = 120) -> list[float]:
    """Milliseconds from the last key to the final results, typing each text key by key."""
    page.goto(url)
    page.locator("input.md-search__input").click()
    page.evaluate(RUN_QUERIES_JS, texts[:1])            # wait until the index is ready
    return [r["ms"] for r in page.evaluate(TYPE_QUERIES_JS, [texts, gap_ms])]


def score(outcomes: list[Outcome]) -> dict[str, float]:
    """recall@1, recall@3, MRR (reciprocal rank, 0 when not found) and latency of a run."""
    if not outcomes:
        return {"n": 0, "recall@1": 0.0, "recall@3": 0.0, "mrr": 0.0, "median_ms": 0.0, "max_ms": 0.0}
    ranks = [o.rank for o in outcomes]
    times = [o.ms for o in outcomes]
    return {"n": len(outcomes),
            "recall@1": sum(1 for r in ranks if r == 1) / len(ranks),
            "recall@3": sum(1 for r in ranks if r is not None and r <= 3) / len(ranks),
            "mrr": sum(1 / r for r in ranks if r) / len(ranks),
            "median_ms": statistics.median(times),
            "p95_ms": sorted(times)[max(0, int(len(times) * 0.95) - 1)],
            "max_ms": max(times)}


def misses(outcomes: list[Outcome], worst: int = 3) -> list[Outcome]:
    """Queries whose right page is not within the first `worst` results."""
    return [o for o in outcomes if o.rank is None or o.rank > worst]


def index_sizes(site_dir: Path) -> dict[str, tuple[int, int]]:
    """Per language: (bytes, gzip -9 bytes) of its search index."""
    sizes = {}
    for lang, prefix in LANGUAGE_PREFIXES.items():
        path = Path(site_dir) / prefix / "search" / "search_index.json"
        if path.is_file():
            data = path.read_bytes()
            sizes[lang] = (len(data), len(gzip.compress(data, 9)))
    return sizes


def evaluate_site(browser, site_dir: Path, queries: list[Query], base_url: str | None = None) -> dict[str, list[Outcome]]:
    """Run the set on each language's home page, over http (base_url) or file:// (no base_url)."""
    outcomes = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        for lang, prefix in LANGUAGE_PREFIXES.items():
            mine = [q for q in queries if q.lang == lang]
            if not mine:
                continue
            if base_url:
                url = root = base_url + prefix
            else:
                root = (Path(site_dir) / prefix).resolve().as_uri().rstrip("/") + "/"
                url = root + "index.html"
            outcomes[lang] = run_queries(page, url, mine, root)
    finally:
        context.close()
    return outcomes


# --- Command line ---------------------------------------------------------------

def _table(rows: list[tuple]) -> str:
    header = ("language", "over", "queries", "recall@1", "recall@3", "MRR", "median ms", "p95 ms", "max ms", "recall@3 ≥ 95 %")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for lang, over, s in rows:
        lines.append(f"| {lang} | {over} | {s['n']} | {s['recall@1']:.1%} | {s['recall@3']:.1%} | {s['mrr']:.3f} | "
                     f"{s['median_ms']:.0f} | {s['p95_ms']:.0f} | {s['max_ms']:.0f} | "
                     f"{'PASS' if s['recall@3'] >= MIN_RECALL_AT_3 else 'FAIL'} |")
    return "\n".join(lines)


def add_arguments(name: str, parser) -> None:
    """Options of bench-search."""
    parser.add_argument("--site", type=Path, help="use this built site (http) instead of building one")
    parser.add_argument("--offline-site", type=Path, help="use this offline build (file://) instead of building one")
    parser.add_argument("--no-offline", action="store_true", help="skip the file:// run")
    parser.add_argument("--misses", action="store_true", help="list every query whose page is not in the top 3")


def _typing_rows(site: Path, queries: list[Query], chromium: str, args_chromium: list[str]) -> dict[str, list[float]]:
    """Typing times per language over http, on the first TYPED_QUERIES queries of each."""
    from playwright.sync_api import sync_playwright

    from scripts.static_server import start_server

    result = {}
    base_url, server = start_server(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args_chromium)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for lang, prefix in LANGUAGE_PREFIXES.items():
                texts = [q.text for q in queries if q.lang == lang][:TYPED_QUERIES]
                result[lang] = typing_times(page, base_url + prefix, texts)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return result


def run_bench_search(args) -> int:
    """Build, serve and measure search: recall@1/@3, MRR, time to results, index size."""
    import os

    from playwright.sync_api import sync_playwright

    from scripts.offline import build_site
    from scripts.static_server import start_server

    queries, problems = load_eval_set()
    for problem in problems:
        print(problem.format())
    if problems:
        return 1
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings need an idle machine)")
    args_chromium = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
    failed = False
    with tempfile.TemporaryDirectory(prefix="kb-bench-search-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            print("building the site…", flush=True)
            build_site(site)
        offline = None if args.no_offline else args.offline_site
        if not args.no_offline and offline is None:
            offline = Path(tmp) / "offline"
            print("building the offline copy…", flush=True)
            build_site(offline, offline=True)
        for problem in missing_pages(queries, site):
            print(problem.format())
            failed = True
        rows, all_outcomes = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args_chromium)
            base_url, server = start_server(site)
            try:
                for lang, outcomes in evaluate_site(browser, site, queries, base_url).items():
                    rows.append((lang, "http", score(outcomes)))
                    all_outcomes += [("http", o) for o in outcomes]
            finally:
                server.shutdown()
                server.server_close()
            if offline is not None:
                for lang, outcomes in evaluate_site(browser, offline, queries).items():
                    rows.append((lang, "file://", score(outcomes)))
                    all_outcomes += [("file://", o) for o in outcomes]
            browser.close()
        print()
        print(_table(rows))
        print()
        print("| language | index bytes | gzip -9 | budget 150 KB |")
        print("|---|---|---|---|")
        for lang, (raw, packed) in index_sizes(site).items():
            print(f"| {lang} | {raw:,} | {packed:,} | {'PASS' if packed <= INDEX_BUDGET_GZIP else 'FAIL'} |")
            failed |= packed > INDEX_BUDGET_GZIP
        slow = [s for _, _, s in rows if s["p95_ms"] > LATENCY_TARGET_MS]
        print(f"\nTime from the query to its results, whole query at once (table above; target < "
              f"{LATENCY_TARGET_MS} ms at p95): {'PASS' if not slow else 'FAIL'}")
        typed = _typing_rows(site, queries, chromium, args_chromium)
        print(f"Typed key by key (a key every 120 ms), last key to final results, {TYPED_QUERIES} queries per language:")
        for lang, times in typed.items():
            p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
            print(f"  {lang}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {max(times):.0f} ms "
                  f"({'PASS' if p95 < LATENCY_TARGET_MS else 'FAIL'})")
            if p95 >= LATENCY_TARGET_MS:
                slow.append({"p95_ms": p95})
        failed |= any(s["recall@3"] < MIN_RECALL_AT_3 for _, _, s in rows) or bool(slow)
        wrong = [(over, o) for over, o in all_outcomes if o.rank is None or o.rank > (1 if args.misses else 3)]
        if wrong:
            print("\nQueries whose page is not first:" if args.misses else "\nQueries whose page is not in the top 3:")
            for over, o in wrong:
                print(f"  [{o.query.lang} {over}] {o.query.text!r} rank {o.rank or '-'}; "
                      f"expected {' or '.join(o.query.pages)}; got {', '.join(o.results[:3]) or 'nothing'}")
    return 1 if failed else 0


def check_search_data(site_dir: Path | None = None) -> list[Problem]:
    """The search words and the evaluation set are valid; every expected page exists in the build."""
    from scripts.search_rank import load_search_words

    _, problems = load_search_words()
    queries, found = load_eval_set()
    problems += found
    if site_dir is not None:
        problems += missing_pages(queries, Path(site_dir))
    return problems
