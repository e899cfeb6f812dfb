"""Message names are unique even when casing and separators are ignored.

``OrderPlaced``, ``order_placed`` and ``ORDER-PLACED`` are the same name to a person, to a
case-insensitive file system and to most code generators (which would emit two classes with
one name). Every message after the first with the same normalised name is flagged.

Flags: two messages whose names are equal after splitting into words and lower-casing them.
Why: duplicate names make references ambiguous and generated code fail to compile.
Source: Spectral AsyncAPI ruleset (unique ids); EventCatalog linter.

Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
      - name: order_placed
        kind: event
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
      - name: OrderShipped
        kind: event
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.naming import normalise

ID = "message-name-unique"
DEFAULT_SEVERITY = "error"
CATEGORY = "naming"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas  # a name clashes with another message: needs every message


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag each message whose normalised name was already taken by an earlier one."""
    first: dict[str, str] = {}
    for message in model.messages:
        key = normalise(message.name) or message.name
        other = first.get(key)
        if other is None:
            first[key] = message.name
            continue
        same = "the same name as" if other == message.name else "the same name, ignoring case, as"
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"Message {message.name!r} has {same} {other!r}: rename one of them or merge them.",
            None, "name",
        )
