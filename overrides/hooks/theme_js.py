"""Lighter Material: search index on demand, no sitemap 404s, no palette.css (scripts/theme_js.py)."""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts.theme_js import drop_palette_css, patch_site  # noqa: E402


def on_post_page(output, page, config, **kwargs):
    """No palette.css request (its rules never apply with custom colours)."""
    return drop_palette_css(output)


def on_post_template(output_content, template_name, config, **kwargs):
    """The same on static templates rendered as pages (404.html)."""
    return drop_palette_css(output_content) if template_name.endswith(".html") else output_content


@event_priority(-300)  # after static-i18n has built every language
def on_post_build(config, **kwargs):
    """Patch the copied bundle in the built site; stop the build if Material changed."""
    problems = patch_site(Path(config["site_dir"]))
    if problems:
        raise PluginError("Material bundle patch failed:\n" + "\n".join(p.format() for p in problems))
