"""Every message version declares the compatibility mode its schema evolves under.

A schema registry judges each new version by a compatibility mode: BACKWARD (consumers upgrade
first), FORWARD (producers upgrade first), FULL (either order), their transitive variants, or
NONE. Without a mode nobody knows which changes are safe, and NONE promises consumers nothing.
A version's ``compat`` wins; otherwise the team default for the message's kind applies
(``compatibility:`` in the model file).

Flags: a message whose newest version has no mode (neither its own ``compat`` nor a team
default for its kind) or whose mode is NONE.
Why: events have one writer and many readers, so FORWARD lets the producer evolve without
waiting for every consumer; a command has one handler, upgraded first, so BACKWARD fits.
Source: Zalando RESTful API Guidelines rule 245; Confluent Schema Registry compatibility types.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            status: released
            compat: NONE
            schema: {type: object, properties: {orderId: {type: string}}}
            example: {orderId: o-1}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            status: released
            compat: FORWARD
            schema: {type: object, properties: {orderId: {type: string}}}
            example: {orderId: o-1}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.lint.rules._evolution import declared_mode, version_path
from designer.core.model import Model

ID = "compat-mode-declared"
DEFAULT_SEVERITY = "warning"
CATEGORY = "evolution"

# One writer, many readers -> FORWARD; one handler/responder upgraded first -> BACKWARD.
_SUGGESTED = {"event": "FORWARD", "command": "BACKWARD", "query": "BACKWARD"}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding for each message whose newest version has no mode, or NONE."""
    for message in model.messages:
        latest = message.latest
        if latest is None:
            continue
        mode = declared_mode(model, message, latest)
        if mode and mode != "NONE":
            continue
        suggested = _SUGGESTED.get(message.kind, "FULL")
        what = "declares compatibility NONE" if mode == "NONE" else "declares no compatibility mode"
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"Version {latest.version} {what}, so no change to its schema is checked. Declare "
            f"compat: {suggested} (for a {message.kind}: "
            f"{'one writer, many readers' if message.kind == 'event' else 'its handler upgrades first'}"
            f"), or set a team default under 'compatibility'.",
            fix=Fix("set", "compat", suggested, f"Declare compat: {suggested}"),
            path=version_path(latest, "compat"),
        )
