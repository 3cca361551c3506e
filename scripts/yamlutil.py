"""YAML loading that remembers line numbers, so problems can name the line.

Every data file and front matter is treated as possibly hostile. One safe entry point,
`parse_yaml(text, shown)` (or `read_yaml_file(path)`), never raises: it returns the data
and a list of Problems with file, line, field and what to do. Before anything is built it
refuses, fast and without expanding anything: texts over MAX_BYTES, nesting deeper than
MAX_DEPTH, more than MAX_ALIASES aliases or more than MAX_NODES values once aliases are
expanded (alias bombs), a byte-order mark, duplicate keys and dates that do not exist
(an unquoted 2026-02-31). `load_yaml` is the raising form: every error it raises is a
YamlInputError (a yaml.YAMLError with `problem`, `problem_mark`, `line` and `hint`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000      # the largest data file today is ~60 KB
MAX_DEPTH = 32             # the deepest data today is 6 levels
MAX_ALIASES = 100          # no data file uses aliases today
MAX_NODES = 200_000        # values after expanding aliases (a file today: < 20,000)
BOM = "\ufeff"
SYNTAX_HINT = "fix the YAML syntax"
KEY_RE = re.compile(r"^\s*(?:-\s+)*([A-Za-z_][\w-]*)\s*:")


class YamlInputError(yaml.YAMLError):
    """A refused YAML text: a plain message, its 1-based line (or None) and what to do."""

    def __init__(self, message: str, line: int | None = None, hint: str = ""):
        super().__init__(message)
        self.problem = message
        self.line = line
        self.hint = hint
        self.problem_mark = yaml.Mark("<text>", 0, line - 1, 0, None, None) if line else None
        self.first: int | None = None    # a duplicate key: the line of its first occurrence

    def message(self, first_line: int = 1) -> str:
        """The message, with the line of a duplicate key's first occurrence shifted too."""
        if self.hint == SYNTAX_HINT:
            return f"invalid YAML: {self.problem}"
        if self.first is None:
            return self.problem
        return f"{self.problem} (first on line {self.first + first_line - 1})"

    def __str__(self) -> str:
        return f"line {self.line}: {self.message()}" if self.line else self.message()


class LineLoader(yaml.SafeLoader):
    """SafeLoader that stores each mapping's key lines in `__lines__`."""


# libyaml's parser (same constructors, ~10x faster): the build parses the same data files
# and front matter many times. Syntax errors are re-raised by LineLoader so messages
# (`error.problem`) stay those of the pure-Python parser.
class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """LineLoader on libyaml, when PyYAML was built with it."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    lines: dict = {}
    for key_node, _value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + 1
        if key_node.value in lines:
            error = YamlInputError(f"duplicate key {key_node.value!r}", line,
                                   "keep one of the two: YAML would silently drop the first")
            error.first = lines[key_node.value]
            raise error
        lines[key_node.value] = line
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping = LineDict(mapping)
    mapping.lines = lines
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode):
    """Dates as usual; one that does not exist (2026-02-31) is a clear problem, not a ValueError."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise YamlInputError(f"{node.value} is not a real date ({error})", node.start_mark.line + 1,
                             "write a date that exists, as YYYY-MM-DD") from None


class LineDict(dict):
    """A dict that knows the line of each key (`lines`) and its own start (`line`)."""

    lines: dict[str, int]
    line: int


