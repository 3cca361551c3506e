"""`python -m scripts check`: build problems name page, line and link; progress as it runs."""

from __future__ import annotations

import io
import itertools
import json
import logging
import shutil
from pathlib import Path

from scripts import check_all
from scripts.check_all import BuildOutcome, Context, format_json, format_table, record_problems, run_checks
from scripts.offline import build_site
from scripts.problems import Problem
from tests.conftest import FIXTURES, TODAY

FIXTURE = FIXTURES / "check_all"
BUILD_CHECKS = [("strict build", "scripts.check_all:check_strict_build"),
                ("links (site)", "scripts.check_all:check_site_links")]


def check_fixture(name: str, tmp_path: Path) -> tuple[list, str]:
    """Build a tiny Material + static-i18n project with `check`'s build checks; results and progress."""
    project = FIXTURE / name

    def builder(site, **options):
        build_site(site, config_file=project / "mkdocs.yml", **options)

    progress = io.StringIO()
    context = Context(project / "docs", TODAY, tmp_path, builder=builder)
    results = run_checks(context, BUILD_CHECKS, progress=progress, clock=itertools.count().__next__, tick=None)
    return results, progress.getvalue()


def test_broken_link_names_the_page_the_line_and_the_link(tmp_path):
    results, progress = check_fixture("invalid_link", tmp_path)
    assert progress == ("[1/2] strict build … failed: 1 problem (1.0 s)\n"
                        "[2/2] links (site) … skipped: needs the strict build, which failed (1.0 s)\n")
    assert format_table(results) == (
        "check         result   problems\n"
        "------------  -------  --------\n"
        "strict build  failed          1\n"
        "links (site)  skipped         -  (needs the strict build, which failed)\n"
        "\n"
        "strict build:\n"
        "  tests/fixtures/check_all/invalid_link/docs/index.es.md:5: link: 'no-existe.md': no such page or file"
        " → fix the path: relative to this page, .md without the language suffix\n"
        "\n"
        "1 check(s) failed.")
    assert check_all.exit_code(results) == 1


def test_broken_anchors_name_the_page_the_line_and_the_ids_to_use(tmp_path):
    results, progress = check_fixture("invalid_anchor", tmp_path)
    assert progress.splitlines()[0] == "[1/2] strict build … failed: 2 problems (1.0 s)"
    docs = "tests/fixtures/check_all/invalid_anchor/docs"
    assert results[0].problems == [
        Problem(f"{docs}/index.en.md", 3, "link",
                f"'otra.md#clave': {docs}/otra.en.md has no heading or element with id 'clave'",
                "use an id of that page (pasos, fuentes), or add the id to its heading"),
        Problem(f"{docs}/index.en.md", 5, "link", "'#arriba': this page has no heading or element with id 'arriba'",
                "this page has no `{ #id }` heading: add the id to the heading, or fix the link"),
    ]
    data = json.loads(format_json(results))
    assert data["ok"] is False
    assert data["checks"][0]["problems"][0] == {
        "path": f"{docs}/index.en.md", "line": 3, "field": "link",
        "message": f"'otra.md#clave': {docs}/otra.en.md has no heading or element with id 'clave'",
        "hint": "use an id of that page (pasos, fuentes), or add the id to its heading"}


def _record(message: str, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("mkdocs.structure.pages", level, __file__, 1, message, None, None)


def test_other_mkdocs_messages_become_problems(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "b.es.md").write_text("# B\n\nVer [x](/abs/) y [y](c).\n", encoding="utf-8")
    absolute = record_problems(_record("Doc file 'a/b.es.md' contains an absolute link '/abs/', it was left as is."
                                       " Did you mean '../c.md'?"), docs)
    assert [p.format() for p in absolute] == [
        f"{docs.as_posix()}/a/b.es.md:3: link: '/abs/' is an absolute link → did you mean '../c.md'? "
        "write it relative to this page, e.g. ../protocolos/primer-contacto.md"]
    # a hook's PluginError: one problem per listed line
    hook = record_problems(_record("Page checks failed (fix each line, then rebuild):\n"
                                   "  docs/x.es.md:4: title: missing\n  docs/y.en.md: description: too short",
                                   logging.ERROR), docs)
    assert hook == [Problem("docs/x.es.md", 4, "", "title: missing"),
                    Problem("docs/y.en.md", None, "", "description: too short")]
    other = record_problems(_record("Config value 'x': unknown"), docs)
    assert other == [Problem("mkdocs build", None, "warning", "Config value 'x': unknown",
                             "run `.venv/bin/python -m mkdocs build --strict` for the full log")]


def test_a_crashing_build_is_a_problem_and_a_given_site_is_not_rebuilt(tmp_path):
    def crash(site, **options):
        raise RuntimeError("theme not found")

    context = Context(tmp_path, TODAY, tmp_path, builder=crash)
    results = run_checks(context, BUILD_CHECKS)
    assert results[0].problems == [Problem("mkdocs build", None, "error", "RuntimeError: theme not found",
                                           "run `.venv/bin/python -m mkdocs build --strict` to see the whole message")]
    results = run_checks(context, [("offline build", "scripts.check_all:check_offline_build")])
    assert [(r.status, r.note) for r in results] == [("skipped", "the strict build failed: fix it first")]
    given = Context(tmp_path, TODAY, tmp_path, builder=crash)
    given._values["site_build"] = BuildOutcome(tmp_path, given=True)
    assert [(r.status, r.note) for r in run_checks(given, BUILD_CHECKS[:1])] == [("skipped", "--site given: not rebuilt")]


def test_check_builds_the_pages_of_docs_dir(tmp_path):
    """`check --docs-dir X` builds X's pages (the configuration's own docs/ has the broken link)."""
    project = FIXTURE / "invalid_link"
    docs = tmp_path / "docs"
    shutil.copytree(project / "docs", docs)
    page = docs / "index.es.md"
    page.write_text(page.read_text(encoding="utf-8").replace("no-existe.md", "index.md"), encoding="utf-8")
    built = []

    def builder(site, **options):
        built.append(options.get("docs_dir"))
        build_site(site, config_file=project / "mkdocs.yml", **options)

    context = Context(docs, TODAY, tmp_path / "work", builder=builder)
    results = run_checks(context, BUILD_CHECKS[:1], progress=None)
    assert built == [docs]
    assert [(r.status, r.problems) for r in results] == [("ok", [])]
