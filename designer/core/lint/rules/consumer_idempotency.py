"""At-least-once consumers deduplicate, and say on which key.

With at-least-once delivery (the default of every broker here, and of the outbox pattern)
every consumer will see some messages twice: after a rebalance, a retry, a relay restart. A
consumer must either be naturally idempotent (declare ``idempotent: true``) or deduplicate on a
key (``dedup_key``, normally the event id). A declared key must exist in the message: an
envelope attribute or a payload property. Queries are reads and are not checked.

Flags: a consumer of an event or command on an at-least-once channel (or with no channel) that
declares neither ``idempotent: true`` nor a ``dedup_key``; a ``dedup_key`` the message does not
carry.
Why: duplicates are normal in production; a non-idempotent handler charges twice or ships twice.
Source: the product brief; Zalando RESTful API Guidelines rule 214 (consumers must be robust to
duplicates).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [payment-service]
        schema: {type: object, properties: {orderId: {type: string}}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [{service: payment-service, dedup_key: id}]
        schema: {type: object, properties: {orderId: {type: string}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Message, Model
from designer.core.schema_walk import envelope_names, payload_root, properties_of

ID = "consumer-idempotency"
DEFAULT_SEVERITY = "warning"
CATEGORY = "reliability"

_ID_FOR_PROFILE = {"cloudevents": "id", "brief": "eventId"}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per at-least-once consumer without idempotency or a valid dedup key."""
    id_name = _ID_FOR_PROFILE.get(model.envelope.profile, "")
    for message in model.messages:
        if message.kind == "query":
            continue
        for r in model.consumers(message.name):
            channel = model.channel_of(r)
            if channel is not None and channel.delivery != "at-least-once":
                continue
            if r.dedup_key:
                if not _carries(model, message, r.dedup_key):
                    yield Finding(
                        ID, DEFAULT_SEVERITY, message.kind, message.name,
                        f"'{r.service}' deduplicates on '{r.dedup_key}', which the message does not "
                        f"carry; use the event id{f' ({id_name})' if id_name else ''} or a payload "
                        f"property.",
                        path=f"consumers.{r.service}.dedup_key",
                    )
                continue
            if r.idempotent:
                continue  # naturally idempotent (an upsert, a set): nothing to deduplicate on
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"'{r.service}' consumes at-least-once but declares no dedup key; it will see "
                f"duplicates. Deduplicate on the event id ({id_name or 'the envelope id'}) and set "
                f"dedup_key, or declare idempotent: true if handling twice is harmless.",
                fix=Fix("set", f"consumers.{r.service}.dedup_key", id_name,
                        f"Deduplicate on '{id_name}'") if id_name else None,
                path=f"consumers.{r.service}",
            )


def _carries(model: Model, message: Message, key: str) -> bool:
    if message.schema is None and model.envelope.profile != "cloudevents":
        return True  # nothing declared to check against; message-schema-required reports it
    first = key.split(".")[0]
    if first in envelope_names(model, message):
        return True
    node, _ = payload_root(model, message)
    return first in properties_of(node, message.schema) or first in properties_of(message.schema, message.schema)
