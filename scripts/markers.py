"""Markers: `<!-- kb:name key=value -->` comments in pages, replaced by rendered data.

Feature modules register renderers with `@register("name")`; the build hook calls
`render_markers` for each page. An unknown marker stops the build with its file and line.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from scripts.pages import MARKER_RE, extract_markers

# Modules that register markers; imported lazily so each stays independent.
FEATURE_MODULES = ("scripts.sources", "scripts.directory.render", "scripts.indicators", "scripts.flows",
                   "scripts.glossary", "scripts.formacion", "scripts.pocket")


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


def register(name: str) -> Callable[[Renderer], Renderer]:
    """Decorator: make `fn` the renderer of `<!-- kb:name -->`."""
    def decorate(fn: Renderer) -> Renderer:
        REGISTRY[name] = fn
        return fn
    return decorate


def load_registry() -> dict[str, Renderer]:
    """Import every feature module so all markers are registered."""
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    return REGISTRY


class MarkerError(Exception):
    """A marker that is unknown or whose renderer failed."""


def render_markers(markdown: str, make_context: Callable[[str, dict[str, str]], MarkerContext],
                   src_path: str) -> str:
    """Replace every whole-line marker in `markdown`; raise MarkerError on unknown ones."""
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
        try:
            html = renderer(make_context(name, args))
        except MarkerError:
            raise
        except Exception as error:  # noqa: BLE001 - re-raised with the page and line
            raise MarkerError(f"{src_path}:{line}: marker 'kb:{name}' failed: {error}") from error
        index = line - 1
        lines[index] = MARKER_RE.sub(lambda _m: "\n" + html.strip() + "\n", lines[index].strip(), count=1)
    return "\n".join(lines)
