"""Messages carry a correlation id (and ideally a causation id).

A business process spans many messages and services; a correlation id shared by all of them
(and a causation id pointing at the message that caused this one) is what lets you follow an
order through payment, stock and shipping in logs and in the live view. The rule looks at the
attributes the message carries outside its payload for the team's profile: headers / CloudEvents
extension attributes (``x-headers``), top-level envelope properties (brief), ``metadata``
(Zalando) or the custom envelope schema. Accepted names: correlationId, causationId, flowId,
flow_id, X-Flow-ID and their snake/lowercase forms.

Flags: a message whose envelope has neither a correlation, causation nor flow id.
Why: without it, one customer's journey cannot be reassembled from the messages it produced.
Source: CloudEvents correlation extension proposal; Zalando RESTful API Guidelines rule 247
(``flow_id`` in event metadata).
Fails:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties: {eventId: {type: string}, data: {type: object}}
Passes:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties: {eventId: {type: string}, correlationId: {type: string}, data: {type: object}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model
from designer.core.schema_walk import envelope_names, normalize

ID = "correlation-ids-present"
DEFAULT_SEVERITY = "warning"
CATEGORY = "envelope"
OPTIONS: dict[str, Any] = {
    "names": ["correlationId", "causationId", "flowId", "X-Flow-ID", "conversationId"],
}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per message with no correlation/causation/flow id in its envelope."""
    accepted = frozenset(normalize(str(n)) for n in options.get("names", OPTIONS["names"]))
    cloudevents = model.envelope.profile == "cloudevents"
    name = "correlationid" if cloudevents else "correlationId"
    for message in model.messages:
        if message.schema is None and not cloudevents:
            continue
        present = {normalize(n) for n in envelope_names(model, message)}
        if present & accepted:
            continue
        where = "a header (x-headers)" if cloudevents else "an envelope property"
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"No correlation id travels with this message; add '{name}' as {where} (and a "
            f"causation id) so one business process can be followed across services.",
            fix=None if cloudevents or model.envelope.profile != "brief" else Fix(
                "add-property", name, {"type": "string"}, f"Add '{name}' to the envelope"),
            path=f"headers.{name}" if cloudevents else f"schema.properties.{name}",
        )
