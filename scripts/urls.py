"""Stable addresses: every URL ever published keeps working (a page or a redirect).

`docs/_data/urls-publicadas.txt` lists every published URL (site-relative, one a line).
`check_urls` fails when a listed URL is no longer produced by a page nor by a redirect in
mkdocs.yml (`plugins: - redirects: redirect_maps:`), and when a new page is not listed yet.
Redirect keys are written once, without language suffix; `expand_redirects` turns each one
into the redirect of every language (the hook overrides/hooks/formacion.py feeds that to
mkdocs-redirects, which does not know static-i18n's file names).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts import DATA_DIR, DEFAULT_LANGUAGE, DOCS_DIR, LANGUAGES, ROOT
from scripts.pages import iter_page_paths, split_language
from scripts.problems import Problem, relpath

URL_LIST_FILE = DATA_DIR / "urls-publicadas.txt"
CONFIG_FILE = ROOT / "mkdocs.yml"
HEADER = ("# Every URL this site has published (site-relative). Never delete a line: a page that\n"
          "# moves or goes away gets a redirect in mkdocs.yml (plugins → redirects → redirect_maps).\n"
          "# Add new pages with: python -m scripts check-urls --update\n")
UPDATE_HINT = "run `python -m scripts check-urls --update` and commit docs/_data/urls-publicadas.txt"


def key_to_url(key: str, lang: str) -> str:
    """'protocolos/primer-contacto', 'en' -> '/en/protocolos/primer-contacto/'."""
    prefix = "/" if lang == DEFAULT_LANGUAGE else f"/{lang}/"
    if key == "index":
        return prefix
    if key.endswith("/index"):
        key = key[: -len("/index")]
    return f"{prefix}{key}/"


def page_urls(docs_dir: Path = DOCS_DIR) -> dict[str, str]:
    """URL -> source file of every page in docs/."""
    urls = {}
    for path in iter_page_paths(docs_dir):
        rel = path.relative_to(docs_dir).as_posix()
        pair = split_language(rel)
        if pair:
            urls[key_to_url(*pair)] = rel
    return urls


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs tags (!ENV, !relative) as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_redirect_maps(config_file: Path = CONFIG_FILE) -> dict[str, str]:
    """`redirect_maps` of the redirects plugin in mkdocs.yml ({} when not configured)."""
    config = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_Loader) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "redirects" in plugin:
            return dict((plugin["redirects"] or {}).get("redirect_maps") or {})
    return {}


def expand_redirects(redirect_maps: dict[str, str], lang: str) -> dict[str, str]:
    """Redirects of one language build: old output path -> target source file (+#anchor).

    {'a/vieja.md': 'a/nueva.md#x'} gives, for 'en', {'en/a/vieja.md': 'a/nueva.en.md#x'}.
    """
    expanded = {}
    for old, new in redirect_maps.items():
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        target, _, anchor = str(new).partition("#")
        if not target.lower().startswith(("http://", "https://")):
            target = f"{target[:-3]}.{lang}.md"
        expanded[f"{prefix}{old}"] = target + (f"#{anchor}" if anchor else "")
    return expanded


def redirect_urls(redirect_maps: dict[str, str]) -> dict[str, str]:
    """URL -> redirect key, for every language."""
    return {key_to_url(old[:-3], lang): old for old in redirect_maps for lang in LANGUAGES}


def check_redirects(redirect_maps: dict[str, str], docs_dir: Path = DOCS_DIR,
                    config_file: Path = CONFIG_FILE) -> list[Problem]:
    """Redirect keys and targets are language-free .md paths; targets exist in every language."""
    shown = relpath(config_file)
    problems = []
    for old, new in redirect_maps.items():
        target = str(new).partition("#")[0]
        if split_language(old) or not old.endswith(".md"):
            problems.append(Problem(shown, None, "redirect_maps", f"'{old}': write the old path as 'folder/page.md'",
                                    "no language suffix: one line redirects both languages"))
            continue
        if any((docs_dir / f"{old[:-3]}.{lang}.md").is_file() for lang in LANGUAGES):
            problems.append(Problem(shown, None, "redirect_maps", f"'{old}' still exists as a page",
                                    "remove the redirect, or move the page"))
        if target.lower().startswith(("http://", "https://")):
            continue
        if split_language(target) or not target.endswith(".md"):
            problems.append(Problem(shown, None, "redirect_maps", f"'{old}' → '{new}': write the target as 'folder/page.md'",
                                    "no language suffix: the redirect goes to the page in the reader's language"))
            continue
        for lang in LANGUAGES:
            if not (docs_dir / f"{target[:-3]}.{lang}.md").is_file():
                problems.append(Problem(shown, None, "redirect_maps", f"'{old}' → '{new}': target docs/{target[:-3]}.{lang}.md does not exist",
                                        "redirect to a page that exists in both languages"))
    return problems


def read_url_list(path: Path = URL_LIST_FILE) -> list[tuple[int, str]]:
    """(line, URL) of the list, comments and blank lines skipped."""
    if not Path(path).is_file():
        return []
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append((number, line))
    return entries


def check_urls(docs_dir: Path = DOCS_DIR, url_list: Path = URL_LIST_FILE,
               config_file: Path = CONFIG_FILE) -> list[Problem]:
    """Listed URLs that nothing serves any more, new pages not listed, bad redirects."""
    redirect_maps = load_redirect_maps(config_file)
    problems = check_redirects(redirect_maps, docs_dir, config_file)
    served = page_urls(docs_dir)
    redirected = redirect_urls(redirect_maps)
    listed = read_url_list(url_list)
    shown = relpath(url_list)
    for line, url in listed:
        if url in served or url in redirected:
            continue
        path = url.strip("/")
        for lang in LANGUAGES:
            if lang != DEFAULT_LANGUAGE and (path == lang or path.startswith(f"{lang}/")):
                path = path[len(lang):].lstrip("/")
        old = f"{path}/index.md" if path and (Path(docs_dir) / path).is_dir() else f"{path or 'index'}.md"
        problems.append(Problem(
            shown, line, "url", f"{url} was published but no page produces it now",
            f"if the page moved, add under plugins → redirects → redirect_maps in mkdocs.yml the line "
            f"'{old}: <folder>/<new-page>.md' (one line covers both languages); if it was deleted, "
            f"redirect it to its section's index.md. Do not delete the line from the list"))
    known = {url for _line, url in listed}
    for url in sorted(set(served) - known):
        problems.append(Problem(shown, None, "url", f"{url} (docs/{served[url]}) is not in the list of published addresses",
                                UPDATE_HINT))
    return problems


def update_url_list(docs_dir: Path = DOCS_DIR, url_list: Path = URL_LIST_FILE,
                    config_file: Path = CONFIG_FILE) -> list[str]:
    """Add the URLs of new pages (never remove one); return the URLs added."""
    listed = {url for _line, url in read_url_list(url_list)}
    added = sorted(set(page_urls(docs_dir)) - listed)
    if added or not Path(url_list).is_file():
        Path(url_list).write_text(HEADER + "".join(f"{u}\n" for u in sorted(listed | set(added))),
                                  encoding="utf-8")
    return added


# --- CLI ------------------------------------------------------------------------

def add_arguments(name, parser) -> None:
    parser.add_argument("--update", action="store_true",
                        help="add the URLs of new pages to docs/_data/urls-publicadas.txt (never removes one)")
    parser.add_argument("--url-list", type=Path, default=None, help="list file (default: docs/_data/urls-publicadas.txt)")
    parser.add_argument("--config", type=Path, default=CONFIG_FILE, help="mkdocs.yml with the redirects")


def run_check_urls(args) -> int:
    """CLI: check (and with --update, extend) the list of published URLs."""
    from scripts.cli_pages import print_problems

    url_list = args.url_list or args.docs_dir / "_data" / URL_LIST_FILE.name
    if args.update:
        added = update_url_list(args.docs_dir, url_list, args.config)
        print(f"Added {len(added)} URL(s) to {relpath(url_list)}" + "".join(f"\n  {u}" for u in added))
    problems = check_urls(args.docs_dir, url_list, args.config)
    return print_problems(problems, "Every published URL still opens (a page or a redirect).")
