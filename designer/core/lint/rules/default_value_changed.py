"""A schema `default` is not changed or removed between versions.

Readers fill in the ``default`` when a field is absent. Changing it changes the meaning of every
old message that omitted the field, without any reader noticing: the payload validates, the
value is different. Adding a default where there was none is not flagged.

Flags: a property (or any sub-schema) whose ``default`` differs from, or is missing compared
with, the previous version.
Why: the change is invisible to schema checks yet alters the data consumers act on.
Source: Zalando RESTful API Guidelines rule 209 (compatible extension of events).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            compat: FORWARD
            schema: {type: object, properties: {currency: {type: string, default: EUR}}}
            example: {currency: EUR}
          - version: 1.1.0
            compat: FORWARD
            schema: {type: object, properties: {currency: {type: string, default: USD}}}
            example: {currency: USD}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            compat: FORWARD
            schema: {type: object, properties: {currency: {type: string, default: EUR}}}
            example: {currency: EUR}
          - version: 1.1.0
            compat: FORWARD
            schema:
              type: object
              properties: {currency: {type: string, default: EUR}, note: {type: string}}
            example: {currency: EUR}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core import compat
from designer.core.lint.finding import Finding
from designer.core.lint.rules._evolution import node_at, pairs, version_path
from designer.core.model import Model

ID = "default-value-changed"
DEFAULT_SEVERITY = "warning"
CATEGORY = "evolution"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding for each default changed or removed from one version to the next."""
    for message in model.messages:
        for prev, cur in pairs(message):
            for change in compat.diff(prev.schema, cur.schema):
                if change.kind != "default-changed":
                    continue
                owner = change.path.removesuffix("default").rstrip(".")
                old_node = node_at(prev.schema, owner)
                if not isinstance(old_node, dict) or "default" not in old_node:
                    continue  # a default added where none was: old messages keep their meaning
                new_node = node_at(cur.schema, owner)
                removed = not isinstance(new_node, dict) or "default" not in new_node
                what = "was removed" if removed else f"changed from {change.old!r} to {change.new!r}"
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"The default of {owner or 'the payload'} {what} in version {cur.version}: old "
                    f"messages that omitted it now mean something else. Keep the default "
                    f"{change.old!r}, and add a new field if the new default is needed.",
                    path=version_path(cur, "schema", change.path),
                )
