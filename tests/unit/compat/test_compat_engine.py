"""History, transitive modes, version bumps, $refs and explanations of the compatibility engine."""
from __future__ import annotations

import pytest

from designer.core import compat

V1 = {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False}
V2 = {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
      "additionalProperties": False}
V3 = {"type": "object", "properties": {"note": {"type": "string"}}, "additionalProperties": False}


def test_it_compares_only_with_the_previous_version_in_a_non_transitive_mode() -> None:
    # V2 -> V3 removes nothing required... but V1 -> V3 removes 'id' from a closed model as well.
    assert compat.check_history([V1, V2, V2], "BACKWARD").compatible
    result = compat.check_history([V1, V3, V3], "BACKWARD")
    assert result.compatible


def test_it_compares_with_every_earlier_version_in_a_transitive_mode() -> None:
    result = compat.check_history([V1, V3, V3], "BACKWARD_TRANSITIVE", labels=["1.0.0", "2.0.0", "2.1.0"])
    assert not result.compatible
    assert {b.old_version for b in result.breaks} == {"1.0.0"}
    assert result.breaks[0].kind == "property-removed"
    assert "1.0.0" in str(result.breaks[0])


def test_it_treats_a_single_version_as_compatible() -> None:
    assert compat.check_history([V1], "FULL_TRANSITIVE").compatible


def test_it_finds_nothing_between_identical_schemas_or_annotation_changes() -> None:
    annotated = {**V1, "description": "a new description", "title": "Order"}
    assert compat.diff(V1, V1) == []
    assert compat.diff(V1, annotated) == []


def test_it_reports_none_mode_as_always_compatible() -> None:
    assert compat.check({"type": "string"}, {"type": "integer"}, "NONE") == compat.CompatResult(True, [])


def test_it_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="unknown compatibility mode"):
        compat.check(V1, V2, "SIDEWAYS")


def test_it_accepts_a_lower_case_mode() -> None:
    assert not compat.check(V1, V2, "forward").compatible


def test_it_explains_who_breaks_and_how_to_fix_it() -> None:
    old = {"type": "object", "properties": {"total": {"type": "number"}}}
    new = {"type": "object", "properties": {"total": {"type": "integer"}}}
    (brk,) = compat.check(old, new, "BACKWARD").breaks
    assert brk.path == "properties.total.type"
    assert brk.direction == "BACKWARD"
    assert "upgraded to the new version" in brk.why and "number" in brk.why
    assert "Keep accepting" in brk.fix


def test_it_stops_on_a_recursive_schema() -> None:
    tree = {"$defs": {"Node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}, "$ref": "#/$defs/Node"}
    tree2 = {"$defs": {"Node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}, "x": {"type": "string"}}}},
        "$ref": "#/$defs/Node"}
    changes = compat.diff(tree, tree2)
    assert [c.kind for c in changes] == ["property-added"]


def test_it_flags_an_unresolvable_ref_as_breaking_both_ways() -> None:
    old = {"type": "object", "properties": {"a": {"$ref": "other.json#/A"}}}
    new = {"type": "object", "properties": {"a": {"$ref": "other.json#/B"}}}
    (change,) = compat.diff(old, new)
    assert change.kind == "ref-changed"
    assert change.breaks_backward and change.breaks_forward


def test_it_marks_each_field_change_per_mode_for_the_diff_page() -> None:
    old = {"type": "object", "properties": {"n": {"type": "integer"}}}
    new = {"type": "object", "properties": {"n": {"type": "number"}}}
    (change,) = compat.diff(old, new)
    assert (change.old, change.new) == ("integer", "number")
    assert change.status("BACKWARD") == "compatible"
    assert change.status("FORWARD_TRANSITIVE") == "breaking"
    assert change.status("NONE") == "compatible"
    assert change.is_breaking_anywhere


def test_it_compares_a_missing_schema_as_accepting_anything() -> None:
    assert compat.check(None, {"type": "string"}, "FORWARD").compatible
    assert not compat.check(None, {"type": "string"}, "BACKWARD").compatible


@pytest.mark.parametrize(("old", "new", "breaking", "changed", "needed"), [
    ("1.0.0", "2.0.0", True, True, None),
    ("1.0.0", "1.1.0", True, True, "major"),
    ("1.4.2", "1.5.0", False, True, None),
    ("1.4.2", "1.4.3", False, True, "minor"),
    ("1.4.2", "1.4.3", False, False, None),
    ("v1", "v2", True, True, None),
    ("1.0", "banana", True, True, "major"),
])
def test_it_says_which_version_bump_a_change_needs(old: str, new: str, breaking: bool, changed: bool,
                                                   needed: str | None) -> None:
    assert compat.required_bump(old, new, breaking, changed) == needed
