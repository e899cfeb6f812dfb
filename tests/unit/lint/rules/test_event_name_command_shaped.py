from __future__ import annotations

import pytest

from tests.unit.lint.lint_kit import command, event, flagged, model, run

RULE = "event-name-command-shaped"


@pytest.mark.parametrize(("name", "suggestion"), [
    ("SendEmail", "EmailSent"), ("ResetPassword", "PasswordReset"), ("PlaceOrder", "OrderPlaced"),
    ("send_email", "email_sent"),
])
def test_it_flags_imperative_events_and_suggests_object_then_participle(name: str, suggestion: str) -> None:
    (finding,) = run(RULE, model(event(name)))
    assert finding.fix is not None and finding.fix.value == suggestion


@pytest.mark.parametrize("name", ["EmailSent", "PasswordReset", "OrderPlaced", "OrderCancel"])
def test_it_passes_events_that_state_a_fact(name: str) -> None:
    assert flagged(RULE, model(event(name))) == []


def test_it_ignores_commands() -> None:
    assert flagged(RULE, model(command("SendEmail"))) == []
