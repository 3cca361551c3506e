"""Valid HTML (issue 18): run the Nu Html Checker (npm `vnu-jar`, Java 17) on a built site and
keep only the errors our own templates and content make.

Material for MkDocs' own markup has a few errors we cannot fix without copying its templates;
they are listed in IGNORED, each with the reason, and reported as ignored (never silently).

    npm install --prefix .bench vnu-jar@26.9.27         # once; .bench/ is git-ignored
    python -m scripts.htmlcheck site                    # after mkdocs build --strict -d site

The jar is looked for in $VNU_JAR, then .bench/node_modules/vnu-jar/build/dist/vnu.jar.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scripts import ROOT
from scripts.problems import Problem

VNU_VERSION = "26.9.27"
JAR_IN_BENCH = ROOT / ".bench" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = f"npm install --prefix .bench vnu-jar@{VNU_VERSION} (needs Java 17: apt-get install default-jre-headless)"


@dataclass(frozen=True)
class Ignored:
    """A checker message that comes from Material's templates, not from this project."""

    message: str        # regex on the checker's message
    extract: str        # regex on the markup the checker quotes
    reason: str


IGNORED = (
    Ignored(r"^Bad value “” for attribute “tabindex” on element “label”", r'class="md-nav__link',
            "Material's nav.html writes tabindex=\"\" on section labels of the navigation"),
    Ignored(r"^Attribute “autocomplete” is only allowed when the input type is", r'class="md-(toggle|option)"',
            "Material's base.html and palette.html set autocomplete=off on its drawer, search, "
            "palette and table-of-contents toggles (checkboxes/radios)"),
    Ignored(r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
            r'class="md-nav__title" for="__toc"',
            "Material's toc label points at its hidden __toc toggle"),
)


def find_vnu() -> Path | None:
    """The vnu.jar to use, or None when it is not installed."""
    for candidate in (os.environ.get("VNU_JAR"), JAR_IN_BENCH):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def run_vnu(site_dir: Path, jar: Path) -> list[dict]:
    """Every message of the checker for the HTML files of `site_dir` (JSON output)."""
    java = shutil.which("java")
    if not java:
        raise RuntimeError("java not found: " + INSTALL_HINT)
    result = subprocess.run([java, "-Xss4m", "-jar", str(jar), "--format", "json", "--skip-non-html", "--exit-zero-always",
                             str(site_dir)], capture_output=True, text=True, check=False)
    try:
        return json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"the Nu Html Checker gave no JSON report ({error}): {result.stderr[:300]}") from error


def _ignored_by(message: dict) -> Ignored | None:
    for rule in IGNORED:
        if re.search(rule.message, message.get("message", "")) and re.search(rule.extract, message.get("extract", "")):
            return rule
    return None


def classify(messages: list[dict], site_dir: Path) -> tuple[list[Problem], Counter]:
    """Our errors (and section/heading warnings) as Problems; Material's, counted by reason."""
    problems, ignored = [], Counter()
    for message in messages:
        kind = message.get("type")
        warning_we_treat_as_error = kind == "info" and "lacks heading" in message.get("message", "")
        if kind != "error" and not warning_we_treat_as_error:
            continue
        rule = _ignored_by(message)
        if rule:
            ignored[rule.reason] += 1
            continue
        url = message.get("url", "")
        path = url[len("file:"):] if url.startswith("file:") else url
        try:
            shown = Path(path).resolve().relative_to(Path(site_dir).resolve()).as_posix()
        except ValueError:
            shown = path
        extract = " ".join(message.get("extract", "").split())[:120]
        problems.append(Problem(shown, message.get("lastLine"), "html", message.get("message", "").strip(),
                                f"markup: {extract}" if extract else ""))
    return sorted(problems), ignored


def check_html(site_dir: Path) -> list[Problem]:
    """Problems of the built site's HTML; one problem saying how to install the checker if missing."""
    jar = find_vnu()
    if jar is None:
        return [Problem(str(site_dir), None, "html", "the Nu Html Checker (vnu.jar) is not installed", INSTALL_HINT)]
    return classify(run_vnu(Path(site_dir), jar), Path(site_dir))[0]


def main(argv: list[str] | None = None) -> int:
    """`python -m scripts.htmlcheck SITE`: print our HTML errors and the ignored ones; exit 1 on any."""
    parser = argparse.ArgumentParser(prog="python -m scripts.htmlcheck", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (mkdocs build --strict -d SITE)")
    args = parser.parse_args(argv)
    jar = find_vnu()
    if jar is None:
        print(f"vnu.jar not found: {INSTALL_HINT}", file=sys.stderr)
        return 1
    problems, ignored = classify(run_vnu(args.site, jar), args.site)
    for problem in problems:
        print(problem.format())
    for reason, count in ignored.most_common():
        print(f"ignored ({count}): {reason}")
    print(f"{len(problems)} error(s) from this project's templates and content")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
