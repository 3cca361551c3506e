"""The glossary: one data file of terms and acronyms, shown as a page and as tooltips.

`docs/_data/glosario.yml` is the single source. From it come: the `<!-- kb:glosario -->`
definition list, the per-language abbreviation definitions appended to every page (the
`abbr` extension turns them into `<abbr title>` tooltips), and `check-glossary`, which
fails when a page uses an acronym the glossary does not define.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from scripts import DATA_DIR, DOCS_DIR, LANGUAGES
from scripts.pages import FENCE_RE, FRONT_MATTER_RE, iter_page_paths
from scripts.problems import Problem, relpath, unknown_fields
from scripts.yamlutil import SYNTAX_HINT, line_of, read_yaml_file

GLOSSARY_FILE = DATA_DIR / "glosario.yml"
INCLUDES_DIR = DOCS_DIR / "_includes"
REQUIRED_FIELDS = ("id", "termino", "definicion")
ALLOWED_FIELDS = {"id", "termino", "sigla", "definicion"}
LOCALISED_FIELDS = ("termino", "definicion")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An acronym: two or more capital letters (accented capitals and Ñ included) as a word.
ACRONYM_RE = re.compile(r"(?<![\w-])[A-ZÁÉÍÓÚÑ]{2,}(?![\w])")
SIGLA_RE = re.compile(r"^[A-ZÁÉÍÓÚÑ]{2,}$")
# Parts of a page that are not prose: inline code, URLs, link targets, HTML comments and
# tags, attribute lists, abbreviation definitions and numbers of legal instruments
# ("007-2023-IN", "868-2022/MINSA": the suffixes are issuer codes, not words).
NOT_PROSE_RES = (
    re.compile(r"`[^`]*`"),
    re.compile(r"<!--.*?-->"),
    re.compile(r"<[^>]+>"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"https?://\S+"),
    re.compile(r"\{[^}]*\}"),
    re.compile(r"\d+(?:[-/.][A-Za-z0-9ÁÉÍÓÚÑáéíóúñ]+)+"),
    re.compile(r"\bEE\.\s?UU\.|\bUS\$"),          # "EE. UU." and "US$": not acronyms to explain
)
ABBR_DEFINITION_RE = re.compile(r"^\*\[[^\]]+\]:")
SNIPPET_LINE_RE = re.compile(r'^\s*-{1,}8<-{1,}\s')
# Capitals that are not acronyms to explain: roman numerals, file formats, "ID card", licence
# names (CC BY, MIT) and the WCAG conformance level (AA).
ROMAN_RE = re.compile(r"^[IVX]+$")
IGNORED_ACRONYMS = frozenset({"PDF", "URL", "HTML", "ISBN", "ISO", "QR", "CSV", "JSON", "ID",
                              "CC", "BY", "MIT", "AA"})


@dataclass(frozen=True)
class Term:
    """One glossary entry, with its text in both languages."""

    id: str
    termino: dict[str, str]
    definicion: dict[str, str]
    sigla: dict[str, str]          # per language; empty strings when the term has none


# --- Loading and validation ------------------------------------------------

def _sigla_map(value: Any) -> dict[str, str]:
    """A sigla is one string for both languages or an {es, en} map (VIH / HIV)."""
    if isinstance(value, dict):
        return {lang: str(value.get(lang) or "") for lang in LANGUAGES}
    return {lang: "" if value is None else str(value) for lang in LANGUAGES}


def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[list[Term], list[Problem]]:
    """Read and validate the glossary; return the valid terms and every problem found."""
    shown = relpath(path)
    if not Path(path).is_file():
        return [], [Problem(shown, None, "", "glossary file not found", "create docs/_data/glosario.yml")]
    data, problems = read_yaml_file(path, shown)
    if problems:
        return [], [Problem(p.path, p.line, p.field, p.message, "quote texts that contain ': '")
                    if p.hint == SYNTAX_HINT else p for p in problems]
    if not isinstance(data, list):
        return [], [Problem(shown, 1, "", "must be a list of terms", "start each entry with '- id: ...'")]
    terms: list[Term] = []
    problems: list[Problem] = []
    seen_ids: dict[str, int | None] = {}
    seen_siglas: dict[tuple[str, str], str] = {}
    for entry in data:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict):
            problems.append(Problem(shown, line, "", "each term must be a mapping", ""))
            continue
        before = len(problems)
        for name in REQUIRED_FIELDS:
            if not entry.get(name):
                problems.append(Problem(shown, line, name, "missing", f"add '{name}:' to this term"))
        problems += unknown_fields(shown, entry, ALLOWED_FIELDS)
        term_id = str(entry.get("id") or "")
        if term_id and not ID_RE.match(term_id):
            problems.append(Problem(shown, line_of(entry, "id"), "id", f"not kebab-case: {term_id!r}",
                                    "lowercase ASCII letters, digits and hyphens"))
        if term_id in seen_ids:
            problems.append(Problem(shown, line_of(entry, "id"), "id",
                                    f"duplicate id {term_id!r} (also on line {seen_ids[term_id]})", ""))
        elif term_id:
            seen_ids[term_id] = line_of(entry, "id")
        for name in LOCALISED_FIELDS:
            value = entry.get(name)
            if value and not isinstance(value, dict):
                problems.append(Problem(shown, line_of(entry, name), name, "must be a map {es: ..., en: ...}", ""))
                continue
            for lang in LANGUAGES:
                if value and not str(value.get(lang) or "").strip():
                    problems.append(Problem(shown, line_of(entry, name), f"{name}.{lang}", "missing",
                                            f"write the {lang} text"))
        siglas = _sigla_map(entry.get("sigla"))
        one_language = isinstance(entry.get("sigla"), dict)   # {en: US}: no Spanish acronym
        if one_language and not any(siglas.values()):
            problems.append(Problem(shown, line_of(entry, "sigla"), "sigla", "empty",
                                    "give the acronym in at least one language"))
        for lang, sigla in siglas.items():
            if one_language and not sigla:
                continue
            if "sigla" in entry and not SIGLA_RE.match(sigla):
                problems.append(Problem(shown, line_of(entry, "sigla"), "sigla",
                                        f"not an acronym: {sigla!r}", "two or more capital letters, nothing else"))
                break
            key = (lang, sigla)
            if sigla and key in seen_siglas and seen_siglas[key] != term_id:
                problems.append(Problem(shown, line_of(entry, "sigla"), "sigla",
                                        f"{sigla!r} ({lang}) already defined by {seen_siglas[key]!r}", ""))
            elif sigla:
                seen_siglas[key] = term_id
        if len(problems) == before:
            terms.append(Term(term_id, {k: str(v) for k, v in entry["termino"].items()},
                              {k: str(v) for k, v in entry["definicion"].items()}, siglas))
    return terms, problems


def siglas_for(terms: list[Term], lang: str) -> dict[str, Term]:
    """Acronym -> term, for one language."""
    return {t.sigla[lang]: t for t in terms if t.sigla.get(lang)}


# --- Tooltips --------------------------------------------------------------

def abbreviation_block(terms: list[Term], lang: str) -> str:
    """`*[CEM]: Centro Emergencia Mujer` lines for the `abbr` extension, one language.

    An acronym of the other language (VIH in an English page, quoting a Spanish title) gets
    this language's term and acronym: `*[VIH]: Human immunodeficiency virus (HIV)`.
    """
    own = siglas_for(terms, lang)
    lines = [f"*[{sigla}]: {_title(term.termino[lang])}" for sigla, term in sorted(own.items())]
    for other in LANGUAGES:
        for sigla, term in sorted(siglas_for(terms, other).items()):
            if sigla not in own:
                mine = f" ({term.sigla[lang]})" if term.sigla.get(lang) else ""
                lines.append(f"*[{sigla}]: {_title(term.termino[lang])}{mine}")
                own = {**own, sigla: term}
    return "\n".join(lines)


def _title(text: str) -> str:
    """One line, no closing bracket (it would end the abbreviation definition)."""
    return " ".join(text.split()).replace("]", ")")


def append_abbreviations(markdown: str, terms: list[Term], lang: str) -> str:
    """The page's Markdown with the language's abbreviation definitions at the end."""
    block = abbreviation_block(terms, lang)
    return f"{markdown.rstrip()}\n\n{block}\n" if block else markdown


# --- Acronym check -----------------------------------------------------------

def find_acronyms(text: str, start: int = 1) -> list[tuple[int, str]]:
    """(line, acronym) for every acronym in prose, outside code, links, HTML and numbers."""
    found = []
    in_fence = False
    for offset, line in enumerate(text.split("\n")):
        if FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or ABBR_DEFINITION_RE.match(line) or SNIPPET_LINE_RE.match(line):
            continue
        for pattern in NOT_PROSE_RES:
            line = pattern.sub(" ", line)
        for match in ACRONYM_RE.finditer(line):
            word = match.group(0)
            if ROMAN_RE.match(word) or word in IGNORED_ACRONYMS:
                continue
            found.append((start + offset, word))
    return found


def _page_body(path: Path) -> tuple[str, int]:
    """Body of a page (front matter removed) and the file line where it starts."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return text, 1
    return text[match.end():], match.group(0).count("\n") + 1


