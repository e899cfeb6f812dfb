"""An event says when it happened, as an RFC 3339 date-time.

Consumers order, window and expire events by their occurrence time, so the envelope must carry
it and declare it as ``type: string, format: date-time`` (RFC 3339, with a zone offset). The
time attribute depends on the profile: ``timestamp`` (brief), ``occurred_at`` (Zalando
metadata), the time attribute of a custom envelope; CloudEvents' ``time`` is set by the
transport. Only events are checked: commands and queries are requests, not facts.

Flags: an event without an occurrence time attribute, or one not declared as a date-time string.
Why: an epoch number or a free-form string cannot be compared across producers and time zones.
Source: CloudEvents 1.0.2 ``time``; Zalando RESTful API Guidelines rule 169 (RFC 3339 dates).
Fails:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            eventId: {type: string}
            timestamp: {type: integer, format: int64}
Passes:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            eventId: {type: string}
            timestamp: {type: string, format: date-time}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import JSON, Model
from designer.core.schema_walk import properties_of, resolve, types_of

ID = "event-time-format"
DEFAULT_SEVERITY = "warning"
CATEGORY = "envelope"

_TIME_NAMES: tuple[str, ...] = ("timestamp", "occurred_at", "occurredAt", "time", "eventTime")
_DATE_TIME = {"type": "string", "format": "date-time"}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per event whose occurrence time is missing or not a date-time."""
    profile = model.envelope.profile
    if profile == "cloudevents":
        return
    if profile == "custom":
        env = model.envelope.schema
        if env is None:
            return  # envelope-required-attributes reports the missing envelope schema
        name, node, path = _find_time(env, "envelope.schema")
        problem = _problem(name, resolve(node, env) if node is not None else None)
        if problem:
            yield Finding(ID, DEFAULT_SEVERITY, "model", "", problem, path=path or "envelope.schema")
        return
    for message in model.messages:
        if message.kind != "event" or message.schema is None:
            continue
        name, node, path = _find_time(message.schema, "schema")
        problem = _problem(name, resolve(node, message.schema) if node is not None else None)
        if not problem:
            continue
        if node is None:
            fix = Fix("add-property", "timestamp", dict(_DATE_TIME), "Add a 'timestamp' date-time")
            path = "schema.properties.timestamp"
        else:
            fix = Fix("set", path, dict(_DATE_TIME), f"Declare '{name}' as a date-time string")
        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, problem, fix=fix, path=path)


def _find_time(schema: JSON, prefix: str) -> tuple[str, JSON, str]:
    top = properties_of(schema, schema)
    for name in _TIME_NAMES:
        if name in top:
            return name, top[name], f"{prefix}.properties.{name}"
    meta = properties_of(top.get("metadata"), schema)
    for name in _TIME_NAMES:
        if name in meta:
            return name, meta[name], f"{prefix}.properties.metadata.properties.{name}"
    return "", None, ""


def _problem(name: str, node: JSON) -> str:
    if node is None:
        return ("No occurrence time in the envelope; add 'timestamp' (type: string, format: "
                "date-time) so consumers can order and expire events.")
    if types_of(node) != {"string"} or not isinstance(node, dict) or node.get("format") != "date-time":
        return (f"The occurrence time '{name}' is not declared as an RFC 3339 date-time; set "
                f"type: string and format: date-time.")
    return ""
