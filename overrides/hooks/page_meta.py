"""Page checks and page facts: refuse bad pages, add review dates and reading time.

Glue only: every rule is in scripts/ (frontmatter, translations, structure, readtime).
"""

import sys
from pathlib import Path

# MkDocs puts only this folder on sys.path while importing a hook; add the repo root
# so `import scripts` works under the `mkdocs` console script too.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from scripts.checks import check_all_pages_once  # noqa: E402
from scripts.dates import as_date, format_date  # noqa: E402
from scripts.frontmatter import next_review  # noqa: E402
from scripts.pages import parse_page, split_language  # noqa: E402
from scripts.readtime import reading_time  # noqa: E402
from scripts.translations import is_stale  # noqa: E402


# --- Hooks ----------------------------------------------------------------

def on_pre_build(config, **kwargs):
    """Stop the build on any front-matter, structure or translation problem."""
    problems = check_all_pages_once(Path(config["docs_dir"]))
    if problems:
        raise PluginError("Page checks failed (fix each line, then rebuild):\n"
                          + "\n".join(p.format() for p in problems))


def on_page_markdown(markdown, page, config, files, **kwargs):
    """Collect the facts the page template shows (review dates, stale translation)."""
    lang = config.theme["language"]
    meta = page.meta
    facts = {"lang": lang}
    reviewed = as_date(meta.get("reviewed_on"))
    due = next_review(meta)
    if reviewed:
        facts["reviewed_on"] = format_date(reviewed, lang)
        facts["reviewed_iso"] = reviewed.isoformat()
    if due:
        facts["next_review"] = format_date(due, lang)
        facts["next_review_iso"] = due.isoformat()
    facts["stale_translation"] = _is_stale_translation(page, config)
    if facts["stale_translation"]:
        facts["es_url"] = _spanish_url(page)
    review = meta.get("clinical_review") or {}
    facts["clinical_review"] = review.get("status")
    if review.get("status") == "pendiente":
        facts["conventions_url"] = _url_of(f"acerca/convenciones.{lang}.md", page, files) + "#avisos"
    if review.get("status") == "revisado":
        facts["clinical_reviewer"] = review.get("reviewer_role")
        facts["clinical_reviewed_on"] = format_date(as_date(review.get("reviewed_on")), lang)
    meta["kb"] = facts
    return markdown


def on_page_content(html, page, config, files, **kwargs):
    """Reading time (minutes) from the rendered HTML, unless front matter sets it."""
    page.meta["kb"]["reading_time"] = page.meta.get("reading_time") or reading_time(html)
    return html


# --- Helper functions -----------------------------------------------------

def _url_of(src_uri: str, page, files) -> str:
    """Relative URL from `page` to the page built from `src_uri` (same language)."""
    target = files.get_file_from_path(src_uri)
    if target is None:
        raise PluginError(f"docs/{src_uri} is missing: page_meta links to it from notices")
    return get_relative_url(target.url, page.url)


def _spanish_url(page) -> str:
    """Relative link from an English page to its Spanish original."""
    prefix = "en/"
    target = page.url[len(prefix):] if page.url.startswith(prefix) else page.url
    return get_relative_url(target or "./", page.url)


def _is_stale_translation(page, config) -> bool:
    """True on an English page whose Spanish original was reviewed later."""
    pair = split_language(page.file.src_uri)
    if not pair or pair[1] == "es":
        return False
    docs_dir = Path(config["docs_dir"])
    es_path = docs_dir / f"{pair[0]}.es.md"
    en_path = docs_dir / page.file.src_uri
    if not es_path.is_file():
        return False
    return is_stale(parse_page(es_path, docs_dir), parse_page(en_path, docs_dir))
