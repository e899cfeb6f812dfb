"""Event names do not start with Before, After, Pre or Post.

``BeforeOrderPlaced`` or ``PostPaymentCapture`` describe when a hook runs, not what happened.
A message is published after its fact by definition, so name the fact itself
(``OrderPlaced``); if you need a step before it, name that step's own fact
(``OrderValidated``).

Flags: an event or command whose first word is Before, After, Pre or Post (also ``pre_``/
``post-`` spellings).
Why: temporal prefixes describe in-process hooks and leak the producer's implementation.
Source: .NET code analysis rule CA1713 ("Events should not have before or after prefix").

Fails:
    version: 1
    messages:
      - name: BeforeOrderPlaced
        kind: event
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.lint.rules import _names
from designer.core.model import Model
from designer.core.naming import parse_name

ID = "event-name-no-before-after"
DEFAULT_SEVERITY = "hint"
CATEGORY = "naming"
OPTIONS: dict[str, Any] = {"prefixes": ["before", "after", "pre", "post"]}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag events and commands named with a temporal prefix."""
    prefixes = {str(p).lower() for p in options.get("prefixes", OPTIONS["prefixes"])}
    for message in model.messages:
        if message.kind == "query" or not _names.judged(message):
            continue
        parsed = parse_name(message.name, message.kind)
        if len(parsed.core) < 2 or parsed.core[0].lower not in prefixes:
            continue
        first, second = parsed.core[0], parsed.core[1]
        rest = message.name[second.start:]
        suggestion = rest[:1].upper() + rest[1:] if first.text[:1].isupper() else rest
        rename, fix = _names.message_rename(message, suggestion)
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"{message.name!r} starts with {first.text!r}: name the fact itself ({suggestion!r}) "
            f"rather than a hook around it.{rename if fix is None else ''}", fix, "name",
        )
