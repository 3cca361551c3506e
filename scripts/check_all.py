"""`python -m scripts check`: every check of the project in one command, with a summary table.

CHECKS is a registry anyone can append to: (name, "module:function"); several candidates
may be given as "module:f1 | module:f2" (the first that exists runs). The function is
called with the arguments it names among CONTEXT_NAMES (docs_dir, today, pages, site_dir,
offline_site_dir…; the two builds are made only when a check asks for them) and returns
list[Problem]. A module or function that does not exist yet is skipped with a note.

The two builds are checks of their own ("strict build", "offline build"): every warning or
error MkDocs logs during a build (a broken page link or anchor, a hook that refuses bad
data) becomes a Problem naming the page, the line and the link, instead of the bare
"Aborted with 1 warnings in strict mode!". A check that needs a build that failed is
skipped with a note. Progress goes to stderr, one line per check, as it runs.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import logging
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from scripts import DOCS_DIR
from scripts.problems import Problem, ProblemsError, relpath

CHECKS: list[tuple[str, str]] = [
    ("front matter and structure", "scripts.checks:check_pages"),
    ("translations", "scripts.check_all:check_translations"),
    ("contacts", "scripts.directory.validate:validate_contacts"),
    ("MIMP import up to date", "scripts.directory.importer:check_generated"),   # issue 14 (directory)
    ("glossary", "scripts.glossary:check_acronyms | scripts.glossary:check_glossary"),
    ("flows", "scripts.flows:check_flows"),
    ("indicators", "scripts.indicators:check_indicators"),
    ("reading lists", "scripts.formacion:check_readings"),                      # issue 18
    ("strict build", "scripts.check_all:check_strict_build"),
    ("links (site)", "scripts.check_all:check_site_links"),
    ("offline build", "scripts.check_all:check_offline_build"),
    ("links (offline copy)", "scripts.check_all:check_offline_links"),
    ("resources (site)", "scripts.site_resources:check_site_resources"),                # issue 17
    ("resources (offline copy)", "scripts.site_resources:check_offline_resources"),     # issue 17
    ("content (duty to report, citations)", "scripts.content:check_site"),               # issue 15
    ("search words and evaluation set", "scripts.search_eval:check_search_data"),       # issue 16
]
CONTEXT_NAMES = ("docs_dir", "today", "pages", "data_dir", "contacts_dir", "site_build", "site_dir",
                 "offline_build", "offline_site_dir", "context")
SITE_URL = "https://example.org/kb/"     # any absolute URL: canonical/hreflang links get checked too
OK, FAILED, SKIPPED, ERROR = "ok", "failed", "skipped", "error"
TICK_SECONDS = 5.0                       # a long check prints a dot this often, so it is never silent
BUILD = "mkdocs build"                   # `path` of a build problem that names no file
MAX_IDS_IN_HINT = 12
# MkDocs' own link warnings (mkdocs/structure/pages.py, 1.6): page, link, and what is wrong
DOC_LINK_RE = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?P<kind>a link|an absolute link|"
                         r"an unrecognized relative link|a link to) '(?P<link>[^']*)'(?P<rest>.*)$", re.S)
SUGGEST_RE = re.compile(r" Did you mean '(?P<url>[^']*)'\?")
PROBLEM_LINE_RE = re.compile(r"^\s*(?P<path>[\w./-]+\.(?:md|ya?ml|json|html|css|js))(?::(?P<line>\d+))?: "
                             r"(?P<rest>.+)$")
HEADING_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}")


class Skip(Exception):
    """Raised by a check (or a context value) that cannot run: the check is listed as skipped."""


@dataclass
class BuildOutcome:
    """A build made for the checks: where it is and what MkDocs complained about."""

    site: Path
    problems: list[Problem] = field(default_factory=list)
    given: bool = False                  # made outside `check` (--site): not rebuilt, not judged


@dataclass
class CheckResult:
    """One row of the summary."""

    name: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    note: str = ""


class Context:
    """Values a check may ask for by parameter name; builds happen on first request."""

    def __init__(self, docs_dir: Path, today: dt.date, work_dir: Path,
                 builder: Callable[..., None] | None = None):
        self.docs_dir = Path(docs_dir)
        self.today = today
        self.work_dir = Path(work_dir)
        self._builder = builder
        self._values: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self._values:
            self._values[name] = getattr(self, f"_make_{name}")()
        return self._values[name]

    def _make_context(self):
        return self

    def _make_docs_dir(self):
        return self.docs_dir

    def _make_today(self):
        return self.today

    def _make_data_dir(self):
        return self.docs_dir / "_data"

    def _make_contacts_dir(self):
        return self.docs_dir / "_data" / "contactos"

    def _make_pages(self):
        from scripts.pages import load_pages

        return load_pages(self.docs_dir)

    def _build(self, folder: str, **options) -> BuildOutcome:
        if self._builder is None:
            from scripts.offline import build_site as builder
        else:
            builder = self._builder
        site = self.work_dir / folder
        if self.docs_dir.resolve() != DOCS_DIR.resolve():
            options["docs_dir"] = self.docs_dir       # `check --docs-dir`: build those pages
        problems = capture_build(lambda: builder(site, **options), self.docs_dir)
        return BuildOutcome(site, problems)

    def _make_site_build(self):
        return self._build("site", site_url=SITE_URL)

    def _make_offline_build(self):
        return self._build("offline", offline=True)

    def _built(self, name: str, check: str) -> Path:
        outcome = self.get(name)
        if outcome.problems:
            raise Skip(f"needs the {check}, which failed")
        return outcome.site

    def _make_site_dir(self):
        return self._built("site_build", "strict build")

    def _make_offline_site_dir(self):
        return self._built("offline_build", "offline build")


# --- Builds: MkDocs' log records -> Problems ------------------------------------------------

class _Records(logging.Handler):
    """Keeps every WARNING and ERROR record: exactly what makes a strict build abort."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def capture_build(build: Callable[[], Any], docs_dir: Path) -> list[Problem]:
    """Run `build`; return a Problem for every warning or error MkDocs logged, and for a crash."""
    handler = _Records()
    logger = logging.getLogger("mkdocs")      # where strict mode counts warnings
    logger.addHandler(handler)
    crash: list[Problem] = []
    try:
        build()
    except ProblemsError as error:
        crash = list(error.problems)
    except Exception as error:                 # Abort after the warnings, or a hook's own error
        if not handler.records:
            text = str(error).strip() or type(error).__name__
            crash = [Problem(BUILD, None, "error", f"{type(error).__name__}: {text}",
                             "run `.venv/bin/python -m mkdocs build --strict` to see the whole message")]
    finally:
        logger.removeHandler(handler)
    problems = [p for record in handler.records for p in record_problems(record, Path(docs_dir))]
    return list(dict.fromkeys(problems + crash))


