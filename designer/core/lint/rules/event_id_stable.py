"""The event id is a non-empty string, ideally a UUID or ULID.

Consumers deduplicate on the event id, so it must be a string that is never empty and never
reused. Integer ids invite "auto-increment from the database" (not unique across producers,
reset on restore); an empty id deduplicates everything into one. The rule looks at the id
attribute of the team's profile: ``eventId`` (brief), ``eid`` (Zalando metadata) or the id of a
custom envelope; with CloudEvents the transport's ``id`` is a string by construction. It also
checks the message example's id value.

Flags: an id attribute whose schema is not ``type: string`` (or that allows an empty string
through ``maxLength: 0``), or an example whose id is empty or not a string.
Why: a stable, unique, non-empty id is what makes at-least-once delivery safe to consume.
Source: CloudEvents 1.0.2 ``id``; Zalando RESTful API Guidelines rule 211.
Fails:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            eventId: {type: integer, format: int64}
Passes:
    version: 1
    envelope: {profile: brief}
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            eventId: {type: string, format: uuid}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import JSON, Model
from designer.core.schema_walk import properties_of, resolve, types_of

ID = "event-id-stable"
DEFAULT_SEVERITY = "warning"
CATEGORY = "envelope"

# Names of the id attribute per profile, in the order they are looked for.
_ID_NAMES: tuple[str, ...] = ("eventId", "eid", "id", "event_id", "messageId")


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding when the id attribute's schema or example is not a non-empty string."""
    profile = model.envelope.profile
    if profile == "custom":
        env = model.envelope.schema
        name, node, path = _find_id(env, "envelope.schema")
        if node is not None:
            problem = _schema_problem(resolve(node, env))
            if problem:
                yield Finding(ID, DEFAULT_SEVERITY, "model", "", _message(name, problem), path=path)
        return
    if profile == "cloudevents":
        return
    for message in model.messages:
        schema = message.schema
        name, node, path = _find_id(schema, "schema")
        if node is None:
            continue
        problem = _schema_problem(resolve(node, schema))
        if problem:
            yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, _message(name, problem),
                          fix=Fix("set", path, {"type": "string", "format": "uuid"},
                                  f"Declare '{name}' as a UUID string"),
                          path=path)
        example = message.latest.example if message.latest else None
        if isinstance(example, dict) and name in example:
            value = example[name]
            if not isinstance(value, str) or not value.strip():
                yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name,
                              f"The example's '{name}' is {value!r}; use a non-empty string such as "
                              f"a UUID or ULID.", path=f"example.{name}")


def _find_id(schema: JSON, prefix: str) -> tuple[str, JSON, str]:
    top = properties_of(schema, schema)
    for name in _ID_NAMES:
        if name in top:
            return name, top[name], f"{prefix}.properties.{name}"
    meta = properties_of(top.get("metadata"), schema)
    if "eid" in meta:
        return "eid", meta["eid"], f"{prefix}.properties.metadata.properties.eid"
    return "", None, ""


def _schema_problem(node: JSON) -> str:
    if node is True or node == {}:
        return "has no type"
    types = types_of(node)
    if not types:
        return "has no type"
    if types != {"string"}:
        return f"is typed {'/'.join(sorted(types))}"
    if isinstance(node, dict) and node.get("maxLength") == 0:
        return "may only be empty (maxLength: 0)"
    return ""


def _message(name: str, problem: str) -> str:
    return (f"The event id '{name}' {problem}; declare it as a non-empty string "
            f"(type: string, format: uuid, or a ULID pattern) so consumers can deduplicate on it.")
