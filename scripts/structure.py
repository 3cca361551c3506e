"""Fixed sections per content folder, in order, as the house style requires."""

from __future__ import annotations

from scripts.pages import Page
from scripts.problems import Problem, relpath

# folder -> heading ids every non-index page must contain, in this order.
# Section owners set their own rule here (see CONTRIBUTING.md).
SECTION_RULES: dict[str, tuple[str, ...]] = {
    "protocolos": ("cuando-aplicar", "pasos", "que-no-hacer", "derivar-a", "base-normativa", "fuentes"),
    "identificacion": ("que-observar", "que-hacer", "fuentes"),
    "marco-legal": ("que-dice", "que-significa-para-usted", "fuentes"),
    "directorio": ("llamar-ahora", "instituciones", "contexto", "instituciones-nacionales", "datos-abiertos", "fuentes"),
}


def check_structure(page: Page, rules: dict[str, tuple[str, ...]] = SECTION_RULES) -> list[Problem]:
    """Missing or misordered fixed sections of one page."""
    required = rules.get(page.section)
    if not required or page.is_index:
        return []
    ids = [h.anchor for h in page.headings() if h.level == 2]
    shown = relpath(page.path)
    problems = []
    missing = [r for r in required if r not in ids]
    for anchor in missing:
        problems.append(Problem(shown, None, "sections", f"missing section '## ... {{ #{anchor} }}'",
                                f"{page.section}/ pages need, in order: {', '.join(required)}"))
    present = [i for i in ids if i in required]
    expected = [r for r in required if r in ids]
    if not missing and present != expected:
        problems.append(Problem(shown, None, "sections", f"out of order: {', '.join(present)}",
                                f"use this order: {', '.join(required)}"))
    return problems