def record_problems(record: logging.LogRecord, docs_dir: Path) -> list[Problem]:
    """One MkDocs log record as Problems: a link warning names page, line and link."""
    message = record.getMessage().strip()
    match = DOC_LINK_RE.match(message)
    if match:
        return [link_problem(match, docs_dir)]
    lines = [line for line in message.splitlines() if line.strip()]
    parsed = [PROBLEM_LINE_RE.match(line) for line in lines[1:]]
    if len(lines) > 1 and any(parsed):         # a hook's "Heading:\n path:line: field: message" list
        return [Problem(m["path"], int(m["line"]) if m["line"] else None, "", m["rest"]) if m
                else Problem(BUILD, None, record.levelname.lower(), line.strip())
                for m, line in zip(parsed, lines[1:])]
    single = PROBLEM_LINE_RE.match(message)
    if single and len(lines) == 1:
        return [Problem(single["path"], int(single["line"]) if single["line"] else None, "", single["rest"])]
    return [Problem(BUILD, None, record.levelname.lower(), " ".join(lines),
                    "run `.venv/bin/python -m mkdocs build --strict` for the full log")]


def link_problem(match: re.Match, docs_dir: Path) -> Problem:
    """A broken page link or anchor: the page, the line where the link is written, what to do."""
    page, link, kind, rest = match["page"], match["link"], match["kind"], match["rest"]
    source = docs_dir / page
    shown = relpath(source)
    line = link_line(source, link)
    suggestion = SUGGEST_RE.search(rest)
    rest = SUGGEST_RE.sub("", rest)
    did_you_mean = f"did you mean '{suggestion['url']}'? " if suggestion else ""
    if kind == "an absolute link":
        message, hint = f"'{link}' is an absolute link", "write it relative to this page, e.g. ../protocolos/primer-contacto.md"
    elif kind == "an unrecognized relative link":
        message, hint = (f"'{link}' does not name a page or file",
                         "link to the page's .md file without the language suffix, e.g. ../protocolos/primer-contacto.md")
    elif kind == "a link to":
        message, hint = f"'{link}' is excluded from the built site", "link to a published page"
    elif "is not found among documentation files" in rest:
        target = re.search(r"the target '([^']+)'", rest)
        message = f"'{link}': no such page or file" + (f" (looked for {relpath(docs_dir / target[1])})" if target else "")
        hint = "fix the path: relative to this page, .md without the language suffix"
    elif "there is no such anchor on this page" in rest:
        anchor = link.partition("#")[2]
        message = f"'{link}': this page has no heading or element with id '{anchor}'"
        hint = anchor_hint(source, "this page")
    elif (other := re.search(r"the doc '([^']+)' does not contain an anchor '#([^']*)'", rest)):
        message = f"'{link}': {relpath(docs_dir / other[1])} has no heading or element with id '{other[2]}'"
        hint = anchor_hint(docs_dir / other[1], "that page")
    else:
        message, hint = f"'{link}':{rest.rstrip('.')}", "fix the link"
    if line is None:
        hint += ("; the link is not in this page's Markdown: look in the snippets it includes "
                 "(docs/_includes/), the data a marker renders, or the templates")
    return Problem(shown, line, "link", message, did_you_mean + hint)


