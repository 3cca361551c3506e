"""Ranking and everyday words for Material's lunr search (issue 16).

Material's worker appends `*` to every query word, and lunr skips its pipeline for such
terms: "de*" matched "declaración" in a field boosted 1000 times, and accents had to be
folded into extra fields. Instead, each language's index names a small lunr language
plugin (`scripts/search_lunr.js`, written next to Material's own lunr language files)
that folds accents and drops stop words in every field and in the query, and never
prefix-matches a word shorter than three letters. This module prepares the index for it:

- field boosts that let the body count (title 8, text 1; no 1000x title);
- a weight per page from its section (protocols above training, about pages last) and
  per heading anchor (bibliographies weigh little), as lunr document boosts;
- everyday words (docs/_data/busqueda/palabras.yml) and the glossary's acronyms in both
  directions, added to the pages that use the guide's own words, in two extra fields:
  `kt` (the words matched a title) and `kx` (they matched the text);
- the section label (Protocolo, Directorio...) as the result's tag, shown by Material.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts import DATA_DIR, LANGUAGES
from scripts.problems import Problem, relpath, unknown_fields
from scripts.yamlutil import line_of, load_yaml_file

WORDS_FILE = DATA_DIR / "busqueda" / "palabras.yml"
PLUGIN_TEMPLATE = Path(__file__).with_name("search_lunr.js")
PLUGIN_DIR = "assets/javascripts/lunr/min"      # where Material's worker looks for lunr.<lang>.min.js
PLUGIN_PREFIX = "kb"                             # index language "kbes" -> lunr.kbes.min.js
MIN_PREFIX = 3                                   # shorter query words match only exactly
MIN_STEM = 3                                     # a plural is cut only if this much is left
MIN_TEXT_MATCHES = 2                             # a text must use a one-word phrase this often (longer: once)
# lunr fields and their boosts (Material adds title 1000, text 1, tags 1e6 by default)
FIELDS: dict[str, dict[str, float]] = {"title": {"boost": 8}, "text": {"boost": 1},
                                       "kt": {"boost": 6}, "kx": {"boost": 0.5}}
# word separators: spaces, hyphens, slashes and punctuation (Material's default is [\s\-]+)
SEPARATOR = r'[\s\-/·,;:()¿?¡!"«»“”\[\]]+'
TAG_RE = re.compile(r"<[^>]+>")
NON_WORD_RE = re.compile(r"[^a-z0-9]+")
SECTION_KEYS = {"etiqueta", "peso"}
TOP_KEYS = {"secciones", "anclas", "vacias", "palabras", "erratas"}
RULE_KEYS = {"escriben", "buscar", "fuerte"}


def fold(text: str) -> str:
    """Lower-case, strip accents and ñ's tilde: 'Niño Atención' -> 'nino atencion'."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Folded words separated by single spaces, padded: '<b>Niñas,</b> niños' -> ' ninas ninos '."""
    return " " + NON_WORD_RE.sub(" ", fold(TAG_RE.sub(" ", text))).strip() + " "


@dataclass(frozen=True)
class Rule:
    """Words people type (`typed`) for pages that use the guide's words (`guide`), one language."""

    typed: tuple[str, ...]
    guide: tuple[str, ...]          # normalised phrases; an all-capitals phrase matches case-sensitively
    strong: bool = False            # a match in the text weighs like one in the title


@dataclass
class SearchWords:
    """Everything the index needs from palabras.yml and the glossary."""

    sections: dict[str, tuple[dict[str, str], float]] = field(default_factory=dict)
    anchors: dict[str, float] = field(default_factory=dict)
    stop: dict[str, list[str]] = field(default_factory=lambda: {lang: [] for lang in LANGUAGES})
    rules: dict[str, list[Rule]] = field(default_factory=lambda: {lang: [] for lang in LANGUAGES})
    typos: dict[str, dict[str, str]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})


# --- Loading and validation ------------------------------------------------

def _strings(value: Any) -> list[str] | None:
    """A list of non-empty strings, or None when it is not one."""
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        return None
    return [str(v).strip() for v in value]


def _per_language(value: Any, shown: str, line: int | None, where: str) -> tuple[dict[str, list[str]], list[Problem]]:
    """An {es: [...], en: [...]} map of word lists."""
    if not isinstance(value, dict):
        value = {}
    result, problems = {}, []
    if set(value) != set(LANGUAGES):
        problems.append(Problem(shown, line, where, "needs a word list for each language: es and en",
                                "write {es: [palabra], en: [word]}"))
    for lang in (lang for lang in LANGUAGES if lang in value):
        words = _strings(value[lang])
        if words is None:
            problems.append(Problem(shown, line, f"{where}.{lang}", "must be a non-empty list of words",
                                    "write [palabra, otra palabra]"))
        else:
            result[lang] = words
    return result, problems


