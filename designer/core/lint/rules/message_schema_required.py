"""Every message declares a JSON Schema for its payload.

A message without a schema cannot be validated at the edge, generated into typed code, checked
for compatibility when it changes, or linted for privacy. The newest version of every message
needs one.

Flags: a message with no versions, or whose newest version has no schema.
Why: an undeclared payload is a contract nobody can check; consumers reverse-engineer it.
Source: EventCatalog linter (schema references); Zalando RESTful API Guidelines rule 195.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        description: An order was placed.
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderId: {type: string}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "message-schema-required"
DEFAULT_SEVERITY = "warning"
CATEGORY = "payload"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per message whose newest version has no schema."""
    for message in model.messages:
        if message.schema is None:
            version = message.latest.version if message.latest else ""
            where = f"version {version}" if version else "the message"
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"{where[0].upper()}{where[1:]} has no schema; declare a JSON Schema "
                f"(type: object with its properties) so it can be validated and generated.",
                path="schema",
            )
