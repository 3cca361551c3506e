"""YAML loading: line numbers, one parse per text, independent copies, usual error messages."""

from __future__ import annotations

import pytest
import yaml

from scripts.yamlutil import LineLoader, load_yaml

TEXT = "a: 1\nb:\n  c: [1, 2]\n  d: x\n"


def test_mappings_know_their_lines():
    data = load_yaml(TEXT)
    assert (data.lines, data.line, data["b"].lines, data["b"].line) == ({"a": 1, "b": 2}, 1, {"c": 3, "d": 4}, 3)


def test_same_result_as_the_pure_python_loader():
    fast, pure = load_yaml(TEXT), yaml.load(TEXT, Loader=LineLoader)
    assert fast == pure and fast.lines == pure.lines and fast["b"].lines == pure["b"].lines


def test_each_call_gets_its_own_copy():
    first = load_yaml(TEXT)
    first["b"]["c"].append(3)
    first["b"].lines["x"] = 9
    again = load_yaml(TEXT)
    assert again["b"]["c"] == [1, 2] and "x" not in again["b"].lines


def test_syntax_errors_keep_the_pure_python_message():
    with pytest.raises(yaml.YAMLError) as error:
        load_yaml("a: b: c\n")
    assert (error.value.problem, error.value.problem_mark.line) == ("mapping values are not allowed here", 0)
