"""Two questions every part of the core asks of plain JSON values, answered once.

- ``resolve_pointer``: follow a local JSON pointer (RFC 6901) such as ``#/$defs/Money`` or
  ``/items/0`` inside a document. Nothing outside the document is ever followed: the core does
  no I/O, and a reference to anywhere else is the caller's to refuse.
- ``json_kind``: which JSON Schema type a Python value is (``"integer"``, ``"object"``, ...).
  Callers that speak to people word it their own way (``KIND_PHRASES``), from this one answer.
"""
from __future__ import annotations

from typing import Any

JSON = Any

#: What to call each kind in a sentence for people ("expected a string, found a number").
KIND_PHRASES: dict[str, str] = {
    "null": "nothing (null)",
    "boolean": "a boolean",
    "integer": "a number",
    "number": "a number",
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
}

_MISSING = object()


def split_pointer(ref: str) -> list[str] | None:
    """The unescaped parts of a local pointer (``#/a/b``, ``/a/b``, ``#``, ``""``).

    None when ``ref`` is not a local JSON pointer (a URL, a relative file, an ``#anchor``).

    >>> split_pointer("#/$defs/a~1b")
    ['$defs', 'a/b']
    >>> split_pointer("#") == []
    True
    >>> split_pointer("other.json#/x") is None
    True
    """
    frag = ref[1:] if ref.startswith("#") else ref
    if frag == "":
        return []
    if not frag.startswith("/"):
        return None
    return [raw.replace("~1", "/").replace("~0", "~") for raw in frag[1:].split("/")]


def resolve_pointer(root: JSON, ref: str, default: JSON = None) -> JSON:
    """The node ``ref`` points at inside ``root``; ``default`` when it does not resolve.

    Accepts ``#/...``, ``/...``, ``#`` and ``""`` (the whole document); list indices are
    decimal parts (``/items/0``).

    >>> doc = {"$defs": {"Money": {"type": "number"}}, "items": [{"a": 1}]}
    >>> resolve_pointer(doc, "#/$defs/Money")
    {'type': 'number'}
    >>> resolve_pointer(doc, "/items/0/a")
    1
    >>> resolve_pointer(doc, "#/nope") is None
    True
    >>> resolve_pointer(doc, "#") is doc
    True
    """
    parts = split_pointer(ref)
    if parts is None:
        return default
    node = root
    for part in parts:
        if isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list) and part.isdecimal() and (part == "0" or not part.startswith("0")):
            index = int(part)
            node = node[index] if index < len(node) else _MISSING
        else:
            return default
        if node is _MISSING:
            return default
    return node


def json_kind(value: JSON) -> str:
    """The JSON Schema type of a JSON value: null, boolean, integer, number, string, array, object.

    A float with no fractional part is a ``number`` here (JSON Schema counts ``1.0`` as an
    integer too; callers that infer schemas decide which they want).

    >>> [json_kind(v) for v in (None, True, 3, 2.5, "x", [1], {})]
    ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
