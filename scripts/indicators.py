"""Trafficking indicators: kept once in docs/_data/indicadores.yml, shown by a marker.

The identification pages, the printable checklist and the pocket guides all read the same
data, so an indicator is never typed twice in one language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from scripts import DATA_DIR, LANGUAGES
from scripts.markers import MarkerContext, MarkerError, register
from scripts.problems import Problem, ProblemsError, relpath, unknown_fields
from scripts.sources import SOURCES_DIR, load_sources
from scripts.yamlutil import SYNTAX_HINT, line_of, read_yaml_file

INDICATORS_FILE = DATA_DIR / "indicadores.yml"
PARTIAL = "partials/kb-indicators.html"
GROUPS = ("fisicos", "conductuales", "control", "laboral", "sexual", "nna", "contexto")
STRENGTHS = ("fuerte", "media", "debil")
REQUIRED_FIELDS = ("id", "grupo", "texto", "fuentes")
ALLOWED_FIELDS = {"id", "grupo", "fuerza", "clave", "por_confirmar", "texto", "fuentes"}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_TEXT = 200                      # "one short line": what you might see
MARKER_ARGS = {"grupo", "solo"}


@dataclass(frozen=True)
class Indicator:
    """One sign a health worker may see, in both languages, with its sources."""

    id: str
    grupo: str
    texto: dict[str, str]
    fuentes: tuple[str, ...]
    fuerza: str | None = None       # only where a source grades it (ILO)
    clave: bool = False             # on the checklist and the pocket guides
    por_confirmar: bool = False     # standard red flag not yet confirmed in a cited source


@dataclass(frozen=True)
class IndicatorData:
    """The whole file: group labels and indicators, in file order."""

    grupos: dict[str, dict[str, str]]
    indicadores: tuple[Indicator, ...]


# --- Validation -------------------------------------------------------------

def _check_text_map(value: Any, shown: str, line: int | None, field: str) -> list[Problem]:
    """An {es, en} map with a non-empty, short line per language."""
    if not isinstance(value, dict):
        return [Problem(shown, line, field, "must be a map {es: ..., en: ...}", "")]
    problems = []
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(shown, line, field, f"missing language '{lang}'",
                                    f"write the text in {' and '.join(LANGUAGES)}"))
        elif len(text) > MAX_TEXT:
            problems.append(Problem(shown, line, field, f"'{lang}' too long ({len(text)} > {MAX_TEXT} characters)",
                                    "one short line: what you might see"))
    for lang in sorted(set(value) - set(LANGUAGES)):
        problems.append(Problem(shown, line, field, f"unknown language '{lang}'",
                                f"use only: {', '.join(LANGUAGES)}"))
    return problems


def validate_indicator_data(data: Any, shown: str, source_ids: set[str]) -> list[Problem]:
    """Every problem in the parsed file: fields, groups, strengths, sources, duplicates."""
    if not isinstance(data, dict) or not isinstance(data.get("indicadores"), list):
        return [Problem(shown, 1, "", "expected 'grupos:' and a list under 'indicadores:'", "")]
    problems: list[Problem] = []
    grupos = data.get("grupos")
    if not isinstance(grupos, dict):
        problems.append(Problem(shown, 1, "grupos", "missing", f"add labels for: {', '.join(GROUPS)}"))
        grupos = {}
    for name in GROUPS:
        if name not in grupos:
            problems.append(Problem(shown, line_of(data, "grupos"), "grupos", f"no label for grupo '{name}'", ""))
        else:
            problems += _check_text_map(grupos[name], shown, line_of(grupos, name), f"grupos.{name}")
    for name in sorted(set(grupos) - set(GROUPS)):
        problems.append(Problem(shown, line_of(grupos, name), "grupos", f"unknown grupo {name!r}",
                                f"use one of: {', '.join(GROUPS)}"))
    first_line: dict[str, int | None] = {}
    for entry in data["indicadores"]:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict):
            problems.append(Problem(shown, line, "", "each indicator must be a mapping", "start it with '- id: ...'"))
            continue
        for name in REQUIRED_FIELDS:
            if name not in entry or entry.get(name) in (None, ""):
                problems.append(Problem(shown, line, name, "missing", f"add '{name}:' to this indicator"))
        problems += unknown_fields(shown, entry, ALLOWED_FIELDS)
        ident = entry.get("id")
        if ident is not None:
            ident = str(ident)
            if not ID_RE.match(ident):
                problems.append(Problem(shown, line_of(entry, "id"), "id", f"bad id {ident!r}",
                                        "lowercase ASCII kebab-case, e.g. 'documentos-retenidos'"))
            if ident in first_line:
                problems.append(Problem(shown, line_of(entry, "id"), "id",
                                        f"duplicate id {ident!r} (first on line {first_line[ident]})",
                                        "ids must be unique"))
            else:
                first_line[ident] = line_of(entry, "id")
        grupo = entry.get("grupo")
        if grupo is not None and grupo not in GROUPS:
            problems.append(Problem(shown, line_of(entry, "grupo"), "grupo", f"unknown grupo {grupo!r}",
                                    f"use one of: {', '.join(GROUPS)}"))
        if "fuerza" in entry and entry["fuerza"] not in STRENGTHS:
            problems.append(Problem(shown, line_of(entry, "fuerza"), "fuerza", f"bad fuerza {entry['fuerza']!r}",
                                    "use fuerte, media or debil, and only where a source grades the indicator"))
        for flag in ("clave", "por_confirmar"):
            if flag in entry and not isinstance(entry[flag], bool):
                problems.append(Problem(shown, line_of(entry, flag), flag, "must be true or false", ""))
        if "texto" in entry:
            problems += _check_text_map(entry["texto"], shown, line_of(entry, "texto"), "texto")
        fuentes = entry.get("fuentes")
        if "fuentes" in entry and not isinstance(fuentes, list):
            problems.append(Problem(shown, line_of(entry, "fuentes"), "fuentes", "must be a list of source ids",
                                    "e.g. fuentes: [s09, s55]"))
        elif isinstance(fuentes, list):
            if not fuentes and entry.get("por_confirmar") is not True:
                problems.append(Problem(shown, line_of(entry, "fuentes"), "fuentes", "empty",
                                        "cite a source, or set 'por_confirmar: true'"))
            for source_id in fuentes:
                if str(source_id) not in source_ids:
                    problems.append(Problem(shown, line_of(entry, "fuentes"), "fuentes",
                                            f"unknown source id {source_id!r}",
                                            "ids are listed in docs/_data/fuentes/*.yml"))
    return problems


def _to_indicator(entry: dict) -> Indicator:
    return Indicator(id=str(entry["id"]), grupo=entry["grupo"],
                     texto={lang: str(entry["texto"][lang]).strip() for lang in LANGUAGES},
                     fuentes=tuple(str(s) for s in entry["fuentes"]),
                     fuerza=entry.get("fuerza"), clave=bool(entry.get("clave", False)),
                     por_confirmar=bool(entry.get("por_confirmar", False)))


def load_indicators(path: Path = INDICATORS_FILE, source_ids: set[str] | None = None,
                    sources_dir: Path = SOURCES_DIR) -> tuple[IndicatorData | None, list[Problem]]:
    """Read and validate the file; data is None when any problem is found."""
    shown = relpath(path)
    if source_ids is None:
        sources, source_problems = load_sources(sources_dir)
        if source_problems:
            return None, source_problems
        source_ids = set(sources)
    data, problems = read_yaml_file(path, shown)
    if problems:
        return None, [Problem(p.path, p.line, "", "not valid YAML", p.message.removeprefix("invalid YAML: "))
                      if p.hint == SYNTAX_HINT else p for p in problems]
    problems = validate_indicator_data(data, shown, source_ids)
    if problems:
        return None, problems
    grupos = {name: {lang: str(data["grupos"][name][lang]) for lang in LANGUAGES} for name in GROUPS}
    return IndicatorData(grupos, tuple(_to_indicator(e) for e in data["indicadores"])), []


def check_indicators(path: Path = INDICATORS_FILE, sources_dir: Path = SOURCES_DIR) -> list[Problem]:
    """Only the problems (for the CLI)."""
    return load_indicators(path, sources_dir=sources_dir)[1]


# --- Selection and public API -------------------------------------------------

def select(data: IndicatorData, grupos: list[str] | None = None, only_key: bool = False) -> list[Indicator]:
    """Indicators of the given groups (all when None), in file order; key ones only if asked."""
    chosen = [i for i in data.indicadores if (not grupos or i.grupo in grupos) and (i.clave or not only_key)]
    if grupos:  # keep the order the caller asked for
        chosen.sort(key=lambda i: grupos.index(i.grupo))
    return chosen


def as_dict(indicator: Indicator, data: IndicatorData, lang: str) -> dict[str, Any]:
    """Plain dict in one language, for templates and other modules."""
    return {"id": indicator.id, "grupo": indicator.grupo, "grupo_nombre": data.grupos[indicator.grupo][lang],
            "texto": indicator.texto[lang], "fuerza": indicator.fuerza, "por_confirmar": indicator.por_confirmar}


def key_indicators(lang: str, path: Path = INDICATORS_FILE) -> list[dict[str, Any]]:
    """The key indicators (clave) in `lang`, grouped in GROUPS order: for the pocket guides.

    Each dict has id, grupo, grupo_nombre, texto (in `lang`), fuerza (None when no source
    grades it) and por_confirmar. Raises ProblemsError when the data is invalid.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    data, problems = load_indicators(path)
    if problems:
        raise ProblemsError(problems)
    return [as_dict(i, data, lang) for i in select(data, list(GROUPS), only_key=True)]


