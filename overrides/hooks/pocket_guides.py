"""Pocket guides (A6 PDF) in the built site: scripts/pocket.py does the work.

Printed before the pages (so the download links can give each file's size), copied into
site/guias-de-bolsillo/pdf/ after them. Under `mkdocs serve` the PDFs are kept between
rebuilds and printed again only when one of their inputs changes (POCKET_GUIDES=rebuild:
always; POCKET_GUIDES=0: never).
"""

import datetime as dt
import logging
import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from scripts import DEFAULT_LANGUAGE  # noqa: E402
from scripts import pocket  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pocket_guides")


def on_startup(command, **kwargs):
    """Remember whether this is `mkdocs serve` (keep the PDFs between rebuilds)."""
    pocket.set_command(command)


def on_pre_build(config, **kwargs):
    """Print the 26 guides (or reuse the cached set) once, in the default-language pass."""
    # static-i18n builds every other language after the default one, in the same process:
    # the guides (both languages) and the markers' sizes come from this first pass.
    if config.theme["language"] != DEFAULT_LANGUAGE:
        return
    try:
        state = pocket.prepare_site_guides(config.get("site_url") or "", dt.date.today())
    except pocket.PocketError as error:
        raise PluginError(f"pocket guides: {error}") from error
    if not state["enabled"]:
        log.info("pocket guides not built (%s=0)", pocket.GUIDES_ENV)
    elif not state["qr"]:
        log.info("pocket guides without QR code: no site_url and no $%s", pocket.PUBLISHED_URL_ENV)


def on_post_build(config, **kwargs):
    """Copy the guides into site/guias-de-bolsillo/pdf/ (default-language pass: the site root)."""
    if config.theme["language"] != DEFAULT_LANGUAGE:
        return
    paths = pocket.publish_site_guides(Path(config["site_dir"]) / pocket.PDF_DIR)
    if paths:
        log.info("pocket guides: %d PDFs (%s)", len(paths),
                 "reused" if pocket.site_guides().get("reused") else "printed")
