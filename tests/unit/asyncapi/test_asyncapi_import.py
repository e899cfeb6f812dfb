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


RECURSIVE = """asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  c:
    address: c
    messages:
      m: {name: TreeChanged, payload: {$ref: '#/components/schemas/Node'}}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"""


def test_it_keeps_a_recursive_schema_as_defs_that_validate_a_tree() -> None:
    from designer.core.schema_compile import compile_schema

    schema = asyncapi.load(RECURSIVE).messages_by_name["TreeChanged"].schema
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert schema["$defs"]["Node"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    validator = compile_schema(schema)
    assert validator.is_valid({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]})
    assert not validator.is_valid({"children": [{"children": [{"name": 3}]}]})


def test_a_recursive_schema_round_trips_through_an_export() -> None:
    first = asyncapi.load(RECURSIVE)
    doc = asyncapi.dump(first)
    assert doc["components"]["schemas"]["Node"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Node"}
    assert asyncapi.load(asyncapi.dump_yaml(first)).messages_by_name["TreeChanged"].schema == \
        first.messages_by_name["TreeChanged"].schema


def test_it_never_names_anonymous_messages_with_numbers() -> None:
    doc = """asyncapi: 2.6.0
info: {title: Chat, version: '1'}
channels:
  rooms/{roomId}:
    subscribe:
      message:
        oneOf:
          - payload: {type: object, title: MessagePosted, properties: {text: {type: string}}}
          - payload: {type: object, properties: {reason: {type: string}}}
            x-event-type: room.closed
  presence:
    publish:
      operationId: reportPresence
      message:
        payload: {type: object}
"""
    names = {m.name for m in asyncapi.load(doc).messages}
    assert names == {"MessagePosted", "room.closed", "reportPresence"}
    made_up = {m.name: m.extensions["x-asyncapi-message"].get("name_source") for m in asyncapi.load(doc).messages}
    assert made_up["reportPresence"] == "operationId"  # the linter does not judge a name nobody gave the message
    assert not asyncapi.name_written_by_author(asyncapi.load(doc).messages_by_name["reportPresence"])


def test_two_different_messages_of_one_name_keep_both_without_a_number() -> None:
    doc = """asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  orders:
    address: orders
    messages:
      changed: {name: Changed, payload: {type: object, properties: {orderId: {type: string}}}}
  users:
    address: users
    messages:
      changed: {name: Changed, payload: {type: object, properties: {userId: {type: string}}}}
"""
    names = sorted(m.name for m in asyncapi.load(doc).messages)
    assert names == ["Changed", "users.Changed"]


def test_one_message_written_twice_on_two_channels_is_one_message() -> None:
    doc = """asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  a: {address: a, messages: {m: {name: Ping, payload: {type: object}}}}
  b: {address: b, messages: {m: {name: Ping, payload: {type: object}}}}
"""
    model = asyncapi.load(doc)
    assert [m.name for m in model.messages] == ["Ping"]
    assert model.channels_by_name["b"].extensions["x-asyncapi-channel"]["x-asyncapi-message-keys"] == {"Ping": "m"}


def test_it_converts_draft_07_payloads_to_2020_12() -> None:
    doc = """asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  c:
    subscribe:
      message:
        name: PointMoved
        payload:
          $schema: 'http://json-schema.org/draft-07/schema#'
          type: object
          properties:
            at: {type: array, items: [{type: number}, {type: number}], additionalItems: false}
          dependencies: {at: [frame]}
"""
    schema = asyncapi.load(doc).messages_by_name["PointMoved"].schema
    assert "$schema" not in schema
    assert schema["properties"]["at"] == {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}],
                                          "items": False}
    assert schema["dependentRequired"] == {"at": ["frame"]}
    payload = asyncapi.dump(asyncapi.load(doc))["components"]["messages"]["PointMoved"]["payload"]
    assert payload["properties"]["at"]["items"] == [{"type": "number"}, {"type": "number"}]  # draft-07 again
    assert payload["dependencies"] == {"at": ["frame"]}
