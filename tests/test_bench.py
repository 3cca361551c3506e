"""Pure helpers of the benchmark (scripts/bench.py); the measurements themselves run outside CI."""

from __future__ import annotations

from scripts.bench import (
    Row, body_line_to_edit, check_commands, kb, lighthouse_row, lighthouse_scores, median_row, median_run, render_table,
    source_of, verdict)


def test_kb_and_verdict():
    assert kb(1536) == "1.5 KB"
    assert verdict(150 * 1024, 150 * 1024) == "PASS"
    assert verdict(150 * 1024 + 1, 150 * 1024) == "FAIL"
    assert verdict(95, 95, at_least=True) == "PASS"
    assert verdict(94, 95, at_least=True) == "FAIL"


def test_lighthouse_scores_and_row():
    report = {"categories": {"performance": {"score": 0.97}, "accessibility": {"score": 1},
                             "best-practices": {"score": 0.96}, "seo": {"score": None}}}
    scores = lighthouse_scores(report)
    assert scores == {"performance": 97, "accessibility": 100, "best-practices": 96, "seo": 0}
    row = lighthouse_row("LH", "/", scores)
    assert (row.value, row.budget, row.result) == ("97 / 100 / 96 / 0", "≥ 95 / 100 / 100 / 100", "FAIL")
    good = lighthouse_row("LH", "/", {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100})
    assert good.result == "PASS"


def test_median_row():
    row = median_row("Search", "q", [40.2, 12.0, 300.4], 300, "ms")
    assert (row.value, row.budget, row.result) == ("40 ms (median; runs: 40, 12, 300)", "≤ 300 ms", "PASS")
    assert median_row("Rebuild", "p", [2.0, 3.5, 3.4], 3, "s").result == "FAIL"
    assert median_row("Rebuild", "p", [], 3, "s") == Row("Rebuild", "p", "not measured", "≤ 3 s", "FAIL")


def test_render_table_escapes_pipes():
    table = render_table([Row("a|b", "/", "1 KB", "≤ 2 KB", "PASS"), Row("info", "x", "3 s")])
    assert table.splitlines() == [
        "| Figure | Measured on | Value | Budget | Result |",
        "|---|---|---|---|---|",
        "| a\\|b | / | 1 KB | ≤ 2 KB | PASS |",
        "| info | x | 3 s |  | – |"]


def test_body_line_to_edit_skips_front_matter_headings_and_markers():
    text = "---\ntitle: X\n---\n\n# Título\n\n<!-- kb:x -->\n!!! note\n¿Qué hacer? Llame.\n"
    assert body_line_to_edit(text) == 8
    assert body_line_to_edit("---\ntitle: X\n---\n# Solo título\n") is None


def test_check_commands_prefers_the_aggregate_check():
    commands = {"check-pages": (), "offline": (), "validate-contacts": (), "bench": ()}
    assert check_commands(commands) == ["check-pages", "validate-contacts"]
    assert check_commands({**commands, "check": ()}) == ["check"]


def test_source_of_maps_urls_to_docs_files():
    assert source_of("", "es").as_posix() == "docs/index.es.md"
    assert source_of("en/", "en").as_posix() == "docs/index.en.md"
    assert source_of("protocolos/", "es").as_posix() == "docs/protocolos/index.es.md"
    assert source_of("acerca/convenciones/", "es").as_posix() == "docs/acerca/convenciones.es.md"
    assert source_of("no-such-page/", "es") is None


def test_median_run_picks_the_middle_performance_run():
    runs = [{"performance": 70, "seo": 100}, {"performance": 99, "seo": 100}, {"performance": 95, "seo": 92}]
    assert median_run(runs) == {"performance": 95, "seo": 92}
    assert median_run([{"performance": 80}, {"performance": 90}]) == {"performance": 80}
    assert median_run([]) is None


def test_the_rebuild_is_timed_on_the_readmes_own_serve_command():
    from scripts.bench import README, readme_commands, readme_serve_command, with_port

    text = "```sh\n# 1. serve\nbash .ci/setup && .venv/bin/python -m mkdocs serve -a 127.0.0.1:8000  # note\n```\n"
    assert readme_commands(text) == ["bash .ci/setup", ".venv/bin/python -m mkdocs serve -a 127.0.0.1:8000"]
    argv = readme_serve_command(text)
    assert argv == [".venv/bin/python", "-m", "mkdocs", "serve", "-a", "127.0.0.1:8000"]
    assert with_port(argv, 8123)[-1] == "127.0.0.1:8123"
    assert with_port([".venv/bin/python", "-m", "mkdocs", "serve"], 9)[-2:] == ["-a", "127.0.0.1:9"]
    assert readme_serve_command(README.read_text(encoding="utf-8"))[1:4] == ["-m", "mkdocs", "serve"]
    try:
        readme_serve_command("```sh\nbash .ci/setup && .venv/bin/python -m pytest\n```\n")
    except ValueError as error:
        assert "is not `mkdocs serve`" in str(error)
    else:
        raise AssertionError("a README without a serve command must be refused")
