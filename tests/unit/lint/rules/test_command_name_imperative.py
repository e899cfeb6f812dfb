from __future__ import annotations

import pytest

from tests.unit.lint.lint_kit import command, event, flagged, model, run

RULE = "command-name-imperative"


@pytest.mark.parametrize("name", ["PlaceOrder", "ProcessPayment", "ResetPassword", "place_order",
                                  "CheckOutCart", "SendEmail"])
def test_it_passes_imperative_commands(name: str) -> None:
    assert flagged(RULE, model(command(name))) == []


@pytest.mark.parametrize(("name", "suggestion"), [
    ("OrderPlaced", "PlaceOrder"), ("PaymentProcess", "ProcessPayment"), ("PasswordReset", "ResetPassword"),
])
def test_it_flags_past_tense_and_verb_last_commands(name: str, suggestion: str) -> None:
    (finding,) = run(RULE, model(command(name)))
    assert finding.fix is not None and finding.fix.value == suggestion
    assert finding.kind == "command"


def test_it_flags_a_command_without_a_verb_without_guessing_a_rename() -> None:
    (finding,) = run(RULE, model(command("CustomerDetails")))
    assert finding.fix is None


def test_it_ignores_events() -> None:
    assert flagged(RULE, model(event("OrderPlaced"))) == []
