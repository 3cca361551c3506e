"""Training section: readings with reading times, lists by role, the page catalogue and
the printable answer key.

Reading times are those the build computes for each page (overrides/hooks/page_meta.py).
A list is rendered while pages are still being converted, so markers write placeholders
(`data-kb-rt`) and `fill_reading_times` replaces them once every page of the language has
its time (hook overrides/hooks/formacion.py, event `on_page_context`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from scripts import DATA_DIR, DOCS_DIR
from scripts.markers import MarkerContext, MarkerError, register
from scripts.problems import Problem
from scripts.pages import FENCE_RE, HEADING_ID_RE, HEADING_RE, Page, iter_page_paths, parse_page
from scripts.yamlutil import load_yaml_file

READINGS_FILE = DATA_DIR / "formacion" / "lecturas.yml"
SCRIPT = "assets/javascripts/mi-lista.js"
ROLES = ("medicina", "enfermeria", "obstetricia", "psicologia", "admision-seguridad", "gestion")
EVERYONE = "todo-el-personal"
RT_RE = re.compile(r'<span class="kb-rt" data-kb-rt="([^"]+)"></span>')
RT_SUM_RE = re.compile(r'<span class="kb-rt-total" data-kb-rt-sum="([^"]*)"></span>')
ANSWER_RE = re.compile(r"^(?P<indent>[ \t]*)\?\?\?\+?[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+kb-respuesta\b")
ORDERED_RE = re.compile(r"^(\d+)\.[ \t]+(.*)$")
STRINGS = {
    "es": {"total": "Tiempo total de lectura", "why": "Por qué esta lista", "answer_key": "Clave de respuestas", "question": "pregunta",
           "list_title": "Título de la lista (opcional)",
           "empty": "Todavía no hay páginas para este público.", "make_link": "Crear la lista y su enlace"},
    "en": {"total": "Total reading time", "why": "Why this list", "answer_key": "Answer key", "question": "question",
           "list_title": "Title of the list (optional)",
           "empty": "There are no pages for this audience yet.", "make_link": "Make the list and its link"},
}


# --- Reading times ----------------------------------------------------------

def format_minutes(minutes: int, lang: str) -> str:
    """'45 min', '1 h 05 min': short, the same in both languages."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def fill_reading_times(content: str, times: dict[str, int], lang: str) -> str:
    """Replace reading-time placeholders with minutes; unknown pages raise KeyError."""
    def one(match: re.Match) -> str:
        key = match.group(1)
        if key not in times:
            raise KeyError(f"no reading time for page '{key}' (is docs/{key}.{lang}.md in the build?)")
        minutes = times[key]
        return (f'<span class="kb-rt" data-kb-rt="{key}" data-min="{minutes}">'
                f'{format_minutes(minutes, lang)}</span>')

    def total(match: re.Match) -> str:
        keys = match.group(1).split()
        missing = [k for k in keys if k not in times]
        if missing:
            raise KeyError(f"no reading time for page '{missing[0]}'")
        minutes = sum(times[k] for k in keys)
        return (f'<span class="kb-rt-total" data-kb-rt-sum="{match.group(1)}" data-min="{minutes}">'
                f'{format_minutes(minutes, lang)}</span>')

    return RT_SUM_RE.sub(total, RT_RE.sub(one, content))


# --- Which pages, in which order -------------------------------------------

@dataclass(frozen=True)
class Reading:
    key: str            # e.g. "protocolos/primer-contacto"
    title: str
    href: str           # relative to the page that shows the list
    section: str


READINGS_FIELDS = {"secciones", "orden", "roles"}
ROLE_FIELDS = {"por_que", "primero", "sin"}
LANGUAGES = ("es", "en")


def _string_list(value, shown: str, line: int | None, field: str, what: str) -> list[Problem]:
    """A YAML list of strings; a bare string (issue 17) or a nested value is refused."""
    if value is None:
        return []
    if isinstance(value, str):
        return [Problem(shown, line, field, f"must be a list of {what}, not a string ({value!r})",
                        f"write one per line under '{field.split('.')[-1]}:', e.g. '  - {value.split(',')[0].strip()}'")]
    if not isinstance(value, list):
        return [Problem(shown, line, field, f"must be a list of {what}, not {type(value).__name__}",
                        "write one item per line, each starting with '- '")]
    return [Problem(shown, line, f"{field}[{i}]", f"must be a text ({what[:-1]}), not {type(item).__name__}",
                    "write the plain name, e.g. protocolos/primer-contacto")
            for i, item in enumerate(value) if not isinstance(item, str) or not item.strip()]


