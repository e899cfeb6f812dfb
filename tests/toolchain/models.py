"""Models the toolchain tests generate code for: the demo shop and a model of hostile names."""
from __future__ import annotations

from typing import Any

from designer.core.model import Channel, Envelope, Message, Model, Relation, Service, Version

BRIEF_EXAMPLE: dict[str, Any] = {
    "eventId": "evt_7f3a9b2c", "eventType": "order.placed", "version": "1.0",
    "timestamp": "2025-03-15T14:30:00Z", "source": "order-service",
    "data": {"orderId": "ord_12345", "userId": "usr_67890", "userEmail": "user@example.com",
             "items": [{"productId": "prod_001", "quantity": 2, "price": 29.99}],
             "total": 59.98, "currency": "USD"},
}

_ORDER_DATA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["orderId", "userId", "items", "total", "currency"],
    "properties": {
        "orderId": {"type": "string", "description": "The order's id, e.g. ord_12345."},
        "userId": {"type": "string"},
        "userEmail": {"type": "string", "format": "email"},
        "items": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["productId", "quantity", "price"],
            "properties": {"productId": {"type": "string"},
                           "quantity": {"type": "integer", "minimum": 1},
                           "price": {"type": "number"}}}},
        "total": {"type": "number"},
        "currency": {"type": "string", "enum": ["USD", "EUR", "GBP"]},
    },
}
# The brief's envelope profile: the OrderPlaced schema describes the whole envelope object.
_ORDER_PLACED_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["eventId", "eventType", "version", "timestamp", "source", "data"],
    "properties": {
        "eventId": {"type": "string"}, "eventType": {"const": "order.placed"},
        "version": {"type": "string"}, "timestamp": {"type": "string", "format": "date-time"},
        "source": {"type": "string"}, "data": _ORDER_DATA,
    },
}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _msg(name: str, kind: str, type_: str, description: str, schema: Any, example: Any = None,
         channel: str = "") -> Message:
    return Message(name=name, kind=kind, type=type_, description=description, channel=channel,
                   versions=(Version("1.0.0", schema, "released", example),))


def shop_model() -> Model:
    """The demo shop: order, payment, inventory, shipping and email services."""
    services = tuple(Service(name=n, description=d) for n, d in (
        ("order-service", "Takes orders and answers where they stand."),
        ("payment-service", "Charges customers."),
        ("inventory-service", "Reserves stock."),
        ("shipping-service", "Ships parcels."),
        ("email-service", "Sends transactional email."),
    ))
    messages = (
        _msg("OrderPlaced", "event", "order.placed", "A customer placed an order.",
             _ORDER_PLACED_SCHEMA, BRIEF_EXAMPLE, "orders"),
        _msg("PaymentFailed", "event", "payment.failed", "Charging the customer failed.",
             _obj(["orderId", "reason", "failedAt"], orderId={"type": "string"},
                  reason={"type": "string", "enum": ["card_declined", "insufficient_funds",
                                                     "fraud_suspected"]},
                  failedAt={"type": "string", "format": "date-time"},
                  retryable={"type": "boolean"}), channel="payments"),
        _msg("PaymentSucceeded", "event", "payment.succeeded", "The customer was charged.",
             _obj(["orderId", "amount"], orderId={"type": "string"}, amount={"type": "number"},
                  paidAt={"type": ["string", "null"], "format": "date-time"}), channel="payments"),
        _msg("InventoryReserved", "event", "inventory.reserved", "Stock was put aside.",
             _obj(["orderId", "lines"], orderId={"type": "string"}, lines={
                 "type": "array", "items": _obj(["sku", "count"], sku={"type": "string"},
                                                count={"type": "integer"})})),
        _msg("OrderShipped", "event", "order.shipped", "The parcel left the warehouse.",
             _obj(["orderId", "carrier"], orderId={"type": "string"}, carrier={"type": "string"},
                  tracking={"type": "object", "additionalProperties": {"type": "string"}},
                  shippedOn={"type": "string", "format": "date"})),
        _msg("SendEmail", "command", "email.send", "Send one email to a customer.",
             _obj(["to", "template"], to={"type": "string", "format": "email"},
                  template={"type": "string"}, variables={"type": "object"}), channel="email-commands"),
        _msg("GetOrderStatus", "query", "order.status.get", "Where does an order stand?",
             _obj(["orderId"], orderId={"type": "string"})),
    )
    rel = [
        ("order-service", "OrderPlaced", "produces"), ("payment-service", "OrderPlaced", "consumes"),
        ("inventory-service", "OrderPlaced", "consumes"), ("email-service", "OrderPlaced", "consumes"),
        ("payment-service", "PaymentFailed", "produces"), ("order-service", "PaymentFailed", "consumes"),
        ("payment-service", "PaymentSucceeded", "produces"),
        ("order-service", "PaymentSucceeded", "consumes"),
        ("shipping-service", "PaymentSucceeded", "consumes"),
        ("inventory-service", "InventoryReserved", "produces"),
        ("order-service", "InventoryReserved", "consumes"),
        ("shipping-service", "OrderShipped", "produces"), ("order-service", "OrderShipped", "consumes"),
        ("order-service", "SendEmail", "produces"), ("email-service", "SendEmail", "consumes"),
        ("shipping-service", "GetOrderStatus", "produces"),
        ("order-service", "GetOrderStatus", "consumes"),
    ]
    return Model(
        name="shop", description="The demo shop", services=services, messages=messages,
        channels=(Channel("orders"), Channel("payments", partition_key="orderId"),
                  Channel("email-commands", broker="rabbitmq")),
        relations=tuple(Relation(s, m, r) for s, m, r in rel),
        envelope=Envelope(profile="brief"), revision="42",
    )


