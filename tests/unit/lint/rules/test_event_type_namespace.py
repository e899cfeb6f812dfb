from __future__ import annotations

import pytest

from tests.unit.lint.lint_kit import event, flagged, model

RULE = "event-type-namespace"


@pytest.mark.parametrize("wire_type", ["order.placed", "order.placed.v2", "sales.order-placed",
                                       "com.acme.order.placed", "com.acme.order.placed.v2"])
def test_it_passes_namespaced_lower_case_types(wire_type: str) -> None:
    assert flagged(RULE, model(event("OrderPlaced", type=wire_type))) == []


@pytest.mark.parametrize("wire_type", ["OrderPlaced", "order_placed", "Order.Placed", "order placed",
                                       "order", "order..placed"])
def test_it_flags_types_outside_the_pattern(wire_type: str) -> None:
    assert flagged(RULE, model(event("OrderPlaced", type=wire_type))) == ["OrderPlaced"]


def test_it_requires_reverse_dns_when_the_team_chose_cloudevents() -> None:
    m = model(event("A", type="order.placed"), event("B", type="com.acme.order.placed"))
    assert flagged(RULE, m, style="cloudevents") == ["A"]


def test_it_accepts_a_custom_pattern() -> None:
    m = model(event("A", type="acme:order:placed"), event("B", type="order.placed"))
    assert flagged(RULE, m, style="pattern", pattern=r"acme:[a-z]+:[a-z]+") == ["B"]


def test_it_skips_messages_without_a_declared_type() -> None:
    assert flagged(RULE, model(event("OrderPlaced"))) == []
