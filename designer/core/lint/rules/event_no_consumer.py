"""Every produced event has at least one consumer.

An event that is produced but consumed by nobody is either dead weight (publishing cost,
schema upkeep, privacy exposure for nothing) or a missing line in the model: a consumer that
exists but was never declared. Either remove it or declare who listens.

Flags: an event with at least one producer and no consumer.
Why: undeclared consumers break silently when the event changes; unused events cost upkeep.
Source: Zalando RESTful API Guidelines rule 199 (events are for consumers); EventCatalog
orphan messages.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [payment-service]
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "event-no-consumer"
DEFAULT_SEVERITY = "info"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per produced event that nobody consumes."""
    for message in model.messages:
        if message.kind == "event" and model.producers(message.name) and not model.consumers(message.name):
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                "Produced but never consumed; declare the services that consume it, or retire the "
                "event if nobody needs it.",
                path="consumers",
            )
