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


def test_it_runs_a_catastrophic_team_pattern_in_linear_time() -> None:
    import time

    m = model(*[event(f"E{i}", type="a" * 40 + "!") for i in range(50)])
    started = time.perf_counter()
    assert len(flagged(RULE, m, style="pattern", pattern="(a+)+$")) == 50
    assert time.perf_counter() - started < 0.5  # Python's re needs minutes for one of these


def test_it_reports_a_team_pattern_it_cannot_use_once_for_the_model() -> None:
    from tests.unit.lint.lint_kit import run

    found = run(RULE, model(event("A", type="order.placed")), style="pattern", pattern="(?=a)a")
    assert [(f.kind, f.element) for f in found] == [("model", "")]
    assert "not a usable regular expression" in found[0].message and "lookaround" in found[0].message
