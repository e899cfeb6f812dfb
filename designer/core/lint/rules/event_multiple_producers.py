"""An event type has exactly one producing service.

An event is a fact about one service's domain, published by its owner. When several services
publish the same type, consumers cannot tell whose fact it is, ordering across producers is
lost, and no single team can evolve the schema. Give each producer its own event type (or make
one service the owner that others ask via a command).

Flags: an event produced by more than one service.
Why: shared event types have no owner; their schema and semantics drift between producers.
Source: NServiceBus ("an event has one logical publisher"); Zalando RESTful API Guidelines
rule 207 (event type ownership).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [web-shop, mobile-shop]
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

ID = "event-multiple-producers"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per event produced by more than one service."""
    for message in model.messages:
        if message.kind != "event":
            continue
        producers = sorted({r.service for r in model.producers(message.name)})
        if len(producers) > 1:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"Produced by {len(producers)} services ({', '.join(producers[:5])}); an event has "
                f"one owner. Keep one producer and give the others their own event types (or have "
                f"them send a command to the owner).",
                path="producers",
            )
