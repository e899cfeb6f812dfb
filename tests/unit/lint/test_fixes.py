"""Applying a finding's suggested fix as a value (designer.core.lint.fixes)."""
from __future__ import annotations

from designer.core.lint.finding import Fix
from designer.core.lint.fixes import fix_target, fixed_schema, json_diff, relation_fix

SCHEMA = {"type": "object", "properties": {"data": {"type": "object", "additionalProperties": False,
                                                     "properties": {"email": {"type": "string"}}}}}


def test_it_sets_a_value_at_a_schema_path_without_touching_the_original() -> None:
    fix = Fix("set", "schema.properties.data.properties.email.x-pii", True, "Mark it as personal data")
    after = fixed_schema(SCHEMA, fix)
    assert after["properties"]["data"]["properties"]["email"] == {"type": "string", "x-pii": True}
    assert "x-pii" not in SCHEMA["properties"]["data"]["properties"]["email"]
    assert any(line.startswith('+') and '"x-pii": true' in line for line in json_diff(SCHEMA, after))


def test_it_adds_a_root_property_once() -> None:
    fix = Fix("add-property", "correlationId", {"type": "string"}, "Add it")
    after = fixed_schema(SCHEMA, fix)
    assert after["properties"]["correlationId"] == {"type": "string"}
    assert fixed_schema(after, fix) is None  # already there: nothing to apply


def test_a_path_that_is_gone_or_a_value_already_set_gives_no_fix() -> None:
    assert fixed_schema(SCHEMA, Fix("set", "schema.properties.nope.format", "uuid", "")) is None
    assert fixed_schema(SCHEMA, Fix("set", "schema.properties.data.additionalProperties", False, "")) is None
    assert fixed_schema(None, Fix("set", "schema.type", "object", "")) is None


def test_it_says_what_each_fix_changes() -> None:
    assert fix_target(Fix("rename", "name", "OrderPlaced", "")) == "rename"
    assert fix_target(Fix("set", "compat", "BACKWARD", "")) == "compat"
    assert fix_target(Fix("set", "consumers.billing.dedup_key", "id", "")) == "relation"
    assert relation_fix(Fix("set", "consumers.billing.dedup_key", "id", "")) == ("billing", "dedup_key")
    assert fix_target(Fix("set", "x-reserved", ["old"], "")) == "schema"
    assert fix_target(None) == ""


def test_the_diff_shows_only_the_lines_that_change_not_their_commas() -> None:
    after = fixed_schema(SCHEMA, Fix("add-property", "correlationId", {"type": "string"}, ""))
    changed = [line for line in json_diff(SCHEMA, after) if line[:1] in "+-"]
    assert changed == ['+    "correlationId": {', '+      "type": "string"', "+    }"]