def check_readings(path: Path = READINGS_FILE, docs_dir: Path = DOCS_DIR) -> list[Problem]:
    """Problems of the reading-list file, each with file, line and field."""
    from scripts.problems import relpath, unknown_fields
    from scripts.yamlutil import line_of

    shown = relpath(path)
    try:
        data = load_yaml_file(path)
    except Exception as error:   # noqa: BLE001 - YAML syntax errors become one clear problem
        mark = getattr(error, "problem_mark", None)
        return [Problem(shown, mark.line + 1 if mark else None, "", f"not valid YAML: {error}".splitlines()[0],
                        "fix the syntax at that line")]
    if not isinstance(data, dict):
        return [Problem(shown, None, "", "must be a mapping with secciones, orden and roles", "see the comment at the top")]
    problems = unknown_fields(shown, data, READINGS_FIELDS)
    problems += _string_list(data.get("secciones"), shown, line_of(data, "secciones"), "secciones", "section folders")
    problems += _string_list(data.get("orden"), shown, line_of(data, "orden"), "orden", "page keys")
    if isinstance(data.get("secciones"), list):
        for i, section in enumerate(data["secciones"]):
            if isinstance(section, str) and not (docs_dir / section).is_dir():
                problems.append(Problem(shown, line_of(data, "secciones"), f"secciones[{i}]",
                                        f"no folder docs/{section}", "name a folder of docs/"))
    roles = data.get("roles")
    if roles is None:
        return problems
    if not isinstance(roles, dict):
        return problems + [Problem(shown, line_of(data, "roles"), "roles", "must be a mapping of role: {por_que, primero, sin}",
                                   f"roles: {', '.join(ROLES)}")]
    for role in sorted(set(roles) - set(ROLES)):
        problems.append(Problem(shown, line_of(roles, role), f"roles.{role}", "unknown role", f"use one of {', '.join(ROLES)}"))
    for role in ROLES:
        if role not in roles:
            problems.append(Problem(shown, line_of(data, "roles"), f"roles.{role}", "missing: every role states why its list differs",
                                    "add por_que: {es: ..., en: ...}"))
    for role, spec in roles.items():
        field = f"roles.{role}"
        if not isinstance(spec, dict):
            problems.append(Problem(shown, line_of(roles, role), field, "must be a mapping with por_que, primero, sin", ""))
            continue
        problems += unknown_fields(shown, spec, ROLE_FIELDS, field)
        why = spec.get("por_que")
        if not isinstance(why, dict) or any(not isinstance(why.get(lang), str) or not why.get(lang).strip() for lang in LANGUAGES):
            problems.append(Problem(shown, line_of(spec, "por_que"), f"{field}.por_que",
                                    "must give the reason in both languages", "por_que: {es: ..., en: ...}"))
        for name in ("primero", "sin"):
            value = spec.get(name)
            found = _string_list(value, shown, line_of(spec, name), f"{field}.{name}", "page keys")
            problems += found
            if found or not isinstance(value, list):
                continue
            for i, key in enumerate(value):
                if not (docs_dir / f"{key}.es.md").is_file():
                    problems.append(Problem(shown, line_of(spec, name), f"{field}.{name}[{i}]",
                                            f"no page '{key}' (docs/{key}.es.md)", "use the page path without language and .md"))
        first, left_out = spec.get("primero"), spec.get("sin")
        if isinstance(first, list) and isinstance(left_out, list):
            for key in sorted(set(first) & set(left_out), key=str):
                problems.append(Problem(shown, line_of(spec, "sin"), f"{field}.sin",
                                        f"'{key}' is both read first and left out", "keep it in one of primero or sin"))
    return problems


def load_order(path: Path = READINGS_FILE, docs_dir: Path = DOCS_DIR) -> dict:
    """The ordering file: sections that count as readings, page order and per-role choices.

    Raises MarkerError listing every problem (file, line, field) when the file is invalid.
    """
    problems = check_readings(path, docs_dir)
    if problems:
        raise MarkerError("; ".join(p.format() for p in problems))
    data = load_yaml_file(path) or {}
    roles = {role: {"por_que": dict(spec.get("por_que") or {}), "primero": list(spec.get("primero") or []),
                    "sin": list(spec.get("sin") or [])}
             for role, spec in (data.get("roles") or {}).items()}
    return {"secciones": list(data.get("secciones") or []), "orden": list(data.get("orden") or []), "roles": roles}


def sort_keys(keys: list[str], order: list[str], sections: list[str]) -> list[str]:
    """Listed pages first (in the file's order), then by section order and name."""
    rank = {key: i for i, key in enumerate(order)}
    section_rank = {s: i for i, s in enumerate(sections)}
    return sorted(keys, key=lambda k: (rank.get(k, len(rank)), section_rank.get(k.split("/")[0], 99), k))


