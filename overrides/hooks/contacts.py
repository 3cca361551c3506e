"""Contact directory: refuse invalid contact data, then publish it as open data.

Glue only: the rules are in scripts/directory/validate.py, the exports in scripts/directory/exports.py.
"""

import datetime as dt
import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from scripts.buildcache import digest, memo, tree_digest  # noqa: E402
from scripts.directory.validate import validate_contacts  # noqa: E402
from scripts.directory.exports import export_payloads, write_exports  # noqa: E402


def _contacts_dir(config) -> Path:
    return Path(config["docs_dir"]) / "_data" / "contactos"


def _key(folder: Path, today: dt.date) -> str:
    """What validation and exports read: the contact files' bytes, and the date."""
    return digest(tree_digest(folder), today.isoformat())


def on_pre_build(config, **kwargs):
    """Stop the build when a contact file is invalid (dates never fail it: no stale check)."""
    folder, today = _contacts_dir(config), dt.date.today()
    problems = memo("contacts-validate", _key(folder, today), lambda: validate_contacts(folder, today))
    if problems:
        raise PluginError("Contact data is invalid (python -m scripts validate-contacts):\n"
                          + "\n".join(p.format() for p in problems))


def on_post_build(config, **kwargs):
    """Write JSON, CSV and vCards into <site>/directorio/datos/ (once, at the site root)."""
    site_dir = Path(config["site_dir"])
    language = config["theme"]["language"]
    if language != "es" and site_dir.name == language:
        site_dir = site_dir.parent          # static-i18n builds /en/ into a sub-folder
    folder, today = _contacts_dir(config), dt.date.today()
    payloads = memo("contacts-exports", _key(folder, today), lambda: export_payloads(folder, today))
    write_exports(site_dir, payloads=payloads)
