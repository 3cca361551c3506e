"""Offline copy: a strict build that works from file:// (USB stick), packed as a dated zip.

The copy carries the pocket guides. Their QR codes open the published site, whose address
is given at build time (`--site-url`, default $PUBLISHED_SITE_URL, else $SITE_URL); with
none, the guides have no QR code and say why (so does the guides page).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

from scripts import ROOT

ZIP_PREFIX = "trata-salud-offline"


PUBLISHED_URL_ENV = "PUBLISHED_SITE_URL"     # = scripts.pocket.PUBLISHED_URL_ENV


def build_site(site_dir: Path, offline: bool = False, site_url: str = "",
               config_file: Path = ROOT / "mkdocs.yml", published_url: str = "",
               docs_dir: Path | None = None) -> None:
    """Strict MkDocs build through the Python API (no -q/-v: they hide strict failures).

    `published_url`: where the pocket guides' QR codes point when the build itself has no
    site_url (the offline copy); "" means no QR code. `docs_dir`: build these pages instead
    of the configuration's (`check --docs-dir`).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = {k: os.environ.get(k) for k in ("OFFLINE", "SITE_URL", "NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING",
                                            PUBLISHED_URL_ENV)}
    os.environ["OFFLINE"] = "true" if offline else "false"
    os.environ["SITE_URL"] = site_url
    os.environ[PUBLISHED_URL_ENV] = published_url
    os.environ["NO_MKDOCS_2_WARNING"] = "1"          # Material's end-of-life banner
    os.environ["DISABLE_MKDOCS_2_WARNING"] = "true"  # the same banner from mkdocs-redirects
    try:
        folders = {"site_dir": str(site_dir)} | ({"docs_dir": str(docs_dir)} if docs_dir is not None else {})
        config = load_config(str(config_file), strict=True, **folders)
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


def readme_text(today: dt.date, published_url: str) -> str:
    """LEEME.txt of the copy: how to open it, where the guides are, where their QR points."""
    where = "guias-de-bolsillo/pdf/"
    if published_url:
        qr_es = f"Sus códigos QR abren el sitio publicado: {published_url}"
        qr_en = f"Their QR codes open the published site: {published_url}"
    else:
        qr_es = "No tienen código QR: esta copia se construyó sin la dirección del sitio publicado."
        qr_en = "They have no QR code: this copy was built without the address of the published site."
    return (f"Copia sin conexión construida el {today.isoformat()}. Abra index.html en el navegador.\n"
            f"Guías de bolsillo (PDF, A6) en {where}. {qr_es}\n\n"
            f"Offline copy built on {today.isoformat()}. Open index.html in a web browser.\n"
            f"Pocket guides (PDF, A6) in {where}. {qr_en}\n")


def default_published_url() -> str:
    """$PUBLISHED_SITE_URL, else $SITE_URL (the deploy job sets it), else ""."""
    return os.environ.get(PUBLISHED_URL_ENV) or os.environ.get("SITE_URL") or ""


def make_offline_copy(out_dir: Path, today: dt.date, published_url: str = "") -> Path:
    """Build the file:// copy into out_dir/<name>/ and return the zip next to it."""
    name = f"{ZIP_PREFIX}-{today.isoformat()}"
    site_dir = Path(out_dir) / name
    if site_dir.exists():
        shutil.rmtree(site_dir)
    build_site(site_dir, offline=True, published_url=published_url)
    (site_dir / "LEEME.txt").write_text(readme_text(today, published_url), encoding="utf-8")
    return zip_folder(site_dir, Path(out_dir) / f"{name}.zip", name)


def add_arguments(name, parser) -> None:
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--site-url", default=default_published_url(),
                        help="published site the pocket guides' QR codes open (default: $PUBLISHED_SITE_URL, "
                             "else $SITE_URL; none: guides without QR)")


def run_offline(args) -> int:
    """CLI: build and zip; print where the zip is."""
    zip_path = make_offline_copy(args.out, args.today, args.site_url)
    print(f"Offline copy: {zip_path} ({zip_path.stat().st_size // 1024} KB). "
          f"Unzip it and open index.html.")
    if not args.site_url:
        print("The pocket guides in it have no QR code (no --site-url, $PUBLISHED_SITE_URL or $SITE_URL).")
    return 0
