"""The demo shop model loads, round-trips, and every example validates against its schema."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from designer.core.formats import native
from designer.core.model import Model

SHOP = Path(__file__).resolve().parents[3] / "designer" / "catalog" / "demo" / "shop.yaml"

BRIEF_EXAMPLE = {
    "eventId": "evt_7f3a9b2c", "eventType": "order.placed", "version": "1.0",
    "timestamp": "2025-03-15T14:30:00Z", "source": "order-service",
    "data": {"orderId": "ord_12345", "userId": "usr_67890", "userEmail": "user@example.com",
             "items": [{"productId": "prod_001", "quantity": 2, "price": 29.99}],
             "total": 59.98, "currency": "USD"},
}


@pytest.fixture(scope="module")
def shop() -> Model:
    return native.load(SHOP.read_text(encoding="utf-8"), str(SHOP))


def test_it_loads_the_demo_shop(shop: Model) -> None:
    assert {s.name for s in shop.services} == {
        "order-service", "payment-service", "inventory-service", "shipping-service", "email-service"}
    assert all(s.owner and s.description and s.language and s.repository.startswith("https://")
               for s in shop.services)
    assert shop.envelope.profile == "brief"
    assert {"OrderPlaced", "PaymentFailed", "PaymentSucceeded", "InventoryReserved", "OrderShipped",
            "SendEmail", "GetOrderStatus"} <= set(shop.messages_by_name)
    assert shop.messages_by_name["SendEmail"].kind == "command"
    assert [r.service for r in shop.consumers("SendEmail")] == ["email-service"]
    assert shop.messages_by_name["GetOrderStatus"].kind == "query"
    assert [r.service for r in shop.consumers("GetOrderStatus")] == ["order-service"]
    channels = shop.channels_by_name
    assert (channels["orders"].broker, channels["orders"].partition_key) == ("kafka", "orderId")
    assert (channels["payments"].broker, channels["payments"].partition_key) == ("kafka", "orderId")
    assert channels["email-commands"].broker == "rabbitmq"
    checkout = next(f for f in shop.flows if f.name == "checkout")
    assert checkout.style == "choreography" and len(checkout.steps) >= 5


def test_its_order_placed_example_is_exactly_the_briefs(shop: Model) -> None:
    example = shop.messages_by_name["OrderPlaced"].versions[0].example
    assert example == BRIEF_EXAMPLE
    assert json.dumps(example) == json.dumps(BRIEF_EXAMPLE)  # same key order too


def test_every_example_validates_against_its_schema(shop: Model) -> None:
    checked = 0
    for message in shop.messages:
        for version in message.versions:
            jsonschema.Draft202012Validator.check_schema(version.schema)
            validator = jsonschema.Draft202012Validator(
                version.schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            errors = [e.message for e in validator.iter_errors(version.example)]
            assert errors == [], f"{message.name} {version.version}: {errors}"
            checked += 1
    assert checked == len(shop.messages) >= 8


def test_its_order_placed_schema_is_strict(shop: Model) -> None:
    schema = shop.messages_by_name["OrderPlaced"].schema
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({**BRIEF_EXAMPLE, "extra": 1})
    assert not validator.is_valid({k: v for k, v in BRIEF_EXAMPLE.items() if k != "eventId"})
    assert not validator.is_valid({**BRIEF_EXAMPLE, "data": {**BRIEF_EXAMPLE["data"], "items": []}})


def test_it_contains_the_documented_design_mistakes(shop: Model) -> None:
    assert "ShipmentCreate" in shop.messages_by_name and not shop.consumers("ShipmentCreate")
    payment = next(r for r in shop.consumers("OrderPlaced") if r.service == "payment-service")
    assert not payment.idempotent and not payment.dedup_key
    failed = shop.messages_by_name["PaymentFailed"].schema
    assert "cardNumber" in failed["properties"]["data"]["properties"]
    email = shop.messages_by_name["OrderPlaced"].schema["properties"]["data"]["properties"]["userEmail"]
    assert "x-classification" not in email
    inventory = shop.channels_by_name["inventory"]
    assert inventory.ordered and not inventory.partition_key


def test_it_round_trips_to_identical_text(shop: Model) -> None:
    text = native.dump(shop)
    assert native.dump(native.load(text)) == text
    assert native.to_data(native.load(text)) == native.to_data(shop)


def test_it_records_the_location_of_every_element(shop: Model) -> None:
    for kind, names in (("services", shop.services_by_name), ("messages", shop.messages_by_name),
                        ("channels", shop.channels_by_name)):
        for name in names:
            assert shop.location(f"{kind}/{name}") is not None, f"{kind}/{name}"
    assert shop.location("messages/OrderPlaced/schema") is not None


def test_every_yaml_example_in_the_format_docs_loads() -> None:
    doc = (SHOP.parents[3] / "docs" / "model-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        model = native.load(block)
        assert model.messages, block


def test_the_demo_query_names_its_reply_and_a_bad_reply_is_refused() -> None:
    """Issue 12: ``reply: MessageName`` is read, written back, and checked (declared, not on an event)."""
    from designer.core.formats.errors import FormatError

    src = (Path(__file__).resolve().parents[3] / "designer" / "catalog" / "demo" / "shop.yaml").read_text()
    model = native.load(src)
    assert {m.name: m.reply for m in model.messages}["GetOrderStatus"] == "OrderStatusReported"
    assert "  reply: OrderStatusReported\n" in native.dump(model)
    with pytest.raises(FormatError, match="did you mean 'OrderStatusReported'"):
        native.load(src.replace("reply: OrderStatusReported", "reply: OrderStatusReportd"))
    with pytest.raises(FormatError, match="is an event and has no reply"):
        native.load(src.replace("kind: query", "kind: event"))
