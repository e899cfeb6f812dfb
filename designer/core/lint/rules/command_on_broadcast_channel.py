"""Commands go point-to-point; events are broadcast.

A command addressed to one handler but published on a pub/sub topic that several services
subscribe to is delivered to all of them: each must filter it out, and any one of them may act
on it by mistake. Conversely an event sent to a queue that exactly one named service reads is a
disguised command: the producer knows its consumer, and the next interested service cannot
subscribe without stealing messages. Pub/sub brokers: kafka, sns-sqs, eventbridge, nats, redis,
mqtt; rabbitmq is treated as a queue. A channel's ``x-pattern`` extension (``pubsub`` or
``queue``) overrides the broker's default.

Flags: a command on a pub/sub channel with more than one subscribing service; an event on a
point-to-point channel with exactly one consumer.
Why: the channel's delivery semantics contradict the message's intent.
Source: NServiceBus (commands are sent, events are published); Azure Architecture Center,
asynchronous messaging options.
Fails:
    version: 1
    channels:
      - {name: orders, broker: kafka}
    messages:
      - name: OrderPlaced
        channel: orders
        producers: [order-service]
        consumers: [payment-service, shipping-service]
      - name: ChargePayment
        kind: command
        channel: orders
        producers: [order-service]
        consumers: [payment-service]
Passes:
    version: 1
    channels:
      - {name: orders, broker: kafka}
      - {name: payment-commands, broker: rabbitmq}
    messages:
      - name: OrderPlaced
        channel: orders
        producers: [order-service]
        consumers: [payment-service, shipping-service]
      - name: ChargePayment
        kind: command
        channel: payment-commands
        producers: [order-service]
        consumers: [payment-service]
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Channel, Model
from designer.core.schema_walk import model_cache

ID = "command-on-broadcast-channel"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas

_PUBSUB_BROKERS = frozenset({"kafka", "sns-sqs", "eventbridge", "nats", "redis", "mqtt"})


def _is_pubsub(channel: Channel) -> bool:
    pattern = channel.extensions.get("x-pattern")
    if pattern in ("pubsub", "pub-sub", "broadcast", "topic"):
        return True
    if pattern in ("queue", "point-to-point", "p2p"):
        return False
    return channel.broker in _PUBSUB_BROKERS


def _subscribers(model: Model) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in model.relations:
        if r.role == "consumes":
            channel = model.channel_of(r)
            if channel is not None:
                out.setdefault(channel.name, set()).add(r.service)
    return {k: frozenset(v) for k, v in out.items()}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield findings for commands broadcast to many and events sent to one queue reader."""
    subscribers = model_cache(model, "channel-subscribers", lambda: _subscribers(model))
    for message in model.messages:
        if message.kind not in ("command", "event"):
            continue
        seen: set[str] = set()
        for r in model.producers(message.name) + model.consumers(message.name):
            channel = model.channel_of(r)
            if channel is None or channel.name in seen:
                continue
            seen.add(channel.name)
            subs = subscribers.get(channel.name, frozenset())
            if message.kind == "command" and _is_pubsub(channel) and len(subs) > 1:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"The command travels on the {channel.broker} topic '{channel.name}', which "
                    f"{len(subs)} services subscribe to; send it on a queue its one handler owns.",
                    path=f"channel.{channel.name}",
                )
            elif message.kind == "event" and not _is_pubsub(channel):
                readers = {c.service for c in model.consumers(message.name) if model.channel_of(c) == channel}
                if len(readers) == 1:
                    yield Finding(
                        ID, DEFAULT_SEVERITY, message.kind, message.name,
                        f"The event is sent point-to-point on '{channel.name}' to one named consumer "
                        f"({next(iter(readers))}); publish it on a topic/exchange so any service can "
                        f"subscribe, or model it as a command.",
                        path=f"channel.{channel.name}",
                    )
