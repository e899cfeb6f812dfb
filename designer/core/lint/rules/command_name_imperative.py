"""Command names start with a verb in the base form, telling one handler what to do.

A command is a request that its single handler may refuse: ``PlaceOrder``, ``ProcessPayment``,
``ResetPassword``. The first word is the imperative verb. Verbs whose past is spelled like the
base (reset, set, put) are decided by position: first means imperative.

Flags: a command named in the past tense (OrderPlaced -> PlaceOrder), with its verb last
(PaymentProcess -> ProcessPayment), with an inflected verb (SendingEmail) or with no verb. A
participle in the object is fine (RetryFailedPayments, PurchaseReservedOffering), and so is a
wire name written ``entity.action`` (``order.create``, ``admin.users.invite``): its action is
judged (``order.created`` -> ``order.create``).
Why: a command reads as an order to one handler; a past-tense command looks like an event and
invites several consumers to act on it.
Source: Greg Young, CQRS Documents; NServiceBus "messages, events and commands".

Fails:
    version: 1
    messages:
      - name: PaymentProcess
        kind: command
Passes:
    version: 1
    messages:
      - name: ProcessPayment
        kind: command
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.lint.rules import _names
from designer.core.model import Model
from designer.core.naming import command_mood

ID = "command-name-imperative"
DEFAULT_SEVERITY = "warning"
CATEGORY = "naming"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag commands that do not start with a base-form verb."""
    for message in model.messages:
        if message.kind != "command" or not _names.judged(message):
            continue
        verdict = command_mood(message.name)
        if verdict.ok:
            continue
        fix = None
        text = f"Command {message.name!r}: {verdict.reason}."
        if verdict.suggestion:
            rename, fix = _names.message_rename(message, verdict.suggestion)
            text += rename
        else:
            text += " Start with the action, e.g. <Verb><Entity> (PlaceOrder)."
        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, text, fix, "name")
