"""Content guards over the built site (issue 15): what a reader must never be told or shown.

- The duty to report: no page may say that an adult woman's consent decides whether a
  trafficking case is reported (Ley 30364 art. 15 makes it the staff's duty, FACTS §10a).
- No internal reference a reader can see: the content brief's file name, its section signs,
  bare source ids such as "(s02)" or "(S26, S41)", editor notes such as "(fuente por confirmar)".
- Citations: one full stop per part ("Watts C.." and "s. f.." are errors), English pages show
  "n.d." and give a Spanish title `lang="es"`.

Pure functions over HTML text; `check_site(site_dir)` returns `list[Problem]` so the check can
join `scripts/check_all.py` (`("content", "scripts.content:check_site")`).
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from scripts.problems import Problem

# --- Duty to report ---------------------------------------------------------------

# Phrases that tell staff an adult woman's choice decides reporting, or promise what staff
# cannot keep (FACTS §10a, §10b). Matched on the text of a block, case-insensitive.
BANNED_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bes adulta\b[^.]{0,3}respete su decisión", "«Es adulta: respete su decisión»"),
    (r"\b(she|he) is an adult\b[^.]{0,3}respect (her|his|their) decision", "'is an adult: respect the decision'"),
    (r"(?<!no )\bdepende del consentimiento de la persona adulta", "reporting 'depends on the adult's consent'"),
    (r"(?<!not )\bdepends? on the adult'?s consent", "reporting 'depends on the adult's consent'"),
    (r"\bcon su consentimiento, derive a fistrap o (la )?pnp para denunciar", "reporting only 'with her consent'"),
    (r"\bwith consent, refer to fistrap or the pnp to report", "reporting only 'with consent'"),
    (r"\bdeciden si denuncian\b", "adults 'decide whether to report'"),
    (r"\b(adults?|they|she) decides? whether to report\b", "adults 'decide whether to report'"),
    (r"\bantes de denunciar sin su consentimiento", "'consult before reporting without consent'"),
    (r"\bbefore reporting without (her |their )?consent", "'consult before reporting without consent'"),
    (r"\busted decide si declara\b", "«usted decide si declara» (a summoned witness must appear)"),
    (r"\byou decide whether to testify\b", "'you decide whether to testify' (a summoned witness must appear)"),
    (r"\baquí está a salvo\b", "«Aquí está a salvo» (a promise staff cannot keep)"),
    (r"\byou are safe here\b", "'You are safe here' (a promise staff cannot keep)"),
)
ADULT_RE = re.compile(r"\badult[oa]s?\b|\badults?\b", re.IGNORECASE)
CHOICE_RE = re.compile(r"consentimiento|\bconsent|\bdecid|decisión|decision|\bquiere\b|\bwants?\b", re.IGNORECASE)
REPORT_RE = re.compile(r"denunci|\breport", re.IGNORECASE)
# A block that links an adult's choice to reporting must also state the duty, or be about men.
DUTY_RE = re.compile(r"art\. ?15|\bdeber\b|\bduty\b|must report|debe denunciar|debe comunicar|"
                     r"no depende|does not depend|not depend", re.IGNORECASE)
MALE_RE = re.compile(r"\bhombres?\b|\bvar[oó]n(es)?\b|\bman\b|\bmen\b|\bhis\b|\bhim\b", re.IGNORECASE)

# --- Internal references -------------------------------------------------------------

INTERNAL_RE = re.compile(
    r"FACTS(?:\.md)?\b|§|\((?:[sS]\d{2}(?:\s*[,;–-]\s*[sS]?\d{2})*)\)|\(fuente por confirmar\)|\(source to be confirmed\)")

# --- Reading HTML ------------------------------------------------------------------------

BLOCK_RE = re.compile(r"<(p|li|td|th|dd|dt|h[1-6]|figcaption|text|blockquote)\b[^>]*>(.*?)</\1>",
                      re.DOTALL | re.IGNORECASE)
DROP_RE = re.compile(r"<(script|style|template)\b.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(htmllib.unescape(TAG_RE.sub(" ", fragment)).split())


def _main(page_html: str) -> str:
    """The page without scripts, styles and comments (what a reader can see)."""
    return DROP_RE.sub(" ", page_html)


def _line_of(page_html: str, needle: str) -> int | None:
    """1-based line of `needle` in the raw HTML (or of its longest leading run of words)."""
    words = needle.split()
    for end in range(len(words), 0, -1):
        index = page_html.find(" ".join(words[:end]))
        if index >= 0 and (end > 1 or len(words) == 1):
            return page_html.count("\n", 0, index) + 1
    return None


def blocks(page_html: str) -> list[str]:
    """Visible text of every innermost text block (paragraph, list item, cell...)."""
    found = []
    for match in BLOCK_RE.finditer(_main(page_html)):
        inner = match.group(2)
        if BLOCK_RE.search(inner):      # a list item holding paragraphs: read the inner ones
            continue
        text = _text(inner)
        if text:
            found.append(text)
    return found


def consent_problems(text: str) -> list[str]:
    """Why `text` (one block) says that an adult's consent decides reporting ([] when it does not)."""
    found = [why for pattern, why in BANNED_PHRASES if re.search(pattern, text, re.IGNORECASE)]
    if (not found and ADULT_RE.search(text) and CHOICE_RE.search(text) and REPORT_RE.search(text)
            and not DUTY_RE.search(text) and not MALE_RE.search(text)):
        found.append("ties an adult's consent or decision to reporting without stating the duty "
                     "(Ley 30364, art. 15)")
    return found


