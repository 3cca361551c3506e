"""Faster `mkdocs serve` rebuilds: reuse unchanged pages' HTML and compiled templates.

Glue only: the caches and their keys are in scripts/buildcache.py. KB_RENDER_CACHE=0 turns
the page cache off under serve; KB_RENDER_CACHE=1 turns it on for any command (tests).
"""

import os
import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs import utils as mkdocs_utils  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts.buildcache import (RENDER_CACHE, config_signature, digest, files_signature,  # noqa: E402
                                includes_signature, restore, set_aside, snippet_folders, template_cache)

_build: dict[str, str] = {}   # this build's signature of files, snippets/data and settings
_serving: list[bool] = []      # [True] under `mkdocs serve`


def on_startup(command, **kwargs):
    """Keep pages between rebuilds only under `mkdocs serve` (or when asked)."""
    _serving[:] = [command == "serve"]
    wanted = os.environ.get("KB_RENDER_CACHE", "1" if command == "serve" else "0")
    if wanted == "1":
        RENDER_CACHE.enable()
    else:
        RENDER_CACHE.disable()


def on_pre_build(config, **kwargs):
    """Under `mkdocs serve`: move the previous build aside instead of deleting it file by file."""
    # only where MkDocs is about to empty the folder itself: static-i18n turns that off for /en/
    if _serving == [True] and getattr(mkdocs_utils.clean_directory, "__module__", "") == "mkdocs.utils":
        set_aside(Path(config["site_dir"]))


@event_priority(-2000)  # after static-i18n and the formacion hook have settled this language's files
def on_files(files, config, **kwargs):
    if RENDER_CACHE.enabled:
        folders = [Path(config["docs_dir"]), *snippet_folders(config)]
        _build["site"] = digest(files_signature(files), config_signature(config), includes_signature(folders))
    return files


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = template_cache(env)
    return env


@event_priority(-2000)  # last: the key is the Markdown every other hook has finished
def on_page_markdown(markdown, page, config, files, **kwargs):
    if not RENDER_CACHE.enabled:
        return markdown
    key = digest(_build["site"], page.file.src_uri, page.url, markdown)
    rendered = RENDER_CACHE.lookup(page.file.src_uri, key, files)
    if rendered is not None:
        page._kb_rendered = rendered
        return ""                      # nothing to convert; on_page_content puts the HTML back
    page._kb_render_key = (key, RENDER_CACHE.warnings.count)
    return markdown


@event_priority(2000)  # first: later hooks see the page's real HTML
def on_page_content(html, page, config, files, **kwargs):
    rendered = page.__dict__.pop("_kb_rendered", None)
    if rendered is not None:
        return restore(page, rendered, files)
    pending = page.__dict__.pop("_kb_render_key", None)
    if pending is not None:
        key, warnings_before = pending
        if RENDER_CACHE.warnings.count == warnings_before:
            RENDER_CACHE.store(page.file.src_uri, key, page)
        else:
            RENDER_CACHE.forget(page.file.src_uri)
    return html
