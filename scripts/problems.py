"""One shape for every problem a check finds, so all checks report alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in a file: where it is, what is wrong and what to do."""

    path: str
    line: int | None
    field: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render as `path:line: field: message (hint)` for terminals and CI logs."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} → {self.hint}" if self.hint else text


def relpath(path: Path | str, root: Path | None = None) -> str:
    """Path relative to the repository root when possible, for readable messages."""
    from scripts import ROOT

    path = Path(path)
    try:
        return path.resolve().relative_to((root or ROOT).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def unknown_fields(shown: str, mapping: dict, allowed: set[str] | frozenset[str], prefix: str = "") -> list[Problem]:
    """One problem per key of `mapping` not in `allowed`, at that key's line (`prefix.key`)."""
    from scripts.yamlutil import line_of

    hint = f"use only: {', '.join(sorted(allowed))}"
    return [Problem(shown, line_of(mapping, name), f"{prefix}.{name}" if prefix else name, "unknown field", hint)
            for name in sorted(set(mapping) - set(allowed))]


class ProblemsError(Exception):
    """Raised by build hooks when a check fails: lists every problem at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n" + "\n".join(p.format() for p in problems))
