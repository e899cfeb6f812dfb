from __future__ import annotations

from designer.core.lint.rules import compat_mode_declared as rule
from tests.unit.compat.builders import model_with, obj


def test_it_flags_a_message_with_no_mode_and_no_team_default() -> None:
    model = model_with(("1.0.0", obj({})), compat="", default_compat={}, kind="command", name="PlaceOrder")
    (finding,) = rule.check(model, {})
    assert "compat: BACKWARD" in finding.message
    assert finding.fix is not None and finding.fix.value == "BACKWARD"
    assert finding.path == "versions.1.0.0.compat"


def test_it_accepts_the_team_default_for_the_kind() -> None:
    assert list(rule.check(model_with(("1.0.0", obj({})), compat=""), {})) == []


def test_it_flags_mode_none_suggesting_forward_for_an_event() -> None:
    (finding,) = rule.check(model_with(("1.0.0", obj({})), compat="NONE"), {})
    assert "NONE" in finding.message and "FORWARD" in finding.message
