"""The core's one JSON-pointer resolver and JSON-kind helper, including their docstring examples."""
from __future__ import annotations

import doctest

from designer.core import jsonvalue
from designer.core.jsonvalue import json_kind, resolve_pointer


def test_its_docstring_examples_hold() -> None:
    result = doctest.testmod(jsonvalue)
    assert result.attempted > 5 and result.failed == 0


def test_it_resolves_list_indices_and_escaped_parts() -> None:
    doc = {"a/b": {"~k": [10, {"x": "y"}]}}
    assert resolve_pointer(doc, "#/a~1b/~0k/1/x") == "y"
    assert resolve_pointer(doc, "/a~1b/~0k/0") == 10


def test_it_refuses_leading_zero_indices_and_out_of_range() -> None:
    doc = {"l": [1, 2]}
    assert resolve_pointer(doc, "#/l/01") is None
    assert resolve_pointer(doc, "#/l/2", default="none") == "none"


def test_it_never_follows_anything_outside_the_document() -> None:
    for ref in ("http://127.0.0.1:9/x", "file:///etc/passwd", "other.json#/a", "#anchor", "urn:x"):
        assert resolve_pointer({"a": 1}, ref) is None


def test_it_names_the_kind_of_every_json_value() -> None:
    assert json_kind(False) == "boolean"
    assert json_kind(1.0) == "number"
    assert json_kind(()) == "array"
