"""Two same-length edits to Material's JavaScript bundle, for slow phones and a clean console.

Material 9.8.2 (pinned, end of life: the bundle will not change) does two things we do not want:

1. Over http(s) it downloads the whole search index on every page load, even when nobody
   searches. Over file:// it already waits until search is opened; the first edit makes
   http(s) behave the same, so the index is fetched only when the search box is used.
2. It fetches `sitemap.xml` next to every `<link rel="alternate" hreflang>` of the page
   (meant for one site per language). With static-i18n these links point at the same page
   in the other language, so every page asks for `<page>/sitemap.xml`: two 404s in the
   console (Lighthouse best practices < 100) and, for pages whose alternates are on the
   production host, requests to another host. The language links are already per page,
   so that sitemap lookup adds nothing; the second edit makes its selector match nothing.
   The `<link rel="alternate" hreflang>` tags stay in the HTML for search engines.

Also: Material links palette.css whenever `theme.palette` is set; with custom colours
none of its rules apply (dark scheme, named colours), so pages drop that link.

Replacements have the same length as the originals, so the shipped source map stays valid.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.problems import Problem, relpath

PALETTE_LINK = re.compile(r'\s*<link rel="stylesheet" href="[^"]*assets/stylesheets/palette\.[0-9a-f]+\.min\.css">')
BUNDLE_GLOB = "bundle.*.min.js"
BUNDLE_DIR = "assets/javascripts"

# (why, original text in the minified bundle, same-length replacement)
PATCHES: tuple[tuple[str, str, str], ...] = (
    ("search index only when search is opened",
     '$(location.protocol!=="file:")', '$(false                      )'),
    ("no sitemap.xml request per language link",
     '"link[rel=alternate]"', '"link[rel=x-kb-none]"'),
)


def drop_palette_css(html: str) -> str:
    """Unlink Material's palette.css: with `primary: custom` none of its rules apply.

    The palette config stays (main.css keys the default colours on the body's
    data-md-color-scheme attribute), only the stylesheet request goes.
    """
    return PALETTE_LINK.sub("", html, count=1)


def patch_bundle(text: str, name: str = BUNDLE_GLOB) -> tuple[str, list[Problem]]:
    """Apply every patch once; idempotent; a problem when a pattern is missing or repeated."""
    problems = []
    for why, original, replacement in PATCHES:
        assert len(original) == len(replacement), why
        if text.count(replacement) == 1 and original not in text:
            continue  # already patched
        count = text.count(original)
        if count != 1:
            problems.append(Problem(
                name, None, "bundle",
                f"expected the text {original} once, found it {count} times ({why})",
                "Material was upgraded? Update PATCHES in scripts/theme_js.py or drop the patch"))
            continue
        text = text.replace(original, replacement)
    return text, problems


def patch_site(site_dir: Path) -> list[Problem]:
    """Patch every Material bundle in a built site (each language build may hold one)."""
    bundles = sorted(Path(site_dir).rglob(f"{BUNDLE_DIR}/{BUNDLE_GLOB}"))
    if not bundles:
        return [Problem(relpath(site_dir), None, "bundle", f"no {BUNDLE_DIR}/{BUNDLE_GLOB} in the built site",
                        "Material's bundle moved? Update BUNDLE_GLOB in scripts/theme_js.py")]
    problems = []
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        patched, found = patch_bundle(text, relpath(bundle))
        problems += found
        if not found and patched != text:
            bundle.write_text(patched, encoding="utf-8")
    return problems