def link_line(source: Path, link: str) -> int | None:
    """First line of `source` where `link` is written as a link target (1-based)."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for pattern in (f"]({link}", f"({link})", f'"{link}"', f"]: {link}", link):
        for number, text in enumerate(lines, 1):
            if pattern in text:
                return number
    return None


def anchor_hint(target: Path, which: str) -> str:
    """What to link to instead: the explicit { #ids } of the target page."""
    try:
        ids = list(dict.fromkeys(HEADING_ID_RE.findall(target.read_text(encoding="utf-8"))))
    except OSError:
        ids = []
    if not ids:
        return f"{which} has no `{{ #id }}` heading: add the id to the heading, or fix the link"
    shown = ", ".join(ids[:MAX_IDS_IN_HINT]) + (", …" if len(ids) > MAX_IDS_IN_HINT else "")
    return f"use an id of {which} ({shown}), or add the id to its heading"


def check_strict_build(site_build: BuildOutcome) -> list[Problem]:
    """The strict build (normal site, with SITE_URL): every warning MkDocs logged."""
    if site_build.given:
        raise Skip("--site given: not rebuilt")
    return site_build.problems


def check_offline_build(context: Context) -> list[Problem]:
    """The strict offline (file://) build: every warning MkDocs logged.

    Not made when the strict build already failed: it would list the same problems again.
    """
    strict = context._values.get("site_build")
    if strict is not None and strict.problems:
        raise Skip("the strict build failed: fix it first")
    offline_build = context.get("offline_build")
    if offline_build.given:
        raise Skip("--offline-site given: not rebuilt")
    return offline_build.problems


def check_translations(pages) -> list[Problem]:
    """Translation parity of the loaded pages."""
    from scripts.translations import check_translations as check

    return check(pages)


def check_site_links(site_dir: Path) -> list[Problem]:
    """Links of a fresh strict build."""
    from scripts.links import check_links

    return check_links(site_dir)


def check_offline_links(offline_site_dir: Path) -> list[Problem]:
    """Links of a fresh offline (file://) build."""
    from scripts.links import check_links

    return check_links(offline_site_dir)


def resolve(target: str) -> tuple[Callable | None, str]:
    """The first existing function among "module:f1 | module:f2", or (None, why)."""
    whys = []
    for candidate in target.split("|"):
        function, why = _resolve_one(candidate.strip())
        if function is not None:
            return function, ""
        whys.append(why)
    return None, "; ".join(whys)


def _resolve_one(target: str) -> tuple[Callable | None, str]:
    module_name, _, function_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None, f"{module_name} not available yet"
        raise
    function = getattr(module, function_name, None)
    if function is None:
        return None, f"{module_name}.{function_name} not available yet"
    return function, ""


def run_check(name: str, target: str, context: Context) -> CheckResult:
    """Call one check with the context values it names; never raises."""
    try:
        function, why = resolve(target)
        if function is None:
            return CheckResult(name, SKIPPED, note=why)
        kwargs = {}
        for parameter in inspect.signature(function).parameters.values():
            if parameter.name in CONTEXT_NAMES:
                kwargs[parameter.name] = context.get(parameter.name)
            elif parameter.default is inspect.Parameter.empty and parameter.kind not in (
                    parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                return CheckResult(name, SKIPPED, note=f"cannot call {target}: needs '{parameter.name}'")
        result = function(**kwargs)
    except Skip as why:
        return CheckResult(name, SKIPPED, note=str(why))
    except Exception as error:  # a crashing check (or a failed strict build) is a result too
        text = str(error).strip().splitlines()
        return CheckResult(name, ERROR, note=f"{type(error).__name__}: {text[0] if text else ''}"[:200])
    problems = list(result[-1] if isinstance(result, tuple) else result or [])
    return CheckResult(name, FAILED if problems else OK, problems)


def run_checks(context: Context, checks: list[tuple[str, str]] | None = None, progress: TextIO | None = None,
               clock: Callable[[], float] = time.monotonic, tick: float | None = TICK_SECONDS) -> list[CheckResult]:
    """Every registered check, in order; with `progress`, one line per check as it runs."""
    checks = checks or CHECKS
    results = []
    for number, (name, target) in enumerate(checks, 1):
        if progress is None:
            results.append(run_check(name, target, context))
            continue
        progress.write(f"[{number}/{len(checks)}] {name} …")
        progress.flush()
        start = clock()
        with _Ticker(progress, tick):
            result = run_check(name, target, context)
        results.append(result)
        progress.write(f" {progress_summary(result)} ({clock() - start:.1f} s)\n")
        progress.flush()
    return results


def progress_summary(result: CheckResult) -> str:
    """'ok', 'failed: 2 problems', 'skipped: why'."""
    if result.status == FAILED:
        return f"failed: {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}"
    return f"{result.status}: {result.note}" if result.note else result.status


class _Ticker:
    """Prints a dot every `tick` seconds while a long check (a build) runs."""

    def __init__(self, stream: TextIO, tick: float | None):
        self.stream, self.tick = stream, tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        if self.tick:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.tick):
            self.stream.write(".")
            self.stream.flush()

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def exit_code(results: list[CheckResult]) -> int:
    """1 when any check found problems or crashed; skipped checks do not fail."""
    return 1 if any(r.status in (FAILED, ERROR) for r in results) else 0


def format_table(results: list[CheckResult]) -> str:
    """Summary table, then every problem grouped by check."""
    width = max(len("check"), *(len(r.name) for r in results))
    rows = [f"{'check':<{width}}  {'result':<7}  problems", f"{'-' * width}  -------  --------"]
    for r in results:
        count = "-" if r.status in (SKIPPED, ERROR) else str(len(r.problems))
        note = f"  ({r.note})" if r.note else ""
        rows.append(f"{r.name:<{width}}  {r.status:<7}  {count:>8}{note}")
    for r in results:
        if r.problems:
            rows += ["", f"{r.name}:"] + [f"  {p.format()}" for p in r.problems]
    failed = sum(r.status in (FAILED, ERROR) for r in results)
    rows += ["", f"{failed} check(s) failed." if failed else "All checks passed."]
    return "\n".join(rows)


def format_json(results: list[CheckResult]) -> str:
    """The same, for machines."""
    return json.dumps({
        "ok": exit_code(results) == 0,
        "checks": [{"name": r.name, "status": r.status, "note": r.note,
                    "problems": [vars(p) for p in r.problems]} for r in results],
    }, ensure_ascii=False, indent=1)


def add_arguments(name, parser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--site", type=Path, default=None,
                        help="check the links of this already built site (a strict build) instead of building "
                             "one; the offline copy is still built")
    parser.add_argument("--offline-site", type=Path, default=None,
                        help="check the links of this already built offline copy (OFFLINE=true) instead of building one")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def run_check_all(args) -> int:
    """CLI: run everything (progress on stderr), print the table (or JSON), exit 1 on any problem."""
    with tempfile.TemporaryDirectory(prefix="kb-check-") as work:
        context = Context(args.docs_dir or DOCS_DIR, args.today, Path(work))
        for option, name, how in (("site", "site_build", "mkdocs build --strict -d {}"),
                                  ("offline_site", "offline_build", "OFFLINE=true mkdocs build --strict -d {}")):
            folder = getattr(args, option, None)
            if folder is None:
                continue
            if not (Path(folder) / "index.html").is_file():
                print(f"{folder}: no index.html: build the site first ({how.format(folder)})")
                return 1
            context._values[name] = BuildOutcome(Path(folder), given=True)
        results = run_checks(context, progress=None if getattr(args, "quiet", False) else sys.stderr)
    print(format_json(results) if args.format == "json" else format_table(results))
    return exit_code(results)
