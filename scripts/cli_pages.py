"""CLI commands for page checks (thin: all rules live in the checked modules)."""

from __future__ import annotations

import sys

from scripts.checks import check_pages
from scripts.frontmatter import overdue_pages
from scripts.pages import load_pages
from scripts.problems import Problem
from scripts.translations import check_translations, pair_pages, stale_translations


def print_problems(problems: list[Problem], ok_message: str, stream=None) -> int:
    """Print each problem on its own line; return the exit code (1 if any)."""
    stream = stream or sys.stdout
    for problem in problems:
        print(problem.format(), file=stream)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=stream)
        return 1
    print(ok_message, file=stream)
    return 0


def run_check_pages(args) -> int:
    """Front matter, unique titles and fixed sections."""
    problems = check_pages(args.docs_dir, args.today)
    return print_problems(problems, f"All pages passed the front-matter and structure checks.")


def run_check_translations(args) -> int:
    """Parity between .es.md and .en.md (stale translations are listed, not failed)."""
    pages = load_pages(args.docs_dir)
    code = print_problems(check_translations(pages), "Every page has a matching translation.")
    pairs, _ = pair_pages(pages)
    for problem in stale_translations(pairs):
        print(f"note: {problem.format()}")
    return code


def add_arguments(name, parser) -> None:
    if name == "report-reviews":
        parser.add_argument("--fail-overdue", action="store_true",
                            help="exit 1 when something is overdue (for a scheduled, non-blocking job)")


def run_report_reviews(args) -> int:
    """Pages past their next review date, and stale translations."""
    pages = load_pages(args.docs_dir)
    pairs, _ = pair_pages(pages)
    problems = overdue_pages(pages, args.today) + stale_translations(pairs)
    code = print_problems(problems, "Nothing is overdue for review.")
    return code if args.fail_overdue else 0
