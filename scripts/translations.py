"""Translation parity: every page in both languages, with the same structure."""

from __future__ import annotations

from scripts.dates import as_date
from scripts.pages import Page, count_structure, extract_snippets
from scripts.problems import Problem, relpath

HEADING_LEVELS_WITH_IDS = (2, 3)


def pair_pages(pages: list[Page]) -> tuple[dict[str, dict[str, Page]], list[Problem]]:
    """Group pages by key; report pages without a twin or without a language suffix."""
    pairs: dict[str, dict[str, Page]] = {}
    problems = []
    for page in pages:
        if not page.lang:
            problems.append(Problem(relpath(page.path), None, "file name", "no language suffix",
                                    "rename to <name>.es.md and add <name>.en.md"))
            continue
        pairs.setdefault(page.key, {})[page.lang] = page
    for key, langs in sorted(pairs.items()):
        for have, missing in (("es", "en"), ("en", "es")):
            if have in langs and missing not in langs:
                problems.append(Problem(relpath(langs[have].path), None, "translation",
                                        f"missing {key}.{missing}.md",
                                        f"create docs/{key}.{missing}.md with the same headings and ids"))
    return pairs, problems


def _heading_problems(es: Page, en: Page) -> list[Problem]:
    problems = []
    for page in (es, en):
        for heading in page.headings():
            if heading.level in HEADING_LEVELS_WITH_IDS and not heading.anchor:
                problems.append(Problem(relpath(page.path), heading.line, "heading",
                                        f"'{heading.text}' has no explicit id",
                                        "append '{ #id }' (same id in both languages)"))
    es_ids = [h.anchor for h in es.headings() if h.anchor]
    en_ids = [h.anchor for h in en.headings() if h.anchor]
    if es_ids != en_ids:
        only_es = [i for i in es_ids if i not in en_ids]
        only_en = [i for i in en_ids if i not in es_ids]
        if only_es or only_en:
            detail = "; ".join(filter(None, [
                f"only in Spanish: {', '.join(only_es)}" if only_es else "",
                f"only in English: {', '.join(only_en)}" if only_en else ""]))
        else:
            detail = f"same ids in a different order (es: {', '.join(es_ids)}; en: {', '.join(en_ids)})"
        problems.append(Problem(relpath(en.path), None, "heading ids", f"differ from {es.rel}: {detail}",
                                "use the same headings, ids and order in both languages"))
    return problems


def check_pair(es: Page, en: Page) -> list[Problem]:
    """Structural differences between a Spanish page and its English twin."""
    problems = _heading_problems(es, en)
    shown = relpath(en.path)
    es_markers = [(name, args) for name, args, _ in es.markers()]
    en_markers = [(name, args) for name, args, _ in en.markers()]
    if es_markers != en_markers:
        fmt = lambda ms: ", ".join(name + "".join(f" {k}={v}" for k, v in a.items()) for name, a in ms) or "none"
        problems.append(Problem(shown, None, "markers", f"differ from {es.rel}: es [{fmt(es_markers)}], en [{fmt(en_markers)}]",
                                "use the same <!-- kb:... --> markers in the same order"))
    es_counts, en_counts = count_structure(es.body), count_structure(en.body)
    for name in es_counts:
        if es_counts[name] != en_counts[name]:
            problems.append(Problem(shown, None, name, f"{en_counts[name]} here vs {es_counts[name]} in {es.rel}",
                                    f"keep the same number of {name} in both languages"))
    if extract_snippets(es.body) != extract_snippets(en.body):
        problems.append(Problem(shown, None, "snippets", f"differ from {es.rel}",
                                "include the same snippets, each in the page's own language"))
    for key in ("audience", "region", "review_every_months"):
        if es.meta.get(key) != en.meta.get(key):
            problems.append(Problem(shown, en.line_of(key), key,
                                    f"{en.meta.get(key)!r} here vs {es.meta.get(key)!r} in {es.rel}",
                                    "front matter facts must agree between languages"))
    if sorted(es.meta.get("sources") or []) != sorted(en.meta.get("sources") or []):
        problems.append(Problem(shown, en.line_of("sources"), "sources", f"differ from {es.rel}",
                                "cite the same sources in both languages"))
    return problems


def is_stale(es: Page, en: Page) -> bool:
    """True when the Spanish original was reviewed after its English translation."""
    es_date, en_date = as_date(es.meta.get("reviewed_on")), as_date(en.meta.get("reviewed_on"))
    return bool(es_date and en_date and es_date > en_date)


def stale_translations(pairs: dict[str, dict[str, Page]]) -> list[Problem]:
    """English pages older than their Spanish original (reported, and noticed on the site)."""
    problems = []
    for key, langs in sorted(pairs.items()):
        es, en = langs.get("es"), langs.get("en")
        if es and en and is_stale(es, en):
            problems.append(Problem(relpath(en.path), en.line_of("reviewed_on"), "reviewed_on",
                                    f"translation stale: Spanish reviewed {as_date(es.meta['reviewed_on'])}, "
                                    f"English {as_date(en.meta['reviewed_on'])}",
                                    f"update the English page from {es.rel}, then its reviewed_on"))
    return problems


def check_translations(pages: list[Page]) -> list[Problem]:
    """All parity problems across the site (stale translations are reported separately)."""
    pairs, problems = pair_pages(pages)
    for key, langs in sorted(pairs.items()):
        if "es" in langs and "en" in langs:
            problems += check_pair(langs["es"], langs["en"])
    return problems
