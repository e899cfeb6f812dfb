"""An event's payload names the entity it is about.

A consumer that receives ``OrderShipped`` needs to know *which* order shipped, to update its
own view, correlate, or partition by it. The payload (``data`` with the brief profile) must
carry an identifier: a property named ``id``, ``…Id``, ``…_id``, ``…Number``, ``…Key``,
``…Uuid``, ``sku`` or ``urn``. Envelope ids (event, correlation, causation, trace) do not count.
Only events are checked: commands and queries may legitimately create or search.

Flags: an event whose payload has properties but no identifier of an entity.
Why: an event without the entity's id cannot be correlated, partitioned or deduplicated per
entity; consumers end up guessing from other fields.
Source: Zalando RESTful API Guidelines rule 202 (events carry the entity's identifier).
Fails:
    version: 1
    messages:
      - name: OrderShipped
        schema: {type: object, properties: {carrier: {type: string}}}
Passes:
    version: 1
    messages:
      - name: OrderShipped
        schema: {type: object, properties: {orderId: {type: string}, carrier: {type: string}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import normalize, payload_root, properties_of, tokens

ID = "payload-entity-id"
DEFAULT_SEVERITY = "warning"
CATEGORY = "payload"

# Last words that make a property an identifier.
_ID_WORDS = frozenset({"id", "ids", "number", "key", "uuid", "sku", "urn", "code", "ref", "reference", "no"})
# Envelope-level ids: present in many payloads, never the entity's identity.
_NOT_ENTITY = frozenset({"eventid", "messageid", "correlationid", "causationid", "traceid", "spanid",
                         "requestid", "idempotencykey", "eid", "flowid", "traceparent"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per event whose payload lacks an entity identifier."""
    for message in model.messages:
        if message.kind != "event" or message.schema is None:
            continue
        node, path = payload_root(model, message)
        props = properties_of(node, message.schema)
        if not props or any(_is_entity_id(name) for name in props):
            continue
        entity = tokens(message.name)[0] if tokens(message.name) else "entity"
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"The payload does not identify the entity it is about; add its id (for example "
            f"'{entity}Id') so consumers can correlate and partition by it.",
            path=f"{path}.properties",
        )


def _is_entity_id(name: str) -> bool:
    if normalize(name) in _NOT_ENTITY:
        return False
    words = tokens(name)
    return bool(words) and words[-1] in _ID_WORDS
