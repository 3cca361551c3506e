"""Content-Security-Policy meta tag on every page, and page sources refused early (scripts/csp.py).

Glue only: the policy and its rules are in scripts/csp.py (issue 17).
"""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402

from scripts.csp import add_policy  # noqa: E402


# --- Hooks ----------------------------------------------------------------

@event_priority(-100)  # last: the policy hashes the page's final inline scripts
def on_post_page(output, page, config, **kwargs):
    """Add the policy right after <meta charset>, before any script runs."""
    return add_policy(output, offline=_offline(config))


def on_post_template(output_content, template_name, config, **kwargs):
    """The same policy on static templates rendered as pages (404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return add_policy(output_content, offline=_offline(config))


# --- Helper functions -----------------------------------------------------

def _offline(config) -> bool:
    """True in the file:// build (Material's offline plugin enabled)."""
    for name in ("material/offline", "offline"):
        plugin = config["plugins"].get(name)
        if plugin is not None:
            return bool(plugin.config.get("enabled"))
    return False

