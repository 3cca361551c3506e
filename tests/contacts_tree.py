"""A throw-away copy of the repository that builds before sibling branches are merged.

The region pages link to identificacion/contextos-peru.md (another section) and cite
sources s01–s72 (docs/_data/fuentes/brief.yml, another helper). Until those files exist in
this branch, the copy gets minimal stubs; once they exist, the real files are used as they
are. Used by tests/test_contacts.py and for manual builds:

    python tests/contacts_tree.py /tmp/directorio-tree   # then build inside it
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION_SLUGS = ("amazonas", "cajamarca", "callao", "cusco", "lima", "loreto", "madre-de-dios",
                "pasco", "piura", "puno", "tacna", "tumbes")
IGNORE = shutil.ignore_patterns(".git", "site", "dist", "__pycache__", ".pytest_cache", "*.pyc")


def _stub_context_page(lang: str) -> str:
    title = "Contextos regionales (stub)" if lang == "es" else "Regional contexts (stub)"
    body = "\n\n".join(f"## {slug} {{ #{slug} }}\n\nStub." for slug in REGION_SLUGS)
    return (f"---\ntitle: {title}\ndescription: Página provisional solo para compilar el directorio en pruebas.\n"
            f"audience: [todo-el-personal]\nreviewed_on: 2026-11-29\nreview_every_months: 6\n"
            f"sources: [s16]\n---\n\n# {title}\n\n{body}\n\n## Fuentes {{ #fuentes }}\n\n<!-- kb:fuentes -->\n")


def make_build_tree(target: Path) -> Path:
    """Copy the repo to `target`, adding stubs only for files other branches will provide."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT, target, ignore=IGNORE)
    brief = target / "docs/_data/fuentes/brief.yml"
    if not brief.exists():
        ids = [f"s{n:02d}" for n in range(1, 73) if n != 71]
        brief.write_text("".join(f"- id: {i}\n  title: Stub {i}\n  publisher: stub\n  year: '2026'\n  lang: es\n"
                                 for i in ids), encoding="utf-8")
    context = target / "docs/identificacion/contextos-peru.es.md"
    if not context.exists():
        for lang in ("es", "en"):
            (target / f"docs/identificacion/contextos-peru.{lang}.md").write_text(_stub_context_page(lang), encoding="utf-8")
        config = target / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        anchor = "  - Identificación:\n      - identificacion/index.md\n"
        if anchor in text and "identificacion/contextos-peru.md" not in text:
            config.write_text(text.replace(anchor, anchor + "      - identificacion/contextos-peru.md\n"), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(make_build_tree(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/directorio-tree")))
