"""CLI `check-links SITE_DIR`: links of a built site; `--online` also asks external servers."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from scripts.links import external_links, check_site, load_site
from scripts.links_online import (CACHE_FILE, MAX_AGE_DAYS, TIMEOUT, WORKERS, check_urls,
                                  dead_link_problems, fetch_url, load_cache, save_cache)
from scripts.problems import Problem

FORMATS = ("text", "json", "markdown")


def add_arguments(name, parser) -> None:
    parser.add_argument("site_dir", type=Path, help="built site folder (mkdocs build -d …, or the offline copy)")
    parser.add_argument("--site-url", default=None,
                        help="the build's site_url (default: read from the home page's canonical link)")
    parser.add_argument("--online", action="store_true", help="also fetch every external https URL")
    parser.add_argument("--fail-on-dead", action="store_true", help="with --online: exit 1 on dead links")
    parser.add_argument("--cache", type=Path, default=CACHE_FILE, help=f"online results cache (default: {CACHE_FILE.name} in .cache/)")
    parser.add_argument("--max-age-days", type=int, default=MAX_AGE_DAYS,
                        help="reuse a live cached result this many days (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per request (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=WORKERS, help="concurrent requests (default: %(default)s)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--output", type=Path, default=None, help="also write the report to this file")


def problems_markdown(title: str, problems: list[Problem]) -> str:
    """A Markdown table of problems (for the GitHub issue the scheduled workflow keeps)."""
    lines = [f"## {title}", ""]
    if not problems:
        return "\n".join(lines + ["Nothing found.", ""])
    lines += ["| Page | Line | Link and reason |", "|---|---|---|"]
    for p in problems:
        message = p.message.replace("|", "\\|")
        lines.append(f"| `{p.path}` | {p.line or ''} | {message} |")
    return "\n".join(lines + [""])


def render_report(broken: list[Problem], dead: list[Problem] | None, fmt: str, today: str) -> str:
    """The report in the chosen format; `dead` is None when the online mode did not run."""
    if fmt == "json":
        data = {"checked_on": today, "problems": [vars(p) for p in broken]}
        if dead is not None:
            data["dead"] = [vars(p) for p in dead]
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "markdown":
        text = problems_markdown("Broken links in the built site", broken)
        if dead is not None:
            text += "\n" + problems_markdown(f"Dead external links (checked {today})", dead)
        return text
    lines = [p.format() for p in broken]
    lines.append(f"{len(broken)} broken link(s)." if broken else "Every link in the site resolves.")
    if dead is not None:
        lines += [p.format() for p in dead]
        lines.append(f"{len(dead)} dead external link(s)." if dead else "Every external link answered.")
    return "\n".join(lines)


def run_check_links(args) -> int:
    """Broken links fail (exit 1); dead external links fail only with --fail-on-dead."""
    if not (args.site_dir / "index.html").exists():
        print(f"{args.site_dir}: no index.html: build the site first "
              f"(python -m mkdocs build --strict -d {args.site_dir})", file=sys.stderr)
        return 2
    site = load_site(args.site_dir, args.site_url)
    broken = check_site(site)
    dead = None
    if args.online:
        usages = external_links(site)
        cache = load_cache(args.cache)
        results = check_urls(list(usages), cache, args.today, args.max_age_days, args.workers,
                             fetch=functools.partial(fetch_url, timeout=args.timeout))
        save_cache(results, cache, args.cache)
        dead = dead_link_problems(results, usages)
    report = render_report(broken, dead, args.format, args.today.isoformat())
    print(report)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report + "\n", encoding="utf-8")
    return 1 if broken or (dead and args.fail_on_dead) else 0
