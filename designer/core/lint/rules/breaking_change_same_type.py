"""An incompatible schema change comes with a new wire type, published in parallel.

CloudEvents advises that a consumer must be able to tell incompatible payloads apart by the
event ``type``: when a version breaks compatibility, publish it under a new type (for example
``order.placed.v2``) alongside the old one until every consumer has moved, instead of changing
what ``order.placed`` means. The wire type counts as versioned when it ends with the new major
number (``.v2``, ``-v2``, ``_v2``, ``V2``). When the declared mode is NONE or missing, a change
that breaks either direction (FULL) counts as incompatible.

Flags: a version that breaks compatibility with the previous version while the message's wire
type (or its name, when no type is declared) does not carry the new major version.
Why: consumers route and deserialize by type; one type with two incompatible shapes forces every
consumer to upgrade in lock-step with the producer.
Source: CloudEvents primer (versioning of CloudEvents); Zalando RESTful API Guidelines rule 246.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        type: order.placed
        versions:
          - version: 1.0.0
            compat: FORWARD
            schema: {type: object, properties: {total: {type: integer}}}
            example: {total: 3}
          - version: 2.0.0
            compat: FORWARD
            schema: {type: object, properties: {total: {type: string}}}
            example: {total: "3"}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        type: order.placed.v2
        versions:
          - version: 1.0.0
            compat: FORWARD
            schema: {type: object, properties: {total: {type: integer}}}
            example: {total: 3}
          - version: 2.0.0
            compat: FORWARD
            schema: {type: object, properties: {total: {type: string}}}
            example: {total: "3"}
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core import compat
from designer.core.lint.finding import Finding
from designer.core.lint.rules._evolution import effective_mode, pairs, version_path
from designer.core.model import Model

ID = "breaking-change-same-type"
DEFAULT_SEVERITY = "warning"
CATEGORY = "evolution"

_VERSION_SUFFIX = re.compile(r"(?:[._-]v|V)(\d+)$")


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding for each breaking version whose wire type lacks its new major number."""
    for message in model.messages:
        wire = message.type or message.name
        for prev, cur in pairs(message):
            mode = effective_mode(model, message, cur)
            if compat.check(prev.schema, cur.schema, mode).compatible:
                continue
            parsed = compat.parse_version(cur.version)
            major = parsed[0] if parsed else None
            m = _VERSION_SUFFIX.search(wire)
            if m and major is not None and int(m.group(1)) == major:
                continue
            base = _VERSION_SUFFIX.sub("", wire)
            suggested = f"{base}.v{major}" if major is not None else f"{base}.v2"
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"Version {cur.version} breaks {mode} compatibility with {prev.version} but keeps the "
                f"wire type {wire!r}: consumers cannot tell the shapes apart. Publish it as "
                f"{suggested!r} in parallel with {wire!r} until every consumer has moved.",
                path=version_path(cur, "type"),
            )
