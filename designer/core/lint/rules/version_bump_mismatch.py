"""Version numbers follow the schema change: major for a breaking change, minor for an additive one.

Versions are semantic ("MAJOR.MINOR.PATCH"). A change that breaks the version's compatibility
mode needs a new major version; any other schema change needs at least a new minor version; a
patch bump is for changes that do not alter the schema (docs, examples). When the mode is NONE
or undeclared a change is judged as breaking if it breaks readers in either direction (FULL):
the number tells humans what to expect even where no registry enforces it.

Flags: a version whose number does not carry the bump its schema change requires.
Why: consumers and tooling read the major number to know whether they must change code.
Source: Zalando RESTful API Guidelines rule 246 (semantic versioning of event types).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            status: released
            compat: BACKWARD
            schema: {type: object, properties: {total: {type: number}}}
            example: {total: 3.5}
          - version: 1.1.0
            compat: BACKWARD
            schema: {type: object, properties: {total: {type: integer}}}
            example: {total: 3}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        versions:
          - version: 1.0.0
            status: released
            compat: BACKWARD
            schema: {type: object, properties: {total: {type: number}}}
            example: {total: 3.5}
          - version: 2.0.0
            compat: BACKWARD
            schema: {type: object, properties: {total: {type: integer}}}
            example: {total: 3}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core import compat
from designer.core.lint.finding import Finding, Fix
from designer.core.lint.rules._evolution import effective_mode, pairs, version_path
from designer.core.model import Model

ID = "version-bump-mismatch"
DEFAULT_SEVERITY = "error"
CATEGORY = "evolution"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding for each version whose number lacks the bump its schema change needs."""
    for message in model.messages:
        for prev, cur in pairs(message):
            changes = compat.diff(prev.schema, cur.schema)
            mode = effective_mode(model, message, cur)
            breaking = any(c.breaking_in(mode) for c in changes)
            needed = compat.required_bump(prev.version, cur.version, breaking, bool(changes))
            if needed is None:
                continue
            suggestion = _bump(prev.version, needed)
            reason = (f"breaks {mode} compatibility ({changes[0].kind} at {changes[0].path or 'the root'}"
                      f"{' and more' if len(changes) > 1 else ''})" if breaking
                      else "changes the schema compatibly")
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"Version {cur.version} {reason} but is not a {needed} bump of {prev.version}; "
                f"number it {suggestion}" + (" and publish it alongside the old one." if breaking else "."),
                fix=Fix("set", "version", suggestion, f"Renumber the version {suggestion}")
                if suggestion else None,
                path=version_path(cur, "version"),
            )


def _bump(version: str, part: str) -> str:
    parsed = compat.parse_version(version)
    if parsed is None:
        return ""
    major, minor, _ = parsed
    return f"{major + 1}.0.0" if part == "major" else f"{major}.{minor + 1}.0"
