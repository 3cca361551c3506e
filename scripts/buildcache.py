"""Work a build can keep between `mkdocs serve` rebuilds (issue 10: rebuild in under 3 s).

Two caches, both in memory, both safe by construction:

- `TemplateCache`: Jinja bytecode, so each template is compiled once per process instead of
  once per language and rebuild. Jinja checks the template's source checksum before reusing
  bytecode; one cache per environment *flavour* (autoescape on or off compiles differently).
- `RenderCache`: the HTML (plus toc, title and anchors) that Python-Markdown made of a page.
  A page is converted again only when its final Markdown (after every marker and hook), its
  URL, the set of files it can link to, the snippets and data it can include, or the
  Markdown configuration changed. Pages whose rendering logged a warning are never kept, so
  `--strict` still stops on them at every rebuild. Used only under `mkdocs serve`
  (overrides/hooks/build_cache.py); `mkdocs build` always converts every page.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2

# --- Jinja bytecode -------------------------------------------------------------


class TemplateCache(jinja2.BytecodeCache):
    """Jinja bytecode kept in a dict (Jinja rejects it itself when the source changed)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()

    def __len__(self) -> int:
        return len(self._store)


_TEMPLATE_CACHES: dict[tuple, TemplateCache] = {}


def template_cache(env: jinja2.Environment) -> TemplateCache:
    """The process-wide bytecode cache for environments configured like `env`."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else repr(env.autoescape)
    flavour = (autoescape, tuple(sorted(env.extensions)), env.block_start_string,
               env.variable_start_string, env.comment_start_string, env.line_statement_prefix,
               env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
               env.finalize is not None, env.is_async, env.optimized)
    return _TEMPLATE_CACHES.setdefault(flavour, TemplateCache())


# --- Work that reads only a few files ---------------------------------------------

def tree_digest(folder: Path) -> str:
    """SHA-256 of the names and bytes of every file under `folder` (missing folder: its name)."""
    sha = hashlib.sha256(str(folder).encode("utf-8", "surrogatepass"))
    root = Path(folder)
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        if path.is_file():
            sha.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass") + b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


_MEMO: dict[str, tuple[str, Any]] = {}


def memo(name: str, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept under `name` while `key` stays the same (one result per name).

    For pure work whose key names every input (e.g. `tree_digest` of the files it reads and
    today's date): both language builds of one `mkdocs build`, and every `mkdocs serve`
    rebuild that did not touch those files, reuse the result. Callers must not mutate it.
    """
    entry = _MEMO.get(name)
    if entry is None or entry[0] != key:
        entry = _MEMO[name] = (key, compute())
    return entry[1]


# --- Rendered pages ---------------------------------------------------------------


