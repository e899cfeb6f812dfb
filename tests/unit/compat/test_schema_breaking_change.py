from __future__ import annotations

from designer.core.lint.rules import schema_breaking_change as rule
from tests.unit.compat.builders import model_with, obj

S = {"type": "string"}


def test_it_flags_a_property_added_to_an_open_model_under_backward() -> None:
    model = model_with(("1.0.0", obj({"a": S})), ("1.1.0", obj({"a": S, "b": S})), compat="BACKWARD")
    (finding,) = rule.check(model, {})
    assert finding.path == "versions.1.1.0.schema.properties.b"
    assert "open content model" in finding.message and "Fix:" in finding.message


def test_it_accepts_an_optional_property_added_to_a_closed_model_under_backward() -> None:
    model = model_with(("1.0.0", obj({"a": S}, additionalProperties=False)),
                       ("1.1.0", obj({"a": S, "b": S}, additionalProperties=False)), compat="BACKWARD")
    assert list(rule.check(model, {})) == []


def test_it_checks_every_earlier_version_in_a_transitive_mode() -> None:
    # 1 -> 2 makes 'a' required with a default (fine), 2 -> 3 drops the default (fine as a step),
    # but 1 -> 3 now requires a field old data may lack.
    v1 = obj({"a": S})
    v2 = obj({"a": {"type": "string", "default": ""}}, ("a",))
    v3 = obj({"a": S}, ("a",))
    plain = model_with(("1.0.0", v1), ("2.0.0", v2), ("3.0.0", v3), compat="BACKWARD")
    transitive = model_with(("1.0.0", v1), ("2.0.0", v2), ("3.0.0", v3), compat="BACKWARD_TRANSITIVE")
    assert list(rule.check(plain, {})) == []
    assert [f.path for f in rule.check(transitive, {})] == ["versions.3.0.0.schema.properties.a"]
    assert all("1.0.0" in f.message for f in rule.check(transitive, {}))


def test_it_checks_nothing_in_mode_none() -> None:
    model = model_with(("1.0.0", S), ("2.0.0", {"type": "integer"}), compat="NONE")
    assert list(rule.check(model, {})) == []
