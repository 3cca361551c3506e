"""Replace `<!-- kb:name -->` markers with HTML rendered from data (scripts/markers.py)."""

import datetime as dt
import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from scripts.buildcache import RENDER_CACHE, template_cache  # noqa: E402
from scripts.markers import MarkerContext, MarkerError, build_inputs, marker_key, render_markers  # noqa: E402


# (theme, language) -> its autoescaping environment, made once per build: a fresh environment per
# page recompiled every partial for every page (issue 10: build time).
_ENVS: dict[tuple, tuple] = {}
# Under `mkdocs serve`: what every kept marker depends on in this build (data, templates, date)
_BUILD: dict[str, str] = {}


def on_pre_build(config, **kwargs):
    """New build (mkdocs serve rebuild): templates and data may have changed."""
    _ENVS.clear()
    _BUILD.clear()
    if RENDER_CACHE.enabled:
        _BUILD["inputs"] = build_inputs(config, dt.date.today())


def _env(theme):
    key = (id(theme), theme["language"])
    cached = _ENVS.get(key)
    if cached is None or cached[0] is not theme:
        # autoescape: data (names, descriptions) must show as text, never as markup
        env = theme.get_env().overlay(autoescape=True)
        env.bytecode_cache = template_cache(env)    # compiled once per process, not per language
        cached = _ENVS[key] = (theme, env)
    return cached[1]


def on_page_markdown(markdown, page, config, files, **kwargs):
    """Render each marker of the page through its registered renderer and partial."""
    env = _env(config.theme)
    lang = config.theme["language"]

    def render(template, **variables):
        return env.get_template(template).render(config=config, page=page, **variables)

    def make_context(name, args):
        return MarkerContext(name=name, args=args, lang=lang, src_uri=page.file.src_uri,
                             meta=page.meta, render=render,
                             extra={"config": config, "files": files, "page": page})

    def memo_key(name, args):
        inputs = _BUILD.get("inputs")
        return None if inputs is None else marker_key(inputs, name, args, lang, page)

    try:
        return render_markers(markdown, make_context, f"docs/{page.file.src_uri}", memo_key)
    except MarkerError as error:
        raise PluginError(str(error)) from error
