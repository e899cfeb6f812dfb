"""Helpers shared by the evolution rules: a message's version history and its declared modes.

Not a rule (the leading underscore keeps the registry from loading it as one).
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from designer.core import compat
from designer.core.jsonvalue import resolve_pointer
from designer.core.model import JSON, Message, Model, Version


def declared_mode(model: Model, message: Message, version: Version) -> str:
    """The version's compatibility mode, else the team default for the message's kind ("" if none)."""
    mode = version.compat or model.default_compat.get(message.kind, "")
    try:
        return compat.normalize_mode(mode) if mode else ""
    except ValueError:
        return ""


def effective_mode(model: Model, message: Message, version: Version) -> str:
    """The mode to judge a change by: the declared one, or FULL when none/NONE is declared.

    NONE means "no guarantee promised", not "nothing breaks": for version numbers and wire
    types a change that breaks either direction still breaks someone.
    """
    mode = declared_mode(model, message, version)
    return "FULL" if mode in ("", "NONE") else mode


def with_schema(message: Message) -> list[Version]:
    """The message's versions that declare a schema, oldest first."""
    return [v for v in message.versions if v.schema is not None]


def pairs(message: Message) -> Iterator[tuple[Version, Version]]:
    """Consecutive (previous, next) versions that both declare a schema."""
    versions = with_schema(message)
    yield from pairwise(versions)


def version_path(version: Version, *rest: str) -> str:
    """A finding path inside a version, e.g. ``versions.2.0.0.schema.properties.total``."""
    return ".".join(["versions", version.version, *[r for r in rest if r]])


def node_at(schema: JSON, path: str) -> JSON:
    """The sub-schema at a compat path such as ``properties.a.items`` (local $refs followed)."""
    node = schema
    for part in path.split(".") if path else []:
        node = _deref(schema, node)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdecimal() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return _deref(schema, node)


def _deref(root: JSON, node: JSON) -> JSON:
    seen = 0
    # Bounded: a $ref cycle must not hang the linter.
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
        node = resolve_pointer(root, node["$ref"]) if node["$ref"].startswith("#") else None
        seen += 1
    return node
