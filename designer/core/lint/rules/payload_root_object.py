"""A payload (and its headers) is a JSON object at the root.

An object root can grow: adding a property later is compatible. A bare string, number or array
cannot be extended without breaking every consumer. A schema whose root declares no type but
has ``properties`` still accepts arrays and strings, so it is flagged too, with the fix of
declaring ``type: object``. With the ``brief`` profile the ``data`` member is checked as well.
Headers (``x-headers``) must be an object of named attributes.

Flags: a message schema, its ``data`` (brief profile) or its headers schema whose root is not
``type: object``.
Why: evolving a non-object payload always breaks readers.
Source: Zalando RESTful API Guidelines rule 110; Spectral AsyncAPI ruleset (payload/headers).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: array, items: {type: string}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderIds: {type: array, items: {type: string}}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.jsonvalue import KIND_PHRASES, json_kind
from designer.core.lint.finding import Finding, Fix
from designer.core.model import JSON, Model
from designer.core.schema_walk import headers_schema, properties_of, resolve, types_of

ID = "payload-root-object"
DEFAULT_SEVERITY = "error"
CATEGORY = "payload"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per payload, data or headers root that is not an object."""
    for message in model.messages:
        schema = message.schema
        if schema is not None:
            yield from _check(message.kind, message.name, resolve(schema, schema), "schema", "payload")
            if model.envelope.profile == "brief":
                data = properties_of(schema, schema).get("data")
                if data is not None:
                    yield from _check(message.kind, message.name, resolve(data, schema),
                                      "schema.properties.data", "envelope's data")
        headers = headers_schema(message)
        if headers is not None:
            yield from _check(message.kind, message.name, resolve(headers, headers), "headers", "headers")


def _check(kind: str, element: str, node: JSON, path: str, what: str) -> Iterator[Finding]:
    types = types_of(node)
    if types and types <= {"object", "null"} and "object" in types:
        return
    if not isinstance(node, dict):
        described = f"the boolean schema {node!r}" if isinstance(node, bool) else KIND_PHRASES.get(json_kind(node), "not JSON")
    elif types:
        described = f"typed {'/'.join(sorted(types))}"
    else:
        described = "not typed"
    fix = None
    if isinstance(node, dict) and not types and isinstance(node.get("properties"), dict):
        fix = Fix("set", f"{path}.type", "object", "Declare type: object")
    yield Finding(
        ID, DEFAULT_SEVERITY, kind, element,
        f"The {what} root is {described}; make it type: object and put values in named "
        f"properties, so new fields can be added later without breaking readers.",
        fix=fix, path=path,
    )
