"""One 404 page per language.

static-i18n builds every language into the same site folder, and MkDocs writes each
build's 404.html to the folder's root, so the last language built (English) replaced the
Spanish page every reader of the default site gets. `ErrorPages` keeps the default
language's page at the root and writes each other language's to <lang>/404.html.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scripts import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]
ERROR_TEMPLATE = "404.html"


@dataclass
class ErrorPages:
    """The error pages of one build, by language."""

    pages: dict[str, str] = field(default_factory=dict)

    def place(self, output: str, lang: str, site_dir: Path) -> str:
        """What MkDocs writes to the root 404.html; a non-default language's goes to <lang>/404.html."""
        self.pages[lang] = output
        if lang == DEFAULT_LANGUAGE:
            return output
        target = Path(site_dir) / lang / ERROR_TEMPLATE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return self.pages.get(DEFAULT_LANGUAGE, output)
