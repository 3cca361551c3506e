"""What pocket guides and exports print: the usable entries of a region, the national lines.

The contract is documented in the package docstring (scripts/directory/__init__.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scripts.directory.common import CONTACTS_DIR, NATIONAL
from scripts.directory.model import region_views


def usable_contacts(region: str, today: dt.date, contacts_dir: Path = CONTACTS_DIR,
                    include_stale: bool = False) -> list[dict]:
    """Entries of `region` safe to print on `today` (see the module docstring)."""
    usable = []
    for view in region_views(region, contacts_dir, today):
        if not view["verified_on"] or not str(view["source"] or "").strip():
            continue
        if view["stale"] and not include_stale:
            continue
        usable.append(view)
    return usable


def national_lines(today: dt.date | None = None, contacts_dir: Path = CONTACTS_DIR,
                   hotlines_only: bool = True) -> list[dict]:
    """The national lines of nacional.yml (hotline: true), each with its 'stale' flag."""
    views = region_views(NATIONAL, contacts_dir, today)
    return [v for v in views if v["hotline"] or not hotlines_only]
