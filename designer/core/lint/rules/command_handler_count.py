"""A command has exactly one handler.

A command asks one service to do something; its handler owns the decision and the outcome.
With no handler the command is lost; with two, the work is done twice or raced (two payments,
two shipments). If several services must react, publish an event instead.

Flags: a command with no consuming (handling) service or with more than one.
Why: commands are point-to-point by definition; zero or many handlers is a design error.
Source: NServiceBus, "Messages, events and commands" (a command has exactly one handler).
Fails:
    version: 1
    messages:
      - name: ChargePayment
        kind: command
        producers: [order-service]
        consumers: [payment-service, billing-service]
Passes:
    version: 1
    messages:
      - name: ChargePayment
        kind: command
        producers: [order-service]
        consumers: [payment-service]
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "command-handler-count"
DEFAULT_SEVERITY = "error"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per command without exactly one handling service."""
    for message in model.messages:
        if message.kind != "command":
            continue
        handlers = sorted({r.service for r in model.consumers(message.name)})
        if not handlers:
            yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name,
                          "No service handles this command; declare its one handler as a consumer.",
                          path="consumers")
        elif len(handlers) > 1:
            yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name,
                          f"Handled by {len(handlers)} services ({', '.join(handlers[:5])}); a "
                          f"command has exactly one handler. Keep one, or publish an event that "
                          f"all of them consume.",
                          path="consumers")
