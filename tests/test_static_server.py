"""The benchmark's gzip static server (scripts/static_server.py)."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from scripts.static_server import accepts_gzip, cache_control, is_compressible, start_server


@pytest.mark.parametrize("header,expected", [
    ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.5", True), ("GZIP", True), ("*", True),
    ("gzip;q=0", False), ("deflate, br", False), ("", False), (None, False), ("gzip;q=x", False),
])
def test_accepts_gzip(header, expected):
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize("content_type,expected", [
    ("text/html; charset=utf-8", True), ("application/javascript", True), ("image/svg+xml", True),
    ("application/json", True), ("image/png", False), ("font/woff2", False),
])
def test_is_compressible(content_type, expected):
    assert is_compressible(content_type) is expected


@pytest.mark.parametrize("path,expected", [
    ("/", "no-cache"), ("/en/protocolos/", "no-cache"), ("/index.html", "no-cache"),
    ("/search/search_index.json", "no-cache"), ("/sitemap.xml", "no-cache"),
    ("/assets/stylesheets/extra.css", "public, max-age=86400"),
    ("/assets/javascripts/bundle.abc.min.js", "public, max-age=86400"),
])
def test_cache_control(path, expected):
    assert cache_control(path) == expected


@pytest.fixture()
def server(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>" + "hola " * 200 + "</p>", encoding="utf-8")
    (tmp_path / "x.css").write_text("body{color:red}" * 50, encoding="utf-8")
    (tmp_path / "i.png").write_bytes(b"\x89PNG" + bytes(100))
    url, srv = start_server(tmp_path)
    yield url
    srv.shutdown()
    srv.server_close()


def _get(url, gzip_ok=True):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


def test_gzip_when_accepted(server):
    headers, body = _get(server + "a/")
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Cache-Control"] == "no-cache"
    assert int(headers["Content-Length"]) == len(body)
    assert gzip.decompress(body).decode() == "<p>" + "hola " * 200 + "</p>"


def test_plain_when_not_accepted(server):
    headers, body = _get(server + "x.css", gzip_ok=False)
    assert headers["Content-Encoding"] is None
    assert body == b"body{color:red}" * 50
    assert headers["Cache-Control"] == "public, max-age=86400"


def test_png_is_never_gzipped(server):
    headers, body = _get(server + "i.png")
    assert headers["Content-Encoding"] is None and len(body) == 104


def test_missing_file_is_404(server):
    with pytest.raises(urllib.error.HTTPError) as error:
        _get(server + "nope.js")
    assert error.value.code == 404


def test_folder_without_slash_redirects(server):
    headers, body = _get(server + "a")      # urllib follows the 301
    assert gzip.decompress(body).startswith(b"<p>hola")