def internal_references(text: str) -> list[str]:
    """Internal references a reader would see in `text`."""
    return sorted(set(INTERNAL_RE.findall(text)))


# --- Citations ------------------------------------------------------------------------------

SOURCES_LIST_RE = re.compile(r'<ol class="kb-sources">(.*?)</ol>', re.DOTALL)
SOURCE_ITEM_RE = re.compile(r'<li id="fuente-([^"]+)">(.*?)</li>', re.DOTALL)
CITE_RE = re.compile(r"<cite(?P<attrs>[^>]*)>")
DOUBLE_STOP_RE = re.compile(r"(?<!\.)\.\s*\.(?!\.)")


def citation_problems(page_html: str, lang: str, source_langs: dict[str, str]) -> list[tuple[str, str]]:
    """(source id, problem) for each citation of the page's source list that is badly formatted."""
    problems = []
    for listing in SOURCES_LIST_RE.findall(page_html):
        for source_id, item in SOURCE_ITEM_RE.findall(listing):
            text = _text(item)
            if DOUBLE_STOP_RE.search(text):
                problems.append((source_id, f"doubled full stop in {text[:60]!r}"))
            if lang == "en" and "s. f." in text:
                problems.append((source_id, "Spanish 's. f.' on an English page (write 'n.d.')"))
            title_lang = source_langs.get(source_id, "")
            cite = CITE_RE.search(item)
            if cite and title_lang and title_lang != lang and f'lang="{title_lang}"' not in cite.group("attrs"):
                problems.append((source_id, f'title in {title_lang!r} without lang="{title_lang}"'))
    return problems


# --- The check ----------------------------------------------------------------------------

def _pages(site_dir: Path, exclude: tuple[str, ...]) -> list[tuple[Path, str]]:
    """(path, language) of every built page, minus the excluded top folders."""
    pages = []
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        lang = "en" if rel.startswith("en/") else "es"
        inner = rel[3:] if lang == "en" else rel
        if any(inner.startswith(prefix) for prefix in exclude) or inner.startswith(("assets/", "404")):
            continue
        pages.append((path, lang))
    return pages


def check_site(site_dir: Path, exclude: tuple[str, ...] = ()) -> list[Problem]:
    """Every reader-facing content problem of a built site (both languages)."""
    from scripts.sources import load_sources
    sources, _ = load_sources()
    source_langs = {sid: s.title_lang or s.lang for sid, s in sources.items()}
    problems: list[Problem] = []
    for path, lang in _pages(Path(site_dir), exclude):
        page_html = path.read_text(encoding="utf-8")
        shown = path.relative_to(site_dir).as_posix()
        for text in blocks(page_html):
            for why in consent_problems(text):
                problems.append(Problem(shown, _line_of(page_html, text[:30]), "duty-to-report",
                                        f"{why}: {text[:90]!r}",
                                        "say that reporting a woman victim is the staff's duty (Ley 30364 "
                                        "art. 15) and what stays her choice; see docs/_includes/deber-de-denunciar"))
        for ref in internal_references(_text(_main(page_html))):
            problems.append(Problem(shown, _line_of(page_html, ref), "internal-reference",
                                    f"readers see {ref!r}",
                                    "cite the source by name (front matter `sources`) or drop the editor note"))
        for source_id, why in citation_problems(page_html, lang, source_langs):
            problems.append(Problem(shown, _line_of(page_html, f'id="fuente-{source_id}"'), "citation",
                                    f"{source_id}: {why}",
                                    "format citations with scripts.sources.citation; give notes in es and en"))
    return problems
