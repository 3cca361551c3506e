"""Work a build reuses while its inputs stay the same (scripts/buildcache.py), and serve rebuilds.

The contact hook validates and exports once per set of contact files and date, instead of
once per language and `mkdocs serve` rebuild: a changed file must be read again at once.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from scripts import ROOT
from scripts.buildcache import memo, tree_digest

FIXTURES = ROOT / "tests" / "fixtures" / "contacts"


def test_tree_digest_sees_the_same_size_and_time_with_other_bytes(tmp_path):
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.yml").write_text("uno: 1\n", encoding="utf-8")
    before = tree_digest(folder)
    stat = (folder / "sub" / "a.yml").stat()
    (folder / "sub" / "a.yml").write_text("uno: 2\n", encoding="utf-8")       # same size
    os.utime(folder / "sub" / "a.yml", ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time
    assert tree_digest(folder) != before
    (folder / "sub" / "a.yml").write_text("uno: 1\n", encoding="utf-8")
    assert tree_digest(folder) == before
    (folder / "sub" / "a.yml").rename(folder / "sub" / "b.yml")                 # a new name counts
    assert tree_digest(folder) != before
    assert tree_digest(tmp_path / "missing") != tree_digest(tmp_path / "missing-too")


def test_memo_computes_again_only_when_the_key_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo("test-memo", "k1", compute) == 1
    assert memo("test-memo", "k1", compute) == 1
    assert memo("test-memo", "k2", compute) == 2
    assert memo("test-memo", "k1", compute) == 3          # one result per name: k1 is worked out again
    assert len(calls) == 3


@pytest.fixture()
def contacts_hook():
    return load_config(str(ROOT / "mkdocs.yml"))["hooks"]["overrides/hooks/contacts.py"]


def docs_with_contacts(tmp_path: Path, fixture: str) -> Path:
    folder = tmp_path / "docs" / "_data" / "contactos"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "valid_nacional.yml", folder / "nacional.yml")
    shutil.copy(FIXTURES / fixture, folder / "piura.yml")
    return tmp_path / "docs"


def test_an_edited_contact_file_stops_the_next_rebuild(contacts_hook, tmp_path):
    docs = docs_with_contacts(tmp_path, "valid_piura.yml")
    config = {"docs_dir": str(docs)}
    contacts_hook.on_pre_build(config)                   # valid: passes (and is kept)
    contacts_hook.on_pre_build(config)
    shutil.copy(FIXTURES / "invalid_phone.yml", docs / "_data" / "contactos" / "piura.yml")
    with pytest.raises(PluginError) as error:
        contacts_hook.on_pre_build(config)
    assert "docs/_data/contactos/piura.yml" in str(error.value)
    with pytest.raises(PluginError):                     # and every rebuild after it
        contacts_hook.on_pre_build(config)


def test_exports_follow_an_edited_contact_file(contacts_hook, tmp_path):
    docs = docs_with_contacts(tmp_path, "valid_piura.yml")
    config = {"docs_dir": str(docs), "site_dir": str(tmp_path / "site"), "theme": {"language": "es"}}
    contacts_hook.on_post_build(config)
    exported = tmp_path / "site" / "directorio" / "datos"
    first = {p.name: p.read_bytes() for p in exported.iterdir()}
    assert first
    piura = docs / "_data" / "contactos" / "piura.yml"
    piura.write_text(piura.read_text(encoding="utf-8").replace("Piura", "Piurá", 1), encoding="utf-8")
    contacts_hook.on_post_build(config)
    second = {p.name: p.read_bytes() for p in exported.iterdir()}
    assert sorted(second) == sorted(first)
    assert any(second[name] != first[name] for name in first)
    assert any("Piurá" in text.decode("utf-8") for text in second.values())


# --- Markers kept between serve rebuilds ---------------------------------------------------

def test_kept_markers_render_once_per_key_and_others_every_time(monkeypatch):
    from scripts import markers

    calls = []

    def renderer(ctx):
        calls.append(ctx.name)
        if ctx.args.get("falla"):
            raise markers.MarkerError("dato roto")
        return f"<p>{ctx.name} {ctx.args.get('n', '')}</p>"

    monkeypatch.setattr(markers, "load_registry", lambda: {"fijo": renderer, "vivo": renderer})
    monkeypatch.setattr(markers, "KEEPABLE", {"fijo"})
    memo = markers.MarkerMemo()

    def make_context(name, args):
        return markers.MarkerContext(name=name, args=args, lang="es", src_uri="x.es.md", meta={},
                                     render=lambda *a, **k: "")

    def render(markdown, key="build1"):
        return markers.render_markers(markdown, make_context, "docs/x.es.md",
                                      lambda name, args: f"{key}|{name}|{sorted(args.items())}", memo)

    page = "<!-- kb:fijo n=1 -->\n\n<!-- kb:vivo -->\n"
    assert render(page) == render(page)
    assert calls == ["fijo", "vivo", "vivo"]                 # fijo kept, vivo rendered each time
    assert memo.hits == 1
    render("<!-- kb:fijo n=2 -->\n")                         # other args: another key
    render(page, key="build2")                               # data or templates changed: another key
    assert calls == ["fijo", "vivo", "vivo", "fijo", "fijo", "vivo"]
    for _ in range(2):                                       # a failing marker fails every build
        with pytest.raises(markers.MarkerError, match="dato roto"):
            render("<!-- kb:fijo falla=si -->\n")
    assert calls[-2:] == ["fijo", "fijo"]


def test_only_markers_that_read_no_other_page_are_kept():
    from scripts.markers import KEEPABLE, load_registry

    registry = load_registry()
    assert KEEPABLE <= set(registry)
    # reading lists read other pages' front matter; pocket guides read the built PDFs
    assert not KEEPABLE & {"lecturas", "lista-por-rol", "catalogo", "clave-respuestas", "guias", "guia-region"}
    assert {"fuentes", "contactos", "servicios", "lineas-nacionales", "flujo"} <= KEEPABLE


# --- Page checks: only edited pages are checked again ---------------------------------------

def test_page_checks_see_an_edit_after_a_passing_run(docs_copy):
    import datetime as dt

    from scripts.checks import check_pages

    today = dt.date(2026, 12, 1)
    assert check_pages(docs_copy, today) == []
    assert check_pages(docs_copy, today) == []                     # from the memo
    page = docs_copy / "protocolos" / "primer-contacto.es.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n---\n", "\n---\n<script>alert(1)</script>\n", 1), encoding="utf-8")
    found = [(p.field, p.message) for p in check_pages(docs_copy, today)]
    assert found == [("<script>", "raw <script> in a page")]
    page.write_text(text.replace("\nreviewed_on:", "\nreviewed_on: 2027-01-01\nold_reviewed_on:", 1), encoding="utf-8")
    found = [(p.field, p.message) for p in check_pages(docs_copy, today)]
    assert ("reviewed_on", "2027-01-01 is in the future") in found
    page.write_text(text, encoding="utf-8")
    assert check_pages(docs_copy, today) == []
    assert check_pages(docs_copy, dt.date(2020, 1, 1)) != []      # another date: checked again (reviews in its future)


# --- Serve rebuilds: the old site is moved aside, not deleted file by file --------------------

def test_set_aside_empties_the_site_folder_and_deletes_the_old_files_in_the_background(tmp_path):
    from scripts.buildcache import set_aside

    site = tmp_path / "mkdocs_x"
    (site / "en" / "a").mkdir(parents=True)
    (site / "index.html").write_text("viejo", encoding="utf-8")
    (site / "en" / "a" / "index.html").write_text("old", encoding="utf-8")
    (site / ".oculto").write_text("MkDocs keeps hidden files", encoding="utf-8")
    aside, thread = set_aside(site)
    assert sorted(p.name for p in site.iterdir()) == [".oculto"]
    assert aside.parent == tmp_path and aside.name.startswith("mkdocs_x-old-")
    thread.join(timeout=30)
    assert not aside.exists()
    assert set_aside(site) is None                       # nothing left to move
    assert set_aside(tmp_path / "missing") is None


@pytest.fixture()
def build_cache_hook():
    """The serve-rebuild hook; told `build` afterwards (its page cache off again)."""
    hook = load_config(str(ROOT / "mkdocs.yml"))["hooks"]["overrides/hooks/build_cache.py"]
    yield hook
    hook.on_startup(command="build")


def test_the_hook_sets_aside_only_under_serve_and_where_mkdocs_would_clean(build_cache_hook, tmp_path,
                                                                          monkeypatch):
    from mkdocs import utils as mkdocs_utils

    hook, site = build_cache_hook, tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("x", encoding="utf-8")
    hook.on_startup(command="build")
    hook.on_pre_build({"site_dir": str(site)})
    assert (site / "index.html").exists()               # mkdocs build: MkDocs cleans, as always
    hook.on_startup(command="serve")
    monkeypatch.setattr(mkdocs_utils, "clean_directory", lambda x: x)   # as static-i18n does for /en/
    hook.on_pre_build({"site_dir": str(site)})
    assert (site / "index.html").exists()
    monkeypatch.undo()
    hook.on_pre_build({"site_dir": str(site)})
    assert not (site / "index.html").exists()


def test_kept_markers_are_keyed_on_data_templates_date_and_site_settings(tmp_path):
    import datetime as dt
    from types import SimpleNamespace

    from scripts.markers import build_inputs, marker_key

    (tmp_path / "docs" / "_data").mkdir(parents=True)
    (tmp_path / "overrides").mkdir()
    data, partial = tmp_path / "docs" / "_data" / "x.yml", tmp_path / "overrides" / "kb-x.html"
    data.write_text("a: 1\n", encoding="utf-8")
    partial.write_text("<p>{{ a }}</p>\n", encoding="utf-8")
    config = {"docs_dir": str(tmp_path / "docs"), "site_url": "https://a.pe/", "use_directory_urls": True,
              "extra": {}}
    config = _Config(config, str(tmp_path / "overrides"))
    day = dt.date(2026, 12, 1)
    first = build_inputs(config, day)
    assert build_inputs(config, day) == first
    data.write_text("a: 2\n", encoding="utf-8")
    assert build_inputs(config, day) != first
    data.write_text("a: 1\n", encoding="utf-8")
    partial.write_text("<p>{{ a | e }}</p>\n", encoding="utf-8")
    assert build_inputs(config, day) != first
    partial.write_text("<p>{{ a }}</p>\n", encoding="utf-8")
    assert build_inputs(config, day) == first
    assert build_inputs(config, dt.date(2026, 12, 2)) != first
    config.values["site_url"] = "https://b.pe/"
    assert build_inputs(config, day) != first

    page = SimpleNamespace(file=SimpleNamespace(src_uri="p.es.md"), url="p/", meta={"region": "puno"})
    key = marker_key(first, "contactos", {}, "es", page)
    other = SimpleNamespace(file=page.file, url="p/", meta={"region": "cusco"})
    assert key != marker_key(first, "contactos", {}, "es", other)               # front matter
    assert key != marker_key(first, "contactos", {}, "en", page)                # language
    assert key != marker_key(first, "contactos", {"solo": "lineas"}, "es", page)  # arguments


class _Config:
    """Just what build_inputs reads of an MkDocs config."""

    def __init__(self, values, custom_dir):
        self.values = values
        self.theme = type("Theme", (), {"custom_dir": custom_dir})()

    def __getitem__(self, key):
        return self.values[key]
