"""Benchmark: build all 26 pocket guides and print the time, sizes and page counts.

    python benchmarks/pocket_guides.py              # real content (docs/, data)
    python benchmarks/pocket_guides.py --fixtures   # fixture content (tests/fixtures/pocket)

Target (issue 8): all 26 in under 60 s on a 2-core machine; every file under 500 KB.
Also prints what a `mkdocs serve` rebuild pays for the guides when nothing they are made of
changed (fingerprint of the inputs + reuse of the cached set; issue 18: edit-to-reload <= 3 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import pocket  # noqa: E402

TARGET_SECONDS = 60
MAX_KB = 500


def fixture_providers() -> pocket.Providers:
    spec = importlib.util.spec_from_file_location("test_pocket", ROOT / "tests" / "test_pocket.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["test_pocket"] = module          # worker processes unpickle providers by name
    spec.loader.exec_module(module)
    return module.PROVIDERS


def _cpu() -> float:
    """User + system CPU seconds of this process and its finished workers."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", action="store_true", help="use the test fixture content")
    parser.add_argument("--workers", type=int, default=pocket.MAX_WORKERS)
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL") or "https://example.org/guia/")
    args = parser.parse_args()
    providers = fixture_providers() if args.fixtures else pocket.Providers()
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        cpu0 = _cpu()
        paths = pocket.build_all(Path(out), dt.date.today(), args.site_url, providers,
                                 workers=args.workers)
        seconds = time.perf_counter() - start
        cpu = _cpu() - cpu0
        sizes = {p.name: p.stat().st_size // 1024 for p in paths}
        pages = {}
        for p in paths:
            info = subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True).stdout
            pages[p.name] = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    print(f"pocket guides: {len(paths)} PDFs in {seconds:.1f} s with {args.workers} worker(s) "
          f"(target < {TARGET_SECONDS} s) on {os.cpu_count()} CPU(s); CPU time {cpu:.1f} s, "
          f"load average {os.getloadavg()[0]:.1f} (other work slows the wall time)")
    print(f"size: min {min(sizes.values())} KB, max {max(sizes.values())} KB (limit {MAX_KB} KB); "
          f"pages: min {min(pages.values())}, max {max(pages.values())}")
    with tempfile.TemporaryDirectory() as cache:
        today = dt.date.today()
        pocket.set_command("serve")
        start = time.perf_counter()
        pocket.prepare_site_guides(args.site_url, today, cache_dir=Path(cache),
                                   build=lambda out, day, url: pocket.build_all(out, day, url, providers,
                                                                                workers=args.workers))
        cold = time.perf_counter() - start
        start = time.perf_counter()
        state = pocket.prepare_site_guides(args.site_url, today, cache_dir=Path(cache))
        warm = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as site:
            start = time.perf_counter()
            pocket.publish_site_guides(Path(site) / pocket.PDF_DIR)
            copy = time.perf_counter() - start
    print(f"mkdocs serve: first build {cold:.1f} s; a rebuild with unchanged inputs "
          f"{warm * 1000:.0f} ms (fingerprint + reuse, reused={state['reused']}) + {copy * 1000:.0f} ms to "
          f"copy them into the site")
    too_big = [n for n, kb in sizes.items() if kb >= MAX_KB]
    ok = seconds < TARGET_SECONDS and not too_big
    print("OK" if ok else f"OVER BUDGET: {too_big or f'{seconds:.1f} s'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
