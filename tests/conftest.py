"""Shared fixtures: one strict build per session, a local HTTP server, headless Chromium."""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict semantics through the MkDocs API."""
    site = tmp_path_factory.mktemp("site")
    build_site(site, site_url="https://example.org/guia/")
    return site


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The file:// copy (offline plugin on, no site_url)."""
    site = tmp_path_factory.mktemp("offline")
    build_site(site, offline=True)
    return site


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
