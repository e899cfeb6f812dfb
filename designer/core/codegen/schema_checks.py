"""JSON Schema -> a flat list of validation checks the Go and Java generators render as code.

Each schema node becomes one ``Check`` (rendered as one function/method that takes the raw JSON
value and its JSON path and appends every problem it finds); children are referenced by key, so
a recursive ``$ref`` is one function calling itself. Keywords covered: ``type`` (lists too, and
OpenAPI's ``nullable``), ``enum``/``const``, ``minimum``/``maximum``/``exclusiveMinimum``/
``exclusiveMaximum`` (draft 4 boolean form too), ``multipleOf``, ``minLength``/``maxLength``,
``pattern``, ``format`` (date-time, date, email, uuid, uri), ``items``/``minItems``/
``maxItems``/``uniqueItems``, ``properties``/``required``/``additionalProperties``,
``minProperties``/``maxProperties``, ``allOf``/``anyOf``/``oneOf`` and local ``$ref``.
Keyword checks apply only to values of their type, as JSON Schema says.

The generated tests' valid example and invalid payloads come from ``constraints.contract``
(shared with the Python and TypeScript generators; ``test_cases``). Pure: no I/O.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from designer.core.codegen import common
from designer.core.model import JSON, Message

FORMATS = ("date-time", "date", "email", "uuid", "uri")
JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
MAX_DEPTH = common.MAX_SCHEMA_DEPTH
# Regex constructs RE2 (Go) or Java lack, or whose meaning differs from ECMA-262: a pattern
# using one is not enforced (the generated code says so in a comment) rather than miscompiled.
_UNPORTABLE = re.compile(r"\(\?[=!<]|\\[1-9]|\\k<|\(\?>|[*+?}]\+|\\[pP]\{")


@dataclass
class Check:
    """The checks on one schema node. ``key`` names it (a function per key)."""

    key: str
    suggestion: str
    types: tuple[str, ...] | None = None  # allowed JSON types; None: any
    enum: tuple[JSON, ...] | None = None
    enum_keyword: str = "enum"
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    unenforced: list[str] = field(default_factory=list)  # what is not checked, and why
    format: str | None = None
    items: str | None = None  # key of the items' check
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    properties: list[tuple[str, str | None]] = field(default_factory=list)  # (wire, key)
    required: list[str] = field(default_factory=list)
    additional: bool | str = True  # False: closed; str: key of the values' check
    min_properties: int | None = None
    max_properties: int | None = None
    all_of: list[str] = field(default_factory=list)
    any_of: list[str] = field(default_factory=list)
    one_of: list[str] = field(default_factory=list)
    ref: str | None = None  # this node is only a $ref: delegate to that key

    @property
    def closed(self) -> bool:
        return self.additional is False


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v if math.isfinite(v) else None


def _count(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31 else None


class _Builder:
    def __init__(self, root: JSON, name: str) -> None:
        self.root = root
        self.name = name
        self.checks: dict[str, Check] = {}
        self._refs: dict[str, str] = {}
        self._n = 0

    def resolve(self, ref: str) -> JSON:
        if ref == "#":
            return self.root
        if not ref.startswith("#/"):
            return None
        node: JSON = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def build(self, schema: JSON, suggestion: str, depth: int) -> str | None:
        """The key of the check for ``schema`` (None: accepts anything)."""
        if schema is True or not isinstance(schema, dict) or depth > MAX_DEPTH:
            if schema is False:
                key = self._new(suggestion)
                self.checks[key] = Check(key, suggestion, types=())
                return key
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in self._refs:
                return self._refs[ref]
            target = self.resolve(ref)
            if not isinstance(target, (dict, bool)):
                return None  # a remote or broken reference: not followed (no I/O in the core)
            tail = ref.rsplit("/", 1)[-1] or "ref"
            key = self._new(tail)
            self._refs[ref] = key
            self.checks[key] = Check(key, tail)  # placeholder: a recursive ref finds it
            inner = self.build(target, tail, depth + 1)
            self.checks[key] = Check(key, tail, ref=inner)
            return key
        key = self._new(suggestion)
        c = Check(key, suggestion)
        self.checks[key] = c
        types = schema.get("type")
        if isinstance(types, str):
            c.types = (types,)
        elif isinstance(types, list) and all(isinstance(t, str) for t in types):
            c.types = tuple(types)
        if c.types is not None:
            c.types = tuple(t for t in dict.fromkeys(c.types) if t in JSON_TYPES)
            if schema.get("nullable") is True and "null" not in c.types:
                c.types = (*c.types, "null")
        if "const" in schema:
            c.enum, c.enum_keyword = (schema["const"],), "const"
        elif isinstance(schema.get("enum"), list):
            c.enum = tuple(schema["enum"])
            if schema.get("nullable") is True and None not in c.enum:
                c.enum = (*c.enum, None)
        for kw, attr in (("minimum", "minimum"), ("maximum", "maximum"),
                         ("multipleOf", "multiple_of")):
            setattr(c, attr, _num(schema.get(kw)))
        for kw, attr, plain in (("exclusiveMinimum", "exclusive_minimum", "minimum"),
                                ("exclusiveMaximum", "exclusive_maximum", "maximum")):
            v = schema.get(kw)
            if v is True:  # draft 4: a flag on minimum/maximum
                setattr(c, attr, getattr(c, plain))
                setattr(c, plain, None)
            else:
                setattr(c, attr, _num(v))
        if c.multiple_of is not None and c.multiple_of <= 0:
            c.multiple_of = None
        c.min_length, c.max_length = _count(schema.get("minLength")), _count(schema.get("maxLength"))
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
                portable = not _UNPORTABLE.search(pattern)
            except (re.error, RecursionError, OverflowError):
                portable = False
            if portable:
                c.pattern = pattern
            else:
                c.unenforced.append(f"pattern {pattern!r}: not portable to RE2/java.util.regex")
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in FORMATS:
            c.format = fmt
        items = schema.get("items")
        if isinstance(items, (dict, bool)):
            c.items = self.build(items, suggestion + " item", depth + 1)
        c.min_items, c.max_items = _count(schema.get("minItems")), _count(schema.get("maxItems"))
        c.unique_items = schema.get("uniqueItems") is True
        props = schema.get("properties")
        if isinstance(props, dict):
            for prop, sub in props.items():
                c.properties.append((str(prop), self.build(sub, f"{suggestion} {prop}", depth + 1)))
        req = schema.get("required")
        if isinstance(req, list):
            c.required = list(dict.fromkeys(r for r in req if isinstance(r, str)))
        extra = schema.get("additionalProperties")
        if extra is False:
            c.additional = False
        elif isinstance(extra, dict):
            sub = self.build(extra, suggestion + " value", depth + 1)
            c.additional = sub if sub is not None else True
        c.min_properties = _count(schema.get("minProperties"))
        c.max_properties = _count(schema.get("maxProperties"))
        for kw, attr in (("allOf", "all_of"), ("anyOf", "any_of"), ("oneOf", "one_of")):
            alts = schema.get(kw)
            if isinstance(alts, list) and alts:
                keys = [self.build(a, f"{suggestion} {kw} {i + 1}", depth + 1)
                        for i, a in enumerate(alts)]
                if kw == "allOf":
                    c.all_of = [k for k in keys if k is not None]
                elif None in keys:
                    pass  # one alternative accepts anything: so does anyOf (oneOf: nearly)
                else:
                    setattr(c, attr, [k for k in keys if k is not None])
        return key

    def _new(self, suggestion: str) -> str:
        self._n += 1
        return f"{self.name}#{self._n}"


@dataclass(frozen=True)
class MessageChecks:
    """The checks of one message's payload: ``root`` is the key of the payload's check."""

    root: str | None
    checks: tuple[Check, ...]
    schema: JSON  # the payload schema (the envelope's data part when it describes the envelope)


_MEMO: dict[tuple[int, str], tuple[Message, MessageChecks]] = {}


def message_checks(profile: str, message: Message) -> MessageChecks:
    """The checks of ``message``'s latest payload schema (``profile``: the envelope profile).

    Memoised per message object: a message is checked by each service that touches it.
    """
    hit = _MEMO.get((id(message), profile))
    if hit is not None and hit[0] is message:
        return hit[1]
    result = _message_checks(profile, message)
    if len(_MEMO) > 4096:
        _MEMO.clear()
    _MEMO[(id(message), profile)] = (message, result)
    return result


def _message_checks(profile: str, message: Message) -> MessageChecks:
    latest = message.latest
    full = latest.schema if latest else None
    schema, _ = common._unwrap_envelope(full, None, profile)
    # $refs resolve against the whole document (its $defs / definitions live at the top).
    b = _Builder(full if isinstance(full, dict) else schema, message.name)
    root = b.build(schema, message.name, 0)
    return MessageChecks(root, tuple(b.checks.values()), schema)


def closed_everywhere(mc: MessageChecks) -> bool:
    """Is every object of the payload closed (additionalProperties: false)? Then a strict
    decoder (Go's DisallowUnknownFields) can refuse unknown fields at every level."""
    objs = [c for c in mc.checks if c.properties or c.types == ("object",)]
    return bool(objs) and all(c.closed for c in objs)


def json_path(parent: str, key: str | int) -> str:
    """JSONPath of a child, in the project's one format (``schema_compile.json_path``):
    ``$.items[0].price``; a key that is not an identifier as ``$["a b"]``."""
    from designer.core import schema_compile

    return schema_compile.json_path([key], root=parent)


def literal(value: JSON) -> str:
    """Canonical JSON text of a constant (sorted keys, ASCII)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def describe(value: JSON) -> str:
    return literal(value)


# ---------------------------------------------------------------------------------------------
# The generated tests' payloads
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TestCases:
    """A valid example (None: none found) and invalid payloads, each with the JSON path the
    validator must report a problem at (or below: uniqueItems names the repeated item)."""

    example: JSON
    bad: tuple[tuple[str, JSON, str], ...]  # (what is wrong, payload, path)


def test_cases(message: Message, profile: str) -> TestCases:
    """From ``constraints.contract`` (shared with the Python and TypeScript generators): the
    declared example when the schema accepts it (jsonschema-rs, formats on) or a synthesized
    one, and one invalid variant per keyword reachable in it, each confirmed invalid."""
    from designer.core.codegen import constraints

    c = constraints.contract(message, profile)
    if not c.valid:
        return TestCases(None, ())
    bad = tuple((f"{v.keyword}{': ' + v.note if v.note else ''}", v.payload, v.path)
                for v in c.cases)
    return TestCases(c.example, bad)


def nullable_names(schema: JSON, depth: int = 0) -> frozenset[str]:
    """Names of the properties (anywhere in ``schema``) whose value may be null: OpenAPI's
    ``nullable``, a ``null`` type or enum value, or a null alternative. By name, not path: the
    generators box/point such fields, which is only ever less strict in the types (the checks
    still decide what is valid)."""
    out: set[str] = set()

    def allows_null(s: JSON, d: int) -> bool:
        if not isinstance(s, dict) or d > 8:
            return False
        t = s.get("type")
        if s.get("nullable") is True or t == "null" or (isinstance(t, list) and "null" in t):
            return True
        if isinstance(s.get("enum"), list) and None in s["enum"]:
            return True
        return any(isinstance(s.get(k), list) and any(allows_null(a, d + 1) for a in s[k])
                   for k in ("anyOf", "oneOf"))

    def walk(s: JSON, d: int) -> None:
        if d > MAX_DEPTH:
            return
        if isinstance(s, dict):
            props = s.get("properties")
            if isinstance(props, dict):
                out.update(str(k) for k, v in props.items() if allows_null(v, 0))
            for v in s.values():
                walk(v, d + 1)
        elif isinstance(s, list):
            for v in s:
                walk(v, d + 1)

    walk(schema, depth)
    return frozenset(out)
