"""Every command of README.md works as written; the venv hides the upstream end-of-life notices.

Each command is read from the README's ```sh blocks and run from the repository root with
the venv `.ci/setup` makes (`.venv/bin/python`), without NO_MKDOCS_2_WARNING or
DISABLE_MKDOCS_2_WARNING in the environment. Quick commands run as written; the strict
build runs as written but into a temporary folder (`-d`), and `check-links site/` checks
that folder. Long commands (serve, check, bench, pytest, PDFs) run with `--help` appended,
which still parses every option written before it; `bash .ci/setup` is syntax-checked (it
installs packages), and npm is asked for its version (installing needs the network).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from scripts import ROOT
from scripts.bench import readme_commands
from tests.conftest import FIXTURES

README = ROOT / "README.md"
VENV_PYTHON = ".venv/bin/python"
BANNERS = ("end of life", "ProperDocs", "NO_MKDOCS_2_WARNING", "MkDocs may break")
QUIET_VARIABLES = ("NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING")
RUN_AS_WRITTEN = {
    f"{VENV_PYTHON} -m scripts --help",
    f"{VENV_PYTHON} -m scripts validate-contacts",
    f"{VENV_PYTHON} -m scripts report-reviews",
    f"{VENV_PYTHON} -m scripts report-contacts",
}
STRICT_BUILD = f"{VENV_PYTHON} -m mkdocs build --strict"
CHECK_LINKS = f"{VENV_PYTHON} -m scripts check-links site/"


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def split_env(command: str) -> tuple[dict[str, str], list[str]]:
    """`A=1 B= prog args` -> ({A: 1, B: ''}, [prog, args])."""
    tokens = shlex.split(command)
    env = {}
    while tokens and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", tokens[0]):
        name, _, value = tokens.pop(0).partition("=")
        env[name] = value
    return env, tokens


def run(argv: list[str], extra_env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run from the repository root as a new user would: no banner variables set."""
    env = {k: v for k, v in os.environ.items() if k not in QUIET_VARIABLES and not k.startswith("PYTEST_")}
    env.update(extra_env or {})
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def assert_ok_and_quiet(done: subprocess.CompletedProcess, banners_expected: bool = False) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    shown = [b for b in BANNERS if b in output]
    if banners_expected:
        assert shown, "the notices should show when their variables are set empty"
    else:
        assert shown == [], f"upstream banner in the output ({shown}); run `bash .ci/quiet-banners`"


@pytest.fixture(scope="module")
def venv_python() -> str:
    if not (ROOT / VENV_PYTHON).exists():
        pytest.fail(f"{ROOT / VENV_PYTHON} not found: run `bash .ci/setup --tests` (the README's command 2)")
    return VENV_PYTHON


@pytest.fixture(scope="module")
def readme_site(tmp_path_factory, venv_python) -> Path:
    """The README's strict build, run as written, into a temporary folder."""
    site = tmp_path_factory.mktemp("readme") / "site"
    assert STRICT_BUILD in COMMANDS
    done = run([*shlex.split(STRICT_BUILD), "-d", str(site)])
    assert_ok_and_quiet(done)
    return site


def test_the_readme_has_two_setup_commands_and_ci_runs_the_second():
    setups = [c for c in COMMANDS if c.startswith("bash .ci/setup")]
    assert setups == ["bash .ci/setup", "bash .ci/setup --tests"]
    serve = COMMANDS[COMMANDS.index("bash .ci/setup") + 1]
    tests = COMMANDS[COMMANDS.index("bash .ci/setup --tests") + 1]
    assert serve.startswith(f"{VENV_PYTHON} -m mkdocs serve")
    assert tests.startswith(f"{VENV_PYTHON} -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash .ci/setup --tests" in ci and f"\n{tests}" in ci, ".ci/run must run the README's test command"
    assert "NO_MKDOCS_2_WARNING" not in ci, ".ci/run must not need the variables the venv sets"
    assert "quiet-banners" in (ROOT / ".ci" / "setup").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_works_as_written(command, venv_python, request):
    env, argv = split_env(command)
    if argv[:2] == ["bash", ".ci/setup"]:
        done = run(["bash", "-n", ".ci/setup"])              # installs packages: syntax only
        assert done.returncode == 0, done.stderr
        return
    if argv[0] == "npm":
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed (optional: Lighthouse for the bench)")
        assert run(["npm", "--version"]).returncode == 0
        return
    assert argv[0] == VENV_PYTHON, f"{command}: README commands use the venv's python ({VENV_PYTHON})"
    if command == STRICT_BUILD:
        request.getfixturevalue("readme_site")
        return
    if command == CHECK_LINKS:
        site = request.getfixturevalue("readme_site")
        assert_ok_and_quiet(run([*argv[:-1], str(site)]))
        return
    if command not in RUN_AS_WRITTEN:
        argv = [*argv, "--help"]
    banners_expected = any(env.get(name) == "" for name in QUIET_VARIABLES)
    assert_ok_and_quiet(run(argv, env), banners_expected and "--help" not in argv)


# --- The .pth file that hides the notices, tried in a throw-away venv -------------------------

def test_quiet_banners_hides_the_notices_in_a_venv_and_can_be_undone(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    # the packages of the venv running the tests (mkdocs, Material, redirects), as a path entry
    Path(site_packages, "packages-under-test.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    project = FIXTURES / "readme" / "banners"
    build = [str(python), "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
             "-d", str(tmp_path / "site")]

    def output(extra_env=None) -> str:
        done = run(build, extra_env)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    before = output()
    assert "Material for MkDocs reaches end of life" in before and "ProperDocs" in before
    done = run(["bash", ".ci/quiet-banners", str(python)])
    assert done.returncode == 0, done.stderr
    after = output()
    assert [b for b in BANNERS if b in after] == []
    assert "Documentation built" in after
    again = output({"NO_MKDOCS_2_WARNING": "", "DISABLE_MKDOCS_2_WARNING": ""})
    assert "Material for MkDocs reaches end of life" in again and "ProperDocs" in again


# --- CONTRIBUTING.md stands on its own ------------------------------------------------------

PATH_RE = re.compile(r"`((?:\.\./|\.ci/|docs/|scripts/|overrides/|tests/|benchmarks/|data/|\.github/)[^`\s]*)`")


def test_contributing_names_only_files_of_this_repository():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    paths = {m.rstrip(".,:;") for m in PATH_RE.findall(text) if not re.search(r"[<>*…{}|]|\.\.\.", m)}
    assert paths, "the pattern should find the paths CONTRIBUTING.md names"
    page_links = {p for p in paths if p.startswith("../") and re.search(r"\.md(#|$)", p)}   # examples of page links
    outside = sorted(p for p in paths - page_links if p.startswith("../"))
    assert outside == [], "CONTRIBUTING.md sends readers outside the repository"
    def exists(path: Path) -> bool:          # a file, a folder, or a stem: `_includes/x` for x.es.md, x.en.md
        return path.exists() or any(path.parent.glob(path.name + ".*"))

    missing = sorted(p for p in paths - page_links if not exists(ROOT / p.split("#")[0]))
    missing += sorted(p for p in page_links
                      if not (ROOT / "docs" / p.removeprefix("../").split("#")[0].replace(".md", ".es.md")).exists())
    assert missing == [], "CONTRIBUTING.md names files that do not exist"
