"""External links, online: is each https URL still alive? Cached by date so daily runs are gentle.

Each URL is asked once per run (HEAD, then GET when HEAD is refused or fails), redirects
followed, with a timeout, a few retries for transient failures and a small thread pool.
Results are cached in a JSON file with the date they were checked; a live result younger
than `max_age_days` is reused, a dead one is asked again on every run.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from scripts import ROOT
from scripts.links import Link
from scripts.problems import Problem

CACHE_FILE = ROOT / ".cache" / "links.json"
CACHE_VERSION = 1
USER_AGENT = "trata-salud-linkcheck/1.0 (+link check of a health-staff knowledge base)"
TIMEOUT = 15.0               # seconds per request
RETRIES = 2                  # extra attempts after a transient failure
BACKOFF = 2.0                # seconds before the first retry, doubled each time
WORKERS = 4                  # concurrent requests
MAX_AGE_DAYS = 7             # a live result is trusted this long
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass
class UrlResult:
    """The answer for one URL, as stored in the cache."""

    url: str
    ok: bool
    status: int | None
    error: str
    final_url: str
    checked_on: str          # ISO date

    def describe(self) -> str:
        """Why a dead link is dead, in a few words."""
        if self.status is not None:
            return f"HTTP {self.status}"
        return self.error or "no answer"


class _KeepMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects keeping HEAD a HEAD (Python 3.11 turns it into GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    opener = urllib.request.build_opener(_KeepMethodRedirects)
    request = urllib.request.Request(url, method=method, headers={
        "User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)          # the server really answers; do not download pages
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, error.geturl() or url


def fetch_url(url: str, timeout: float = TIMEOUT, retries: int = RETRIES,
              backoff: float = BACKOFF) -> tuple[int | None, str, str]:
    """(status, final URL, error) for one URL: HEAD, then GET if HEAD is refused; retries."""
    status: int | None = None
    error = ""
    final = url
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            status, final = _request(url, "HEAD", timeout)
            if status >= 400:                # 405/403/404 from HEAD: many servers only do GET right
                status, final = _request(url, "GET", timeout)
            error = ""
        except (socket.timeout, TimeoutError):
            status, error = None, f"timeout after {timeout:g} s"
        except urllib.error.URLError as exc:
            status = None
            reason = exc.reason
            error = (f"timeout after {timeout:g} s" if isinstance(reason, (socket.timeout, TimeoutError))
                     else f"connection failed: {reason}")
        except (OSError, ValueError) as exc:
            status, error = None, f"connection failed: {exc}"
        if status is not None and status not in RETRY_STATUSES:
            break
    return status, final, error


def is_fresh(entry: dict, today: dt.date, max_age_days: int) -> bool:
    """A cached live result checked less than max_age_days ago (dead ones are always re-asked)."""
    try:
        checked = dt.date.fromisoformat(entry["checked_on"])
    except (KeyError, TypeError, ValueError):
        return False
    return bool(entry.get("ok")) and 0 <= (today - checked).days < max_age_days


def check_urls(urls: list[str], cache: dict[str, dict], today: dt.date,
               max_age_days: int = MAX_AGE_DAYS, workers: int = WORKERS,
               fetch: Callable[[str], tuple[int | None, str, str]] | None = None
               ) -> dict[str, UrlResult]:
    """Result for every URL: fresh cache entries reused, the rest fetched by a thread pool."""
    fetch = fetch or fetch_url
    results: dict[str, UrlResult] = {}
    todo = []
    for url in dict.fromkeys(urls):
        entry = cache.get(url)
        if entry and is_fresh(entry, today, max_age_days):
            results[url] = UrlResult(**{**entry, "url": url})
        else:
            todo.append(url)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for url, (status, final, error) in zip(todo, pool.map(fetch, todo)):
            ok = status is not None and status < 400
            results[url] = UrlResult(url, ok, status, error, final, today.isoformat())
    return results


def load_cache(path: Path = CACHE_FILE) -> dict[str, dict]:
    """URL -> cached result; an unreadable or old-format cache is simply empty."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    urls = data.get("urls")
    return urls if isinstance(urls, dict) else {}


def save_cache(results: dict[str, UrlResult], cache: dict[str, dict], path: Path = CACHE_FILE) -> None:
    """Merge the new results into the cache file (sorted, stable diffs)."""
    merged = dict(cache)
    for url, result in results.items():
        entry = asdict(result)
        entry.pop("url")
        merged[url] = entry
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": CACHE_VERSION, "urls": dict(sorted(merged.items()))},
                               ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def dead_link_problems(results: dict[str, UrlResult],
                       usages: dict[str, list[tuple[str, Link]]]) -> list[Problem]:
    """One Problem per dead URL, at its first use, saying how many other pages use it."""
    problems = []
    for url in sorted(results):
        result = results[url]
        uses = usages.get(url, [])
        if result.ok or not uses:
            continue
        page, link = uses[0]
        others = len({p for p, _ in uses} - {page})
        also = f" (also on {others} other page{'s' if others != 1 else ''})" if others else ""
        problems.append(Problem(page, link.line, link.attr,
                                f'{link.url} ("{link.text}"): dead link: {result.describe()}{also}'))
    return problems
