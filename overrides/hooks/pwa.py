"""Installable offline app (issue 19): manifest link, icons, manifests, workers (scripts/pwa.py)."""

import os
import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts import pwa  # noqa: E402

_state = {"command": None, "names": {}}


def on_startup(command, dirty, **kwargs):
    """Remember the command: `mkdocs serve` gets no worker (it would serve stale pages while editing)."""
    _state["command"] = command


def _enabled(config) -> bool:
    offline = config.plugins.get("material/offline")
    return pwa.app_enabled(bool(offline and offline.config.enabled), _state["command"], os.environ)


def on_pre_build(config, **kwargs):
    """static-i18n reconfigures names per language build: keep each language's for its manifest."""
    _state["names"][config.theme["language"]] = (config.site_name, config.site_description or "")


def on_page_context(context, page, config, nav, **kwargs):
    """Manifest link and theme colour for overrides/partials/kb-pwa-head.html (none offline)."""
    context["kb_pwa"] = pwa.head_data(config.theme["language"], pwa.site_theme()) if _enabled(config) else None
    return context


@event_priority(-400)  # after static-i18n, i18n_search (-200) and theme_js (-300): files are final
def on_post_build(config, **kwargs):
    """Icons, one manifest and one worker per language; the build stops if a precache is too big.

    With the app off (serve, PWA=0) each sw.js is a worker that removes the app instead."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):  # a nested language build: wait for the last pass
        return
    site_dir = Path(config["site_dir"])
    offline = config.plugins.get("material/offline")
    if offline and offline.config.enabled:  # file:// copy: no worker at all
        return
    if not _enabled(config):               # serve, PWA=0: retire a worker left by a build
        pwa.write_retire_workers(site_dir)
        return
    try:
        theme = pwa.site_theme()
        pwa.write_icons(site_dir, theme)
        for lang, (name, description) in _state["names"].items():
            pwa.write_manifest(site_dir, lang, name, description, theme)
        _configs, problems = pwa.write_workers(site_dir)
    except (OSError, ValueError) as error:
        raise PluginError(f"offline app: {error}") from error
    if problems:
        raise PluginError("offline app:\n" + "\n".join(p.format() for p in problems))
