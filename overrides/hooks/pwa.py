"""Installable offline app (issue 19): manifest link, icons, manifests, workers (scripts/pwa.py)."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts import pwa  # noqa: E402

_state = {"command": None, "names": {}}


def on_startup(command, dirty, **kwargs):
    """Remember the command: `mkdocs serve` gets no caching worker (stale pages while editing)."""
    _state["command"] = command


def on_shutdown(**kwargs):
    """MkDocs caches hook modules for the whole process: forget the command."""
    _state["command"] = None


def _mode(config) -> str:
    offline = config.plugins.get("material/offline")
    # Serving = `mkdocs serve` said so at startup AND this build's site_url is its dev server
    # (serve sets it): a build run later in the same process (tests) is not taken for serve.
    host, port = config.dev_addr
    serving = _state["command"] == "serve" and urlsplit(config.site_url or "").netloc == f"{host}:{port}"
    return pwa.app_mode(bool(offline and offline.config.enabled), "serve" if serving else "build", os.environ)


def on_pre_build(config, **kwargs):
    """static-i18n reconfigures names per language build: keep each language's for its manifest."""
    _state["names"][config.theme["language"]] = (config.site_name, config.site_description or "")


def on_page_context(context, page, config, nav, **kwargs):
    """Manifest link and theme colour for overrides/partials/kb-pwa-head.html (none offline)."""
    on = _mode(config) in ("serve", "on")
    context["kb_pwa"] = pwa.head_data(config.theme["language"], pwa.site_theme()) if on else None
    return context


@event_priority(-400)  # after static-i18n, i18n_search (-200) and theme_js (-300): files are final
def on_post_build(config, **kwargs):
    """Icons, one manifest and one worker per language; the build stops if a precache is too big.

    Under serve and with PWA=0 each sw.js is a worker that removes the app instead."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):  # a nested language build: wait for the last pass
        return
    site_dir = Path(config["site_dir"])
    mode = _mode(config)
    if mode == "none":                     # file:// copy: no worker at all
        return
    if mode == "retire":                   # PWA=0: retire a worker left by an earlier build
        pwa.write_retire_workers(site_dir)
        return
    try:
        theme = pwa.site_theme()
        pwa.write_icons(site_dir, theme)
        for lang, (name, description) in _state["names"].items():
            pwa.write_manifest(site_dir, lang, name, description, theme)
        if mode == "serve":                # a worker would serve stale pages while you edit
            pwa.write_retire_workers(site_dir)
            return
        _configs, problems = pwa.write_workers(site_dir)
    except (OSError, ValueError) as error:
        raise PluginError(f"offline app: {error}") from error
    if problems:
        raise PluginError("offline app:\n" + "\n".join(p.format() for p in problems))
