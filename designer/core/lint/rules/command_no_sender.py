"""A handled command has a sender.

A command that some service handles but no service sends is either dead code in the handler
or a sender missing from the model (a UI, a scheduler, another team's service). Declare it, so
the handler's owner knows whom a change affects.

Flags: a command with a handler and no producing (sending) service.
Why: an undeclared sender is an undeclared dependency on the command's contract.
Source: the model's own completeness (a command needs both ends).
Fails:
    version: 1
    messages:
      - name: ChargePayment
        kind: command
        consumers: [payment-service]
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

ID = "command-no-sender"
DEFAULT_SEVERITY = "info"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per handled command that no service sends."""
    for message in model.messages:
        if message.kind == "command" and model.consumers(message.name) and not model.producers(message.name):
            yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name,
                          "Handled but never sent; declare the service (or UI/scheduler) that sends "
                          "it as a producer, or remove the command.",
                          path="producers")
