"""Events carry the facts consumers need, not only ids to call back for.

A "thin" notification (``{"orderId": "…"}``) forces every consumer to call the producer back to
learn what happened: the producer gets a synchronous load spike after every event, consumers
depend on its availability, and the state they read may already be newer than the event.
Carry the facts of the change (event-carried state transfer), or document why not.

Flags: an event whose payload has only identifiers and links (names ending in id, key, uuid,
url, href, link, ref).
Why: thin events re-introduce the synchronous coupling the event was meant to remove.
Source: the product brief; Martin Fowler, "What do you mean by Event-Driven?" (event
notification vs event-carried state transfer).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderId: {type: string}}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderId: {type: string}, total: {type: string, format: decimal}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import payload_root, properties_of, tokens

ID = "payload-notification-only"
DEFAULT_SEVERITY = "info"
CATEGORY = "payload"

_REFERENCE_WORDS = frozenset({"id", "ids", "key", "uuid", "url", "uri", "href", "link", "ref", "urn", "pk"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per event whose payload is nothing but references."""
    for message in model.messages:
        if message.kind != "event" or message.schema is None:
            continue
        node, path = payload_root(model, message)
        props = properties_of(node, message.schema)
        if props and all(tokens(n) and tokens(n)[-1] in _REFERENCE_WORDS for n in props):
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The event carries only references ({', '.join(list(props)[:5])}); consumers must "
                f"call back to learn what happened. Add the facts of the change to the payload.",
                path=f"{path}.properties",
            )