def role_keys(pages: list[Page], role: str, order: list[str], sections: list[str],
              first: list[str] = (), left_out: list[str] = ()) -> list[str]:
    """Pages for one role: audience has the role (or everyone), in the reading sections;
    then `first` (read first, in that order, added if needed) and without `left_out`."""
    keys = set()
    for page in pages:
        if page.is_index or page.section not in sections:
            continue
        audience = page.meta.get("audience") or []
        if role in audience or EVERYONE in audience:
            keys.add(page.key)
    known = {page.key for page in pages}
    keys |= {key for key in first if key in known}
    keys -= set(left_out)
    return sort_keys(sorted(keys), [k for k in first if k in keys] + [k for k in order if k not in first], sections)


def catalogue_keys(pages: list[Page], sections: list[str], nav_order: list[str] | None = None) -> list[str]:
    """Every page a trainer may assign, in navigation order (pages not in the nav last)."""
    keys = {p.key for p in pages if p.key.split("/")[0] in sections}
    return sort_keys(sorted(keys), nav_order or [], sections)


def nav_keys(nav) -> list[str]:
    """Page keys in the order of mkdocs.yml `nav` (nested sections flattened, depth first)."""
    keys: list[str] = []

    def walk(item) -> None:
        if isinstance(item, str):
            if item.endswith(".md") and "://" not in item:
                keys.append(item[:-3])
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav or [])
    return keys


def nav_sections(order: list[str], sections: list[str]) -> list[str]:
    """`sections` sorted by where each first appears in the navigation."""
    first = {}
    for index, key in enumerate(order):
        first.setdefault(key.split("/")[0], index)
    return sorted(sections, key=lambda s: (first.get(s, len(order)), sections.index(s)))


# --- Markers ------------------------------------------------------------------

_PARSED: dict[tuple[str, int], Page] = {}


def _parse(path: Path, docs_dir: Path) -> Page:
    """parse_page, cached per file version: lists on many pages read the same files."""
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _PARSED:
        _PARSED[key] = parse_page(path, docs_dir)
    return _PARSED[key]


def _resolve(ctx: MarkerContext, keys: list[str]) -> list[Reading]:
    """Title (target page front matter) and relative link of each key, in this language."""
    from mkdocs.utils import get_relative_url

    files = ctx.extra["files"]
    page = ctx.extra["page"]
    docs_dir = Path(ctx.extra["config"]["docs_dir"])
    readings = []
    for key in keys:
        src = f"{key}.{ctx.lang}.md"
        target = files.get_file_from_path(src)
        if target is None or not (docs_dir / src).is_file():
            raise MarkerError(f"page '{key}' not found: there is no docs/{src}")
        title = str(_parse(docs_dir / src, docs_dir).meta.get("title") or key)
        readings.append(Reading(key, title, get_relative_url(target.url, page.url), key.split("/")[0]))
    return readings


def _pages(ctx: MarkerContext) -> list[Page]:
    docs_dir = Path(ctx.extra["config"]["docs_dir"]) if "config" in ctx.extra else DOCS_DIR
    pages = [_parse(path, docs_dir) for path in iter_page_paths(docs_dir)]
    return [p for p in pages if p.lang == ctx.lang]


@register("lecturas")
def render_readings(ctx: MarkerContext) -> str:
    """`<!-- kb:lecturas paginas=a/b,c/d -->`: the module's readings with times and a total."""
    keys = [k for k in ctx.args.get("paginas", "").split(",") if k]
    if not keys:
        raise MarkerError("give the pages: <!-- kb:lecturas paginas=protocolos/primer-contacto,... -->")
    return ctx.render("partials/kb-readings.html", readings=_resolve(ctx, keys),
                      t=STRINGS[ctx.lang], total_keys=" ".join(keys))


@register("lista-por-rol")
def render_role_list(ctx: MarkerContext) -> str:
    """`<!-- kb:lista-por-rol rol=medicina -->`: pages whose audience includes the role."""
    role = ctx.args.get("rol", "")
    if role not in ROLES:
        raise MarkerError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    order = load_order()
    spec = order["roles"].get(role, {})
    why = (spec.get("por_que") or {}).get(ctx.lang, "")
    keys = role_keys(_pages(ctx), role, order["orden"], order["secciones"], spec.get("primero", []), spec.get("sin", []))
    if not keys:  # content not written yet: say so rather than stop the build
        return ctx.render("partials/kb-readings.html", readings=[], t=STRINGS[ctx.lang], total_keys="", why=why)
    return ctx.render("partials/kb-readings.html", readings=_resolve(ctx, keys),
                      t=STRINGS[ctx.lang], total_keys=" ".join(keys), why=why)


