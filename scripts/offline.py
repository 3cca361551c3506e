"""Offline copy: a strict build that works from file:// (USB stick), packed as a dated zip."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

from scripts import ROOT

ZIP_PREFIX = "trata-salud-offline"


def build_site(site_dir: Path, offline: bool = False, site_url: str = "",
               config_file: Path = ROOT / "mkdocs.yml") -> None:
    """Strict MkDocs build through the Python API (no -q/-v: they hide strict failures)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = {k: os.environ.get(k) for k in ("OFFLINE", "SITE_URL", "NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING")}
    os.environ["OFFLINE"] = "true" if offline else "false"
    os.environ["SITE_URL"] = site_url
    os.environ["NO_MKDOCS_2_WARNING"] = "1"          # Material's end-of-life banner
    os.environ["DISABLE_MKDOCS_2_WARNING"] = "true"  # the same banner from mkdocs-redirects
    try:
        config = load_config(str(config_file), strict=True, site_dir=str(site_dir))
        build(config)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def zip_folder(folder: Path, zip_path: Path, top: str) -> Path:
    """Pack `folder` into `zip_path` under a top-level directory `top` (sorted, stable)."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return zip_path


def make_offline_copy(out_dir: Path, today: dt.date) -> Path:
    """Build the file:// copy into out_dir/<name>/ and return the zip next to it."""
    name = f"{ZIP_PREFIX}-{today.isoformat()}"
    site_dir = Path(out_dir) / name
    if site_dir.exists():
        shutil.rmtree(site_dir)
    build_site(site_dir, offline=True)
    (site_dir / "LEEME.txt").write_text(
        f"Copia sin conexión construida el {today.isoformat()}. Abra index.html en el navegador.\n"
        f"Offline copy built on {today.isoformat()}. Open index.html in a web browser.\n",
        encoding="utf-8")
    return zip_folder(site_dir, Path(out_dir) / f"{name}.zip", name)


def add_arguments(name, parser) -> None:
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")


def run_offline(args) -> int:
    """CLI: build and zip; print where the zip is."""
    zip_path = make_offline_copy(args.out, args.today)
    print(f"Offline copy: {zip_path} ({zip_path.stat().st_size // 1024} KB). "
          f"Unzip it and open index.html.")
    return 0
