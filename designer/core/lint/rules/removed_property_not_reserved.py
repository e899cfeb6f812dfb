"""A property removed from a message schema keeps its name reserved.

Once a property has been published, old messages carrying it live on in topics, replays and
dead-letter queues. If its name is later reused with another type, readers mix the two meanings.
Reserve removed names in the object that held them with ``x-reserved: [name, ...]`` (a list of
names that must not come back), and never bring a name back with a different type.

Flags: a property present in an earlier version and absent from the newest without being listed
in the enclosing object's ``x-reserved``; a property removed and later re-added with a new type.
Why: a reused name silently reinterprets old data (protobuf and buf require ``reserved``).
Source: buf breaking rules (FIELD_NO_DELETE_UNLESS_NAME_RESERVED); Confluent Schema Registry
(PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            compat: BACKWARD
            schema: {type: object, properties: {orderId: {type: string}, coupon: {type: string}}}
            example: {orderId: o-1}
          - version: 1.1.0
            compat: BACKWARD
            schema: {type: object, properties: {orderId: {type: string}}}
            example: {orderId: o-1}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            compat: BACKWARD
            schema: {type: object, properties: {orderId: {type: string}, coupon: {type: string}}}
            example: {orderId: o-1}
          - version: 1.1.0
            compat: BACKWARD
            schema: {type: object, properties: {orderId: {type: string}}, x-reserved: [coupon]}
            example: {orderId: o-1}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core import compat
from designer.core.jsonvalue import resolve_pointer
from designer.core.lint.finding import Finding, Fix
from designer.core.lint.rules._evolution import node_at, pairs, version_path, with_schema
from designer.core.model import JSON, Model

ID = "removed-property-not-reserved"
DEFAULT_SEVERITY = "warning"
CATEGORY = "evolution"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per removed property left unreserved or re-added with a new type."""
    for message in model.messages:
        versions = with_schema(message)
        if len(versions) < 2:
            continue
        latest = versions[-1]
        removed: dict[str, tuple[str, JSON]] = {}  # path -> (version it was removed in, old schema)
        for prev, cur in pairs(message):
            for change in compat.diff(prev.schema, cur.schema):
                if change.kind == "property-removed":
                    removed[change.path] = (cur.version, change.old)
                elif change.kind == "property-added" and change.path in removed:
                    gone_in, old_schema = removed.pop(change.path)
                    if _type_of(prev.schema, old_schema) != _type_of(cur.schema, change.new):
                        yield Finding(
                            ID, DEFAULT_SEVERITY, message.kind, message.name,
                            f"{_name(change.path)!r} was removed in {gone_in} and comes back in "
                            f"{cur.version} with another type: old messages carrying it will be "
                            f"misread. Use a new property name and reserve the old one.",
                            path=version_path(cur, "schema", change.path),
                        )
        for path, (gone_in, _) in removed.items():
            name = _name(path)
            parent_path = path.rsplit(".properties.", 1)[0] if ".properties." in path else ""
            parent = node_at(latest.schema, parent_path)
            reserved = parent.get("x-reserved") if isinstance(parent, dict) else None
            if isinstance(reserved, list) and name in reserved:
                continue
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"{name!r} was removed in version {gone_in} without reserving its name; add it to "
                f"x-reserved so it is never reused with another meaning.",
                fix=Fix("set", _join(parent_path, "x-reserved"),
                        [*(reserved if isinstance(reserved, list) else []), name],
                        f"Reserve the name {name!r}"),
                path=version_path(latest, "schema", path),
            )


def _name(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _join(a: str, b: str) -> str:
    return f"{a}.{b}" if a else b


def _type_of(root: JSON, schema: JSON) -> Any:
    node = schema
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        node = resolve_pointer(root, node["$ref"])
    return node.get("type") if isinstance(node, dict) else None
