"""A channel carries either commands or events, not both.

Commands and events have different audiences, retention, ordering and security needs: a topic
of facts is read by many and replayed; a command queue is drained by one handler. Mixing them
forces every subscriber to filter, and with a per-topic schema strategy (Confluent's
TopicNameStrategy) the topic can only have one schema anyway.

Flags: a channel used (by a message's default channel or a relation) for at least one command
and at least one event.
Why: mixed channels couple unrelated consumers and defeat per-topic schema and ACL policies.
Source: Confluent Schema Registry TopicNameStrategy; NServiceBus message kinds.
Fails:
    version: 1
    channels:
      - {name: orders, broker: kafka}
    messages:
      - {name: OrderPlaced, channel: orders}
      - {name: CancelOrder, kind: command, channel: orders}
Passes:
    version: 1
    channels:
      - {name: orders, broker: kafka}
      - {name: order-commands, broker: rabbitmq}
    messages:
      - {name: OrderPlaced, channel: orders}
      - {name: CancelOrder, kind: command, channel: order-commands}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "channel-mixed-kinds"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per channel carrying both commands and events."""
    kinds: dict[str, dict[str, set[str]]] = {}
    for message in model.messages:
        if message.channel:
            kinds.setdefault(message.channel, {}).setdefault(message.kind, set()).add(message.name)
    for r in model.relations:
        if r.channel:
            related = model.messages_by_name.get(r.message)
            if related is not None:
                kinds.setdefault(r.channel, {}).setdefault(related.kind, set()).add(related.name)
    for channel in model.channels:
        used = kinds.get(channel.name, {})
        if "command" in used and "event" in used:
            commands = sorted(used["command"])[:3]
            events = sorted(used["event"])[:3]
            yield Finding(
                ID, DEFAULT_SEVERITY, "channel", channel.name,
                f"The channel carries commands ({', '.join(commands)}) and events "
                f"({', '.join(events)}); move the commands to their handler's own queue.",
                path="messages",
            )
