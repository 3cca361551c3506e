"""Valid HTML (issue 18): the Nu Html Checker finds no error of ours (scripts/htmlcheck.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scripts.htmlcheck import INSTALL_HINT, classify, find_vnu, run_vnu

FIXTURES = Path(__file__).parent / "fixtures" / "htmlcheck"
# Errors another slice fixes (issue 17: helper D escapes front-matter descriptions in the meta
# tag). Delete this allowance once that fix is merged.
ELSEWHERE = {"en/identificacion/explotacion-sexual/index.html", "identificacion/explotacion-sexual/index.html"}


def test_ours_are_problems_material_is_ignored_with_its_reason(tmp_path):
    text = (FIXTURES / "vnu_messages.json").read_text(encoding="utf-8").replace("SITE", str(tmp_path))
    problems, ignored = classify(json.loads(text)["messages"], tmp_path)
    assert [(p.path, p.line, p.field, p.message) for p in problems] == [
        ("en/formacion/mi-lista/index.html", 40, "html", "Bad value “” for attribute “action” on element “form”: Must be non-empty."),
        ("formacion/dia-2/index.html", 99, "html", "Section lacks heading. Consider using “h2”-“h6” elements."),
        ("index.html", 7, "html", "Attribute “autocomplete” is only allowed when the input type is “color”, “date”."),
    ]
    assert problems[0].hint == 'markup: <form class="kb-milista__picker" action="" method="get">'
    assert sorted(ignored.values()) == [1, 1]
    assert any("tabindex" in reason for reason in ignored) and any("autocomplete" in reason for reason in ignored)


def test_built_site_has_no_html_error_of_ours(built_site):
    jar = find_vnu()
    if jar is None or not shutil.which("java"):
        pytest.skip(f"Nu Html Checker not installed: {INSTALL_HINT}, or set VNU_JAR")
    problems, ignored = classify(run_vnu(built_site, jar), built_site)
    ours = [p.format() for p in problems if p.path not in ELSEWHERE]
    assert ours == []
    assert ignored, "Material's known errors vanished: check IGNORED in scripts/htmlcheck.py is still needed"
