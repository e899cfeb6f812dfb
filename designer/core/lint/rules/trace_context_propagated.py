"""Messages propagate W3C trace context (``traceparent``).

Distributed tracing only spans asynchronous hops if the producer copies the W3C
``traceparent`` (and optionally ``tracestate``) into the message and the consumer continues the
trace from it. With CloudEvents that is the distributed-tracing extension (declare
``traceparent`` under the message's ``x-headers``); with the brief or a custom envelope it is an
envelope property.

Flags: a message whose envelope or headers do not declare ``traceparent``.
Why: without it every trace stops at the broker, and latency across services cannot be seen.
Source: CloudEvents distributed tracing extension; W3C Trace Context.
Fails:
    version: 1
    envelope: {profile: cloudevents}
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderId: {type: string}}}
Passes:
    version: 1
    envelope: {profile: cloudevents}
    messages:
      - name: OrderPlaced
        x-headers: {type: object, properties: {traceparent: {type: string}}}
        schema: {type: object, properties: {orderId: {type: string}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import envelope_names, normalize

ID = "trace-context-propagated"
DEFAULT_SEVERITY = "info"
CATEGORY = "envelope"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per message that does not carry ``traceparent``."""
    cloudevents = model.envelope.profile == "cloudevents"
    for message in model.messages:
        if message.schema is None and not cloudevents:
            continue
        if "traceparent" in {normalize(n) for n in envelope_names(model, message)}:
            continue
        where = "under x-headers (CloudEvents distributed tracing)" if cloudevents else "to the envelope"
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"No 'traceparent' travels with this message; add it {where} and continue the trace "
            f"in consumers, so traces span the asynchronous hop.",
            path="headers.traceparent" if cloudevents else "schema.properties.traceparent",
        )
