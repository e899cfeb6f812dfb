"""Every event has a producer.

An event that is consumed (or merely declared) but produced by nobody is a promise no service
keeps: its consumers wait forever, or the real producer is missing from the model and will not
be told when the contract changes. Stricter than EventCatalog's orphan check, which only fires
when a message has neither producer nor consumer.

Flags: an event with no producer.
Why: consumers of an event nobody publishes are dead code, or the model hides a dependency.
Source: EventCatalog linter (orphan messages), made stricter.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        consumers: [payment-service]
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

ID = "event-no-producer"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per event that no service produces."""
    for message in model.messages:
        if message.kind == "event" and not model.producers(message.name):
            consumers = sorted({r.service for r in model.consumers(message.name)})
            who = f"consumed by {', '.join(consumers[:3])}" if consumers else "declared"
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The event is {who} but no service produces it; declare its producer, or remove "
                f"the event.",
                path="producers",
            )
