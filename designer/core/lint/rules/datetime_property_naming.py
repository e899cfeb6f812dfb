"""A date-time property says so in its name (``createdAt``, not ``created``).

A property named ``created`` or ``expires`` could be a boolean, a user or a time; the reader
must open the schema to know. Name date-time properties with a time suffix: ``…At`` /
``…_at`` (Zalando), ``…Time``, ``…Timestamp`` or ``…Date``.

Flags: a property with ``format: date-time`` (or ``date``) whose last word is not at, time,
timestamp, date, datetime, on, since, until or from.
Why: names that hide their type cause wrong parsing and boolean/time confusion in consumers.
Source: Zalando RESTful API Guidelines rule 235 (date and time property names end with _at).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {created: {type: string, format: date-time}}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {createdAt: {type: string, format: date-time}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import all_props, tokens

ID = "datetime-property-naming"
DEFAULT_SEVERITY = "info"
CATEGORY = "payload"

_TIME_WORDS = frozenset({"at", "time", "timestamp", "date", "datetime", "on", "since", "until",
                         "from", "to", "ts", "day", "dob", "birthday", "deadline", "start", "end"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per date-time property whose name does not show it is a time."""
    for message in model.messages:
        for prop in all_props(model, message):
            if prop.schema.get("format") not in ("date-time", "date"):
                continue
            words = tokens(prop.name)
            if not words or words[-1] in _TIME_WORDS:
                continue
            suggestion = prop.name + ("_at" if "_" in prop.name else "At")
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"'{prop.name}' is a date-time but its name does not say so; rename it to "
                f"'{suggestion}' (or end it with Time/Date).",
                path=prop.path,
            )
