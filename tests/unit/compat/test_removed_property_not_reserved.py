from __future__ import annotations

from designer.core.lint.rules import removed_property_not_reserved as rule
from tests.unit.compat.builders import model_with, obj

S = {"type": "string"}


def test_it_flags_a_nested_property_removed_without_reservation() -> None:
    model = model_with(("1.0.0", obj({"o": obj({"x": S, "y": S})})), ("2.0.0", obj({"o": obj({"x": S})})))
    (finding,) = rule.check(model, {})
    assert finding.path == "versions.2.0.0.schema.properties.o.properties.y"
    assert finding.fix is not None and finding.fix.field == "properties.o.x-reserved"


def test_it_accepts_a_name_reserved_in_its_object() -> None:
    model = model_with(("1.0.0", obj({"o": obj({"x": S, "y": S})})),
                       ("2.0.0", obj({"o": obj({"x": S}, **{"x-reserved": ["y"]})})))
    assert list(rule.check(model, {})) == []


def test_it_flags_a_name_that_comes_back_with_another_type() -> None:
    model = model_with(("1.0.0", obj({"a": S, "b": S})), ("2.0.0", obj({"a": S})),
                       ("3.0.0", obj({"a": S, "b": {"type": "integer"}})))
    (finding,) = rule.check(model, {})
    assert "comes back in 3.0.0 with another type" in finding.message


def test_it_accepts_a_name_that_comes_back_with_the_same_type() -> None:
    model = model_with(("1.0.0", obj({"a": S, "b": S})), ("2.0.0", obj({"a": S})), ("3.0.0", obj({"a": S, "b": S})))
    assert list(rule.check(model, {})) == []
