"""Training section glue: reading times in lists, and redirects in both languages.

Rules live in scripts/formacion.py and scripts/urls.py; this file only calls them.
"""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts.formacion import fill_reading_times  # noqa: E402
from scripts.pages import split_language  # noqa: E402
from scripts.urls import expand_redirects  # noqa: E402

_reading_times: dict[str, int] = {}


@event_priority(-1000)  # after static-i18n (-100) has chosen this language's files
def on_files(files, config, **kwargs):
    """mkdocs-redirects knows neither '.es.md' names nor '/en/': give it this language's map."""
    plugin = config.plugins.get("redirects")
    if plugin is not None:
        lang = config.theme["language"]
        plugin.redirects = expand_redirects(plugin.config.get("redirect_maps") or {}, lang)
        plugin.doc_pages = {f.src_uri: f for f in files.documentation_pages()}
    return files


def on_env(env, config, files, **kwargs):
    """Every page of this language now has its reading time (page_meta hook): collect them."""
    _reading_times.clear()
    for file in files.documentation_pages():
        pair = split_language(file.src_uri)
        kb = (file.page.meta.get("kb") if file.page else None) or {}
        if pair and kb.get("reading_time"):
            _reading_times[pair[0]] = kb["reading_time"]
    return env


@event_priority(60)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav, **kwargs):
    """Write the minutes into the reading lists' placeholders."""
    if page.content and "data-kb-rt" in page.content:
        try:
            page.content = fill_reading_times(page.content, _reading_times, config.theme["language"])
        except KeyError as error:
            raise PluginError(f"docs/{page.file.src_uri}: {error.args[0]}") from error
    return context
