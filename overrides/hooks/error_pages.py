"""404.html in the reader's language: Spanish at the root, English at en/ (scripts/error_pages.py)."""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402

from scripts.error_pages import DEFAULT_LANGUAGE, ERROR_TEMPLATE, ErrorPages  # noqa: E402

_pages = ErrorPages()


def on_pre_build(config, **kwargs):
    if config.theme["language"] == DEFAULT_LANGUAGE:     # a new build starts with the default language
        _pages.pages.clear()


@event_priority(-500)  # last: the page as the CSP and theme hooks left it
def on_post_template(output_content, template_name, config, **kwargs):
    if template_name != ERROR_TEMPLATE:
        return output_content
    return _pages.place(output_content, config.theme["language"], Path(config["site_dir"]))
