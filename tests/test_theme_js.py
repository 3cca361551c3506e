"""The two same-length edits to Material's bundle (scripts/theme_js.py)."""

from __future__ import annotations

from scripts.theme_js import PATCHES, drop_palette_css, patch_bundle, patch_site

FAKE = ('function Ei(e,t){return L($(location.protocol!=="file:"),Je("search"))}'
        'function ui(){M("link[rel=alternate]")}')


def test_patch_replaces_each_pattern_with_text_of_the_same_length():
    patched, problems = patch_bundle(FAKE)
    assert problems == []
    assert len(patched) == len(FAKE)
    assert '$(false                      )' in patched
    assert '"link[rel=x-kb-none]"' in patched
    assert "location.protocol" not in patched and "alternate" not in patched


def test_patch_is_idempotent():
    once, _ = patch_bundle(FAKE)
    twice, problems = patch_bundle(once)
    assert (twice, problems) == (once, [])


def test_missing_pattern_is_reported_with_the_reason():
    _, problems = patch_bundle('M("link[rel=alternate]")', "bundle.x.min.js")
    assert [p.format() for p in problems] == [
        'bundle.x.min.js: bundle: expected the text $(location.protocol!=="file:") once, found it 0 times '
        "(search index only when search is opened) → Material was upgraded? Update PATCHES in "
        "scripts/theme_js.py or drop the patch"]


def test_repeated_pattern_is_reported():
    _, problems = patch_bundle(FAKE + 'M("link[rel=alternate]")', "b.js")
    assert [p.message for p in problems] == [
        'expected the text "link[rel=alternate]" once, found it 2 times (no sitemap.xml request per language link)']


def test_site_without_bundle_is_reported(tmp_path):
    assert [p.message for p in patch_site(tmp_path)] == [
        "no assets/javascripts/bundle.*.min.js in the built site"]


def test_patch_site_rewrites_the_file(tmp_path):
    bundle = tmp_path / "assets" / "javascripts" / "bundle.abc.min.js"
    bundle.parent.mkdir(parents=True)
    bundle.write_text(FAKE, encoding="utf-8")
    assert patch_site(tmp_path) == []
    assert bundle.read_text(encoding="utf-8") == patch_bundle(FAKE)[0]


def test_built_site_bundle_is_patched(built_site):
    text = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    for _, original, replacement in PATCHES:
        assert original not in text and text.count(replacement) == 1


def test_drop_palette_css_keeps_the_other_styles():
    head = ('<link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">\n'
            '      <link rel="stylesheet" href="../assets/stylesheets/palette.fb2fffe2.min.css">\n'
            '<link rel="stylesheet" href="../assets/stylesheets/extra.css">')
    assert drop_palette_css(head) == (
        '<link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">\n'
        '<link rel="stylesheet" href="../assets/stylesheets/extra.css">')


def test_built_pages_keep_the_colour_attributes_but_not_palette_css(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "stylesheets/palette." not in html
    assert 'data-md-color-scheme="default"' in html
    missing = (built_site / "404.html").read_text(encoding="utf-8")   # a static template, not a page
    assert "stylesheets/palette." not in missing and "stylesheets/main." in missing
