"""Markers: `<!-- kb:name key=value -->` comments in pages, replaced by rendered data.

Feature modules register renderers with `@register("name")`; the build hook calls
`render_markers` for each page. An unknown marker stops the build with its file and line.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scripts import DATA_DIR
from scripts.buildcache import digest, tree_digest
from scripts.pages import MARKER_RE, extract_markers

# Modules that register markers; imported lazily so each stays independent.
FEATURE_MODULES = ("scripts.sources", "scripts.directory.render", "scripts.indicators", "scripts.flows",
                   "scripts.glossary", "scripts.formacion", "scripts.pocket",
                   "scripts.legal")   # issue 15: legal-review notice


@dataclass
class MarkerContext:
    """What a renderer may use: the page, its language, args and a template renderer."""

    name: str
    args: dict[str, str]
    lang: str
    src_uri: str                    # e.g. "protocolos/primer-contacto.es.md"
    meta: dict[str, Any]
    render: Callable[..., str]      # render(template_name, **variables) -> str
    extra: dict[str, Any] = field(default_factory=dict)


Renderer = Callable[[MarkerContext], str]
REGISTRY: dict[str, Renderer] = {}
# Markers whose HTML depends only on what `MarkerMemo` keys on: their args, the page's
# language, source path, URL and front matter, the data files (docs/_data/), the templates,
# the site settings and the date. Not those that read other pages or built files (reading
# lists, pocket-guide sizes): they are rendered every time.
KEEPABLE: set[str] = set()


def register(name: str, keep: bool = False) -> Callable[[Renderer], Renderer]:
    """Decorator: make `fn` the renderer of `<!-- kb:name -->` (`keep`: see KEEPABLE)."""
    def decorate(fn: Renderer) -> Renderer:
        REGISTRY[name] = fn
        if keep:
            KEEPABLE.add(name)
        else:
            KEEPABLE.discard(name)
        return fn
    return decorate


@dataclass
class MarkerMemo:
    """Rendered keepable markers, by a key naming every input (`mkdocs serve` rebuilds)."""

    kept: dict[str, str] = field(default_factory=dict)
    hits: int = 0
    limit: int = 5_000

    def get(self, key: str) -> str | None:
        html = self.kept.get(key)
        if html is not None:
            self.hits += 1
        return html

    def put(self, key: str, html: str) -> None:
        if len(self.kept) >= self.limit:
            self.kept.clear()
        self.kept[key] = html


MEMO = MarkerMemo()


def build_inputs(config: Any, today: dt.date) -> str:
    """What every kept marker of one build depends on: data, templates, date, site settings.

    The theme's own templates are a pinned package: only the project's overrides can change.
    Renderers read the repository's data (DATA_DIR) even when the build's docs_dir differs.
    """
    folders = {DATA_DIR, Path(config["docs_dir"]) / "_data", Path(config.theme.custom_dir or DATA_DIR)}
    return digest(sorted(tree_digest(f) for f in folders), today.isoformat(),
                  config["site_url"], config["use_directory_urls"], config["extra"])


def marker_key(inputs: str, name: str, args: dict[str, str], lang: str, page: Any) -> str:
    """The key of one marker on one page (see KEEPABLE)."""
    return digest(inputs, name, sorted(args.items()), lang, page.file.src_uri, page.url, page.meta)


def load_registry() -> dict[str, Renderer]:
    """Import every feature module so all markers are registered."""
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    return REGISTRY


class MarkerError(Exception):
    """A marker that is unknown or whose renderer failed."""


def render_markers(markdown: str, make_context: Callable[[str, dict[str, str]], MarkerContext],
                   src_path: str, memo_key: Callable[[str, dict[str, str]], str] | None = None,
                   memo: MarkerMemo = MEMO) -> str:
    """Replace every whole-line marker in `markdown`; raise MarkerError on unknown ones.

    With `memo_key(name, args)`, a keepable marker rendered before under the same key is
    reused (a renderer that raised is never kept: it raises again on every build).
    """
    registry = load_registry()
    markers = extract_markers(markdown)
    if not markers:
        return markdown
    lines = markdown.split("\n")
    for name, args, line in markers:
        renderer = registry.get(name)
        if renderer is None:
            raise MarkerError(f"{src_path}:{line}: unknown marker 'kb:{name}' → "
                              f"known markers: {', '.join(sorted(registry))}")
        key = memo_key(name, args) if memo_key is not None and name in KEEPABLE else None
        html = memo.get(key) if key is not None else None
        try:
            if html is None:
                html = renderer(make_context(name, args))
                if key is not None:
                    memo.put(key, html)
        except MarkerError:
            raise
        except Exception as error:  # noqa: BLE001 - re-raised with the page and line
            raise MarkerError(f"{src_path}:{line}: marker 'kb:{name}' failed: {error}") from error
        index = line - 1
        lines[index] = MARKER_RE.sub(lambda _m: "\n" + html.strip() + "\n", lines[index].strip(), count=1)
    return "\n".join(lines)