# --- Marker -------------------------------------------------------------------

def parse_marker_args(args: dict[str, str]) -> tuple[list[str] | None, bool]:
    """`grupo=a,b` and `solo=clave`; anything else is an error naming the bad value."""
    unknown = sorted(set(args) - MARKER_ARGS)
    if unknown:
        raise MarkerError(f"unknown argument(s) {', '.join(unknown)}; use grupo=<{'|'.join(GROUPS)}> and/or solo=clave")
    grupos = [g for g in args.get("grupo", "").split(",") if g] or None
    bad = [g for g in grupos or [] if g not in GROUPS]
    if bad:
        raise MarkerError(f"unknown grupo {', '.join(bad)}; use one of: {', '.join(GROUPS)}")
    solo = args.get("solo")
    if solo not in (None, "clave"):
        raise MarkerError(f"unknown solo={solo}; the only value is solo=clave")
    return grupos, solo == "clave"


def render_indicator_list(render: Callable[..., str], data: IndicatorData, lang: str,
                          args: dict[str, str]) -> str:
    """HTML for one marker: a plain list per group, or the grouped checklist (solo=clave)."""
    grupos, only_key = parse_marker_args(args)
    chosen = select(data, grupos, only_key)
    if not chosen:
        raise MarkerError(f"no indicators match {args}")
    sections = []
    for name in grupos or GROUPS:
        items = [as_dict(i, data, lang) for i in chosen if i.grupo == name]
        if items:
            sections.append({"grupo": name, "nombre": data.grupos[name][lang], "items": items})
    return render(PARTIAL, sections=sections, lang=lang, checklist=only_key,
                  show_group=only_key or len(sections) > 1)


@register("indicadores", keep=True)
def render_indicators(ctx: MarkerContext) -> str:
    """`<!-- kb:indicadores grupo=fisicos -->` or `<!-- kb:indicadores solo=clave -->`."""
    data, problems = load_indicators()
    if problems:
        raise MarkerError("; ".join(p.format() for p in problems))
    return render_indicator_list(ctx.render, data, ctx.lang, ctx.args)


# --- CLI ----------------------------------------------------------------------

def run_check_indicators(args) -> int:
    """`python -m scripts check-indicators`: validate docs/_data/indicadores.yml."""
    from scripts.cli_pages import print_problems

    return print_problems(check_indicators(), "The indicators file is valid.")
