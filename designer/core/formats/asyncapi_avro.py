"""Avro schemas (AsyncAPI ``schemaFormat: application/vnd.apache.avro...``) as JSON Schema 2020-12.

The model, its linter, code generators and traffic checks speak JSON Schema, so an Avro payload
is converted for them; the AsyncAPI reader keeps the Avro schema itself so that an unchanged
message is exported as Avro again (see ``asyncapi._Writer``). The mapping follows the Avro 1.11
specification ("Schema declaration" and "JSON encoding" of values as people write them in event
payloads, i.e. a union value is the plain value, not the ``{"type": value}`` wrapper):

==================  ==========================================================================
Avro                JSON Schema
==================  ==========================================================================
null, boolean       ``{"type": "null"}``, ``{"type": "boolean"}``
int, long           ``integer`` with ``format`` int32/int64 and the range of the type
float, double       ``number`` with ``format`` float/double
bytes, fixed        ``string`` (fixed: of its size)
string              ``string``; logical type ``uuid`` adds ``format: uuid``
record              ``object`` with ``properties`` (field ``doc`` -> ``description``, ``default``
                    kept), ``required`` = fields without a default, no other properties
enum                ``string`` with the ``enum`` of its symbols
array, map          ``array`` of ``items``, ``object`` with ``additionalProperties``
union               ``anyOf`` of its branches (``["null", X]`` is X or null)
==================  ==========================================================================

Other logical types keep their underlying type and are named in ``x-avro-logicalType``. A named
type (record, enum, fixed) referred to by name somewhere (a recursive record, a type used twice)
is written once in ``$defs`` under its full name and referenced as ``#/$defs/<fullname>``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSON = Any

_PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
_NAMED = ("record", "error", "enum", "fixed")
# Nesting deeper than this is not a schema anybody wrote (the YAML reader caps it anyway).
_MAX_DEPTH = 100


class AvroError(ValueError):
    """An Avro schema that cannot be read: what is wrong, in words."""


def is_avro(schema_format: str) -> bool:
    """Whether an AsyncAPI ``schemaFormat`` names Avro (any version, JSON or YAML)."""
    return schema_format.split(";", 1)[0].strip().lower() in (
        "application/vnd.apache.avro", "application/vnd.apache.avro+json", "application/vnd.apache.avro+yaml")


def to_json_schema(avro: JSON) -> JSON:
    """The JSON Schema 2020-12 that accepts the JSON values of the Avro schema ``avro``.

    Raises :class:`AvroError` for an unknown type name, a record without fields, an enum
    without symbols, and other schemas the Avro specification does not allow.
    """
    return _Converter().convert_root(avro)


class _Converter:
    def __init__(self) -> None:
        self.named: dict[str, JSON] = {}  # fullname -> Avro definition
        self.by_name: dict[str, int] = {}  # fullname -> times it is referred to by name
        self.defs: dict[str, JSON] = {}

    def convert_root(self, avro: JSON) -> JSON:
        self._collect(avro, "", 0)
        root = self._convert(avro, "", 0)
        if not self.defs:
            return root
        defs = dict(sorted(self.defs.items()))
        if isinstance(root, dict) and "$ref" not in root:
            return {**root, "$defs": defs}
        return {"$ref": root["$ref"], "$defs": defs}

    # -- names --
    @staticmethod
    def _fullname(definition: Mapping[str, JSON], namespace: str) -> tuple[str, str]:
        name = definition.get("name")
        if not isinstance(name, str) or not name:
            raise AvroError(f"a {definition.get('type')} needs a name")
        if "." in name:
            return name, name.rsplit(".", 1)[0]
        ns = definition.get("namespace")
        ns = ns if isinstance(ns, str) else namespace
        return (f"{ns}.{name}" if ns else name), ns

    def _lookup(self, name: str, namespace: str) -> str | None:
        for candidate in ((name,) if "." in name else (f"{namespace}.{name}" if namespace else name, name)):
            if candidate in self.named:
                return candidate
        return None

    def _collect(self, avro: JSON, namespace: str, depth: int) -> None:
        """First pass: register every named type and count the uses of each by name (a type is
        defined before it is used by name, or inside its own definition when it is recursive)."""
        if depth > _MAX_DEPTH:
            raise AvroError("the Avro schema nests too deeply")
        if isinstance(avro, list):
            for branch in avro:
                self._collect(branch, namespace, depth + 1)
        elif isinstance(avro, str):
            full = self._lookup(avro, namespace) if avro not in _PRIMITIVES else None
            if full is not None:
                self.by_name[full] = self.by_name.get(full, 0) + 1
        elif isinstance(avro, dict):
            kind = avro.get("type")
            if kind in _NAMED:
                full, ns = self._fullname(avro, namespace)
                if full in self.named and self.named[full] is not avro:
                    raise AvroError(f"the name {full!r} is defined twice")
                self.named[full] = avro
                fields = avro.get("fields") if kind in ("record", "error") else None
                for field in fields if isinstance(fields, list) else []:
                    if isinstance(field, dict):
                        self._collect(field.get("type"), ns, depth + 1)
            elif kind == "array":
                self._collect(avro.get("items"), namespace, depth + 1)
            elif kind == "map":
                self._collect(avro.get("values"), namespace, depth + 1)
            else:
                self._collect(kind, namespace, depth + 1)

    # -- types --
    def _convert(self, avro: JSON, namespace: str, depth: int) -> JSON:
        if depth > _MAX_DEPTH:
            raise AvroError("the Avro schema nests too deeply")
        if isinstance(avro, list):
            if not avro:
                raise AvroError("a union needs at least one type")
            branches = [self._convert(b, namespace, depth + 1) for b in avro]
            return branches[0] if len(branches) == 1 else {"anyOf": branches}
        if isinstance(avro, str):
            if avro in _PRIMITIVES:
                return _primitive(avro, None)
            full = self._lookup(avro, namespace)
            if full is None:
                raise AvroError(f"unknown Avro type {avro!r}: not a primitive type and not defined before")
            return {"$ref": f"#/$defs/{full}"}
        if not isinstance(avro, dict):
            raise AvroError(f"an Avro type is a name, a list (union) or an object, not {avro!r}")
        kind = avro.get("type")
        logical = avro.get("logicalType") if isinstance(avro.get("logicalType"), str) else None
        if isinstance(kind, (dict, list)):
            return self._convert(kind, namespace, depth + 1)
        if kind in _PRIMITIVES:
            return _primitive(str(kind), logical)
        if kind in _NAMED:
            full, _ = self._fullname(avro, namespace)
            if not self.by_name.get(full):
                return self._named(avro, full, depth)  # used once: inline
            if full not in self.defs:
                self.defs[full] = {}  # placeholder: the definition is being converted
                self.defs[full] = self._named(avro, full, depth)
            return {"$ref": f"#/$defs/{full}"}
        if kind == "array":
            if "items" not in avro:
                raise AvroError("an Avro array needs 'items'")
            return {"type": "array", "items": self._convert(avro["items"], namespace, depth + 1)}
        if kind == "map":
            if "values" not in avro:
                raise AvroError("an Avro map needs 'values'")
            return {"type": "object", "additionalProperties": self._convert(avro["values"], namespace, depth + 1)}
        if isinstance(kind, str):
            return self._convert(kind, namespace, depth + 1)
        raise AvroError(f"unknown Avro type {kind!r}")

    def _named(self, avro: Mapping[str, JSON], full: str, depth: int) -> JSON:
        kind = avro["type"]
        ns = full.rsplit(".", 1)[0] if "." in full else ""
        out: dict[str, Any] = {}
        if kind in ("record", "error"):
            fields = avro.get("fields")
            if not isinstance(fields, list):
                raise AvroError(f"record {full!r} needs a list of fields")
            out = {"type": "object", "title": full.rsplit(".", 1)[-1]}
            if isinstance(avro.get("doc"), str):
                out["description"] = avro["doc"]
            props: dict[str, Any] = {}
            required: list[str] = []
            for field in fields:
                if not isinstance(field, dict) or not isinstance(field.get("name"), str) or "type" not in field:
                    raise AvroError(f"every field of record {full!r} needs a name and a type")
                prop = self._convert(field["type"], ns, depth + 1)
                prop = dict(prop) if isinstance(prop, dict) else prop
                if isinstance(prop, dict):
                    if isinstance(field.get("doc"), str):
                        prop = {**prop, "description": field["doc"]} if "$ref" not in prop else {
                            "$ref": prop["$ref"], "description": field["doc"]}
                    if "default" in field:
                        prop["default"] = field["default"]
                props[field["name"]] = prop
                if "default" not in field:
                    required.append(field["name"])
            out["properties"] = props
            if required:
                out["required"] = required
            out["additionalProperties"] = False
        elif kind == "enum":
            symbols = avro.get("symbols")
            if not isinstance(symbols, list) or not symbols or not all(isinstance(s, str) for s in symbols):
                raise AvroError(f"enum {full!r} needs a list of symbols")
            out = {"type": "string", "title": full.rsplit(".", 1)[-1], "enum": list(symbols)}
            if isinstance(avro.get("doc"), str):
                out["description"] = avro["doc"]
        else:  # fixed
            size = avro.get("size")
            if not isinstance(size, int) or size < 0:
                raise AvroError(f"fixed {full!r} needs a size")
            out = {"type": "string", "title": full.rsplit(".", 1)[-1]}
            logical = avro.get("logicalType")
            if isinstance(logical, str):
                out["x-avro-logicalType"] = logical
        return out


def _primitive(kind: str, logical: str | None) -> dict[str, Any]:
    out: dict[str, Any]
    if kind == "null":
        out = {"type": "null"}
    elif kind == "boolean":
        out = {"type": "boolean"}
    elif kind == "int":
        out = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
    elif kind == "long":
        out = {"type": "integer", "format": "int64", "minimum": -(2**63), "maximum": 2**63 - 1}
    elif kind in ("float", "double"):
        out = {"type": "number", "format": kind}
    else:  # bytes, string
        out = {"type": "string"}
    if logical == "uuid" and kind == "string":
        out["format"] = "uuid"
    elif logical:
        out["x-avro-logicalType"] = logical
    return out
