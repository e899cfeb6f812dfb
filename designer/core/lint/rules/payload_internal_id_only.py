"""Payloads expose business keys, not only database internals.

A payload whose only identifiers are storage internals (``pk``, ``row_id``, ``db_id``, an
auto-increment integer ``id``) leaks the producer's database into every consumer: the keys
change on migration or restore, mean nothing to other teams, and cannot be looked up anywhere
else. Give the entity a stable business or public id (``orderId`` as a UUID, ``orderNumber``).

Flags: a payload with internal keys and no business identifier beside them.
Why: consumers couple to the producer's storage and break on its next migration.
Source: the product brief; Zalando RESTful API Guidelines rule 205 (stable, non-internal ids).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {pk: {type: integer, format: int64}}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderId: {type: string, format: uuid}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.schema_walk import normalize, payload_root, properties_of, resolve, tokens, types_of

ID = "payload-internal-id-only"
DEFAULT_SEVERITY = "info"
CATEGORY = "payload"
OPTIONS: dict[str, Any] = {
    "internal_keys": ["pk", "row_id", "rowid", "db_id", "dbid", "oid", "serial", "auto_id",
                      "sequence_id", "seq_id", "internal_id", "surrogate_key"],
}
_BUSINESS_WORDS = frozenset({"id", "number", "key", "uuid", "sku", "code", "reference", "ref", "urn", "no"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per payload whose identifiers are all storage internals."""
    internal = frozenset(normalize(str(k)) for k in options.get("internal_keys", OPTIONS["internal_keys"]))
    for message in model.messages:
        if message.schema is None:
            continue
        node, path = payload_root(model, message)
        props = properties_of(node, message.schema)
        found: list[str] = []
        business = False
        for name, sub in props.items():
            norm = normalize(name)
            if norm in internal or norm.endswith("pk") and len(tokens(name)) > 1 and tokens(name)[-1] == "pk":
                found.append(name)
            elif norm == "id" and types_of(resolve(sub, message.schema)) & {"integer"}:
                found.append(name)  # an integer "id" is almost always an auto-increment column
            elif tokens(name) and tokens(name)[-1] in _BUSINESS_WORDS:
                business = True
        if found and not business:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The only identifiers are internal database keys ({', '.join(found)}); publish a "
                f"stable business id (e.g. a UUID or order number) that other teams can use.",
                path=f"{path}.properties.{found[0]}",
            )
