"""The partition key is the entity's id, not the event id, a time or a random value.

Partitioning exists to keep all events of one entity (one order, one account) on one partition,
in order. Keying by the event id, a timestamp or a random value spreads one entity's events over
all partitions: load is even, but ordering per entity is gone and compaction keeps nothing
useful. Key by the id of the aggregate the events are about.

Flags: a channel whose ``partition_key`` is an event/message id, a time (name or ``format:
date-time`` in a message on the channel), or random (random, rand, nonce, uuid, shard).
Why: the wrong key silently destroys per-entity ordering and log compaction.
Source: Zalando RESTful API Guidelines rule 204 (partition by entity); Kafka docs.
Fails:
    version: 1
    channels:
      - {name: orders, broker: kafka, ordered: true, partition_key: eventId}
Passes:
    version: 1
    channels:
      - {name: orders, broker: kafka, ordered: true, partition_key: orderId}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import normalize, properties_of, resolve

ID = "partition-key-is-entity"
DEFAULT_SEVERITY = "warning"
CATEGORY = "reliability"

_EVENT_IDS = frozenset({"id", "eventid", "messageid", "eid", "ceid", "cloudeventid"})
_TIMES = frozenset({"timestamp", "time", "occurredat", "createdat", "eventtime", "ts", "date",
                    "datetime", "publishedat", "sentat"})
_RANDOM = frozenset({"random", "rand", "nonce", "uuid", "shard", "roundrobin", "randomkey", "salt"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per channel keyed by an event id, a time or a random value."""
    formats = _key_formats(model)
    for channel in model.channels:
        key = channel.partition_key.strip()
        if not key:
            continue
        last = normalize(key.split(".")[-1])
        reason = ""
        if last in _EVENT_IDS:
            reason = "the event id (unique per event)"
        elif last in _TIMES or formats.get(channel.name, {}).get(key) in ("date-time", "date"):
            reason = "a time"
        elif last in _RANDOM:
            reason = "a random value"
        if reason:
            yield Finding(
                ID, DEFAULT_SEVERITY, "channel", channel.name,
                f"The partition key '{key}' is {reason}, so one entity's events spread over all "
                f"partitions and lose their order; key by the entity's id (e.g. orderId).",
                path="partition_key",
            )


def _key_formats(model: Model) -> dict[str, dict[str, str]]:
    """Channel -> partition key -> the key's ``format`` in a message on that channel."""
    keys = {c.name: c.partition_key for c in model.channels if c.partition_key}
    out: dict[str, dict[str, str]] = {}
    for message in model.messages:
        key = keys.get(message.channel)
        if not key or message.schema is None:
            continue
        node = message.schema
        for part in key.split("."):
            node = resolve(properties_of(node, message.schema).get(part), message.schema)
        if isinstance(node, dict) and isinstance(node.get("format"), str):
            out.setdefault(message.channel, {})[key] = node["format"]
    return out
