"""Serve rebuilds reuse unchanged pages and compiled templates, and still build the same site."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from scripts import ROOT
from scripts.buildcache import RENDER_CACHE, RenderCache, digest, template_cache
from tests.test_site import build_docs

EDITED = Path("protocolos") / "primer-contacto.es.md"


@pytest.fixture()
def render_cache():
    """The process-wide page cache, on as under `mkdocs serve`, emptied and off afterwards."""
    RENDER_CACHE.disable()
    RENDER_CACHE.hits = RENDER_CACHE.misses = 0
    yield RENDER_CACHE
    RENDER_CACHE.disable()


def serve_build(docs: Path, site: Path) -> None:
    """One rebuild as `mkdocs serve` does it: fresh config, plugins told the command is serve."""
    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, docs_dir=str(docs), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)


def site_files(site: Path) -> dict[str, bytes]:
    """Every page and search index of a built site (gzip files carry their own timestamp)."""
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.suffix in (".html", ".json", ".xml")}


@pytest.mark.usefixtures("no_pocket_guides")
def test_rebuild_converts_only_the_edited_page_and_matches_a_clean_build(render_cache, docs_copy, tmp_path):
    serve_build(docs_copy, tmp_path / "served")
    pages = render_cache.misses
    assert render_cache.enabled and pages > 100 and render_cache.hits == 0

    page = docs_copy / EDITED
    page.write_text(page.read_text(encoding="utf-8") + "\nPárrafo añadido kbprueba.\n", encoding="utf-8")
    render_cache.hits = render_cache.misses = 0
    serve_build(docs_copy, tmp_path / "served")
    assert (render_cache.misses, render_cache.hits) == (1, pages - 1)

    render_cache.disable()
    build_docs(docs_copy, tmp_path / "clean")
    served, clean = site_files(tmp_path / "served"), site_files(tmp_path / "clean")
    assert "kbprueba" in served["protocolos/primer-contacto/index.html"].decode("utf-8")
    assert sorted(served) == sorted(clean)
    assert [name for name in served if served[name] != clean[name]] == []


@pytest.mark.usefixtures("no_pocket_guides")
def test_editing_a_snippet_converts_the_pages_again(render_cache, docs_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)          # snippets' base_path `docs` is relative to the working directory
    serve_build(docs_copy, tmp_path / "site")
    page = docs_copy / "identificacion" / "como-preguntar.es.md"
    assert '--8<-- "_includes/identificacion-que-hacer.es.md"' in page.read_text(encoding="utf-8")
    snippet = docs_copy / "_includes" / "identificacion-que-hacer.es.md"
    snippet.write_text(snippet.read_text(encoding="utf-8") + "\nkbsnippet\n", encoding="utf-8")
    render_cache.hits = 0
    serve_build(docs_copy, tmp_path / "site")
    assert render_cache.hits == 0
    built = tmp_path / "site" / "identificacion" / "como-preguntar" / "index.html"
    assert "kbsnippet" in built.read_text(encoding="utf-8")


@pytest.mark.usefixtures("no_pocket_guides")
def test_a_broken_link_stops_every_rebuild_not_only_the_first(render_cache, docs_copy, tmp_path, caplog):
    serve_build(docs_copy, tmp_path / "site")
    page = docs_copy / EDITED
    page.write_text(page.read_text(encoding="utf-8") + "\n[roto](no-existe.md)\n", encoding="utf-8")
    for _ in range(2):
        caplog.clear()
        with pytest.raises(Abort):
            serve_build(docs_copy, tmp_path / "site")
        assert "no-existe.md" in caplog.text


def test_the_page_cache_is_off_for_mkdocs_build(render_cache, monkeypatch):
    monkeypatch.delenv("KB_RENDER_CACHE", raising=False)
    hook = load_config(str(ROOT / "mkdocs.yml"))["hooks"]["overrides/hooks/build_cache.py"]
    hook.on_startup(command="build")
    assert not render_cache.enabled
    hook.on_startup(command="serve")
    assert render_cache.enabled
    monkeypatch.setenv("KB_RENDER_CACHE", "0")
    hook.on_startup(command="serve")
    assert not render_cache.enabled


# --- Units ---------------------------------------------------------------------


class FakeFile:
    def __init__(self, src_uri):
        self.src_uri = src_uri


class FakeFiles:
    def __init__(self, *names):
        self.names = {n: FakeFile(n) for n in names}

    def get_file_from_path(self, name):
        return self.names.get(name)


def fake_page(links=None):
    return SimpleNamespace(content="<p>x</p>", toc=[], _title_from_render="T", present_anchor_ids={"a"},
                           links_to_anchors=links)


def test_render_cache_hits_only_the_same_key_with_its_link_targets_present():
    cache = RenderCache()
    files = FakeFiles("b.es.md")
    cache.store("a.es.md", "k1", fake_page({files.names["b.es.md"]: {"x": "b.md#x"}}))
    assert cache.lookup("a.es.md", "k1", files).content == "<p>x</p>"
    assert cache.lookup("a.es.md", "k2", files) is None
    assert cache.lookup("a.es.md", "k1", FakeFiles()) is None      # b.es.md was deleted
    cache.forget("a.es.md")
    assert cache.lookup("a.es.md", "k1", files) is None
    assert (cache.hits, cache.misses) == (1, 3)


def test_digest_changes_with_any_part():
    assert digest("a", 1) == digest("a", 1)
    assert digest("a", 1) != digest("a", 2) != digest("a1")


def test_template_cache_reuses_bytecode_and_recompiles_changed_templates():
    sources = {"t.html": "Hola {{ nombre }}"}

    def env(**options):
        made = jinja2.Environment(loader=jinja2.DictLoader(sources), **options)
        made.bytecode_cache = template_cache(made)
        return made

    first = env()
    assert first.get_template("t.html").render(nombre="Ana") == "Hola Ana"
    second = env()
    second.compile = lambda *a, **k: pytest.fail("compiled again although unchanged")
    assert second.get_template("t.html").render(nombre="Ana") == "Hola Ana"

    sources["t.html"] = "Adiós {{ nombre }}"
    assert env().get_template("t.html").render(nombre="Ana") == "Adiós Ana"
    assert env(autoescape=True).get_template("t.html").render(nombre="<b>") == "Adiós &lt;b&gt;"
    assert template_cache(env(autoescape=True)) is not template_cache(env())
