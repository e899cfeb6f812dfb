"""Published enums are open: readers must tolerate values added later.

An ``enum`` on an event property is a closed list: a consumer generated from today's schema
rejects (or crashes on) tomorrow's new value, so the producer can never add one without
breaking every reader. Declare the known values as ``x-extensible-enum`` (Zalando) and handle
unknown values in consumers, or keep ``enum`` only where the set truly cannot grow.

Flags: an ``enum`` with more than one value on a property of an event's payload.
Why: adding an enum value is a breaking change for readers of the old schema.
Source: Zalando RESTful API Guidelines rule 112 (extensible enums); Avro schema resolution
(unknown enum symbols fail unless a default is given).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            status: {type: string, enum: [new, paid]}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            status: {type: string, x-extensible-enum: [new, paid]}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import payload_props

ID = "enum-closed-on-event"
DEFAULT_SEVERITY = "info"
CATEGORY = "payload"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per closed enum on an event payload property."""
    for message in model.messages:
        if message.kind != "event" or message.schema is None:
            continue
        for prop in payload_props(model, message):
            values = prop.schema.get("enum")
            if isinstance(values, list) and len(values) > 1:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"'{prop.name}' is a closed enum ({len(values)} values); adding a value later "
                    f"breaks readers. Use x-extensible-enum and make consumers tolerate unknown "
                    f"values.",
                    path=prop.path,
                )
