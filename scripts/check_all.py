"""`python -m scripts check`: every check of the project in one command, with a summary table.

CHECKS is a registry anyone can append to: (name, "module:function"); several candidates
may be given as "module:f1 | module:f2" (the first that exists runs). The function is
called with the arguments it names among CONTEXT_NAMES (docs_dir, today, pages, site_dir,
offline_site_dir…; the two builds are made only when a check asks for them) and returns
list[Problem]. A module or function that does not exist yet is skipped with a note.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scripts import DOCS_DIR
from scripts.problems import Problem

CHECKS: list[tuple[str, str]] = [
    ("front matter and structure", "scripts.checks:check_pages"),
    ("translations", "scripts.check_all:check_translations"),
    ("contacts", "scripts.directory.validate:validate_contacts"),
    ("MIMP import up to date", "scripts.directory.importer:check_generated"),   # issue 14 (directory)
    ("glossary", "scripts.glossary:check_acronyms | scripts.glossary:check_glossary"),
    ("flows", "scripts.flows:check_flows"),
    ("indicators", "scripts.indicators:check_indicators"),
    ("links (site)", "scripts.check_all:check_site_links"),
    ("links (offline copy)", "scripts.check_all:check_offline_links"),
]
CONTEXT_NAMES = ("docs_dir", "today", "pages", "data_dir", "contacts_dir", "site_dir", "offline_site_dir")
SITE_URL = "https://example.org/kb/"     # any absolute URL: canonical/hreflang links get checked too
OK, FAILED, SKIPPED, ERROR = "ok", "failed", "skipped", "error"


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

    def _build(self, folder: str, **options) -> Path:
        if self._builder is None:
            from scripts.offline import build_site as builder
        else:
            builder = self._builder
        site = self.work_dir / folder
        builder(site, **options)
        return site

    def _make_site_dir(self):
        return self._build("site", site_url=SITE_URL)

    def _make_offline_site_dir(self):
        return self._build("offline", offline=True)


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
    except Exception as error:  # a crashing check (or a failed strict build) is a result too
        text = str(error).strip().splitlines()
        return CheckResult(name, ERROR, note=f"{type(error).__name__}: {text[0] if text else ''}"[:200])
    problems = list(result[-1] if isinstance(result, tuple) else result or [])
    return CheckResult(name, FAILED if problems else OK, problems)


def run_checks(context: Context, checks: list[tuple[str, str]] | None = None) -> list[CheckResult]:
    """Every registered check, in order."""
    return [run_check(name, target, context) for name, target in (checks or CHECKS)]


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


def run_check_all(args) -> int:
    """CLI: run everything, print the table (or JSON), exit 1 on any problem."""
    with tempfile.TemporaryDirectory(prefix="kb-check-") as work:
        context = Context(args.docs_dir or DOCS_DIR, args.today, Path(work))
        if getattr(args, "site", None):
            if not (Path(args.site) / "index.html").is_file():
                print(f"{args.site}: no index.html: build the site first (mkdocs build --strict -d {args.site})")
                return 1
            context._values["site_dir"] = Path(args.site)
        results = run_checks(context)
    print(format_json(results) if args.format == "json" else format_table(results))
    return exit_code(results)
