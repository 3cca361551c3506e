"""The shared problem shape and the field check every data validator uses."""

from scripts.problems import Problem, unknown_fields
from scripts.yamlutil import load_yaml


def test_unknown_fields_names_each_extra_key_at_its_line_with_the_allowed_list():
    entry = load_yaml("id: a\ncolour: red\nzz: 1\n")
    assert unknown_fields("docs/_data/x.yml", entry, {"id", "title"}, "steps[0]") == [
        Problem("docs/_data/x.yml", 2, "steps[0].colour", "unknown field", "use only: id, title"),
        Problem("docs/_data/x.yml", 3, "steps[0].zz", "unknown field", "use only: id, title"),
    ]
    assert unknown_fields("x.yml", entry, {"id", "colour", "zz"}) == []
    assert unknown_fields("x.yml", entry, {"id"})[0].field == "colour"


def test_problem_format_names_file_line_field_and_hint():
    assert Problem("a.yml", 3, "id", "missing", "add 'id:'").format() == "a.yml:3: id: missing → add 'id:'"
