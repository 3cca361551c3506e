"""A small static server for the benchmark: gzip when the client accepts it, cache headers.

`python -m http.server` sends neither, so page weights and repeat visits measured against
it say nothing about a real host (GitHub Pages gzips and caches). Loopback only.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path

GZIP_LEVEL = 6                      # what common web servers use
ASSET_MAX_AGE = 86400               # CSS, JS, images, fonts: one day
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml", "application/manifest+json")
NO_CACHE_SUFFIXES = (".html", ".json", ".xml", ".txt")


def accepts_gzip(header: str | None) -> bool:
    """True when an Accept-Encoding header allows gzip (`gzip;q=0` refuses it)."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().lower().removeprefix("q=")
            try:
                return not params.strip() or float(quality) > 0
            except ValueError:
                return False
    return False


def is_compressible(content_type: str) -> bool:
    """Text-like types worth gzipping (images other than SVG and fonts are already compressed)."""
    return content_type.split(";")[0].strip().lower().startswith(COMPRESSIBLE)


def cache_control(path: str) -> str:
    """Pages, search index and sitemaps are revalidated; static assets are cached for a day."""
    if path.endswith("/") or path.lower().endswith(NO_CACHE_SUFFIXES):
        return "no-cache"
    return f"public, max-age={ASSET_MAX_AGE}"


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like SimpleHTTPRequestHandler, plus gzip, Vary and Cache-Control."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".json": "application/json",
                      ".svg": "image/svg+xml", ".xml": "application/xml", ".woff2": "font/woff2"}

    def __init__(self, *args, log: list | None = None, **kwargs):
        self.log = log                       # set before super(): it handles the request
        self._record: dict | None = None
        super().__init__(*args, **kwargs)

    def end_headers(self):
        """Count header bytes for the request log (what a browser's devtools call transferred)."""
        if self.log is not None:
            self._record = {"path": self.path, "status": 0, "raw": 0, "sent": 0, "headers":
                            sum(len(chunk) for chunk in getattr(self, "_headers_buffer", []))}
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                return super().send_head()          # 301 to the slash URL
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404, "File not found")
            if self._record is not None:
                self.log.append({**self._record, "status": 404, "sent": self._record["headers"]})
            return None
        data = Path(path).read_bytes()
        content_type = self.guess_type(path)
        gzipped = is_compressible(content_type) and accepts_gzip(self.headers.get("Accept-Encoding"))
        if gzipped:
            data = gzip.compress(data, GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if is_compressible(content_type):
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", cache_control(url_path))
        self.send_header("Last-Modified", email.utils.formatdate(os.path.getmtime(path), usegmt=True))
        raw = os.path.getsize(path)
        self.end_headers()
        if self._record is not None:
            self._record.update(status=200, raw=raw, sent=self._record["headers"] + len(data))
            self.log.append(self._record)
        return io.BytesIO(data)

    def log_message(self, *args):  # quiet: the benchmark prints one table
        pass


def start_server(folder: Path, port: int = 0, log: list | None = None
                 ) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve `folder` on 127.0.0.1 in a daemon thread; return (base URL, server).

    With `log`, every 200 response appends {path, status, raw, sent, headers} (bytes).
    """
    handler = functools.partial(GzipHandler, directory=str(folder), log=log)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def free_port() -> int:
    """A port that was free a moment ago (to build a site whose site_url names it)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
