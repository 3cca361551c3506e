"""Acronym tooltips on every page, in the page's language (scripts/glossary.py)."""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from scripts.glossary import append_abbreviations, load_glossary  # noqa: E402

# --- Hooks ----------------------------------------------------------------


def on_page_markdown(markdown, page, config, files, **kwargs):
    """Append `*[SIGLA]: term` lines (abbr extension) for the page's language."""
    terms = _terms(Path(config["docs_dir"]) / "_data" / "glosario.yml")
    return append_abbreviations(markdown, terms, config.theme["language"])


# --- Helper functions -----------------------------------------------------

_CACHE: dict = {}


def _terms(path: Path):
    """Load the glossary once per change of the file (mkdocs serve rebuilds often)."""
    stamp = (str(path), path.stat().st_mtime_ns if path.exists() else 0)
    if stamp not in _CACHE:
        terms, problems = load_glossary(path)
        if problems:
            raise PluginError("Glossary problems:\n" + "\n".join(p.format() for p in problems))
        _CACHE.clear()
        _CACHE[stamp] = terms
    return _CACHE[stamp]
