"""Command line: `.venv/bin/python -m scripts <command>` (the venv .ci/setup makes). Prints problems; exit 1 if any."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
from pathlib import Path

from scripts import DOCS_DIR

# command -> (module:function, one-line help). Each function takes the parsed args and
# returns an exit code; modules add their own options through `add_arguments` below.
COMMANDS: dict[str, tuple[str, str]] = {
    "check-pages": ("scripts.cli_pages:run_check_pages", "front matter, titles and fixed sections of every page"),
    "check-translations": ("scripts.cli_pages:run_check_translations", "every page in both languages with the same structure"),
    "report-reviews": ("scripts.cli_pages:run_report_reviews", "pages overdue for review and stale translations (report only)"),
    "offline": ("scripts.offline:run_offline", "build the file:// copy and pack it as a dated zip"),
    "check-indicators": ("scripts.indicators:run_check_indicators", "the indicators data (docs/_data/indicadores.yml)"),
    "check-flows": ("scripts.flows:run_check_flows", "decision-flow data in docs/_data/flujos/"),
    "check-glossary": ("scripts.glossary:run_check_glossary", "the glossary is valid and defines every acronym used in a page"),
    "validate-contacts": ("scripts.directory.cli:run_validate_contacts", "schema and meaning of every contact file (phones, ubigeo, dates, ids)"),
    "report-contacts": ("scripts.directory.cli:run_report_contacts", "contacts whose verification is older than their review interval (report only)"),
    "import-mimp": ("scripts.directory.cli:run_import_mimp", "import MIMP's service directories (data/mimp/) into the regional directory, with a review diff"),
    "check-links": ("scripts.cli_links:run_check_links", "every href/src of a built site: targets, anchors, language, tel, mailto, https"),
    "check": ("scripts.check_all:run_check_all", "every check (pages, translations, contacts, glossary, links on a fresh build) with a summary"),
    "check-urls": ("scripts.urls:run_check_urls", "every published URL still opens (page or redirect); --update adds new pages"),
    "pocket-guides": ("scripts.pocket:run_pocket_guides", "build the A6 pocket guides (PDF, every region × language)"),
    "bench": ("scripts.bench:run_bench", "build, serve and measure the site against the performance budgets (not in CI)"),
    "bench-search": ("scripts.search_eval:run_bench_search", "search recall@1/@3, MRR, time to results and index size, http and file:// (not in CI)"),
}


def _load(target: str):
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


def build_parser() -> argparse.ArgumentParser:
    """One sub-parser per command; shared options: --docs-dir, --today."""
    parser = argparse.ArgumentParser(prog=".venv/bin/python -m scripts", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (target, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--docs-dir", type=Path, default=DOCS_DIR, help="content folder (default: docs/)")
        command.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                             help="date to check against, YYYY-MM-DD (default: today)")
        module = importlib.import_module(target.split(":")[0])
        if hasattr(module, "add_arguments"):
            module.add_arguments(name, command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return _load(COMMANDS[args.command][0])(args)


if __name__ == "__main__":
    sys.exit(main())
