"""Event names say what happened, with the head verb in the past tense.

An event is a fact: something that already happened and that nobody can refuse. Its name
carries a past form (``OrderPlaced``, ``PaymentSent``, ``FundsWithdrawn``, ``PasswordReset``).
The head verb is the last past-form word (``ItemAddedToCart`` -> Added); namespaces
(``com.acme.``), versions (``.v2``) and trailing particles (``CheckedOut``) are ignored, and
both ``Cancelled`` and ``Canceled`` are fine. Names that read as an order (``SendEmail``) are
left to event-name-command-shaped.

Flags: an event whose head verb is a base verb (OrderCancel), a gerund (OrderProcessing), a
present tense (UserRegisters), a nominalisation (OrderCreation) or missing. A rename to the
past form is offered when it is unambiguous.
Why: consumers must be able to tell facts from requests; a past-tense name says the change is
done and can be relied upon.
Source: NServiceBus "messages, events and commands"; Greg Young, CQRS Documents; Zalando
RESTful API Guidelines rule 213.

Fails:
    version: 1
    messages:
      - name: OrderCancel
        kind: event
Passes:
    version: 1
    messages:
      - name: OrderCancelled
        kind: event
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.lint.rules import _names
from designer.core.model import Model
from designer.core.naming import event_tense

ID = "event-name-past-tense"
DEFAULT_SEVERITY = "warning"
CATEGORY = "naming"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag events whose name has no past-form head verb."""
    for message in model.messages:
        if message.kind != "event" or not _names.judged(message):
            continue
        verdict = event_tense(message.name)
        if verdict.ok or verdict.shape == "imperative":
            continue
        fix = None
        text = f"Event {message.name!r}: {verdict.reason}."
        if verdict.suggestion:
            rename, fix = _names.message_rename(message, verdict.suggestion)
            text += rename
        else:
            text += " Name the fact in the past tense, e.g. <Entity><PastVerb> (OrderShipped)."
        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, text, fix, "name")
