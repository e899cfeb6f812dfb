"""Consumers are not pinned to a deprecated message version.

A consumer that declares it reads version 1.2 of a message whose 1.2 is deprecated will break
when that version is retired; the owner needs the consumer to move first. A pin to a version
that does not exist at all is reported too, since it cannot be honoured.

Flags: a consumer relation whose ``version`` names a deprecated (or unknown) version.
Why: deprecations only finish when every consumer has moved; this lists who has not.
Source: EventCatalog linter (deprecated references).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [{service: payment-service, version: 1.0.0}]
        versions:
          - {version: 1.0.0, status: deprecated, schema: {type: object}}
          - {version: 2.0.0, status: released, schema: {type: object}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [{service: payment-service, version: 2.0.0}]
        versions:
          - {version: 1.0.0, status: deprecated, schema: {type: object}}
          - {version: 2.0.0, status: released, schema: {type: object}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model

ID = "deprecated-reference"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per consumer pinned to a deprecated or unknown version."""
    for message in model.messages:
        statuses = {v.version: v.status for v in message.versions}
        current = [v.version for v in message.versions if v.status != "deprecated"]
        target = current[-1] if current else ""
        for r in model.consumers(message.name):
            if not r.version:
                continue
            status = statuses.get(r.version)
            if status == "deprecated":
                move = f"move it to {target}" if target else "move it to a supported version"
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"'{r.service}' is pinned to deprecated version {r.version}; {move} before the "
                    f"version is retired.",
                    fix=Fix("set", f"consumers.{r.service}.version", target,
                            f"Pin {r.service} to {target}") if target else None,
                    path=f"consumers.{r.service}",
                )
            elif status is None:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"'{r.service}' is pinned to version {r.version}, which does not exist; pin it "
                    f"to one of {', '.join(statuses) or 'the declared versions'}.",
                    path=f"consumers.{r.service}",
                )
