"""One search index per language, accent-insensitive and ranked (scripts/search.py, search_rank.py)."""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts.search import (  # noqa: E402
    absolute_alternates, copy_search_workers, copy_sitemap_per_language, point_config_base,
    point_config_worker, reuse_search_parsing, write_language_indexes)
from scripts.search_rank import load_search_words  # noqa: E402

# locale -> URL prefix of that language's pages
LANGUAGE_PREFIXES = {"es": "", "en": "en/"}


def on_startup(command, **kwargs):
    """Material's search parses a page's HTML again only when it changed (serve rebuilds)."""
    reuse_search_parsing()


def on_post_page(output, page, config, **kwargs):
    """Point Material's search at the page language's index; absolute hreflang links."""
    prefix = LANGUAGE_PREFIXES.get(config.theme["language"], "")
    if prefix:
        output = point_config_worker(point_config_base(output, prefix), prefix)
    if page.canonical_url:
        output = absolute_alternates(output, page.canonical_url)
    return output


@event_priority(-200)  # after static-i18n (merges indexes) and offline (writes .js)
def on_post_build(config, **kwargs):
    """Split the merged index into search/ (es) and en/search/ (en), ranked, with everyday words."""
    words, problems = load_search_words()
    if problems:
        raise PluginError("Search words (docs/_data/busqueda/palabras.yml):\n" + "\n".join(p.format() for p in problems))
    site_dir = Path(config["site_dir"])
    write_language_indexes(site_dir, LANGUAGE_PREFIXES, words)
    copy_search_workers(site_dir, LANGUAGE_PREFIXES)   # each language loads its own worker copy
    copy_sitemap_per_language(site_dir, LANGUAGE_PREFIXES)