def check_glossary(docs_dir: Path = DOCS_DIR, glossary_file: Path | None = None) -> list[Problem]:
    """Glossary problems, plus every acronym in a page, snippet or flow that it does not define."""
    docs_dir = Path(docs_dir)
    terms, problems = load_glossary(glossary_file or docs_dir / "_data" / "glosario.yml")
    # An acronym of either language counts (an English page may quote a Spanish title).
    known = {sigla for lang in LANGUAGES for sigla in siglas_for(terms, lang)}
    paths = list(iter_page_paths(docs_dir)) + sorted((docs_dir / "_includes").glob("*.md"))
    found_in: list[tuple[Path, list[tuple[int, str]]]] = []
    for path in paths:
        body, start = _page_body(path)
        found_in.append((path, list(find_acronyms(body, start))))
    for path in sorted((docs_dir / "_data" / "flujos").glob("*.yml")):
        found_in.append((path, [(line, word) for line, text in _flow_texts(path)
                                for _line, word in find_acronyms(text, line)]))
    for path, found in found_in:
        reported: set[str] = set()
        for line, word in found:
            if word in reported or word in known:
                continue
            reported.add(word)
            problems.append(Problem(relpath(path), line, "acronym",
                                    f"{word!r} is not in the glossary",
                                    "add it to docs/_data/glosario.yml (sigla) or spell it out"))
    return problems


