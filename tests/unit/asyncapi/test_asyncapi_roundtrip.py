"""Import -> export -> import keeps messages, channels, operations and schemas."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from designer.core.formats import asyncapi, native
from designer.core.model import Message, Model, Relation, Service, Version

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.yaml"))


def _operations(model: Model) -> set[str]:
    return {op for s in model.services for op in s.extensions.get("x-asyncapi-operations", {})}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_a_round_trip_keeps_messages_channels_operations_and_schemas(path: Path) -> None:
    first = asyncapi.load(path.read_text(), path.name)
    second = asyncapi.load(asyncapi.dump_yaml(first), "export")
    assert {m.name: (m.kind, m.schema, m.latest.example if m.latest else None) for m in first.messages} == {
        m.name: (m.kind, m.schema, m.latest.example if m.latest else None) for m in second.messages}
    assert {c.name: (c.broker, c.partition_key, c.extensions["x-asyncapi-channel"].get("address"))
            for c in first.channels} == {
        c.name: (c.broker, c.partition_key, c.extensions["x-asyncapi-channel"].get("address"))
        for c in second.channels}
    assert _operations(first) == _operations(second)
    assert set(first.relations) == set(second.relations)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_a_second_export_is_identical_to_the_first(path: Path) -> None:
    once = asyncapi.dump_yaml(asyncapi.load(path.read_text()))
    assert asyncapi.dump_yaml(asyncapi.load(once)) == once


def test_it_keeps_reply_operations() -> None:
    doc = asyncapi.dump(asyncapi.load((Path(__file__).parent / "fixtures/kafka_request_reply.yaml").read_text()))
    reply = doc["operations"]["answerOrderStatus"]["reply"]
    assert reply["channel"] == {"$ref": "#/channels/orderStatusReplies"}
    assert reply["messages"] == [{"$ref": "#/channels/orderStatusReplies/messages/orderStatus"}]


def _shop() -> Model:
    money = {"type": "number", "minimum": 0}
    placed = Message("OrderPlaced", "event", type="order.placed", channel="orders", versions=(
        Version("1.0.0", {"type": "object", "properties": {"total": money}}, status="released"),
        Version("2.0.0", {"type": "object", "$defs": {"Money": money},
                          "properties": {"total": {"$ref": "#/$defs/Money"}}}, compat="FORWARD",
                example={"total": 3})))
    send = Message("SendEmail", "command", versions=(Version(schema={"type": "object"}),))
    from designer.core.model import Channel
    return Model(name="shop", services=(Service("orders"), Service("email")),
                 channels=(Channel("orders", partition_key="orderId"),),
                 messages=(placed, send),
                 relations=(Relation("orders", "OrderPlaced", "produces"),
                            Relation("email", "OrderPlaced", "consumes"),
                            Relation("orders", "SendEmail", "produces"),
                            Relation("email", "SendEmail", "consumes")))


def test_it_exports_a_model_built_natively() -> None:
    doc = asyncapi.dump(_shop())
    assert doc["asyncapi"] == "3.0.0"
    assert set(doc["operations"]) == {"orders.send.OrderPlaced", "email.receive.OrderPlaced",
                                      "orders.send.SendEmail", "email.receive.SendEmail"}
    msg = doc["components"]["messages"]["OrderPlaced"]
    assert msg["payload"]["properties"]["total"] == {"$ref": "#/components/schemas/Money"}
    assert doc["components"]["schemas"]["Money"] == {"type": "number", "minimum": 0}
    assert msg["bindings"]["kafka"]["key"]["x-property"] == "orderId"
    assert msg["x-version"] == "2.0.0" and msg["x-asyncapi-versions"][0]["version"] == "1.0.0"
    assert doc["channels"]["SendEmail"]["address"] == "SendEmail"  # no channel: one per message


def test_it_keeps_versions_kinds_and_types_through_a_round_trip() -> None:
    back = asyncapi.load(asyncapi.dump_yaml(_shop()))
    placed = back.messages_by_name["OrderPlaced"]
    assert [v.version for v in placed.versions] == ["1.0.0", "2.0.0"]
    assert placed.type == "order.placed" and placed.versions[0].status == "released"
    assert back.messages_by_name["SendEmail"].kind == "command"


def test_it_exports_one_service() -> None:
    doc = asyncapi.dump(_shop(), service="email")
    assert doc["info"]["title"] == "email"
    assert {op["action"] for op in doc["operations"].values()} == {"receive"}


def test_it_refuses_an_unknown_service_or_flow() -> None:
    with pytest.raises(ValueError, match="no service named 'nope'"):
        asyncapi.dump(_shop(), service="nope")
    with pytest.raises(ValueError, match="no flow named 'nope'"):
        asyncapi.dump(_shop(), flow="nope")


def test_it_exports_the_demo_shop_per_service_and_per_flow() -> None:
    shop = native.load((Path(__file__).parents[3] / "designer/catalog/demo/shop.yaml").read_text())
    for service in shop.services:
        doc: dict[str, Any] = asyncapi.dump(shop, service=service.name)
        assert all(op["x-service"] == service.name for op in doc.get("operations", {}).values())
    for flow in shop.flows:
        assert asyncapi.dump(shop, flow=flow.name)["operations"]


def test_it_quotes_every_string_a_yaml_1_2_reader_would_take_for_another_type() -> None:
    tricky = ["08", "018", "1e3", "0o17", "0x1F", "+12", ".5", "1_000", "true", "True", "null", "~", ".inf",
              "-.Inf", ".NaN", "1:30", "2025-01-01", "yes", "on", "3.14"]
    model = Model(name="yaml", services=(Service("s"),),
                  messages=tuple(Message(name, "event", versions=(Version(schema={
                      "type": "object", "properties": {name or "empty": {"const": name}}}),)) for name in tricky),
                  relations=tuple(Relation("s", name, "produces") for name in tricky))
    text = asyncapi.dump_yaml(model)
    for name in tricky:
        assert f"name: '{name}'" in text, name
    import re

    # No plain scalar that a YAML 1.2 core-schema reader would type: every value line is checked.
    core = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)"
                      r"(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|null|Null|NULL|~"
                      r"|true|True|TRUE|false|False|FALSE)$")
    for line in text.splitlines():
        key, sep, value = line.strip().lstrip("- ").partition(": ")
        for part in (key.rstrip(":"), value) if sep else (key.rstrip(":"),):
            assert not core.match(part) or part in ("1.0.0",), line
    assert {m.name for m in asyncapi.load(text).messages} == set(tricky)