def _load_sections(data: Any, shown: str, top: dict) -> tuple[dict, list[Problem]]:
    sections, problems = {}, []
    if not isinstance(data, dict):
        return {}, [Problem(shown, line_of(top, "secciones"), "secciones", "must map a folder to a label and a weight",
                            'write protocolos: {etiqueta: {es: Protocolo, en: Protocol}, peso: 1.5}')]
    for key, spec in data.items():
        where = f"secciones.{key}"
        line = line_of(data, key)
        if not isinstance(spec, dict):
            problems.append(Problem(shown, line, where, "must have etiqueta and peso", "see the other sections"))
            continue
        problems += unknown_fields(shown, spec, SECTION_KEYS, where)
        label, weight = spec.get("etiqueta"), spec.get("peso")
        if not isinstance(label, dict) or not all(isinstance(label.get(lang), str) and label[lang].strip()
                                                  for lang in LANGUAGES):
            problems.append(Problem(shown, line, f"{where}.etiqueta", "needs a label in es and en",
                                    "write etiqueta: {es: Protocolo, en: Protocol}"))
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 10:
            problems.append(Problem(shown, line, f"{where}.peso", f"must be a number above 0 and at most 10, not {weight!r}",
                                    "1 is neutral; content 1.3-1.6, training 0.5, about pages 0.15"))
            continue
        sections[str(key)] = ({lang: label[lang].strip() for lang in LANGUAGES}, float(weight))
    return sections, problems


def load_search_words(path: Path = WORDS_FILE, glossary_file: Path | None = None) -> tuple[SearchWords, list[Problem]]:
    """Read and validate palabras.yml, add the glossary acronyms; every problem at once."""
    shown = relpath(path)
    words = SearchWords()
    if not Path(path).is_file():
        return words, [Problem(shown, None, "", "search words file not found", "restore docs/_data/busqueda/palabras.yml")]
    try:
        data = load_yaml_file(path)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return words, [Problem(shown, mark.line + 1 if mark else None, "", f"not valid YAML: {error}", "fix the syntax")]
    if not isinstance(data, dict):
        return words, [Problem(shown, 1, "", "must be a mapping with secciones, anclas, vacias, palabras, erratas",
                               "see the comments at the top of the file")]
    problems = unknown_fields(shown, data, TOP_KEYS)
    words.sections, found = _load_sections(data.get("secciones"), shown, data)
    problems += found

    anchors = data.get("anclas") or {}
    if not isinstance(anchors, dict):
        problems.append(Problem(shown, line_of(data, "anclas"), "anclas", "must map a heading id to a weight",
                                "write fuentes: 0.2"))
    for key, weight in (anchors.items() if isinstance(anchors, dict) else []):
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 10:
            problems.append(Problem(shown, line_of(anchors, key), f"anclas.{key}", f"must be a number above 0, not {weight!r}",
                                    "0.2 for a bibliography"))
        else:
            words.anchors[str(key)] = float(weight)

    stop, found = _per_language(data.get("vacias"), shown, line_of(data, "vacias"), "vacias")
    problems += found
    words.stop.update({lang: sorted({fold(w) for w in ws}) for lang, ws in stop.items()})

    typos = data.get("erratas") or {}
    if not isinstance(typos, dict) or not all(isinstance(typos.get(lang, {}), dict) for lang in LANGUAGES):
        problems.append(Problem(shown, line_of(data, "erratas"), "erratas", "must map es and en to {wrong: right}",
                                "write erratas: {es: {telefno: telefono}, en: {referal: referral}}"))
        typos = {}
    for lang in LANGUAGES:
        pairs = typos.get(lang)
        for wrong, right in (pairs.items() if isinstance(pairs, dict) else []):
            where = f"erratas.{lang}.{wrong}"
            wrong_f, right_f = fold(str(wrong)).strip(), fold(str(right or "")).strip()
            if not right_f or not wrong_f.isalnum() or not right_f.isalnum():
                problems.append(Problem(shown, line_of(pairs, wrong), where, "a misspelling and its correct form are single words",
                                        "write wrongword: rightword"))
            elif wrong_f == right_f:
                problems.append(Problem(shown, line_of(pairs, wrong), where, "the misspelling equals the correct word",
                                        "remove the line (accents and capitals are already ignored)"))
            else:
                words.typos[lang][wrong_f] = right_f

    rules = data.get("palabras")
    if not isinstance(rules, list):
        problems.append(Problem(shown, line_of(data, "palabras"), "palabras", "must be a list of {escriben, buscar}",
                                "see the examples in the file"))
        rules = []
    for number, rule in enumerate(rules, 1):
        where = f"palabras[{number}]"
        if not isinstance(rule, dict):
            problems.append(Problem(shown, None, where, "must have escriben and buscar", "see the other entries"))
            continue
        problems += unknown_fields(shown, rule, RULE_KEYS, where)
        typed, found_t = _per_language(rule.get("escriben"), shown, line_of(rule, "escriben"), f"{where}.escriben")
        guide, found_g = _per_language(rule.get("buscar"), shown, line_of(rule, "buscar"), f"{where}.buscar")
        problems += found_t + found_g
        strong = rule.get("fuerte", False)
        if not isinstance(strong, bool):
            problems.append(Problem(shown, line_of(rule, "fuerte"), f"{where}.fuerte", "must be true or false",
                                    "fuerte: true makes a match in the text weigh like one in the title"))
            strong = False
        for lang, phrases in typed.items():
            useless = [w for w in phrases if normalise(w).split() and set(normalise(w).split()) <= set(words.stop[lang])]
            if useless:
                problems.append(Problem(shown, line_of(rule, "escriben"), f"{where}.escriben.{lang}",
                                        f"{useless[0]!r} is made only of stop words: search never sees it",
                                        "write the word that carries the meaning, or drop it"))
        for lang in set(typed) & set(guide):
            words.rules[lang].append(_rule(typed[lang], guide[lang], words.typos[lang], strong))

    words.rules = {lang: words.rules[lang] + glossary_rules(lang, glossary_file) for lang in LANGUAGES}
    return words, problems


