"""What a message's JSON Schema demands, as a small language-neutral tree every generator renders.

``common.shape_message`` gives the *types* (``TypeRef``, ``ObjectDef``); this module gives the
*constraints* the generated validators enforce before a handler runs:

* ``message_tree(model, message)`` -> ``MessageTree``: the payload as a tree of ``Node`` (the
  envelope unwrapped like ``common`` does). A node carries its JSON type, ``nullable``, string
  ``min_length``/``max_length``/``pattern``/``fmt`` (date-time, date, email, uuid, uri, ...),
  numeric ``minimum``/``maximum``/``exclusive_*``/``multiple_of``, ``enum`` (``const`` is an
  enum of one), array ``items``/``min_items``/``max_items``/``unique_items``, object
  ``properties`` (``Prop``: wire name, node, required) with ``closed`` for
  ``additionalProperties: false``, map ``values``, and ``alternatives`` for oneOf/anyOf (or a
  ``type`` list). ``$ref``s and ``allOf`` are resolved; a ``$ref`` to an object or a string
  enum seen before (recursion included) is a ``ref`` node whose ``key`` is in ``tree.defs``.
* Object and string-enum nodes carry the ``key`` ``common`` gives their ``ObjectDef`` /
  ``EnumDef``, so a generator finds the type name ``common.type_names`` chose for them.
  ``field_nodes(tree)`` maps ``def key -> wire name -> Node`` for generators that walk
  ``common``'s field lists. Objects inside a oneOf/anyOf have keys ``common`` does not define
  (``<key>/oneOf0``...): a generator names them itself.
* ``violations(tree, example)``: for a valid example, one invalid payload per constraint the
  schema has (missing required, wrong type, unknown property, too short, pattern, format,
  below minimum, ...), each with the JSON path (``$.items[0].price``) a validator must report.
  Generated contract tests and the toolchain tests feed them to the generated code.
* ``valid_example(tree, declared)``: the declared example when it satisfies the schema, else one
  synthesized from the constraints (None when no value can be found, e.g. an unsatisfiable
  pattern).

Pure: no I/O; ``schema_compile`` (jsonschema-rs) checks examples and variants against the
original schema.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from designer.core import schema_compile
from designer.core.codegen import common
from designer.core.model import JSON, Message, Model

MAX_DEPTH = common.MAX_SCHEMA_DEPTH
# Formats generators enforce; others are kept in ``fmt`` and may be ignored.
FORMATS = ("date-time", "date", "email", "uuid", "uri")


@dataclass(frozen=True)
class Prop:
    """One property of an object node."""

    wire: str
    node: Node
    required: bool


@dataclass(frozen=True)
class Node:
    """One schema position. ``kind``: string, integer, number, boolean, null, object, map,
    array, union, any, or ref (``key`` names an entry of ``MessageTree.defs``)."""

    kind: str
    key: str = ""  # object/enum: common's def key; ref: the referenced def; union objects: own key
    nullable: bool = False
    description: str = ""
    # strings
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    fmt: str = ""
    # numbers
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    # enum / const (null is not listed here: it sets ``nullable``)
    enum: tuple[JSON, ...] | None = None
    # arrays
    items: Node | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    # objects (``closed``: additionalProperties false) and maps (``values``)
    properties: tuple[Prop, ...] = ()
    closed: bool = False
    values: Node | None = None
    # unions: oneOf (``exclusive``) / anyOf / a list of types
    alternatives: tuple[Node, ...] = ()
    exclusive: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.wire for p in self.properties if p.required)

    @property
    def string_enum(self) -> bool:
        """A named string enumeration (common gives it an ``EnumDef`` under ``key``)."""
        return self.kind == "string" and self.enum is not None and bool(self.key)


@dataclass(frozen=True)
class MessageTree:
    """The constraints of one message's payload."""

    root: Node
    defs: dict[str, Node] = field(default_factory=dict)  # named objects and string enums by key
    schema: JSON = None  # the payload schema (envelope unwrapped), for reference checks

    def resolve(self, node: Node) -> Node:
        """``node`` itself, or the definition a ``ref`` node points to."""
        seen = 0
        while node.kind == "ref" and seen < MAX_DEPTH:
            node = self.defs[node.key]
            seen += 1
        return node


