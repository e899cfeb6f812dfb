from __future__ import annotations

import pytest

from designer.core.lint.finding import Fix
from tests.unit.lint.lint_kit import command, event, flagged, model, run

RULE = "event-name-past-tense"


@pytest.mark.parametrize("name", [
    "OrderPlaced", "PaymentSent", "InvoicePaid", "FundsWithdrawn", "PasswordReset", "CartCheckedOut",
    "ItemAddedToCart", "com.acme.order.placed.v2", "OrderCanceled", "OrderCancelled",
])
def test_it_passes_past_tense_events(name: str) -> None:
    assert flagged(RULE, model(event(name))) == []


@pytest.mark.parametrize("name", ["OrderCancel", "OrderProcessing", "UserRegisters", "OrderCreation",
                                  "ProductFeed", "PaymentOrder"])
def test_it_flags_events_without_a_past_head_verb(name: str) -> None:
    assert flagged(RULE, model(event(name))) == [name]


def test_it_offers_the_past_form_as_a_rename() -> None:
    (finding,) = run(RULE, model(event("OrderCancel")))
    assert finding.fix == Fix("rename", "name", "OrderCancelled", "Rename to OrderCancelled")
    assert finding.severity == "warning"
    assert finding.kind == "event"
    assert "OrderCancelled" in finding.message


def test_it_offers_no_rename_when_ambiguous() -> None:
    (finding,) = run(RULE, model(event("PaymentOrder")))
    assert finding.fix is None


def test_it_leaves_command_shaped_events_to_their_own_rule() -> None:
    assert flagged(RULE, model(event("SendEmail"), event("ResetPassword"))) == []


def test_it_ignores_commands() -> None:
    assert flagged(RULE, model(command("OrderCancel"))) == []
