from __future__ import annotations

from designer.core.model import Channel, Service
from tests.unit.lint.lint_kit import event, flagged, model, run, with_schema

RULE = "naming-casing-consistent"


def test_it_flags_the_message_name_in_the_minority_style() -> None:
    m = model(event("OrderPlaced"), event("OrderShipped"), event("order_cancelled"))
    (finding,) = run(RULE, m)
    assert finding.element == "order_cancelled"
    assert finding.fix is not None and finding.fix.value == "OrderCancelled"


def test_it_passes_consistent_names() -> None:
    assert flagged(RULE, model(event("OrderPlaced"), event("OrderShipped"))) == []


def test_it_flags_mixed_property_casing_across_payloads() -> None:
    a = with_schema(event("OrderPlaced"), {"type": "object", "properties": {
        "orderId": {"type": "string"}, "customerId": {"type": "string"}}})
    b = with_schema(event("OrderShipped"), {"type": "object", "properties": {
        "orderId": {"type": "string"}, "shipped_at": {"type": "string"},
        "lines": {"type": "array", "items": {"type": "object", "properties": {"skuCode": {}}}}}})
    (finding,) = run(RULE, model(a, b))
    assert (finding.element, finding.path) == ("OrderShipped", "schema.properties.shipped_at")
    assert "shippedAt" in finding.message


def test_it_flags_mixed_enum_value_casing() -> None:
    a = with_schema(event("OrderPlaced"), {"type": "object", "properties": {
        "status": {"enum": ["OPEN", "IN_PROGRESS", "closed_now"]}}})
    findings = run(RULE, model(a))
    assert [f.path for f in findings] == ["schema.properties.status.enum[2]"]
    assert "closed_now" in findings[0].message


def test_it_flags_mixed_channel_casing() -> None:
    m = model(channels=(Channel("orders.placed"), Channel("orders.shipped"), Channel("OrdersCancelled")))
    assert flagged(RULE, m) == ["OrdersCancelled"]


def test_it_uses_a_fixed_style_from_options() -> None:
    m = model(event("order_placed"), event("order_shipped"))
    assert flagged(RULE, m, styles={"messages": "PascalCase"}) == ["order_placed", "order_shipped"]


def test_it_does_not_count_single_words_against_a_style() -> None:
    m = model(channels=(Channel("orders"), Channel("orders-placed"), Channel("payments-received")))
    assert flagged(RULE, m) == []


def test_it_survives_odd_schemas() -> None:
    odd = with_schema(event("OrderPlaced"), {"properties": ["not", "a", "dict"], "items": True})
    assert flagged(RULE, model(odd, event("Other"))) == []


def test_it_flags_the_service_name_in_the_minority_style() -> None:
    m = model(services=(Service("OrderService"), Service("payment-service"), Service("shipping-service")))
    (finding,) = run(RULE, m)
    assert (finding.kind, finding.element) == ("service", "OrderService")
    assert finding.fix is not None and finding.fix.value == "order-service"
    assert "Service name 'OrderService' is not in kebab-case" in finding.message


def test_it_passes_services_named_in_one_style() -> None:
    m = model(services=(Service("order-service"), Service("payment-service")))
    assert flagged(RULE, m) == []


def test_a_channel_is_judged_by_its_levels_not_its_separators_or_parameters() -> None:
    m = model(channels=(Channel("smartylighting/streetlights/1/0/action/{streetlightId}/dim"),
                        Channel("smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"),
                        Channel("some.channel")))
    assert flagged(RULE, m) == []
    odd = model(channels=(Channel("orders/placed"), Channel("orders/shipped"), Channel("orders/{id}/PaymentDue")))
    (finding,) = run(RULE, odd)
    assert finding.element == "orders/{id}/PaymentDue"
    assert finding.fix is not None and finding.fix.value == "orders/{id}/payment.due"


def test_a_single_letter_code_is_not_taken_for_casing() -> None:
    # Slack RTM's channel_type enum (the specification's 2.0 example) beside snake_case values.
    a = with_schema(event("MemberJoined"), {"type": "object", "properties": {
        "channel_type": {"enum": ["C", "G"]}, "subtype": {"enum": ["bot_message", "me_message"]}}})
    assert flagged(RULE, model(a)) == []


def test_parameters_anywhere_in_a_channel_name_are_not_casing() -> None:
    m = model(channels=(Channel("orders.{orderId}.placed"), Channel("orders.{orderId}.shipped"),
                        Channel("{tenantId}"), Channel("{tenantId}/payments.received")))
    assert flagged(RULE, m) == []
