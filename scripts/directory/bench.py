"""Benchmark: validate a generated directory of 10,000 entries and print the time.

    python -m scripts.directory.bench [--entries 10000] [--keep DIR]

Target: under 5 s on the project's 2-core machine (loading the YAML, JSON Schema, phone
parsing, cross-file checks). Prints figures only; it never fails a test run.
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from scripts.directory.common import CONTACTS_DIR, REGIONS
from scripts.directory.model import load_directory
from scripts.directory.validate import validate_files

TARGET_SECONDS = 5.0
TODAY = dt.date(2026, 11, 29)
ENTRY = """  - id: {id}
    name: {{es: "Servicio {n} de {name}", en: "Service {n}, {name}"}}
    organization: {{es: "Organización {n}", en: "Organisation {n}"}}
    service_type: {kind}
    description:
      es: Entrada generada para medir el validador.
      en: Generated entry to time the validator.
    phones:
      - number: "{phone}"
        type: voice
        hours: {{es: Lunes a viernes, en: Monday to Friday}}
        languages: [spa, que]
    emails: [servicio{n}@example.gob.pe]
    url: https://www.gob.pe/servicio-{n}
    languages: [spa, que]
    service_area: {{es: {name}, en: {name}}}
    ubigeo: "{ubigeo}"
    source: "Generado por scripts/directory/bench.py"
    verified_on: 2026-01-15
"""
KINDS = ("salud", "proteccion", "justicia", "policia", "ong")


def generate(folder: Path, total: int) -> Path:
    """Write the real nacional.yml plus `total` entries spread over the 12 region files."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTACTS_DIR / "nacional.yml", folder / "nacional.yml")
    slugs = list(REGIONS)
    per_region = {slug: [] for slug in slugs}
    for n in range(total):
        slug = slugs[n % len(slugs)]
        ubigeo, name = REGIONS[slug]
        # distinct valid Lima landlines (01) 2xx-xxxx, one per entry
        phone = f"(01) {2000000 + n:07d}"
        per_region[slug].append(ENTRY.format(id=f"{slug}-servicio-{n}", n=n, name=name, kind=KINDS[n % len(KINDS)],
                                             phone=f"{phone[:8]}-{phone[8:]}", ubigeo=ubigeo))
    for slug, entries in per_region.items():
        (folder / f"{slug}.yml").write_text(f"region: {slug}\nreview_every_months: 12\nentries:\n" + "".join(entries),
                                            encoding="utf-8")
    return folder


def run(total: int, keep: Path | None = None) -> dict[str, float]:
    """Generate, then time loading and validation separately."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-contacts-"))
    try:
        generate(folder, total)
        start, cpu_start = time.perf_counter(), time.process_time()
        files = load_directory(folder)
        loaded = time.perf_counter()
        problems = validate_files(files, TODAY)
        done, cpu_done = time.perf_counter(), time.process_time()
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return {"entries": sum(len(f.entries) for f in files), "problems": len(problems),
            "load_s": loaded - start, "validate_s": done - loaded, "total_s": done - start,
            "cpu_s": cpu_done - cpu_start}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    args = parser.parse_args()
    result = run(args.entries, args.keep)
    print(f"entries: {result['entries']} (problems found: {result['problems']})")
    print(f"load YAML: {result['load_s']:.2f} s · validate: {result['validate_s']:.2f} s · "
          f"total: {result['total_s']:.2f} s (target < {TARGET_SECONDS:.0f} s); CPU time {result['cpu_s']:.2f} s "
          "(what a busy machine does not inflate)")
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPU(s), load average {load:.1f} during the run"
          + (" (busy machine: figures are inflated; rerun when idle)" if load > (os.cpu_count() or 1) else ""))
    print("within target" if result["total_s"] < TARGET_SECONDS else "OVER TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