def _rule(typed: list[str], guide: list[str], typos: dict[str, str], strong: bool = False) -> Rule:
    """A rule with its typed words' known misspellings added."""
    typed_words = [normalise(t).strip() for t in typed]
    tokens = {w for t in typed_words for w in t.split()}
    typed_words += sorted(wrong for wrong, right in typos.items() if right in tokens)
    guide_phrases = [g.strip() if g.strip().isupper() else normalise(g).strip() for g in guide]
    return Rule(tuple(dict.fromkeys(typed_words)), tuple(p for p in guide_phrases if p), strong)


def glossary_rules(lang: str, glossary_file: Path | None = None) -> list[Rule]:
    """Both directions for every acronym: CEM finds 'Centro Emergencia Mujer' pages and back."""
    from scripts.glossary import GLOSSARY_FILE, load_glossary

    terms, _ = load_glossary(glossary_file or GLOSSARY_FILE)   # the glossary check reports its problems
    rules = []
    for term in terms:
        sigla = term.sigla.get(lang, "").strip()
        meaning = re.sub(r"\([^)]*\)", " ", term.termino.get(lang, "")).strip()
        if not sigla or not meaning or not re.fullmatch(r"[A-ZÁÉÍÓÚÑ0-9]{2,}", sigla):
            continue
        rules.append(Rule((fold(sigla),), (normalise(meaning).strip(),)))
        rules.append(Rule((normalise(meaning).strip(),), (sigla,)))
    return rules


# --- The index -------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _acronym_re(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")


def _count(phrase: str, normalised: str, raw: str) -> int:
    """Times a phrase is in a text: folded whole words, or the exact acronym when in capitals."""
    if phrase.isupper():
        return len(_acronym_re(phrase).findall(raw)) if phrase in raw else 0
    return normalised.count(f" {phrase} ")


# Results of everyday_words by (rules, typos) and then by (title, text): a pure function, so
# `mkdocs serve` works out again only the documents whose title or text changed.
_WORDS_MEMO: dict[tuple, dict[tuple[str, str], tuple[str, str]]] = {}
_WORDS_MEMO_MAX = 20_000


