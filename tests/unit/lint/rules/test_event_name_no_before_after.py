from __future__ import annotations

import pytest

from tests.unit.lint.lint_kit import event, flagged, model, query, run

RULE = "event-name-no-before-after"


@pytest.mark.parametrize(("name", "suggestion"), [
    ("BeforeOrderPlaced", "OrderPlaced"), ("AfterPaymentCaptured", "PaymentCaptured"),
    ("pre_order_placed", "order_placed"), ("PostShipment", "Shipment"),
])
def test_it_flags_temporal_prefixes(name: str, suggestion: str) -> None:
    (finding,) = run(RULE, model(event(name)))
    assert finding.severity == "hint"
    assert finding.fix is not None and finding.fix.value == suggestion


@pytest.mark.parametrize("name", ["OrderPlaced", "PostcodeChanged", "AfterwardsNoted", "Post"])
def test_it_passes_names_where_the_word_is_not_a_prefix(name: str) -> None:
    assert flagged(RULE, model(event(name))) == []


def test_it_takes_its_prefixes_from_options() -> None:
    assert flagged(RULE, model(event("OnOrderPlaced")), prefixes=["on"]) == ["OnOrderPlaced"]


def test_it_ignores_queries() -> None:
    assert flagged(RULE, model(query("BeforeGetCustomer"))) == []
