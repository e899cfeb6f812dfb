from __future__ import annotations

import pytest

from designer.core.model import Channel
from tests.unit.lint.lint_kit import flagged, model, run

RULE = "channel-name-broker-valid"


def one(name: str, broker: str = "kafka", **kw: object) -> list[str]:
    return [f.severity for f in run(RULE, model(channels=(Channel(name, broker=broker, **kw),)))]  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["orders.placed", "orders-placed", "orders_placed", "Orders.v2"])
def test_it_passes_legal_kafka_topics(name: str) -> None:
    assert one(name) == []


@pytest.mark.parametrize("name", ["orders placed", "orders/placed", ".", "..", "a" * 250, "ordérs"])
def test_it_flags_illegal_kafka_topics(name: str) -> None:
    assert "error" in one(name)


def test_it_warns_when_a_kafka_topic_mixes_dots_and_underscores() -> None:
    assert one("orders.order_placed") == ["warning"]


def test_it_applies_pub_sub_rules_when_declared() -> None:
    assert one("1orders", "other", extensions={"broker": "pubsub"}) == ["error"]
    assert one("goog-orders", "other", extensions={"broker": "pubsub"}) == ["error"]
    assert one("orders-placed", "other", extensions={"broker": "pubsub"}) == []


@pytest.mark.parametrize(("broker", "name"), [
    ("nats", "orders..placed"), ("nats", "orders.>.x"), ("nats", "orders placed"),
    ("mqtt", "orders/#/x"), ("mqtt", "orders/a+b"), ("rabbitmq", "amq.orders"),
    ("sns-sqs", "orders.placed"), ("eventbridge", "orders bus"), ("redis", "orders placed"),
])
def test_it_flags_names_other_brokers_reject(broker: str, name: str) -> None:
    assert one(name, broker) == ["error"]


@pytest.mark.parametrize(("broker", "name"), [
    ("nats", "orders.*.placed"), ("nats", "orders.>"), ("mqtt", "orders/+/placed"), ("mqtt", "orders/#"),
    ("rabbitmq", "orders.placed"), ("sns-sqs", "orders-placed.fifo"), ("eventbridge", "orders/bus"),
])
def test_it_passes_names_other_brokers_accept(broker: str, name: str) -> None:
    assert one(name, broker) == []


def test_it_reports_the_channel_as_the_element() -> None:
    assert flagged(RULE, model(channels=(Channel("bad name"),))) == ["bad name"]
