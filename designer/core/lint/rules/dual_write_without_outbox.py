"""A service that writes its database and publishes uses an outbox or CDC.

Writing a row and then publishing a message are two separate systems: if the process dies in
between, or the broker is down, the database and the event stream disagree forever (an order
with no OrderPlaced, or an OrderPlaced for a rolled-back order). Write the message into an
outbox table in the same transaction and relay it, or publish from the database's change log
(CDC). Declare which with the service's ``outbox: outbox|cdc``.

Flags: a service with ``writes_database: true`` that produces messages and declares no outbox.
Why: dual writes lose or invent events on every crash between the two writes.
Source: the product brief; transactional outbox pattern (microservices.io).
Fails:
    version: 1
    services:
      - {name: order-service, writes_database: true}
    messages:
      - {name: OrderPlaced, producers: [order-service]}
Passes:
    version: 1
    services:
      - {name: order-service, writes_database: true, outbox: outbox}
    messages:
      - {name: OrderPlaced, producers: [order-service]}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "dual-write-without-outbox"
DEFAULT_SEVERITY = "warning"
CATEGORY = "reliability"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per database-writing producer without an outbox or CDC."""
    for service in model.services:
        if not service.writes_database or service.outbox.strip():
            continue
        produced = sorted({r.message for r in model.produced_by(service.name)
                           if (m := model.messages_by_name.get(r.message)) is None or m.kind != "query"})
        if produced:
            yield Finding(
                ID, DEFAULT_SEVERITY, "service", service.name,
                f"The service writes its database and publishes ({', '.join(produced[:3])}) with no "
                f"outbox; a crash between the two writes loses or invents events. Set outbox: "
                f"outbox (a table written in the same transaction and relayed) or outbox: cdc.",
                path="outbox",
            )
