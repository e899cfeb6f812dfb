"""Event names state a fact, not an order to someone.

An event named like an instruction (``SendEmail``, ``ResetPassword``, ``PlaceOrder``) is usually
a command in disguise: the producer expects one particular consumer to do something. Name the
fact that happened instead, object first and participle last (``EmailSent``,
``PasswordReset``), or model it as a command with one handler.

Flags: an event that starts with an imperative verb followed by its object; suggests object +
past participle.
Why: events that are disguised commands couple the producer to a consumer's behaviour, which is
the coupling events exist to remove.
Source: Martin Fowler, "What do you mean by Event-Driven?"; AWS EventBridge event naming
guidance.

Fails:
    version: 1
    messages:
      - name: SendEmail
        kind: event
Passes:
    version: 1
    messages:
      - name: EmailSent
        kind: event
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.lint.rules import _names
from designer.core.model import Model
from designer.core.naming import event_tense

ID = "event-name-command-shaped"
DEFAULT_SEVERITY = "warning"
CATEGORY = "naming"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag events whose names read as imperatives."""
    for message in model.messages:
        if message.kind != "event" or not _names.judged(message):
            continue
        verdict = event_tense(message.name)
        if verdict.shape != "imperative":
            continue
        rename, fix = _names.message_rename(message, verdict.suggestion) if verdict.suggestion else ("", None)
        text = (f"Event {message.name!r} reads as an order ({verdict.head} ...), not as a fact."
                f"{rename} Or make it a command with one handler.")
        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, text, fix, "name")
