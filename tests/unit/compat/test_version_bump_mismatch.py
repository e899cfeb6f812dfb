from __future__ import annotations

from designer.core.lint.rules import version_bump_mismatch as rule
from tests.unit.compat.builders import model_with, obj

S = {"type": "string"}


def test_it_wants_a_major_bump_for_a_breaking_change() -> None:
    model = model_with(("1.2.0", obj({"a": S})), ("1.3.0", obj({"a": {"type": "integer"}})))
    (finding,) = rule.check(model, {})
    assert "not a major bump" in finding.message
    assert finding.fix is not None and finding.fix.value == "2.0.0"


def test_it_wants_a_minor_bump_for_an_additive_change() -> None:
    model = model_with(("1.2.0", obj({"a": S})), ("1.2.1", obj({"a": S, "b": S})))
    (finding,) = rule.check(model, {})
    assert finding.fix is not None and finding.fix.value == "1.3.0"


def test_it_accepts_a_patch_bump_without_a_schema_change() -> None:
    model = model_with(("1.2.0", obj({"a": S})), ("1.2.1", obj({"a": S}, description="docs")))
    assert list(rule.check(model, {})) == []


def test_it_judges_mode_none_as_full() -> None:
    model = model_with(("1.0.0", obj({"a": S})), ("1.1.0", obj({"a": {"type": "integer"}})), compat="NONE")
    assert [f.fix.value for f in rule.check(model, {}) if f.fix] == ["2.0.0"]
