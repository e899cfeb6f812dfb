"""An ordered channel declares the key that orders it.

Brokers order messages per partition (Kafka), per message group (SQS FIFO) or per
``partitionkey`` (CloudEvents partitioning extension), never across a whole scaled-out topic.
A channel marked ``ordered: true`` without a partition key is ordered only by accident of
having one partition; the first scale-out reorders it. A RabbitMQ queue is ordered by itself
and is not checked.

Flags: a channel with ``ordered: true`` and an empty ``partition_key`` (non-RabbitMQ brokers).
Why: ordering is a property of a key (all events of one order), not of a topic.
Source: the product brief; Kafka docs (ordering within a partition); Zalando RESTful API
Guidelines rule 203; CloudEvents partitioning extension.
Fails:
    version: 1
    channels:
      - {name: orders, broker: kafka, ordered: true}
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

ID = "ordering-needs-partition-key"
DEFAULT_SEVERITY = "warning"
CATEGORY = "reliability"

# Where the key goes on each broker, to make the message concrete.
_KEY_NAME = {"kafka": "the record key", "sns-sqs": "the FIFO MessageGroupId",
             "eventbridge": "a partition attribute", "nats": "the subject token",
             "redis": "the stream key", "mqtt": "the topic level"}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per ordered channel with no partition key."""
    for channel in model.channels:
        if channel.ordered and not channel.partition_key.strip() and channel.broker != "rabbitmq":
            where = _KEY_NAME.get(channel.broker, "the partition key")
            yield Finding(
                ID, DEFAULT_SEVERITY, "channel", channel.name,
                f"The channel is marked ordered but has no partition key; set partition_key to the "
                f"entity whose events must stay in order (e.g. orderId), sent as {where}.",
                path="partition_key",
            )
