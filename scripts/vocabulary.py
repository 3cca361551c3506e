"""Controlled values (audiences, ...) with Spanish and English labels."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from scripts import DATA_DIR
from scripts.problems import ProblemsError
from scripts.yamlutil import plain, read_yaml_file

VOCABULARY_FILE = DATA_DIR / "vocabulario.yml"


@lru_cache(maxsize=8)
def load_vocabulary(path: Path = VOCABULARY_FILE) -> dict[str, dict[str, dict[str, str]]]:
    """{'audience': {'medicina': {'es': 'Medicina', 'en': 'Medicine'}, ...}, ...}."""
    data, problems = read_yaml_file(path)
    if problems:
        raise ProblemsError(problems)
    data = plain(data) or {}
    return {group: {item["id"]: item["label"] for item in items} for group, items in data.items()}


def label(group: str, value: str, lang: str, path: Path = VOCABULARY_FILE) -> str:
    """Label of a controlled value in a language (the id itself if unknown)."""
    return load_vocabulary(path).get(group, {}).get(value, {}).get(lang, value)
