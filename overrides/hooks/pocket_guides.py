"""Write the A6 pocket guides (PDF) into the built site: scripts/pocket.py does the work."""

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
from scripts.pocket import GUIDES_ENV, PDF_DIR, PocketError, build_all, guides_enabled  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pocket_guides")


def on_post_build(config, **kwargs):
    """26 PDFs into site/guias-de-bolsillo/pdf/ (skipped without site_url or with POCKET_GUIDES=0)."""
    # static-i18n runs this hook once per language (site/, then site/en/): the 26 guides
    # (both languages) are written once, in the default-language pass, at the site root.
    if config.theme["language"] != DEFAULT_LANGUAGE:
        return
    site_url = config.get("site_url") or ""
    if not guides_enabled(site_url):
        log.info("pocket guides not built (no site_url, or %s=0)", GUIDES_ENV)
        return
    out = Path(config["site_dir"]) / PDF_DIR
    try:
        paths = build_all(out, dt.date.today(), site_url)
    except PocketError as error:
        raise PluginError(f"pocket guides: {error}") from error
    log.info("pocket guides: %d PDFs in %s", len(paths), out)