def digest(*parts: Any) -> str:
    """SHA-256 of the parts' reprs (strings as they are)."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update((part if isinstance(part, str) else repr(part)).encode("utf-8", "surrogatepass"))
        sha.update(b"\0")
    return sha.hexdigest()


def is_page_source(relative: Path) -> bool:
    """A Markdown page (not in a `_` folder such as _includes/ or _data/)."""
    return relative.suffix == ".md" and not any(part.startswith("_") for part in relative.parts)


def includes_signature(folders: Iterable[Path]) -> str:
    """Names, sizes and modification times of every file under `folders` a page may include.

    Pages themselves are left out (each page's own text is in its key), so editing one page
    does not invalidate the others. Snippets must therefore not include whole pages: keep
    them in docs/_includes/ (CONTRIBUTING.md).
    """
    entries = []
    for folder in sorted({Path(f).resolve() for f in folders}):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not is_page_source(path.relative_to(folder)):
                stat = path.stat()
                entries.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return digest(entries)


def snippet_folders(config: Any) -> list[Path]:
    """Where pymdownx.snippets looks for files (relative to the working directory, as it does)."""
    options = (config["mdx_configs"] or {}).get("pymdownx.snippets") or {}
    base = options.get("base_path", ["."])
    return [Path(p) for p in ([base] if isinstance(base, str) else base)]


def files_signature(files: Iterable[Any]) -> str:
    """Which files exist and where they are published: what a page's links resolve against."""
    return digest(sorted((f.src_uri, f.dest_uri, f.url) for f in files))


def config_signature(config: Any) -> str:
    """The settings that change how Markdown becomes HTML."""
    return digest(config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"],
                  config["validation"], config["site_url"], config["docs_dir"],
                  config["theme"]["language"])


@dataclass(frozen=True)
class Rendered:
    """What `mkdocs.structure.pages.Page.render` leaves on a page."""

    content: str
    toc: Any
    title: str | None
    anchors: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None   # target src_uri -> {anchor: link}


class WarningCounter(logging.Handler):
    """Counts WARNING and worse records of the `mkdocs` loggers."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class RenderCache:
    """Rendered pages by source path; one entry per page, replaced when its key changes."""

    enabled: bool = False
    entries: dict[str, tuple[str, Rendered]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    warnings: WarningCounter = field(default_factory=WarningCounter)

    def enable(self) -> None:
        """Turn on, and start counting warnings (a page that warned is never kept)."""
        if not self.enabled:
            logging.getLogger("mkdocs").addHandler(self.warnings)
        self.enabled = True

    def disable(self) -> None:
        if self.enabled:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.enabled = False
        self.entries.clear()

    def lookup(self, src_uri: str, key: str, files: Any) -> Rendered | None:
        """The page's rendering if kept under `key` and every file it links to still exists."""
        entry = self.entries.get(src_uri)
        if (entry is not None and entry[0] == key
                and all(files.get_file_from_path(target) is not None
                        for target in entry[1].links_to_anchors or ())):
            self.hits += 1
            return entry[1]
        self.misses += 1
        return None

    def store(self, src_uri: str, key: str, page: Any) -> None:
        """Keep what `page.render` produced under `key`."""
        links = page.links_to_anchors
        self.entries[src_uri] = (key, Rendered(
            content=page.content, toc=page.toc, title=page._title_from_render,
            anchors=frozenset(page.present_anchor_ids or ()),
            links_to_anchors=None if links is None else {f.src_uri: dict(a) for f, a in links.items()}))

    def forget(self, src_uri: str) -> None:
        self.entries.pop(src_uri, None)


def restore(page: Any, rendered: Rendered, files: Any) -> str:
    """Put a kept rendering back on `page` (found by `RenderCache.lookup`); return the HTML."""
    links = None
    if rendered.links_to_anchors is not None:
        links = {files.get_file_from_path(src_uri): dict(anchors)
                 for src_uri, anchors in rendered.links_to_anchors.items()}
    page.content = rendered.content
    page.toc = rendered.toc
    page._title_from_render = rendered.title
    page.present_anchor_ids = set(rendered.anchors)
    page.links_to_anchors = links
    return rendered.content


RENDER_CACHE = RenderCache()


# --- The old site, out of the way -----------------------------------------------------------

def set_aside(site_dir: Path) -> tuple[Path, threading.Thread] | None:
    """Move the previous build out of `site_dir` and delete it in the background.

    Every `mkdocs serve` rebuild first empties the site folder, file by file (0.2-0.8 s on
    this machine's disk). Renaming its entries into a sibling folder takes milliseconds, so
    MkDocs finds the folder already empty and still builds into a clean one, and the old
    files are deleted while the new ones are written. Hidden entries stay, as MkDocs keeps
    them. Returns (that folder, the deleting thread), or None when there was nothing to move.
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        return None
    entries = [entry for entry in site_dir.iterdir() if not entry.name.startswith(".")]
    if not entries:
        return None
    aside = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}-old-", dir=site_dir.parent))
    for entry in entries:
        entry.rename(aside / entry.name)
    thread = threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True},
                              name="kb-delete-old-site", daemon=True)
    thread.start()
    return aside, thread
