"""Shared fixtures: one strict build per session, a local HTTP server, headless Chromium.

Under pytest-xdist (`-n 2`, see README) the builds are still made once per run: the first
worker that needs a site builds it in the run's shared temporary folder, under a file lock;
the other workers wait for it and use the same folder. Tests must never write into a
shared site (copy it first).
"""

from __future__ import annotations

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
    return shared_build(tmp_path_factory, "site", site_url="https://example.org/guia/")


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The file:// copy (offline plugin on, no site_url)."""
    return shared_build(tmp_path_factory, "offline", offline=True)


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
