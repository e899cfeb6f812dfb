from __future__ import annotations

from designer.core.lint.rules import default_value_changed as rule
from tests.unit.compat.builders import model_with, obj


def test_it_flags_a_removed_default() -> None:
    model = model_with(("1.0.0", obj({"c": {"type": "string", "default": "EUR"}})),
                       ("1.1.0", obj({"c": {"type": "string"}})))
    (finding,) = rule.check(model, {})
    assert "was removed" in finding.message and finding.path == "versions.1.1.0.schema.properties.c.default"


def test_it_ignores_a_default_added_where_there_was_none() -> None:
    model = model_with(("1.0.0", obj({"c": {"type": "string"}})),
                       ("1.1.0", obj({"c": {"type": "string", "default": "EUR"}})))
    assert list(rule.check(model, {})) == []