def words_memo(rules: list[Rule], typos: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    """The everyday_words results kept for these rules and typos."""
    key = (tuple(rules), tuple(sorted(typos.items())))
    if key not in _WORDS_MEMO and len(_WORDS_MEMO) >= 8:     # palabras.yml edited often: keep the newest
        _WORDS_MEMO.clear()
    return _WORDS_MEMO.setdefault(key, {})


def everyday_words(doc: dict, rules: list[Rule], typos: dict[str, str],
                   memo: dict[tuple[str, str], tuple[str, str]] | None = None) -> tuple[str, str]:
    """(words for the title field kt, words for the text field kx) of one index document."""
    memo = words_memo(rules, typos) if memo is None else memo
    key = (doc.get("title", ""), doc.get("text", ""))
    if key not in memo:
        if len(memo) >= _WORDS_MEMO_MAX:
            memo.clear()
        memo[key] = _everyday_words(*key, rules, typos)
    return memo[key]


def _everyday_words(title: str, text: str, rules: list[Rule], typos: dict[str, str]) -> tuple[str, str]:
    title_raw, text_raw = TAG_RE.sub(" ", title), TAG_RE.sub(" ", text)
    title, text = normalise(title_raw), normalise(text_raw)
    in_title: dict[str, None] = {}
    in_text: dict[str, None] = {}
    for rule in rules:
        if any(_count(p, title, title_raw) for p in rule.guide):
            in_title.update(dict.fromkeys(rule.typed))
        elif sum(_count(p, text, text_raw) * (MIN_TEXT_MATCHES if " " in p else 1)
                 for p in rule.guide) >= MIN_TEXT_MATCHES:
            (in_title if rule.strong else in_text).update(dict.fromkeys(rule.typed))
    title_words, text_words = set(title.split()), set(text.split())
    for wrong, right in typos.items():
        if right in title_words:
            in_title[wrong] = None
        elif right in text_words:
            in_text[wrong] = None
    for word in in_title:
        in_text.pop(word, None)
    return " ".join(in_title), " ".join(in_text)


def document_weight(location: str, words: SearchWords) -> float:
    """Section weight x heading-anchor weight for one index location."""
    path, _, anchor = location.partition("#")
    section = path.split("/", 1)[0] if "/" in path else ""
    weight = words.sections.get(section, ({}, 1.0))[1]
    return round(weight * words.anchors.get(anchor, 1.0), 3)


def section_label(location: str, words: SearchWords, lang: str) -> str | None:
    """The label shown on a result ('Protocolo'), from the page's first folder."""
    path = location.partition("#")[0]
    section = path.split("/", 1)[0] if "/" in path else ""
    spec = words.sections.get(section)
    return spec[0][lang] if spec else None


def plugin_name(lang: str) -> str:
    """The lunr language the index names for `lang` (Material loads lunr.<name>.min.js)."""
    return f"{PLUGIN_PREFIX}{lang}"


def prepare_index(index: dict, lang: str, words: SearchWords) -> dict:
    """Rank, enrich and label one language's Material index (in place; returned)."""
    config = index.setdefault("config", {})
    config.update({"lang": [plugin_name(lang)], "pipeline": [], "separator": SEPARATOR,
                   "fields": {name: dict(spec) for name, spec in FIELDS.items()}})
    docs = index.get("docs", [])
    pages = {doc.get("location", ""): doc for doc in docs if "#" not in doc.get("location", "")}
    for doc in docs:
        for stale in ("title_folded", "text_folded", "kt", "kx", "boost"):
            doc.pop(stale, None)
    rules, typos = words.rules.get(lang, []), words.typos.get(lang, {})
    memo = words_memo(rules, typos)
    for doc in docs:
        in_title, in_text = everyday_words(doc, rules, typos, memo)
        if in_title:
            doc["kt"] = in_title
        if in_text:
            doc["kx"] = " ".join(filter(None, [doc.get("kx"), in_text]))
        # what a section is about, its page is about too (Material ranks pages above sections)
        page = pages.get(doc.get("location", "").partition("#")[0]) if "#" in doc.get("location", "") else None
        if page is not None and in_title:
            known = page.get("kx", "").split()
            page["kx"] = " ".join(dict.fromkeys(known + in_title.split()))
        weight = document_weight(doc.get("location", ""), words)
        if weight != 1.0:
            doc["boost"] = weight
        if "#" not in doc.get("location", ""):
            label = section_label(doc.get("location", ""), words, lang)
            if label:
                doc["tags"] = [label]
            else:
                doc.pop("tags", None)
    return index


def plugin_source(lang: str, words: SearchWords, template: Path = PLUGIN_TEMPLATE) -> str:
    """The lunr language plugin for `lang`, with its stop words (JSON: safe in JavaScript)."""
    data = {"name": plugin_name(lang), "lang": lang, "stop": words.stop.get(lang, []),
            "min_prefix": MIN_PREFIX, "min_stem": MIN_STEM}
    source = Path(template).read_text(encoding="utf-8")
    if source.count("__KB_SEARCH_DATA__") != 1:
        raise ValueError(f"{relpath(template)}: expected the placeholder __KB_SEARCH_DATA__ once")
    return source.replace("__KB_SEARCH_DATA__", json.dumps(data, ensure_ascii=False, sort_keys=True))


def write_plugins(site_dir: Path, words: SearchWords, languages=LANGUAGES) -> list[Path]:
    """Write lunr.kb<lang>.min.js next to Material's lunr language files."""
    folder = Path(site_dir) / PLUGIN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in languages:
        target = folder / f"lunr.{plugin_name(lang)}.min.js"
        target.write_text(plugin_source(lang, words), encoding="utf-8")
        written.append(target)
    return written
