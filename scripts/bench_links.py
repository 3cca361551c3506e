"""Benchmark: time check-links on a generated 2,000-page bilingual site (target < 10 s).

    python -m scripts.bench_links [--pages 2000] [--runs 3] [--keep DIR]

Pages look like Material's output after `navigation.prune`: ~30 KB each, a header with the
language switcher, a pruned nav, a table of contents, 16 sections with ids, ~110 links
(other pages with anchors, assets, tel:, mailto:, https). Every link is valid, so the run
must also report zero problems.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from scripts.links import check_links

SECTIONS = ["identificacion", "protocolos", "directorio", "guias-de-bolsillo", "formacion",
            "marco-legal", "glosario", "acerca"]
HEADINGS_PER_PAGE = 16
LINKS_PER_SECTION = 2
TARGET_KB = 30
WORDS = ("la atención de salud debe ser segura y respetuosa con la persona que pudo ser víctima "
         "de trata registre lo observado sin juzgar y derive según el protocolo vigente").split()


def _page_names(count: int) -> list[str]:
    per_section = max(1, count // len(SECTIONS))
    names = []
    for section in SECTIONS:
        names.append(f"{section}/index")
        names += [f"{section}/pagina-{i:04d}" for i in range(1, per_section)]
    return names[:count]


def _dir(lang: str, name: str) -> str:
    """Site folder of a page (directory URLs): '' for the Spanish home, 'en/acerca' for..."""
    folder = name[: -len("index")].rstrip("/") if name.endswith("index") else name
    return "/".join(part for part in ("en" if lang == "en" else "", folder) if part)


def _link(from_dir: str, to_dir: str) -> str:
    """Relative directory URL between two site folders."""
    rel = posixpath.relpath(to_dir or ".", from_dir or ".")
    return "./" if rel == "." else rel + "/"


def _html(name: str, lang: str, names: list[str], rng: random.Random) -> str:
    here_dir = _dir(lang, name)
    other_lang = "es" if lang == "en" else "en"
    root = "../" * (here_dir.count("/") + 1) if here_dir else ""
    home = _link(here_dir, _dir(lang, "index"))
    other = _link(here_dir, _dir(other_lang, name))
    here = "./"

    def _url(_from: str, target: str) -> str:
        return _link(here_dir, _dir(lang, target))

    anchors = [f"seccion-{i:02d}" for i in range(HEADINGS_PER_PAGE)]
    parts = [f'<!doctype html>\n<html lang="{lang}" class="no-js">\n<head>\n<meta charset="utf-8">\n'
             f'<title>{name}</title>\n<link rel="icon" href="{root}assets/images/favicon.svg">\n'
             f'<link rel="stylesheet" href="{root}assets/stylesheets/main.css">\n'
             f'<link rel="alternate" href="{other}" hreflang="{other_lang}">\n'
             f'<link rel="alternate" href="{here}" hreflang="{lang}">\n</head>\n<body>\n'
             f'<a href="#seccion-00" class="md-skip">Skip</a>\n<header class="md-header">'
             f'<a href="{home}" class="md-logo"><img src="{root}assets/images/logo.svg" alt="logo"></a>\n'
             f'<a href="{other}" hreflang="{other_lang}" class="md-select__link">Other</a>\n'
             f'<a href="{here}" hreflang="{lang}" class="md-select__link">This</a>\n'
             f'<a class="kb-help-strip" href="{home}#que-hacer-ahora">Ayuda</a></header>\n'
             '<nav class="md-nav">\n']
    section = name.split("/")[0]
    for target in [n for n in names if n.endswith("/index")] + [n for n in names if n.startswith(section + "/")][:25]:
        parts.append(f'<li class="md-nav__item"><a href="{_url(name, target)}" class="md-nav__link">'
                     f'<span class="md-ellipsis">{target}</span></a></li>\n')
    parts.append('</nav>\n<nav class="md-nav--secondary">\n')
    parts += [f'<li><a href="#{a}" class="md-nav__link">{a}</a></li>\n' for a in anchors]
    parts.append('</nav>\n<article class="md-content__inner md-typeset">\n<h1 id="titulo">Título</h1>\n')
    for anchor in anchors:
        parts.append(f'<h2 id="{anchor}">Sección {anchor}<a class="headerlink" href="#{anchor}" '
                     f'title="Enlace">&para;</a></h2>\n')
        for _ in range(LINKS_PER_SECTION):
            target = rng.choice(names)
            text = " ".join(rng.choices(WORDS, k=45))
            parts.append(f'<p>{text} <a href="{_url(name, target)}#seccion-{rng.randrange(HEADINGS_PER_PAGE):02d}">'
                         f'ver {target}</a>.</p>\n')
        parts.append(f'<p>Llame al <a href="tel:113">113</a> o al <a href="tel:+5111234567">(01) 123 4567</a>; '
                     f'escriba a <a href="mailto:ayuda@example.org">ayuda@example.org</a>; norma en '
                     f'<a href="https://www.gob.pe/minsa/{rng.randrange(50)}">gob.pe</a>.</p>\n')
    parts.append('</article>\n')
    html = "".join(parts)
    filler = " ".join(WORDS)
    while len(html) < TARGET_KB * 1024 - 200:
        html += f"<p>{filler}</p>\n"
    return html + f'<footer><a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></footer>\n</body></html>\n'


def generate_site(folder: Path, pages: int, seed: int = 1) -> int:
    """Write `pages` HTML pages (half Spanish at the root, half English under en/); return bytes."""
    rng = random.Random(seed)
    names = _page_names(pages // 2)
    total = 0
    for asset in ("images/favicon.svg", "images/logo.svg", "stylesheets/main.css"):
        path = folder / "assets" / asset
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* asset */", encoding="utf-8")
    for lang in ("es", "en"):
        for name in ["index"] + names:
            folder_rel = _dir(lang, name)
            rel = f"{folder_rel}/index.html" if folder_rel else "index.html"
            html = _html(name, lang, names, rng)
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
            total += len(html.encode("utf-8"))
    (folder / "index.html").write_text((folder / "index.html").read_text(encoding="utf-8").replace(
        "<h1 ", '<h2 id="que-hacer-ahora">Qué hacer</h2><h1 '), encoding="utf-8")
    (folder / "en/index.html").write_text((folder / "en/index.html").read_text(encoding="utf-8").replace(
        "<h1 ", '<h2 id="que-hacer-ahora">What to do</h2><h1 '), encoding="utf-8")
    return total


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="write the site here and keep it")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-links-"))
    try:
        size = generate_site(folder, args.pages)
        count = sum(1 for _ in folder.rglob("*.html"))
        print(f"site: {count} pages, {size / 1e6:.1f} MB of HTML ({size / count / 1024:.1f} KB/page), {folder}")
        print(f"machine: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at start")
        for run in range(1, args.runs + 1):
            cpu = _cpu_seconds()
            start = time.perf_counter()
            problems = check_links(folder)
            elapsed = time.perf_counter() - start
            print(f"run {run}: check-links {elapsed:.2f} s wall, {_cpu_seconds() - cpu:.2f} s CPU "
                  f"(all processes), {len(problems)} problem(s)")
            for problem in problems[:5]:
                print("  ", problem.format())
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
