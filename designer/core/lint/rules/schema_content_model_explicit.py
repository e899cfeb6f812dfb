"""The payload's content model (open or closed) fits its compatibility mode.

Whether an object allows unknown properties decides which changes stay compatible (Confluent
Schema Registry's JSON Schema rules): readers of a *closed* model (``additionalProperties:
false``) reject any property they do not know, so under FORWARD (old readers, new data — the
default for events) no property can ever be added; readers of an *open* model accept anything,
so under BACKWARD (new readers, old data) adding a property is breaking, because old data may
already carry that name with another type. FULL needs both, so the choice must at least be
explicit. The mode is the newest version's ``compat`` or the team's default for the kind.

Flags: FORWARD(_TRANSITIVE) with a closed payload; BACKWARD(_TRANSITIVE) with an open payload
(``additionalProperties`` absent or true); FULL(_TRANSITIVE) without an explicit choice.
Why: the conflict makes the next additive change a breaking one, discovered at registration.
Source: Zalando RESTful API Guidelines rule 210; Confluent Schema Registry JSON Schema
compatibility (open and closed content models).
Fails:
    version: 1
    compatibility: {event: FORWARD}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          additionalProperties: false
          properties: {orderId: {type: string}}
Passes:
    version: 1
    compatibility: {event: FORWARD}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties: {orderId: {type: string}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model
from designer.core.schema_walk import is_object, payload_root

ID = "schema-content-model-explicit"
DEFAULT_SEVERITY = "warning"
CATEGORY = "payload"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per message whose open/closed payload conflicts with its mode."""
    for message in model.messages:
        latest = message.latest
        if latest is None or latest.schema is None:
            continue
        mode = (latest.compat or model.default_compat.get(message.kind, "")).upper()
        node, path = payload_root(model, message)
        if not is_object(node) or not mode or mode == "NONE":
            continue
        closed = node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False
        declared = "additionalProperties" in node or "unevaluatedProperties" in node
        if mode.startswith("FORWARD") and closed:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The payload is closed (additionalProperties: false) but the mode is {mode}: old "
                f"readers would reject any property you add. Remove additionalProperties: false "
                f"(open model) or change the mode to BACKWARD.",
                fix=Fix("set", f"{path}.additionalProperties", True, "Open the content model"),
                path=f"{path}.additionalProperties",
            )
        elif mode.startswith("BACKWARD") and not closed:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The payload is open (additionalProperties {'true' if declared else 'not set'}) but "
                f"the mode is {mode}: adding a property is then a breaking change. Declare "
                f"additionalProperties: false (closed model) to add optional properties safely.",
                fix=Fix("set", f"{path}.additionalProperties", False, "Close the content model"),
                path=f"{path}.additionalProperties",
            )
        elif mode.startswith("FULL") and not declared:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The mode is {mode} but the payload does not say whether it is open or closed; "
                f"declare additionalProperties explicitly (false allows adding optional properties "
                f"only for new readers; true only for old readers).",
                path=f"{path}.additionalProperties",
            )
