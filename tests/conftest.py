"""Shared fixtures: one strict build per session, a local HTTP server, headless Chromium.

Under pytest-xdist (`-n 2`, see README) the builds are still made once per run: the first
worker that needs a site builds it in the run's shared temporary folder, under a file lock;
the other workers wait for it and use the same folder. Tests must never write into a
shared site (copy it first).

Speed (issue 18 item 6): the workers take whole files (`--dist loadfile`) in the order of
HEAVY_FIRST (pytest.ini turns off xdist's own ordering by test count), so the short files
at the end fill the gaps and both workers finish together; each worker starts by building
a different shared site, so neither waits idle for the other's build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from scripts import ROOT
from scripts.offline import build_site

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 29)          # fixed "today": dates never break the tests
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


# Files that take longest (setup included), longest first; the others follow in their usual order.
HEAVY_FIRST = ["test_browser.py", "test_pwa.py", "test_buildcache.py", "test_readme.py", "test_protocols.py",
               "test_ux.py", "test_pocket.py", "test_hostile_browser.py", "test_budgets.py", "test_site.py",
               "test_links.py", "test_htmlcheck.py", "test_search_eval.py", "test_urls.py", "test_formacion.py"]
BUILT_SITE_URL = "https://example.org/guia/"     # the site_url of built_site
SESSION_SITES = ("built_site", "offline_site")     # one per xdist worker at the start, see prebuilt_sites


def pytest_collection_modifyitems(session, config, items):
    """Heaviest files first (a stable sort: the order inside a file does not change)."""
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def shared_build(tmp_path_factory, name: str, **options) -> Path:
    """build_site(**options) once per test run, shared by every xdist worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        site = tmp_path_factory.mktemp(name)
        build_site(site, **options)
        return site
    shared = tmp_path_factory.getbasetemp().parent      # the same folder for every worker of this run
    site, done = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)                # released when the file closes
        if not done.exists():
            build_site(site, **options)
            done.touch()
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict semantics through the MkDocs API."""
    return shared_build(tmp_path_factory, "site", site_url=BUILT_SITE_URL)


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The file:// copy (offline plugin on, no site_url)."""
    return shared_build(tmp_path_factory, "offline", offline=True)


@pytest.fixture(scope="session", autouse=True)
def prebuilt_sites(request):
    """Under xdist, worker gwN first builds SESSION_SITES[N % 2] (when the run needs both), so the
    two builds run side by side instead of one worker waiting for the other's build.

    A build that fails is left to the fixture itself, which reports it in every test that needs it.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    needed = [name for name in SESSION_SITES if any(name in item.fixturenames for item in request.session.items)]
    if not worker.startswith("gw") or len(needed) < 2:
        return
    try:
        request.getfixturevalue(needed[int(worker[2:]) % len(needed)])
    except (Exception, pytest.fail.Exception):
        pass


@pytest.fixture()
def no_pocket_guides(monkeypatch):
    """The builds of this test print no pocket guide (POCKET_GUIDES=0, half a build's time): for
    tests that look at no PDF and no guide link."""
    from scripts import pocket

    monkeypatch.setenv(pocket.GUIDES_ENV, "0")


@contextlib.contextmanager
def guides_copied_from(site: Path):
    """Builds made inside print no pocket guide: they take the 26 PDFs that the session build
    `site` printed from the same inputs (the guides read the repository's data, snippets,
    template and fonts, never a test's docs copy; the QR address must be the same). Yields the
    list of QR addresses copied, so a test can check the copy happened."""
    from scripts import pocket

    source = site / pocket.PDF_DIR
    original = pocket.prepare_site_guides
    copied: list[str] = []

    def copy(folder, today, qr_url):
        assert qr_url == BUILT_SITE_URL, f"the guides of {site} point at {BUILT_SITE_URL}, not {qr_url!r}"
        Path(folder).mkdir(parents=True, exist_ok=True)
        for pdf in sorted(source.glob("*.pdf")):
            shutil.copyfile(pdf, Path(folder) / pdf.name)
        copied.append(qr_url)

    def prepare(site_url, today, command=None, cache_dir=None, build=None):
        # always as `mkdocs build` does: a serve_build earlier in this worker (test_buildcache)
        # leaves pocket's remembered command at "serve", which would reuse .cache/ instead
        return original(site_url, today, command="build", cache_dir=cache_dir, build=copy)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pocket, "prepare_site_guides", prepare)
        yield copied


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def serve(folder: Path):
    """Start a loopback HTTP server for `folder`; return (base_url, server)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the built site served on 127.0.0.1."""
    url, server = serve(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    """A fresh phone-sized page (360 px wide)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def docs_copy(tmp_path) -> Path:
    """A throw-away copy of docs/ to break on purpose."""
    target = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", target)
    return target