@register("catalogo")
def render_catalogue(ctx: MarkerContext) -> str:
    """`<!-- kb:catalogo -->`: every page as a list (plain links without JavaScript)."""
    order = load_order()
    sections = order["secciones"] + [s for s in ("directorio", "formacion", "glosario", "acerca") if s not in order["secciones"]]
    in_nav = nav_keys(ctx.extra["config"].get("nav"))    # trainers find pages as the menu lists them
    sections = nav_sections(in_nav, sections)
    readings = _resolve(ctx, catalogue_keys(_pages(ctx), sections, in_nav))
    labels = _section_labels(ctx, sections)
    groups = [(s, labels.get(s, s), [r for r in readings if r.section == s]) for s in sections]
    from mkdocs.utils import get_relative_url

    # Assets are built once at the site root (static-i18n leaves them out of /en/ builds).
    if not (Path(ctx.extra["config"]["docs_dir"]) / SCRIPT).is_file():
        raise MarkerError(f"missing docs/{SCRIPT}")
    redirects = ctx.extra["config"].plugins.get("redirects")
    moved = moved_keys(redirects.config.get("redirect_maps") or {} if redirects else {})
    return ctx.render("partials/kb-catalogue.html", groups=[g for g in groups if g[2]], lang=ctx.lang,
                      t=STRINGS[ctx.lang], script_href=get_relative_url(SCRIPT, ctx.extra["page"].url),
                      moved=json.dumps(moved, sort_keys=True))


def moved_keys(redirect_maps: dict[str, str]) -> dict[str, str]:
    """Old page key -> new page key, so a list link made before a move still works."""
    moved = {}
    for old, new in redirect_maps.items():
        target = str(new).partition("#")[0]
        if old.endswith(".md") and target.endswith(".md") and "://" not in target:
            moved[old[:-3]] = target[:-3]
    return moved


def _section_labels(ctx: MarkerContext, sections: list[str]) -> dict[str, str]:
    """Section name = title of the section's index page in this language."""
    docs_dir = Path(ctx.extra["config"]["docs_dir"])
    labels = {}
    for section in sections:
        index = docs_dir / section / f"index.{ctx.lang}.md"
        if index.is_file():
            labels[section] = str(_parse(index, docs_dir).meta.get("title") or section)
    return labels


# --- Self-check answers: collapsible on screen, on their own page in print -----

@dataclass(frozen=True)
class Answer:
    heading: str        # nearest ## or ### heading above the answer
    number: int | None  # top-level numbered item holding the answer, if any
    question: str       # first line of that item ('' outside a numbered list)
    body: str           # the answer's Markdown, dedented


def extract_answers(markdown: str) -> list[Answer]:
    """Blocks `??? note kb-respuesta "..."` with the heading and question they belong to."""
    lines = markdown.split("\n")
    answers: list[Answer] = []
    heading, number, question = "", None, ""
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if FENCE_RE.match(line):
            in_fence = not in_fence
        if in_fence:
            i += 1
            continue
        head = HEADING_RE.match(line)
        item = ORDERED_RE.match(line)
        block = ANSWER_RE.match(line)
        if head and len(head.group(1)) in (2, 3):
            heading, number, question = HEADING_ID_RE.sub("", head.group(2)).strip(), None, ""
        elif item:
            number, question = int(item.group(1)), item.group(2).strip()
            while i + 1 < len(lines) and lines[i + 1].strip() and lines[i + 1][:1].isspace() \
                    and not ANSWER_RE.match(lines[i + 1]):
                i += 1
                question += " " + lines[i].strip()
        elif line and not line[0].isspace() and not block:
            number, question = None, ""
        if block:
            indent = len(block.group("indent").expandtabs(4))
            body, i = [], i + 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i][indent + 4:] if lines[i].strip() else "")
                i += 1
            answers.append(Answer(heading, number, question, "\n".join(body).strip("\n")))
            continue
        i += 1
    return answers


@register("clave-respuestas")
def render_answer_key(ctx: MarkerContext) -> str:
    """`<!-- kb:clave-respuestas -->`: every answer of the page again, for print only."""
    page = ctx.extra["page"]
    answers = extract_answers(page.markdown or "")
    if not answers:
        raise MarkerError("no answer blocks ('??? note kb-respuesta \"...\"') on this page")
    # Answer bodies are the page's own Markdown (not data): the key is parsed as Markdown
    # again (md_in_html), so links resolve and are checked like the rest of the page.
    return ctx.render("partials/kb-answer-key.html", answers=answers, t=STRINGS[ctx.lang])
