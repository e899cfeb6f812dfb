"""Every message carries the attributes its team's envelope profile requires.

The envelope is what lets any consumer deduplicate, order, route and trace a message without
reading its payload. Which attributes are required depends on the team's profile:
``cloudevents`` (id, source, specversion, type: carried by the transport, so complete by
construction unless a declared header redefines one of them), ``brief`` (the message schema is
the whole envelope: eventId, timestamp, source, version and data) or ``custom`` (the team's
envelope schema must declare an id, an occurrence time, a source and a type or version). The
option ``profile: zalando`` additionally requires Zalando's ``eid`` and ``occurred_at`` (at the
top level or under ``metadata``).

Flags: a message (or the custom envelope) missing a required attribute; the finding names it.
Why: without an id consumers cannot deduplicate, without a time they cannot order or expire,
without a source/type they cannot route; each missing field is a gap in every consumer.
Source: the product brief's envelope, CloudEvents 1.0.2 required context attributes, Zalando
RESTful API Guidelines rule 247 (event metadata).
Fails:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            eventId: {type: string}
            data: {type: object, properties: {orderId: {type: string}}}
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
            source: {type: string}
            version: {type: string}
            data: {type: object, properties: {orderId: {type: string}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model
from designer.core.schema_walk import (
    BRIEF_REQUIRED,
    CLOUDEVENTS_REQUIRED,
    ZALANDO_REQUIRED,
    headers_schema,
    properties_of,
)

ID = "envelope-required-attributes"
DEFAULT_SEVERITY = "error"
CATEGORY = "envelope"
# profile: "" uses the team's envelope profile; "zalando" also requires eid and occurred_at.
OPTIONS: dict[str, Any] = {"profile": ""}

# What a schema property for each required attribute should look like (used for the fix).
_ATTRIBUTE_SCHEMAS: dict[str, dict[str, Any]] = {
    "eventId": {"type": "string", "minLength": 1},
    "timestamp": {"type": "string", "format": "date-time"},
    "source": {"type": "string", "minLength": 1},
    "version": {"type": "string"},
    "data": {"type": "object"},
    "eid": {"type": "string", "format": "uuid"},
    "occurred_at": {"type": "string", "format": "date-time"},
}
# For a custom envelope: each concept and the names that satisfy it.
_CUSTOM_CONCEPTS: dict[str, tuple[str, ...]] = {
    "an id": ("id", "eventId", "event_id", "eid", "messageId", "message_id"),
    "an occurrence time": ("time", "timestamp", "occurred_at", "occurredAt", "eventTime"),
    "a source": ("source", "producer", "origin", "publisher"),
    "a type or version": ("type", "eventType", "event_type", "version", "specversion", "schemaVersion"),
}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield one finding per missing required envelope attribute."""
    profile = model.envelope.profile
    if profile == "custom":
        yield from _check_custom(model)
    for message in model.messages:
        kind = message.kind
        schema = message.schema
        if profile == "cloudevents":
            headers = properties_of(headers_schema(message), headers_schema(message))
            for name in CLOUDEVENTS_REQUIRED:
                if name in headers:
                    yield Finding(
                        ID, DEFAULT_SEVERITY, kind, message.name,
                        f"The header '{name}' clashes with the CloudEvents '{name}' attribute the "
                        f"transport sets; rename the header or drop it.",
                        path=f"headers.{name}",
                    )
        elif profile == "brief" and schema is not None:
            top = properties_of(schema, schema)
            for name in BRIEF_REQUIRED:
                if name not in top:
                    yield _missing(kind, message.name, name, "the brief envelope")
        if options.get("profile") == "zalando" and schema is not None:
            top = properties_of(schema, schema)
            meta = properties_of(top.get("metadata"), schema)
            for name in ZALANDO_REQUIRED:
                if name not in top and name not in meta:
                    yield _missing(kind, message.name, name, "Zalando event metadata")


def _missing(kind: str, element: str, name: str, profile: str) -> Finding:
    return Finding(
        ID, DEFAULT_SEVERITY, kind, element,
        f"The message schema lacks '{name}', required by {profile}; add the property "
        f"'{name}' ({_ATTRIBUTE_SCHEMAS[name]}) and list it in 'required'.",
        fix=Fix("add-property", name, dict(_ATTRIBUTE_SCHEMAS[name]),
                f"Add the envelope attribute '{name}'"),
        path=f"schema.properties.{name}",
    )


def _check_custom(model: Model) -> Iterator[Finding]:
    env = model.envelope.schema
    if env is None:
        yield Finding(ID, DEFAULT_SEVERITY, "model", "",
                      "The envelope profile is 'custom' but no envelope schema is declared; add "
                      "envelope.schema or choose the 'cloudevents' or 'brief' profile.",
                      path="envelope.schema")
        return
    top = properties_of(env, env)
    names = set(top) | set(properties_of(top.get("metadata"), env))
    for concept, candidates in _CUSTOM_CONCEPTS.items():
        if not names.intersection(candidates):
            yield Finding(ID, DEFAULT_SEVERITY, "model", "",
                          f"The custom envelope schema has no {concept} attribute; add one of "
                          f"{', '.join(candidates[:3])}.",
                          path=f"envelope.schema.{concept.split()[-1]}")
