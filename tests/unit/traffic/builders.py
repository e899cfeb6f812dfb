"""Small builders for traffic tests: a checkout model and event dicts."""
from __future__ import annotations

from typing import Any

from designer.core.model import (
    Channel,
    Envelope,
    Flow,
    FlowStep,
    Message,
    Model,
    Relation,
    Service,
    Version,
)

ORDER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["orderId", "customerEmail", "placedAt", "total", "currency", "lines"],
    "properties": {
        "orderId": {"type": "string", "format": "uuid"},
        "customerEmail": {"type": "string", "format": "email"},
        "placedAt": {"type": "string", "format": "date-time"},
        "total": {"type": "number", "minimum": 0, "maximum": 10000},
        "currency": {"type": "string", "enum": ["EUR", "USD"]},
        "lines": {
            "type": "array", "minItems": 1, "maxItems": 5,
            "items": {
                "type": "object", "required": ["sku", "quantity"],
                "properties": {
                    "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 99},
                },
            },
        },
        "note": {"type": "string", "maxLength": 20},
    },
}
PAYMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["paymentId", "orderId", "amount"],
    "properties": {
        "paymentId": {"type": "string", "format": "uuid"},
        "orderId": {"type": "string", "format": "uuid"},
        "amount": {"type": "integer", "minimum": 1, "multipleOf": 5},
        "method": {"$ref": "#/$defs/method"},
    },
    "$defs": {"method": {"type": "string", "enum": ["card", "sepa"]}},
}
SHIPMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["shipmentId", "orderId", "dispatchedAt"],
    "properties": {
        "shipmentId": {"type": "string", "pattern": "^SHP[0-9]{6}$"},
        "orderId": {"type": "string"},
        "dispatchedAt": {"type": "string", "format": "date-time"},
        "carrier": {"anyOf": [{"type": "string", "minLength": 2}, {"type": "null"}]},
    },
}
SHIPMENT_EXAMPLE = {"shipmentId": "SHP000042", "orderId": "o-1", "dispatchedAt": "2024-05-01T10:00:00Z"}


def checkout_model(profile: str = "cloudevents", envelope_schema: Any = None) -> Model:
    """Orders → OrderPlaced → Payments → PaymentCaptured → Shipping → ShipmentDispatched."""
    return Model(
        name="shop",
        services=(Service("orders"), Service("payments"), Service("shipping")),
        messages=(
            Message("OrderPlaced", type="com.shop.order.placed", channel="orders",
                    versions=(Version("1.0.0", ORDER_SCHEMA, "released"),)),
            Message("PaymentCaptured", type="com.shop.payment.captured", channel="payments",
                    versions=(Version("1.0.0", PAYMENT_SCHEMA, "released"),)),
            Message("ShipmentDispatched", type="com.shop.shipment.dispatched", channel="shipping",
                    versions=(Version("1.0.0", SHIPMENT_SCHEMA, "released", example=SHIPMENT_EXAMPLE),)),
        ),
        channels=(Channel("orders", partition_key="orderId"), Channel("payments"), Channel("shipping")),
        relations=(
            Relation("orders", "OrderPlaced", "produces"),
            Relation("payments", "OrderPlaced", "consumes"),
            Relation("payments", "PaymentCaptured", "produces"),
            Relation("shipping", "PaymentCaptured", "consumes"),
            Relation("shipping", "ShipmentDispatched", "produces"),
        ),
        flows=(Flow("checkout", steps=(
            FlowStep("orders", "OrderPlaced", "sends"),
            FlowStep("payments", "OrderPlaced", "receives"),
            FlowStep("payments", "PaymentCaptured", "sends"),
            FlowStep("shipping", "ShipmentDispatched", "sends"),
        )),),
        envelope=Envelope(profile, envelope_schema),
    )


def valid_order() -> dict[str, Any]:
    """A payload that satisfies ORDER_SCHEMA."""
    return {
        "orderId": "6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b",
        "customerEmail": "ada@example.com",
        "placedAt": "2024-05-01T10:00:00Z",
        "total": 42.5,
        "currency": "EUR",
        "lines": [{"sku": "ABC-1234", "quantity": 2}],
    }


def ce(type_: str = "com.shop.order.placed", data: Any = None, **attrs: Any) -> dict[str, Any]:
    """A CloudEvent in its JSON form, valid by default."""
    event: dict[str, Any] = {
        "specversion": "1.0", "id": "evt-1", "source": "/services/orders", "type": type_,
        "time": "2024-05-01T10:00:00Z", "datacontenttype": "application/json",
        "correlationid": "corr-1",
        "data": valid_order() if data is None else data,
    }
    event.update(attrs)
    return event


def brief(type_: str = "com.shop.order.placed", data: Any = None, **fields: Any) -> dict[str, Any]:
    """The brief's envelope, valid by default."""
    env: dict[str, Any] = {
        "eventId": "evt-1", "eventType": type_, "version": "1.0.0",
        "timestamp": "2024-05-01T10:00:00Z", "source": "orders",
        "data": valid_order() if data is None else data,
    }
    env.update(fields)
    return env