# Text that tries to break out of every kind of string and comment we generate.
NASTY_TEXT = ('*/ """ \'\'\' ` ${x} </script><script>alert(1)</script> \\u000a \\ "; DROP TABLE x; --'
              "\n\r\u2028\u2029 line\x00break \U0001F600 */ // # {{ }} {% %}")

_HOSTILE_NAMES = [
    "class", "type", "default", "func", "interface", "record", "import", "package", "None",
    "String", "Object", "Envelope", "Outbox", "Dispatcher", "BaseModel", "Messages", "Json",
    "123go", "<script>", "'; DROP TABLE messages; --", "ÜberBestellung", "订单已创建",
    "OrderPlaced", "order_placed", "order-placed", "ORDER PLACED", "!!!", "", "var", "enum",
    "Orderplaced", "main", "init", "Error", "Map", "List", "Date", "Record", "Promise", "error",
]


def hostile_model() -> Model:
    """Names that are keywords, collide, start with digits or are not names at all; tricky schemas."""
    tricky: dict[str, Any] = {
        "type": "object",
        "description": NASTY_TEXT,
        "required": ["class", "type", "default", "123", "order-id", "orderId", "order_id", "date",
                     "model_config", "hashCode", "self", "`back`", "${x}", "", "status"],
        "properties": {
            "class": {"type": "string", "description": NASTY_TEXT},
            "type": {"type": "string", "enum": ["a", "A", "class", "1x", "", "<script>", "a b",
                                                "\"quoted\"", "${x}", "\U0001F600"]},
            "default": {"type": "integer"},
            "123": {"type": "number"},
            "order-id": {"type": "string"},
            "orderId": {"type": "string"},
            "order_id": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "model_config": {"type": "boolean"},
            "hashCode": {"type": "integer"},
            "self": {"type": "string"},
            "`back`": {"type": "string"},
            "${x}": {"type": "string"},
            "": {"type": "string"},
            "status": {"enum": ["open", None]},
            "when": {"type": "string", "format": "date-time"},
            "maybe": {"type": ["integer", "null"]},
            "anything": {},
            "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
            "tags": {"type": "object", "additionalProperties": {"type": "array",
                                                                "items": {"type": "string"}}},
            "nested": {"type": "object", "properties": {
                "nested": {"type": "object", "properties": {"class": {"type": "string"}}}}},
            "node": {"$ref": "#/$defs/Node"},
            "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "opt": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
            "merged": {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}},
                                 {"properties": {"b": {"type": "integer"}}, "required": ["b"]}]},
            "\u00fcber": {"type": "string"},
            "订单": {"type": "string"},
        },
        "$defs": {"Node": {"type": "object", "properties": {
            "value": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}},
    }
    kinds = ("event", "command", "query")
    messages = []
    for i, name in enumerate(_HOSTILE_NAMES):
        kind = kinds[i % 3]
        schema: Any = tricky if i % 4 == 0 else _obj(["value"], value={"type": "string"})
        example: Any = {"value": NASTY_TEXT} if i % 4 else None  # None: synthesized from the schema
        if i == 3:
            schema, example = {"type": "string"}, "not an object"
        if i == 5:
            schema = None
        messages.append(Message(name=name, kind=kind, type=NASTY_TEXT + str(i) if i % 2 else name,
                                description=NASTY_TEXT, versions=(Version("1.0.0", schema, "draft",
                                                                          example),)))
    services = (Service("class", description=NASTY_TEXT), Service("<script>"),
                Service("Order Service"), Service("order-service"), Service("123"),
                Service("main"), Service("json"))
    relations = []
    for i, m in enumerate(messages):
        relations.append(Relation(services[i % 3].name, m.name, "produces"))
        relations.append(Relation(services[(i + 1) % 3].name, m.name, "consumes"))
        relations.append(Relation("order-service", m.name, "consumes" if i % 2 else "produces"))
        relations.append(Relation("123", m.name, "consumes"))
    return Model(name=NASTY_TEXT, services=services, messages=tuple(messages),
                 relations=tuple(relations), envelope=Envelope(profile="cloudevents"),
                 revision=NASTY_TEXT)
