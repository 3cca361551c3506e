"""Checks and build helpers for the trafficking-care knowledge base.

Every rule lives here once; the MkDocs hooks, the CLI and the tests call the same
functions. Functions are pure: they take paths or data and return results or Problems.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
DATA_DIR = DOCS_DIR / "_data"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
