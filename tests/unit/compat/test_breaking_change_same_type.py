from __future__ import annotations

from designer.core.lint.rules import breaking_change_same_type as rule
from tests.unit.compat.builders import model_with, obj

S = {"type": "string"}
BREAK = (("1.0.0", obj({"a": S})), ("2.0.0", obj({"a": {"type": "integer"}})))


def test_it_suggests_a_versioned_wire_type() -> None:
    (finding,) = rule.check(model_with(*BREAK, type="order.placed"), {})
    assert "'order.placed.v2'" in finding.message


def test_it_accepts_a_wire_type_carrying_the_new_major() -> None:
    assert list(rule.check(model_with(*BREAK, type="order.placed.v2"), {})) == []
    assert list(rule.check(model_with(*BREAK, name="OrderPlacedV2"), {})) == []


def test_it_ignores_compatible_changes() -> None:
    model = model_with(("1.0.0", obj({"a": S})), ("1.1.0", obj({"a": S, "b": {}})), type="order.placed")
    assert list(rule.check(model, {})) == []
