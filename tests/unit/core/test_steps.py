"""Flow steps typed as sentences (designer.core.steps)."""
from __future__ import annotations

import pytest

from designer.core.model import Flow, FlowStep, Model, Relation
from designer.core.steps import StepSyntaxError, parse_step, step_suggestions, suggest_kind


def test_it_reads_a_step_sentence() -> None:
    assert parse_step("order-service sends OrderPlaced") == parse_step("  order-service  publishes OrderPlaced ")
    step = parse_step("payment-service receives it", "OrderPlaced")
    assert (step.service, step.action, step.message, step.kind) == ("payment-service", "receives", "OrderPlaced", "")
    assert parse_step("shipping reacts to event ParcelLost").kind == "event"
    assert parse_step("shipping reacts to event ParcelLost").message == "ParcelLost"


@pytest.mark.parametrize("text, says", [
    ("", "Write a step"), ("order-service OrderPlaced", "No “sends”"), ("order-service sends", "Which message"),
    ("order-service receives it", "first step"), ("sends OrderPlaced", "No “sends”"),
])
def test_it_says_how_to_write_a_sentence_it_cannot_read(text: str, says: str) -> None:
    with pytest.raises(StepSyntaxError, match=says):
        parse_step(text)


def test_it_guesses_a_new_message_kind_from_its_name() -> None:
    assert [suggest_kind(n) for n in ("OrderPlaced", "PlaceOrder", "GetOrderStatus")] == ["event", "command", "query"]


def test_it_suggests_the_consumers_of_the_last_message_first() -> None:
    model = Model(relations=(Relation("a", "X", "produces"), Relation("b", "X", "consumes"), Relation("b", "Y", "produces")),
                  flows=(Flow("f", steps=(FlowStep("a", "X", "sends"),)),))
    assert step_suggestions(model, "f") == ["b receives it", "b sends Y"]


def test_it_suggests_a_wire_type_entity_first_with_the_team_prefix() -> None:
    from designer.core.naming import suggest_wire_type

    assert suggest_wire_type("OrderPlaced") == "order.placed"
    assert suggest_wire_type("SendEmail", "command") == "email.send"
    assert suggest_wire_type("GetOrderStatus", "query") == "order.get-status"
    assert suggest_wire_type("PaymentFailed", "event", ["com.acme.order.placed", "com.acme.order.shipped"]) == "com.acme.payment.failed"
    assert suggest_wire_type("") == ""


def test_the_envelope_says_what_it_calls_the_event_id() -> None:
    from designer.core.model import Envelope

    assert Envelope("cloudevents").id_name == "id"
    assert Envelope("brief").id_name == "eventId"
    assert Envelope("custom", {"properties": {"messageId": {}, "at": {}}}).id_name == "messageId"
    assert Envelope("custom", None).id_name == ""


def test_it_says_what_lint_would_newly_report_for_a_step() -> None:
    from designer.core.model import Message
    from designer.core.steps import step_findings

    model = Model(messages=(Message("ShipOrder", kind="command"),),
                  relations=(Relation("shop", "ShipOrder", "produces"), Relation("warehouse", "ShipOrder", "consumes")),
                  flows=(Flow("f"),))
    found = step_findings(model, "f", parse_step("billing receives ShipOrder"), "command")
    assert "command-handler-count" in {f.rule for f in found}
    assert step_findings(model, "f", parse_step("shop sends ShipOrder"), "command") == []
