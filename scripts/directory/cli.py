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
    if name == "import-mimp":
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="folder with datasets.yml and the MIMP JSON files (default: data/mimp)")
        parser.add_argument("--dry-run", action="store_true", help="print the review diff and the summary; write nothing")
        parser.add_argument("--check", action="store_true",
                            help="exit 1 when the generated files are not what the datasets give (for CI)")
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


def run_import_mimp(args) -> int:
    """Import MIMP's directories (data/mimp/) into contactos/mimp/<region>.yml, diff first."""
    from scripts.directory.importer import (DATA_DIR, ImportFailure, format_diff, previous_import, review_diff,
                                            run_import, write_files)
    from scripts.directory.validate import validate_contacts

    contacts_dir = _contacts_dir(args)
    out_dir = contacts_dir / "mimp"
    data_dir = Path(args.data_dir) if args.data_dir else DATA_DIR
    try:
        old, _stamps = previous_import(out_dir)
        result = run_import(data_dir, out_dir, args.today)
    except ImportFailure as error:
        print(f"import-mimp: {error}")
        return 1
    for note in result.errors:
        print(f"error: {note.format()}")
    for note in result.phones_left_out:
        print(f"phone left out: {note.format()}")
    for note in result.coordinates_left_out:
        print(f"coordinates left out: {note.format()}")
    for note in result.conflicts:
        print(f"phones disagree (flagged conflict: true): {note.format()}")
    print(format_diff(review_diff(old, result.entries), first_import=not old))
    print(result.summary())
    if args.check or args.dry_run:
        changed = [r for r, text in result.files.items()
                   if not (out_dir / f"{r}.yml").is_file() or (out_dir / f"{r}.yml").read_text(encoding="utf-8") != text]
        if changed:
            print(f"{len(changed)} generated file(s) would change: {', '.join(changed)}"
                  + (" (run python -m scripts import-mimp)" if args.check else ""))
        else:
            print("Generated files are up to date.")
        return 1 if changed and args.check else 0
    written = write_files(result, out_dir)
    print(f"wrote {len(written)} file(s) in {out_dir}" if written else f"nothing to write: {out_dir} is up to date")
    problems = validate_contacts(contacts_dir, args.today)
    if problems:
        return print_problems(problems, "", stream=sys.stdout)
    return 1 if result.errors else 0