def _flow_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every step text and branch label of a flow file (shown on pages)."""
    flow, problems = read_yaml_file(path)
    if problems or not isinstance(flow, dict):
        return []                  # check-flows reports broken flow files
    found = []
    for step in (flow or {}).get("steps") or []:
        if not isinstance(step, dict):
            continue
        for value in (step.get("text") or {}).values():
            found.append((line_of(step, "text") or 1, str(value)))
        for branch in step.get("branches") or []:
            if isinstance(branch, dict):
                for value in (branch.get("label") or {}).values():
                    found.append((line_of(branch, "label") or 1, str(value)))
    return found


def run_check_glossary(args) -> int:
    """CLI: validate the glossary and the acronyms used in every page."""
    from scripts.cli_pages import print_problems

    return print_problems(check_glossary(args.docs_dir),
                          "The glossary is valid and defines every acronym used in the pages.")


# --- Marker ----------------------------------------------------------------

from scripts.markers import MarkerContext, MarkerError, register  # noqa: E402


@register("glosario", keep=True)
def render_glossary(ctx: MarkerContext) -> str:
    """The whole glossary as a definition list, sorted by term, an anchor per term."""
    terms, problems = load_glossary()
    if problems:
        raise MarkerError("; ".join(p.format() for p in problems))
    lang = ctx.lang
    items = sorted(terms, key=lambda t: _sort_key(t.termino[lang] if not t.sigla[lang] else t.sigla[lang]))
    return ctx.render("partials/kb-glossary.html", terms=[{
        "id": t.id,
        "sigla": t.sigla[lang],
        "termino": t.termino[lang],
        "definicion": t.definicion[lang],
    } for t in items], lang=lang)


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case (á sorts with a)."""
    import unicodedata

    folded = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))
