"""Importing AsyncAPI 2.6 / 3.0 documents into a model."""
from __future__ import annotations

from pathlib import Path

from designer.core.formats import asyncapi

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> asyncapi.Model:
    return asyncapi.load((FIXTURES / name).read_text(), name)


def test_it_maps_send_and_receive_operations_to_relations() -> None:
    model = load("kafka_request_reply.yaml")
    assert {(r.service, r.message, r.role) for r in model.relations} >= {
        ("order-service", "OrderPlaced", "produces"),
        ("analytics", "OrderPlaced", "consumes"),  # x-service, and no message list: all of the channel
        ("order-service", "GetOrderStatus", "consumes"),
    }


def test_it_makes_a_message_answered_with_a_reply_a_query() -> None:
    model = load("kafka_request_reply.yaml")
    assert model.messages_by_name["GetOrderStatus"].kind == "query"
    assert model.messages_by_name["OrderCancelled"].kind == "event"


def test_it_infers_commands_from_imperative_names_and_keeps_x_kind() -> None:
    kinds = {m.name: m.kind for m in load("mqtt_streetlights.yaml").messages}
    assert kinds == {"LightMeasured": "event", "TurnOn": "command", "DimLight": "command"}
    ws = {m.name: m.kind for m in load("websocket_api.yaml").messages}
    assert ws["MarketUpdate"] == "event" and ws["SubscribeToSymbol"] == "command"


def test_it_resolves_refs_into_payload_schemas() -> None:
    model = load("kafka_request_reply.yaml")
    schema = model.messages_by_name["OrderPlaced"].schema
    assert schema["additionalProperties"] is False
    assert schema["properties"]["items"]["items"]["properties"]["quantity"] == {"type": "integer", "minimum": 1}


def test_it_keeps_oneof_payloads() -> None:
    schema = load("websocket_api.yaml").messages_by_name["MarketUpdate"].schema
    assert [o["properties"]["type"]["const"] for o in schema["oneOf"]] == ["trade", "change"]


def test_it_keeps_channel_address_parameters_and_bindings() -> None:
    model = load("mqtt_streetlights.yaml")
    ch = model.channels_by_name["lightingMeasured"]
    kept = ch.extensions["x-asyncapi-channel"]
    assert kept["address"].endswith("{streetlightId}/lighting/measured")
    assert kept["parameters"]["streetlightId"]["description"] == "The ID of the streetlight."
    assert ch.broker == "mqtt"
    orders = load("kafka_request_reply.yaml").channels_by_name["orders"]
    assert orders.extensions["x-asyncapi-channel"]["bindings"]["kafka"]["partitions"] == 12


def test_it_turns_the_kafka_key_into_the_partition_key() -> None:
    assert load("kafka_request_reply.yaml").channels_by_name["orders"].partition_key == "orderId"


def test_it_reads_an_asyncapi_2_6_document() -> None:
    model = load("user_signup_v26.yaml")
    roles = {(r.message, r.role) for r in model.relations}
    assert ("UserSignedUp", "produces") in roles  # subscribe: the application publishes
    assert ("DeleteUser", "consumes") in roles and ("RenameUser", "consumes") in roles
    assert model.messages_by_name["UserSignedUp"].latest.example == {"displayName": "Ada",
                                                                     "email": "ada@example.com"}
    assert model.channels_by_name["user_commands"].broker == "rabbitmq"
    assert [s.name for s in model.services] == ["account"]


def test_it_reads_json_as_well_as_yaml() -> None:
    text = '{"asyncapi": "3.0.0", "info": {"title": "T", "version": "1"}, "channels": {"c": {"address": "c",' \
           ' "messages": {"m": {"name": "ThingHappened", "payload": {"type": "object"}}}}},' \
           ' "operations": {"o": {"action": "send", "channel": {"$ref": "#/channels/c"}}}}'
    model = asyncapi.load(text)
    assert [(r.service, r.message, r.role) for r in model.relations] == [("t", "ThingHappened", "produces")]


def test_it_records_where_messages_were_declared() -> None:
    model = load("kafka_request_reply.yaml")
    assert model.location("messages/OrderPlaced") is not None
