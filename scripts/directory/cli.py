"""CLI commands for the contact directory (thin: rules live in scripts/directory/validate.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.cli_pages import print_problems
from scripts.directory.validate import overdue_entries, validate_contacts


def _contacts_dir(args) -> Path:
    return Path(args.contacts_dir) if getattr(args, "contacts_dir", None) else Path(args.docs_dir) / "_data" / "contactos"


def add_arguments(name, parser) -> None:
    parser.add_argument("--contacts-dir", type=Path, default=None,
                        help="folder of contact files (default: <docs-dir>/_data/contactos)")
    if name == "report-contacts":
        parser.add_argument("--fail-overdue", action="store_true",
                            help="exit 1 when a verification is overdue (for a scheduled, non-blocking job)")


def run_validate_contacts(args) -> int:
    """Schema and meaning of every contact file; exit 1 on any problem."""
    problems = validate_contacts(_contacts_dir(args), args.today)
    return print_problems(problems, "All contact files are valid.", stream=sys.stdout)


def run_report_contacts(args) -> int:
    """Entries whose verification is older than their review interval (report only)."""
    overdue = overdue_entries(_contacts_dir(args), args.today)
    for item in overdue:
        where = f"{item.path}:{item.line}" if item.line else item.path
        print(f"{where}: {item.id} ({item.what}): verified {item.verified_on.isoformat()}, "
              f"review was due {item.due.isoformat()}")
    print(f"{len(overdue)} verification(s) overdue on {args.today.isoformat()}." if overdue
          else f"No verification overdue on {args.today.isoformat()}.")
    return 1 if overdue and args.fail_overdue else 0
