"""Applying a finding's suggested ``Fix`` as a value: what the web's one-click fix writes.

A fix says what to change in words a rule can compute (``Fix.action``, ``field``, ``value``);
this module turns it into the new value of the thing it changes, and into a text preview:

- ``schema`` fixes — ``set`` at a path inside the message's schema (``schema.properties.data.
  additionalProperties``, ``properties.email.x-pii``, ``x-reserved``) or ``add-property``
  (a property at the schema's root) — give the whole new schema (``fixed_schema``);
- ``version`` and ``compat`` set that attribute of the message's newest version;
- ``relation`` (``consumers.<service>.dedup_key`` / ``.version``) sets a consumer's attribute;
- ``rename`` renames the element.

Pure: no Django, no I/O. A fix whose path is not in the schema any more gives None: the caller
then offers the editor instead of a button.
"""
from __future__ import annotations

import copy
import difflib
import json
from typing import Any

from designer.core.lint.finding import Fix

JSON = Any


def fix_target(fix: Fix | None) -> str:
    """What a fix changes: "rename", "schema", "version", "compat", "relation" or "" (unknown)."""
    if fix is None:
        return ""
    if fix.action == "rename":
        return "rename"
    if fix.action == "add-property":
        return "schema"
    if fix.action != "set":
        return ""
    if fix.field in ("version", "compat"):
        return fix.field
    if fix.field.startswith("consumers."):
        return "relation" if fix.field.count(".") == 2 and fix.field.rsplit(".", 1)[1] in ("dedup_key", "version") else ""
    return "schema"


def relation_fix(fix: Fix) -> tuple[str, str] | None:
    """(consumer service, attribute) a ``consumers.<service>.<attribute>`` fix sets."""
    if fix_target(fix) != "relation":
        return None
    _, service, attr = fix.field.split(".")
    return service, attr


def _schema_path(field: str) -> list[str]:
    path = field[len("schema."):] if field.startswith("schema.") else field
    return [p for p in path.split(".") if p] if path != "schema" else []


def fixed_schema(schema: JSON, fix: Fix) -> JSON:
    """``schema`` with a schema fix applied (a copy), or None when it cannot be applied: not a
    schema fix, no schema, a path that is not there any more, or nothing would change."""
    if fix_target(fix) != "schema" or not isinstance(schema, dict):
        return None
    out = copy.deepcopy(schema)
    if fix.action == "add-property":
        props = out.setdefault("properties", {})
        if not isinstance(props, dict) or fix.field in props:
            return None
        props[fix.field] = copy.deepcopy(fix.value)
        return out
    parts = _schema_path(fix.field)
    if not parts:
        return None
    node: JSON = out
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdecimal() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    if not isinstance(node, dict) or node.get(parts[-1], object()) == fix.value:
        return None
    node[parts[-1]] = copy.deepcopy(fix.value)
    return out


def json_diff(before: JSON, after: JSON, context: int = 2) -> list[str]:
    """The lines of a unified diff between two JSON values as they are shown (indent 2).

    Lines are compared without their trailing comma, so adding a last property does not show
    its neighbour as removed and added again just for the comma JSON then needs after it.
    """
    a = json.dumps(before, indent=2, ensure_ascii=False).splitlines()
    b = json.dumps(after, indent=2, ensure_ascii=False).splitlines()
    matcher = difflib.SequenceMatcher(None, [x.rstrip(",") for x in a], [x.rstrip(",") for x in b], autojunk=False)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.extend(" " + line for line in b[b1:b2])
                continue
            out.extend("-" + line for line in a[a1:a2])
            out.extend("+" + line for line in b[b1:b2])
    return out
