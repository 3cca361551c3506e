"""Replace `<!-- kb:name -->` markers with HTML rendered from data (scripts/markers.py)."""

import datetime as dt
import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from scripts import DATA_DIR  # noqa: E402
from scripts.buildcache import RENDER_CACHE, digest, template_cache, tree_digest  # noqa: E402
from scripts.markers import MarkerContext, MarkerError, render_markers  # noqa: E402


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
        # the theme's own templates are a pinned package: only the project's overrides can change
        folders = {DATA_DIR, Path(config["docs_dir"]) / "_data", Path(config.theme.custom_dir or DATA_DIR)}
        _BUILD["inputs"] = digest(sorted(tree_digest(f) for f in folders), dt.date.today().isoformat(),
                                  config["site_url"], config["use_directory_urls"], config["extra"])


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
        return None if inputs is None else digest(inputs, name, sorted(args.items()), lang,
                                                   page.file.src_uri, page.url, page.meta)

    try:
        return render_markers(markdown, make_context, f"docs/{page.file.src_uri}", memo_key)
    except MarkerError as error:
        raise PluginError(str(error)) from error
