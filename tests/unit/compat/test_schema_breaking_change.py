from __future__ import annotations

from designer.core.lint.rules import schema_breaking_change as rule
from designer.core.model import Message, Model, Version
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
    # 2.0.0 was released as a deliberate break (mode NONE: 'a' became required); 3.0.0 only
    # reworded it, so it is compatible with 2.0.0 but not with 1.0.0, whose data may lack 'a'.
    v1 = obj({"a": S})
    v2 = obj({"a": S}, ("a",))
    v3 = {**obj({"a": S}, ("a",)), "description": "reworded"}

    def history(mode: str) -> Model:
        return Model(messages=(Message(name="OrderPlaced", versions=(
            Version(version="1.0.0", schema=v1, compat="BACKWARD"),
            Version(version="2.0.0", schema=v2, compat="NONE"),
            Version(version="3.0.0", schema=v3, compat=mode))),))

    assert list(rule.check(history("BACKWARD"), {})) == []
    findings = list(rule.check(history("BACKWARD_TRANSITIVE"), {}))
    assert [f.path for f in findings] == ["versions.3.0.0.schema.properties.a"]
    assert all("1.0.0" in f.message for f in findings)


def test_it_checks_nothing_in_mode_none() -> None:
    model = model_with(("1.0.0", S), ("2.0.0", {"type": "integer"}), compat="NONE")
    assert list(rule.check(model, {})) == []