for _loader in (LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _check_limits(text: str) -> None:
    """Refuse oversized, too deep or alias-bomb texts from parser events, expanding nothing."""
    if len(text) > MAX_BYTES:
        raise YamlInputError(f"too large ({len(text):,} characters; the limit is {MAX_BYTES:,})", None,
                             "split the file, or check it is the file you meant")
    if text.startswith(BOM):
        raise YamlInputError("the file starts with a byte-order mark (BOM)", 1,
                             "save it as UTF-8 without BOM (most editors: 'UTF-8', not 'UTF-8 with BOM')")
    if "*" not in text and text.count("[") + text.count("{") + text.count("\n") < MAX_DEPTH:
        return                       # no alias and too short to nest deeply: nothing to count
    sizes: dict[str, int] = {}       # anchor -> values it stands for, once expanded
    stack: list[list] = []           # open collections: [anchor, values so far]
    aliases = 0
    for event in yaml.parse(text, Loader=_FastLineLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH:
                raise YamlInputError(f"nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1,
                                     "flatten the data: no file of this project needs that depth")
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, count = stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlInputError(f"more than {MAX_ALIASES} aliases (*name)", event.start_mark.line + 1,
                                     "write the values out instead of repeating anchors")
            anchor, count = None, sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, count = event.anchor, 1
        else:
            continue
        if anchor:
            sizes[anchor] = count
        if stack:
            stack[-1][1] += count
        if count > MAX_NODES or (stack and stack[-1][1] > MAX_NODES):
            raise YamlInputError(f"expands to more than {MAX_NODES:,} values through aliases",
                                 event.start_mark.line + 1,
                                 "remove the repeated aliases (*name): this looks like an alias bomb")


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> Any:
    """Parse once per distinct text; every error comes out as a YamlInputError."""
    try:
        _check_limits(text)
        return yaml.load(text, Loader=_FastLineLoader)
    except YamlInputError:
        raise
    except yaml.YAMLError as fast_error:
        # The pure-Python parser gives the usual messages and lines; guard it as well.
        try:
            yaml.load(text, Loader=LineLoader)
        except YamlInputError:
            raise
        except yaml.YAMLError as error:
            raise _as_input_error(error) from None
        except (RecursionError, MemoryError, ValueError, TypeError) as error:
            raise YamlInputError(f"cannot be read ({type(error).__name__})", None, "fix the YAML syntax") from None
        raise _as_input_error(fast_error) from None
    except (RecursionError, MemoryError, ValueError, TypeError) as error:
        raise YamlInputError(f"cannot be read ({type(error).__name__}: {error})", None,
                             "fix the YAML syntax") from None


def _as_input_error(error: yaml.YAMLError) -> YamlInputError:
    """PyYAML's error as a YamlInputError: its reason and 1-based line."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return YamlInputError(reason, mark.line + 1 if mark else None, SYNTAX_HINT)


def load_yaml(text: str) -> Any:
    """Parse YAML text; mappings come back as LineDict with line numbers.

    Parsed once per distinct text (a build reads each data file for many pages); callers
    get their own deep copy, so changing the result never changes the cache.
    Raises YamlInputError (a yaml.YAMLError) with a plain message and line.
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


def read_text(path: Path) -> str:
    """A data file's text (UTF-8); raises YamlInputError naming the line of a bad byte."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlInputError(f"not UTF-8 text (byte {error.start})", line, "save the file as UTF-8") from None


def load_yaml_file(path: Path) -> Any:
    """Parse a YAML file as UTF-8; mappings come back as LineDict. Raises YamlInputError."""
    return load_yaml(read_text(path))


# --- The safe API: data and Problems, never an exception ------------------

def parse_yaml(text: str, shown: str, first_line: int = 1, field: str = "") -> tuple[Any, list]:
    """(data, problems) for YAML text shown as `shown`; line numbers start at `first_line`.

    `field` names the problem when the line has no key (e.g. "front matter"); otherwise
    the key on the offending line is the field.
    """
    try:
        return load_yaml(text), []
    except YamlInputError as error:
        return None, [_problem(error, text, shown, first_line, field)]


def read_yaml_file(path: Path, shown: str | None = None) -> tuple[Any, list]:
    """(data, problems) for a YAML file; a missing, unreadable or non-UTF-8 file is a problem too."""
    from scripts.problems import Problem, relpath

    shown = shown or relpath(path)
    try:
        text = read_text(path)
    except YamlInputError as error:
        return None, [Problem(shown, error.line, "", error.problem, error.hint)]
    except OSError as error:
        return None, [Problem(shown, None, "", f"cannot be read ({error.strerror})", "check the path")]
    return parse_yaml(text, shown)


def _problem(error: YamlInputError, text: str, shown: str, first_line: int, field: str):
    from scripts.problems import Problem

    line = error.line
    key = ""
    if line and error.hint != SYNTAX_HINT:     # a refused value: its key is the field
        lines = text.split("\n")
        match = KEY_RE.match(lines[line - 1]) if line <= len(lines) else None
        key = match.group(1) if match else ""
    if line:
        line += first_line - 1
    return Problem(shown, line, key or field, error.message(first_line), error.hint)


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