def _num(v: Any) -> int | float | None:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _count(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None


# Test payloads are built only up to this many characters or items: a hostile maxLength of
# 2**31 would otherwise make codegen build a 2 GB string (a bound the generated code keeps too).
PAYLOAD_LIMIT = 10_000


class _Builder:
    def __init__(self, schema: JSON, base_key: str) -> None:
        self.shaper = common._Shaper(schema, base_key, base_key)  # the same $ref resolution
        self.base_key = base_key
        self.defs: dict[str, Node] = {}
        self._refs: dict[str, Node] = {}

    def node(self, schema: JSON, key: str, depth: int) -> Node:
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return Node("any")
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in self._refs:
                return self._refs[ref]
            target = self.shaper.resolve(ref)
            if not isinstance(target, dict):
                return Node("any")
            if common._is_object(target) or common._string_enum(target) is not None:
                rkey = f"{self.base_key}/$ref/{ref}"
                self._refs[ref] = Node("ref", key=rkey)
                built = self.node(target, rkey, depth + 1)
                # Nullable-ness of the target stays on the definition.
                return built if built.kind != "ref" else self._refs[ref]
            built = self.node(target, key, depth + 1)
            self._refs[ref] = built
            return built
        desc = schema.get("description")
        desc = desc if isinstance(desc, str) else ""
        for combo in ("anyOf", "oneOf"):
            alts = schema.get(combo)
            if isinstance(alts, list) and alts:
                nonnull = [a for a in alts if not (isinstance(a, dict) and a.get("type") == "null")]
                nullable = len(nonnull) < len(alts)
                if len(nonnull) == 1:
                    n = self.node(nonnull[0], key, depth + 1)
                    return replace(n, nullable=True) if nullable else n
                if not nonnull:
                    return Node("null", nullable=True)
                nodes = tuple(self.node(a, f"{key}/{combo}{i}", depth + 1)
                              for i, a in enumerate(nonnull))
                return Node("union", nullable=nullable, description=desc, alternatives=nodes,
                            exclusive=combo == "oneOf")
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            return self.node(common._merge_all_of(schema, all_of, self.shaper), key, depth + 1)
        types = schema.get("type")
        nullable = False
        if isinstance(types, list):
            nonnull_t = [t for t in types if t != "null" and isinstance(t, str)]
            nullable = len(nonnull_t) < len(types)
            if len(nonnull_t) > 1:
                alts = tuple(self.node({**schema, "type": t}, key, depth + 1) for t in nonnull_t)
                return Node("union", nullable=nullable, description=desc, alternatives=alts)
            types = nonnull_t[0] if nonnull_t else "null"
        strings = common._string_enum(schema)
        if strings is not None:
            nullable = nullable or (isinstance(schema.get("enum"), list) and None in schema["enum"])
            n = Node("string", key=key, nullable=nullable, description=desc, enum=strings)
            self.defs.setdefault(key, n)
            return n
        if "const" in schema:
            c = schema["const"]
            if c is None:
                return Node("null", nullable=True, description=desc)
            return Node(common._json_kind(c) if common._json_kind(c) != "any" else "any",
                        description=desc, enum=(c,))
        if isinstance(schema.get("enum"), list):
            vals = tuple(v for v in schema["enum"] if v is not None)
            kinds = {common._json_kind(v) for v in vals}
            kind = kinds.pop() if len(kinds) == 1 else "any"
            if kind == "integer" and types == "number":
                kind = "number"
            return Node(kind, nullable=nullable or len(vals) < len(schema["enum"]),
                        description=desc, enum=vals)
        if types == "null":
            return Node("null", nullable=True, description=desc)
        if types == "object" or (types is None and common._is_object(schema)):
            if common._is_object(schema):
                return replace(self.named(schema, key, depth), nullable=nullable)
            extra = schema.get("additionalProperties")
            values = (self.node(extra, key + "/{}", depth + 1) if isinstance(extra, dict)
                      else None)
            return Node("map", nullable=nullable, description=desc, values=values,
                        closed=extra is False)
        if types == "array":
            items = schema.get("items")
            item = self.node(items, key + "/[]", depth + 1) if isinstance(items, dict) else None
            return Node("array", nullable=nullable, description=desc, items=item,
                        min_items=_count(schema.get("minItems")),
                        max_items=_count(schema.get("maxItems")),
                        unique_items=schema.get("uniqueItems") is True)
        if types == "string":
            fmt = schema.get("format")
            pattern = schema.get("pattern")
            return Node("string", nullable=nullable, description=desc,
                        min_length=_count(schema.get("minLength")),
                        max_length=_count(schema.get("maxLength")),
                        pattern=pattern if isinstance(pattern, str) and _compiles(pattern) else None,
                        fmt=fmt if isinstance(fmt, str) else "")
        if types in ("integer", "number"):
            return Node(str(types), nullable=nullable, description=desc,
                        minimum=_num(schema.get("minimum")), maximum=_num(schema.get("maximum")),
                        exclusive_minimum=_num(schema.get("exclusiveMinimum")),
                        exclusive_maximum=_num(schema.get("exclusiveMaximum")),
                        multiple_of=_num(schema.get("multipleOf")) or None)
        if types == "boolean":
            return Node("boolean", nullable=nullable, description=desc)
        return Node("any", nullable=nullable, description=desc)

    def named(self, schema: dict[str, Any], key: str, depth: int) -> Node:
        desc = schema.get("description")
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        req = schema.get("required")
        required = {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()
        out = tuple(Prop(str(p), self.node(sub, f"{key}/{p}", depth + 1), str(p) in required)
                    for p, sub in props.items())
        n = Node("object", key=key, description=desc if isinstance(desc, str) else "",
                 properties=out, closed=schema.get("additionalProperties") is False)
        self.defs.setdefault(key, n)
        return n


def _pattern_validator(pattern: str) -> Any:
    """A compiled check of ``pattern`` as JSON Schema runs it (ECMA-262 via jsonschema-rs, so
    ``\\p{L}`` works), or None when the pattern is unusable."""
    try:
        return schema_compile.compile_schema({"type": "string", "pattern": pattern})
    except (schema_compile.SchemaError, ValueError):
        return None


def _compiles(pattern: str) -> bool:
    return _pattern_validator(pattern) is not None


def _matches(pattern: str, text: str) -> bool:
    v = _pattern_validator(pattern)
    return v is None or bool(v.is_valid(text))


def payload_schema(model: Model, message: Message) -> tuple[JSON, JSON]:
    """The payload schema and declared example of ``message`` (envelope unwrapped)."""
    return profile_payload(message, common.envelope_profile(model))


def profile_payload(message: Message, profile: str) -> tuple[JSON, JSON]:
    """The payload schema and declared example of ``message`` under an envelope ``profile``
    (``ServiceShape.profile``): the same as ``payload_schema`` without the model."""
    latest = message.latest
    return common._unwrap_envelope(latest.schema if latest else None,
                                   latest.example if latest else None, profile)


def message_tree(model: Model, message: Message) -> MessageTree:
    """The constraint tree of ``message``'s payload (latest version)."""
    schema, _ = payload_schema(model, message)
    return tree_of(schema, message.name)


def tree_of(schema: JSON, key: str) -> MessageTree:
    """The constraint tree of a payload schema; the root object gets ``key`` (the message name).

    A payload with no usable schema (none, or one that allows anything) is an open object, as
    ``common.shape_message`` types it. A payload schema that is a union, a string, an array...
    stays what it is (``common`` types it as an open object: a generator that enforces the
    schema wraps the root node instead, e.g. pydantic's ``RootModel``).
    """
    b = _Builder(schema, key)
    if isinstance(schema, dict) and common._is_object(schema):
        root = b.named(schema, key, 0)
    else:
        root = b.node(schema, key, 0)
        if root.kind in ("any", "object"):
            root = Node("object", key=key, description=root.description)
            b.defs[key] = root
    return MessageTree(root, b.defs, schema)


def walk(tree: MessageTree) -> Iterator[Node]:
    """Every node of the tree once (defs included, refs not followed)."""
    seen: set[int] = set()
    stack = [tree.root, *tree.defs.values()]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        stack.extend(p.node for p in n.properties)
        stack.extend(n.alternatives)
        stack.extend(x for x in (n.items, n.values) if x is not None)


def field_nodes(tree: MessageTree) -> dict[str, dict[str, Node]]:
    """``def key -> wire name -> Node`` for every object of the tree."""
    return {n.key: {p.wire: p.node for p in n.properties}
            for n in walk(tree) if n.kind == "object" and n.key}


def json_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """``("items", 0, "price")`` -> ``$.items[0].price`` (odd names bracketed and quoted)."""
    return schema_compile.json_path(parts)


# ---------------------------------------------------------------------------------------------
# Examples and violations (for generated contract tests and the toolchain tests)
# ---------------------------------------------------------------------------------------------

def schema_errors(schema: JSON, value: JSON) -> list[str]:
    """Problems of ``value`` against the JSON Schema (formats too), [] when valid or unusable."""
    if not isinstance(schema, dict):
        return []
    return schema_compile.instance_problems(schema, value)


_FORMAT_OK = {"date-time": "2025-03-15T14:30:00Z", "date": "2025-03-15",
              "email": "user@example.com", "uuid": "3f2b8c1e-7a4d-4e5f-9b6a-1c2d3e4f5a6b",
              "uri": "https://example.com/x"}
_FORMAT_BAD = {"date-time": "not-a-date-time", "date": "not-a-date", "email": "not-an-email",
               "uuid": "not-a-uuid", "uri": "not a uri"}


def _string_ok(n: Node, s: str) -> bool:
    if n.min_length is not None and len(s) < n.min_length:
        return False
    if n.max_length is not None and len(s) > n.max_length:
        return False
    if n.pattern is not None and not _matches(n.pattern, s):
        return False
    return True


def synthesize(tree: MessageTree, n: Node, depth: int = 0) -> JSON:
    """A value satisfying ``n`` where one is easy to find; raises LookupError otherwise."""
    n = tree.resolve(n)
    if depth > 8:
        raise LookupError("too deep")
    if n.enum:
        return n.enum[0]
    k = n.kind
    if k == "string":
        if n.fmt in _FORMAT_OK and _string_ok(n, _FORMAT_OK[n.fmt]):
            return _FORMAT_OK[n.fmt]
        size = max(n.min_length or 0, 1)
        if size > PAYLOAD_LIMIT:
            raise LookupError("minLength too large for an example")
        for cand in ("a" * size, "A" * size, "0" * size, "example", "ABC", "1.0", "a1",
                     "ord_1", "x-1"):
            if _string_ok(n, cand):
                return cand
        raise LookupError("no string fits the pattern")
    if k in ("integer", "number"):
        lo = n.minimum if n.minimum is not None else (
            n.exclusive_minimum + 1 if n.exclusive_minimum is not None else 1)
        v: int | float = int(lo) if k == "integer" and float(lo).is_integer() else lo
        if n.multiple_of:
            v = n.multiple_of * max(1, -(-v // n.multiple_of))
        if k == "integer" and isinstance(v, float) and v.is_integer():
            v = int(v)
        return v
    if k == "boolean":
        return True
    if k == "null":
        return None
    if k == "any":
        return "any"
    if k == "array":
        count = max(n.min_items or 0, 1 if n.items is not None else 0)
        if count > PAYLOAD_LIMIT:
            raise LookupError("minItems too large for an example")
        if n.max_items is not None:
            count = min(count, n.max_items)
        if n.items is None:
            return list(range(count))
        first = synthesize(tree, n.items, depth + 1)
        if count > 1 and n.unique_items:
            raise LookupError("unique items")
        return [copy.deepcopy(first) for _ in range(count)]
    if k == "map":
        return {}
    if k == "union":
        return synthesize(tree, n.alternatives[0], depth + 1)
    if k == "object":
        return {p.wire: synthesize(tree, p.node, depth + 1) for p in n.properties
                if p.required or (depth == 0 and tree.resolve(p.node).kind not in ("object", "union"))}
    raise LookupError(k)


def valid_example(tree: MessageTree, declared: JSON) -> JSON | None:
    """The declared example when the schema accepts it, else a synthesized one (None if none)."""
    if declared is not None and _json_safe(declared) and not schema_errors(tree.schema, declared) \
            and _formats_ok(tree, tree.root, declared):
        return declared
    try:
        value = synthesize(tree, tree.root)
    except (LookupError, TypeError, ValueError, RecursionError):
        return None
    return value if not schema_errors(tree.schema, value) else None


def _json_safe(value: JSON) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return False
    return True


_FMT_RE = {
    "date-time": re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "email": re.compile(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    "uri": re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+"),
}


def _formats_ok(tree: MessageTree, n: Node, v: JSON, depth: int = 0) -> bool:
    """Conservative: formats in the declared example look right (strict validators agree)."""
    n = tree.resolve(n)
    if depth > MAX_DEPTH:
        return True
    if isinstance(v, str) and n.fmt in _FMT_RE:
        return bool(_FMT_RE[n.fmt].fullmatch(v))
    if isinstance(v, dict):
        if n.kind == "object":
            return all(_formats_ok(tree, p.node, v[p.wire], depth + 1)
                       for p in n.properties if p.wire in v)
        if n.kind == "map" and n.values is not None:
            return all(_formats_ok(tree, n.values, x, depth + 1) for x in v.values())
    if isinstance(v, list) and n.items is not None:
        return all(_formats_ok(tree, n.items, x, depth + 1) for x in v)
    if n.kind == "union":
        return True
    return True


@dataclass(frozen=True)
class Contract:
    """What a generator needs to enforce and test one message."""

    tree: MessageTree
    example: JSON  # a payload the schema accepts, or None when none was found
    valid: bool  # False: no valid example (then ``example`` is None and ``cases`` empty)
    cases: tuple[Violation, ...]


_CONTRACTS: dict[tuple[int, str, int], tuple[Message, Contract]] = {}


def contract(message: Message, profile: str, limit: int = 24) -> Contract:
    """The constraint tree, a valid example and up to ``limit`` violations of ``message``.

    Memoised per message object (a message is shaped once per service that touches it).
    """
    key = (id(message), profile, limit)
    hit = _CONTRACTS.get(key)
    if hit is not None and hit[0] is message:
        return hit[1]
    schema, declared = profile_payload(message, profile)
    tree = tree_of(schema, message.name)
    example = valid_example(tree, declared)
    cases = tuple(violations(tree, example, limit)) if example is not None else ()
    result = Contract(tree, example, example is not None, cases)
    if len(_CONTRACTS) > 4096:
        _CONTRACTS.clear()
    _CONTRACTS[key] = (message, result)
    return result


@dataclass(frozen=True)
class Violation:
    """An invalid payload: ``keyword`` broken at ``path`` (JSON path), all else valid."""

    keyword: str
    path: str
    payload: JSON
    note: str = ""


def _wrong_type(n: Node) -> JSON:
    return {"string": 12345, "integer": "12345", "number": "12.5", "boolean": "true",
            "object": "x", "map": "x", "array": "x", "null": 0}.get(n.kind, None)


def _set(root: JSON, parts: tuple[str | int, ...], value: JSON) -> JSON:
    out = copy.deepcopy(root)
    cur: Any = out
    for p in parts[:-1]:
        cur = cur[p]
    cur[parts[-1]] = value
    return out


def _delete(root: JSON, parts: tuple[str | int, ...]) -> JSON:
    out = copy.deepcopy(root)
    cur: Any = out
    for p in parts[:-1]:
        cur = cur[p]
    del cur[parts[-1]]
    return out


def _full(tree: MessageTree, n: Node) -> JSON:
    """An object alternative with every property filled (optional ones too)."""
    return {p.wire: synthesize(tree, p.node, 1) for p in n.properties}


def _two_branches(tree: MessageTree, n: Node, value: JSON) -> JSON | None:
    """For a oneOf of open objects: ``value`` merged with another alternative's properties, so
    it matches two alternatives (None when no pair of open objects without shared keys exists).
    ``violations`` keeps it only when the schema rejects it."""
    alts = [tree.resolve(a) for a in n.alternatives]
    objs = [a for a in alts if a.kind == "object" and not a.closed]
    for i, a in enumerate(objs):
        for b in objs[i + 1:]:
            try:
                first, second = _full(tree, a), _full(tree, b)
            except (LookupError, TypeError, ValueError, RecursionError):
                continue
            if not isinstance(first, dict) or not isinstance(second, dict) or set(first) & set(second):
                continue
            if isinstance(value, dict) and not set(value) & set(second):
                return {**value, **second}
            return {**first, **second}
    return None


def violations(tree: MessageTree, example: JSON, limit: int = 40) -> list[Violation]:
    """One invalid variant of ``example`` (which must be valid) per constraint reachable in it.

    Each variant breaks one keyword at one place; ``schema_errors`` (jsonschema-rs, formats
    checked) confirms the schema itself rejects every variant, so the list never asks a
    validator to reject a valid payload.
    """
    out: list[Violation] = []
    seen: set[tuple[str, str]] = set()
    try:  # compiled once: every candidate is checked against it
        validator = schema_compile.compile_schema(tree.schema) if isinstance(tree.schema, dict) else None
    except schema_compile.SchemaError:
        validator = None
    if validator is None:
        return []

    def rejected(payload: JSON) -> bool:
        try:
            return not validator.is_valid(payload)
        except ValueError:
            return False

    def add(keyword: str, parts: tuple[str | int, ...], payload: JSON, note: str = "") -> None:
        path = json_path(parts)
        if (keyword, path) in seen or len(out) >= 400 or not _json_safe(payload):
            return
        if not rejected(payload):
            return  # the schema accepts it after all (e.g. a union alternative matches)
        seen.add((keyword, path))
        out.append(Violation(keyword, path, payload, note))

    def visit(n: Node, value: JSON, parts: tuple[str | int, ...], depth: int) -> None:
        n = tree.resolve(n)
        if depth > 8:
            return
        if n.kind == "union":
            if n.exclusive:
                both = _two_branches(tree, n, value)
                if both is not None:
                    add("oneOf", parts, _set(example, parts, both) if parts else both,
                        "matches two oneOf alternatives")
            return  # which alternative breaks is ambiguous: the root-level type check covers it
        if parts and not n.nullable and n.kind not in ("any",):
            add("nullable", parts, _set(example, parts, None), "null where null is not allowed")
        wrong = _wrong_type(n)
        if parts and n.kind not in ("any", "null") and not n.enum:
            add("type", parts, _set(example, parts, wrong), f"a {type(wrong).__name__}, not {n.kind}")
        if n.enum is not None and parts:
            bad: JSON = "__not_in_enum__" if n.kind == "string" else (
                max((v for v in n.enum if isinstance(v, (int, float)) and not isinstance(v, bool)),
                    default=0) + 1 if n.kind in ("integer", "number") else "__not_in_enum__")
            add("const" if len(n.enum) == 1 else "enum", parts, _set(example, parts, bad))
        if n.kind == "string" and isinstance(value, str) and parts:
            if n.min_length and n.min_length <= PAYLOAD_LIMIT:
                add("minLength", parts, _set(example, parts, "a" * (n.min_length - 1)
                                             if n.pattern is None else ""))
            if n.max_length is not None and n.max_length < PAYLOAD_LIMIT:
                add("maxLength", parts, _set(example, parts, (value + "a" * (n.max_length + 1))[:n.max_length + 1]))
            if n.pattern is not None:
                for cand in ("!", "~~~~~~~~", "0", "aaaaaaaa", "A", "a", " ", "-"):
                    if not _matches(n.pattern, cand) and (n.max_length is None or len(cand) <= n.max_length) \
                            and len(cand) >= (n.min_length or 0):
                        add("pattern", parts, _set(example, parts, cand))
                        break
            if n.fmt in _FORMAT_BAD:
                add("format", parts, _set(example, parts, _FORMAT_BAD[n.fmt]), n.fmt)
        if n.kind in ("integer", "number") and isinstance(value, (int, float)) and parts:
            if n.minimum is not None:
                add("minimum", parts, _set(example, parts, n.minimum - 1))
            if n.exclusive_minimum is not None:
                add("exclusiveMinimum", parts, _set(example, parts, n.exclusive_minimum))
            if n.maximum is not None:
                add("maximum", parts, _set(example, parts, n.maximum + 1))
            if n.exclusive_maximum is not None:
                add("exclusiveMaximum", parts, _set(example, parts, n.exclusive_maximum))
            if n.multiple_of:
                add("multipleOf", parts, _set(example, parts, value + n.multiple_of / 2))
            if n.kind == "integer":
                add("type", parts, _set(example, parts, 1.5))
        if n.kind == "array" and isinstance(value, list):
            if n.min_items:
                add("minItems", parts, _set(example, parts, value[:n.min_items - 1]) if parts
                    else value[:n.min_items - 1])
            if n.max_items is not None and value and n.max_items < PAYLOAD_LIMIT:
                longer = (value * (n.max_items + 1))[:n.max_items + 1]
                add("maxItems", parts, _set(example, parts, longer) if parts else longer)
            if n.unique_items and value and (n.max_items is None or len(value) < n.max_items):
                dup = value + [copy.deepcopy(value[0])]
                add("uniqueItems", parts, _set(example, parts, dup) if parts else dup)
            if n.items is not None:
                for i, item in enumerate(value[:1]):
                    visit(n.items, item, (*parts, i), depth + 1)
        if n.kind == "object" and isinstance(value, dict):
            for p in n.properties:
                if p.required and p.wire in value:
                    add("required", (*parts, p.wire), _delete(example, (*parts, p.wire)))
            if n.closed:
                extra = "bogus"
                while extra in value:
                    extra += "_"
                add("additionalProperties", (*parts, extra), _set(example, (*parts, extra), True)
                    if parts or isinstance(example, dict) else example)
            for p in n.properties:
                if p.wire in value:
                    visit(p.node, value[p.wire], (*parts, p.wire), depth + 1)
        if n.kind == "map" and isinstance(value, dict) and n.values is not None:
            for k2, v2 in list(value.items())[:1]:
                visit(n.values, v2, (*parts, k2), depth + 1)

    root = tree.resolve(tree.root)
    if root.kind in ("object", "union") and example is not None:
        add("type", (), [] if not isinstance(example, list) else "x", "the payload is not an object")
    visit(tree.root, example, (), 0)
    # Every keyword once first (the most informative list under ``limit``), then the rest.
    firsts: dict[str, Violation] = {}
    for v in out:
        firsts.setdefault(v.keyword, v)
    chosen = list(firsts.values())
    chosen += [v for v in out if v not in chosen]
    keep = {id(v) for v in chosen[:limit]}
    return [v for v in out if id(v) in keep]
