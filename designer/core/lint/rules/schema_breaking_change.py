"""A new message version's schema stays compatible under its declared mode.

Each version is compared with the previous version (or with every earlier one for the
``*_TRANSITIVE`` modes) following Confluent Schema Registry's JSON Schema rules. Open and closed
content models matter: adding a property to an open model (``additionalProperties`` absent or
true) and removing one from a closed model (``additionalProperties: false``) are
BACKWARD-incompatible, while adding an optional property to a closed model is compatible. Each
finding says which readers break and how to make the change compatible.

Flags: every break of a version against its history under the version's mode (its own
``compat``, else the team default for the message's kind); NONE checks nothing.
Why: consumers deserialize with the schema they were built against; an incompatible version
makes them fail or silently drop data.
Source: Confluent Schema Registry (json-schema-provider SchemaDiff, ObjectSchemaDiff); Zalando
RESTful API Guidelines rule 209; Avro schema resolution.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            status: released
            compat: FORWARD
            schema: {type: object, properties: {total: {type: integer}}}
            example: {total: 3}
          - version: 1.1.0
            compat: FORWARD
            schema: {type: object, properties: {total: {type: number}}}
            example: {total: 3.5}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            status: released
            compat: FORWARD
            schema: {type: object, properties: {total: {type: integer}}}
            example: {total: 3}
          - version: 1.1.0
            compat: FORWARD
            schema: {type: object, properties: {total: {type: integer}, note: {type: string}}}
            example: {total: 3, note: gift}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core import compat
from designer.core.lint.finding import Finding
from designer.core.lint.rules._evolution import declared_mode, version_path, with_schema
from designer.core.model import Model

ID = "schema-breaking-change"
DEFAULT_SEVERITY = "error"
CATEGORY = "evolution"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield one finding per compatibility break of each version against its history."""
    for message in model.messages:
        versions = with_schema(message)
        for i in range(1, len(versions)):
            version = versions[i]
            mode = declared_mode(model, message, version)
            if not mode or mode == "NONE":
                continue
            history = versions[: i + 1]
            result = compat.check_history([v.schema for v in history], mode,
                                          labels=[v.version for v in history])
            for brk in result.breaks:
                readers = ("consumers on the new version" if brk.direction == compat.BACKWARD
                           else "consumers still on older versions")
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"Version {version.version} is not {mode} compatible with {brk.old_version} "
                    f"({brk.kind} at {brk.path or 'the root'}, breaks {readers}): {brk.why} "
                    f"Fix: {brk.fix}",
                    path=version_path(version, "schema", brk.path),
                )
