"""YAML loading that remembers line numbers, so problems can name the line."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml


class LineLoader(yaml.SafeLoader):
    """SafeLoader that stores each mapping's key lines in `__lines__`."""


# libyaml's parser (same constructors, ~10x faster): the build parses the same data files
# and front matter many times. Syntax errors are re-raised by LineLoader so messages
# (`error.problem`) stay those of the pure-Python parser.
class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """LineLoader on libyaml, when PyYAML was built with it."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    lines = {}
    for key_node, _value_node in node.value:
        lines[key_node.value] = key_node.start_mark.line + 1
    mapping = LineDict(mapping)
    mapping.lines = lines
    mapping.line = node.start_mark.line + 1
    return mapping


class LineDict(dict):
    """A dict that knows the line of each key (`lines`) and its own start (`line`)."""

    lines: dict[str, int]
    line: int


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FastLineLoader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=LineLoader)   # raises with the usual message


def load_yaml(text: str) -> Any:
    """Parse YAML text; mappings come back as LineDict with line numbers.

    Parsed once per distinct text (a build reads each data file for many pages); callers
    get their own deep copy, so changing the result never changes the cache.
    """
    return _copy(_parse(text))


def _copy(value: Any) -> Any:
    """Deep copy of parsed YAML (dicts, lists, sets, immutable scalars), ~5x faster than deepcopy."""
    if isinstance(value, LineDict):
        new = LineDict((k, _copy(v)) for k, v in value.items())
        new.lines, new.line = dict(getattr(value, "lines", {})), getattr(value, "line", None)
        return new
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, set):
        return set(value)
    return value


def load_yaml_file(path: Path) -> Any:
    """Parse a YAML file as UTF-8; mappings come back as LineDict."""
    return load_yaml(Path(path).read_text(encoding="utf-8"))


def line_of(mapping: Any, key: str, offset: int = 0) -> int | None:
    """Line of `key` in a LineDict (plus `offset` lines), or None when unknown."""
    lines = getattr(mapping, "lines", None)
    if lines and key in lines:
        return lines[key] + offset
    line = getattr(mapping, "line", None)
    return None if line is None else line + offset


def plain(value: Any) -> Any:
    """Convert LineDicts back to plain dicts/lists (for JSON Schema and exports)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
