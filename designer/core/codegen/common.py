"""What every code generator shares: safe identifiers, escaped text, schema -> type shapes.

Three jobs, all language-neutral:

* **Identifiers.** ``words`` splits any element name (camel, snake, kebab, dots, unicode,
  punctuation) into ASCII words; ``Scope`` turns them into identifiers in one naming style and
  keeps them valid (keywords, reserved names, leading digits, empty names) and unique within one
  namespace (``OrderPlaced`` and ``order_placed`` get ``OrderPlaced`` and ``OrderPlaced2``).
* **Embedded text.** ``c_string`` / ``py_string`` / ``comment_lines`` / ``py_docstring`` put any
  text (descriptions, wire names, examples) into code with no way to break out of the string or
  comment (``*/``, ``\"\"\"``, backticks, ``${``, Java's ``\\u`` escapes, JS line separators).
* **Shapes.** ``shape_message`` reads a message's JSON Schema into a small tree of ``TypeRef``
  and named ``ObjectDef`` / ``EnumDef`` that every language renders its own way, and
  ``example_payload`` picks the example the tests skeleton builds (or synthesizes one).

Nothing here reads files, the clock or the network.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from designer.core.model import JSON, Message, Model, Service

# ---------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def _ascii_words(chunk: str) -> list[str]:
    """Words of one run of characters: accents folded, other non-ASCII letters as ``uXXXX``."""
    out: list[str] = []
    buf: list[str] = []
    for ch in unicodedata.normalize("NFKD", chunk):
        if ch.isascii():
            buf.append(ch if ch.isalnum() else " ")
        elif unicodedata.combining(ch):
            continue  # the accent of a folded letter (é -> e + ́)
        elif ch.isalnum():
            # Keep a distinct, stable token for letters with no ASCII form so that two names in
            # different scripts do not both collapse to the empty fallback.
            buf.append(f" u{ord(ch):04x} ")
        else:
            buf.append(" ")
    for part in "".join(buf).split():
        if re.fullmatch(r"u[0-9a-f]{4,6}", part):
            out.append(part)
        else:
            out.extend(_CAMEL.findall(part))
    return out


@lru_cache(maxsize=65536)  # names repeat across scopes and languages; bounded for hostile input
def _cached_words(name: str) -> tuple[str, ...]:
    return tuple(_ascii_words(name))


def words(name: str) -> list[str]:
    """Split any name into ASCII words: ``"order-placed.v2"`` -> ``["order", "placed", "v", "2"]``.

    camelCase and PascalCase split at case changes (``HTTPServer`` -> ``HTTP``, ``Server``);
    accents are folded; letters with no ASCII form become ``uXXXX`` words; everything else
    separates words.
    """
    return list(_cached_words(name))


def pascal(ws: list[str]) -> str:
    """``["order", "placed"]`` -> ``OrderPlaced``."""
    return "".join(w[:1].upper() + w[1:].lower() for w in ws)


def camel(ws: list[str]) -> str:
    """``["order", "placed"]`` -> ``orderPlaced``."""
    p = pascal(ws)
    return p[:1].lower() + p[1:]


def snake(ws: list[str]) -> str:
    """``["order", "placed"]`` -> ``order_placed``."""
    return "_".join(w.lower() for w in ws)


def screaming(ws: list[str]) -> str:
    """``["order", "placed"]`` -> ``ORDER_PLACED``."""
    return "_".join(w.upper() for w in ws)


def lowerjoin(ws: list[str]) -> str:
    """``["order", "service"]`` -> ``orderservice`` (Java/Go package names)."""
    return "".join(w.lower() for w in ws)


def kebab(ws: list[str]) -> str:
    """``["order", "service"]`` -> ``order-service`` (folder names)."""
    return "-".join(w.lower() for w in ws)


# Go's initialisms (the list of golint / staticcheck ST1003): written all caps in Go names.
GO_INITIALISMS = frozenset(
    "acl api ascii cpu css dns eof guid html http https id ip json lhs qps ram rhs rpc sla smtp "
    "sql ssh tcp tls ttl udp ui gid uid uuid uri url utf8 vm xml xmpp xsrf xss".split())


def go_pascal(ws: list[str]) -> str:
    """``["order", "id"]`` -> ``OrderID`` (exported Go name, initialisms in caps)."""
    return "".join(w.upper() if w.lower() in GO_INITIALISMS else w[:1].upper() + w[1:].lower()
                   for w in ws)


STYLES: dict[str, Callable[[list[str]], str]] = {
    "pascal": pascal, "camel": camel, "snake": snake, "screaming": screaming,
    "lowerjoin": lowerjoin, "kebab": kebab, "gopascal": go_pascal,
}
# What an empty name (after normalisation: "", "!!!", "<>") becomes, per style.
_FALLBACK = {"gopascal": "Unnamed", "pascal": "Unnamed", "camel": "unnamed", "snake": "unnamed", "screaming": "UNNAMED",
             "lowerjoin": "unnamed", "kebab": "unnamed"}
# Prefix for a name that starts with a digit ("3ds-checked"): no language accepts that.
_DIGIT_PREFIX = {"gopascal": "N", "pascal": "N", "camel": "n", "snake": "n", "screaming": "N", "lowerjoin": "n",
                 "kebab": "n"}


def identifier(name: str, style: str) -> str:
    """The bare identifier for ``name`` in ``style`` (no keyword or uniqueness handling)."""
    base = STYLES[style](words(name)) or _FALLBACK[style]
    if base[0].isdigit():
        base = _DIGIT_PREFIX[style] + base
    return base


class Scope:
    """One namespace of one language: gives each key a valid identifier unique in the scope.

    ``name(key, suggestion)`` is memoised by ``key``: asking again returns the same identifier.
    A suggestion that is a keyword or reserved gets ``_`` appended; one already taken gets the
    smallest counter that is free (``OrderPlaced2``). Allocation follows call order, so callers
    allocate in a deterministic order (the generators sort by name). With ``fold_case`` two
    identifiers that differ only in case collide too (they become file names on macOS/Windows).
    """

    def __init__(self, style: str, keywords: Iterable[str] = (), reserved: Iterable[str] = (),
                 fold_case: bool = False) -> None:
        self.style = style
        self.keywords = frozenset(keywords)
        self.fold_case = fold_case
        self._taken: set[str] = set()
        self._by_key: dict[str, str] = {}
        for r in reserved:
            self._taken.add(self._fold(r))
        for k in self.keywords:
            self._taken.add(self._fold(k))

    def _fold(self, ident: str) -> str:
        return ident.lower() if self.fold_case else ident

    def take(self, ident: str) -> None:
        """Mark ``ident`` as used (a fixed name the generator writes itself)."""
        self._taken.add(self._fold(ident))

    def name(self, key: str, suggestion: str | None = None) -> str:
        """The identifier for ``key``, derived from ``suggestion`` (default: the key itself)."""
        found = self._by_key.get(key)
        if found is not None:
            return found
        base = identifier(key if suggestion is None else suggestion, self.style)
        if base in self.keywords:
            base = base + "_"
        candidate, n = base, 2
        while self._fold(candidate) in self._taken:
            candidate = f"{base}-{n}" if self.style == "kebab" else f"{base}{n}"
            n += 1
        self._taken.add(self._fold(candidate))
        self._by_key[key] = candidate
        return candidate


# ---------------------------------------------------------------------------------------------
# Embedded text
# ---------------------------------------------------------------------------------------------

def clean(text: str) -> str:
    """``text`` as valid UTF-8 (lone surrogates from hostile JSON become U+FFFD)."""
    if text.isascii():
        return text
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def c_string(text: str, astral: str = "utf16") -> str:
    """A double-quoted, ASCII-only string literal for TypeScript, Java and Go.

    Quotes, backslashes and control characters are escaped; non-ASCII characters become
    ``\\uXXXX`` (``astral="utf16"``: surrogate pairs, for TypeScript/Java) or ``\\UXXXXXXXX``
    (``astral="go"``). ASCII-only output also defuses Java's early ``\\u`` translation: a
    ``\\u`` produced here always stands for a character that cannot end the literal.
    """
    out = ['"']
    for ch in clean(text):
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}" if astral == "go" else f"\\u{o:04x}")
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        elif astral == "go":
            out.append(f"\\U{o:08x}")
        else:
            v = o - 0x10000
            out.append(f"\\u{0xD800 + (v >> 10):04x}\\u{0xDC00 + (v & 0x3FF):04x}")
    out.append('"')
    return "".join(out)


def py_string(text: str) -> str:
    """An ASCII-only Python string literal for ``text``, quoted the way ``ruff format`` (and
    black) settles on: double quotes, unless the text has more double quotes than single ones."""
    text = clean(text)
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = [quote]
    for ch in text:
        o = ord(ch)
        if ch in (quote, "\\"):
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append(quote)
    return "".join(out)


def text_lines(text: str) -> list[str]:
    """``text`` as lines safe inside any comment: every line break any language knows splits
    (CR, LF, U+2028...), other control characters go, trailing space is trimmed."""
    if text.isascii() and text.isprintable():
        return [text.rstrip()] if text.strip() else []
    lines = []
    for line in clean(text).splitlines():
        lines.append("".join(c for c in line if c == "\t" or unicodedata.category(c)[0] != "C"
                             or unicodedata.category(c) == "Co").rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return lines


def comment_lines(text: str, java: bool = False) -> list[str]:
    """Lines safe inside ``/* */``, ``/** */`` and ``//`` comments: ``*/`` is broken up and,
    for Java, backslashes are doubled so no ``\\u000a`` in a comment can end it early."""
    out = []
    for line in text_lines(text):
        line = line.replace("*/", "*\u2215")  # DIVISION SLASH reads as "/" and closes nothing
        if java:
            line = line.replace("\\", "\\\\")
        out.append(line)
    return out


def py_docstring(text: str, indent: str) -> str:
    """A complete triple-quoted Python docstring for ``text`` (quotes and backslashes escaped)."""
    lines = [ln.replace("\\", "\\\\").replace('"', '\\"') for ln in text_lines(text)] or ["."]
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join((indent + ln) if ln else "" for ln in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


# ---------------------------------------------------------------------------------------------
# Shapes: JSON Schema -> a small type tree
# ---------------------------------------------------------------------------------------------

# Deeper schemas than this are typed as "any": real payloads nest a handful of levels, and a
# bound keeps a hostile schema from exhausting the stack.
MAX_SCHEMA_DEPTH = 32


@dataclass(frozen=True)
class TypeRef:
    """A field's type. ``kind``: string, integer, number, boolean, datetime, date, any,
    array (``item``), map (``item``: value type), object / enum (``ref``: a named type key)."""

    kind: str
    item: TypeRef | None = None
    ref: str = ""
    nullable: bool = False


@dataclass(frozen=True)
class FieldDef:
    """One property of an object type."""

    wire: str  # the JSON property name, exactly
    type: TypeRef
    required: bool
    description: str = ""


@dataclass(frozen=True)
class ObjectDef:
    """A named object type (a message payload or a nested object)."""

    key: str  # unique within the service: "Message" or "Message/prop/[]/..."
    suggestion: str  # the name to derive its identifier from
    fields: tuple[FieldDef, ...]
    description: str = ""
    closed: bool = False  # additionalProperties: false


@dataclass(frozen=True)
class EnumDef:
    """A named string enumeration."""

    key: str
    suggestion: str
    values: tuple[str, ...]
    description: str = ""


NamedDef = ObjectDef | EnumDef


class _Shaper:
    def __init__(self, root: JSON, base_key: str, base_name: str) -> None:
        self.root = root
        self.base_key = base_key
        self.base_name = base_name
        self.defs: list[NamedDef] = []
        self._refs: dict[str, TypeRef] = {}

    def resolve(self, ref: str) -> JSON:
        if not ref.startswith("#/"):
            return None  # remote references are not followed: the core does no I/O
        node: JSON = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return None
        return node

    def type_of(self, schema: JSON, key: str, suggestion: str, depth: int) -> TypeRef:
        if not isinstance(schema, dict) or depth > MAX_SCHEMA_DEPTH:
            return TypeRef("any")
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in self._refs:
                return self._refs[ref]
            target = self.resolve(ref)
            tail = ref.rsplit("/", 1)[-1] or "Ref"
            if not isinstance(target, dict):
                return TypeRef("any")
            if _is_object(target) or _string_enum(target) is not None:
                # Register first so a recursive reference finds itself.
                rkey = f"{self.base_key}/$ref/{ref}"
                kind = "object" if _is_object(target) else "enum"
                self._refs[ref] = TypeRef(kind, ref=rkey)
                self.named(target, rkey, f"{self.base_name} {tail}", depth + 1)
                return self._refs[ref]
            t = self.type_of(target, key, suggestion, depth + 1)
            self._refs[ref] = t
            return t
        for combo in ("anyOf", "oneOf"):
            alts = schema.get(combo)
            if isinstance(alts, list) and alts:
                nonnull = [a for a in alts if not (isinstance(a, dict) and a.get("type") == "null")]
                if len(nonnull) == 1:
                    t = self.type_of(nonnull[0], key, suggestion, depth + 1)
                    return _with_null(t, len(nonnull) < len(alts))
                return TypeRef("any", nullable=len(nonnull) < len(alts))
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            merged = _merge_all_of(schema, all_of, self)
            return self.type_of(merged, key, suggestion, depth + 1)
        enum = _string_enum(schema)
        if enum is not None:
            nullable = isinstance(schema.get("enum"), list) and None in schema["enum"]
            return _with_null(self.named(schema, key, suggestion, depth), nullable)
        if "const" in schema and not isinstance(schema.get("const"), str):
            return TypeRef(_json_kind(schema["const"]))
        types = schema.get("type")
        nullable = False
        if isinstance(types, list):
            nonnull_t = [t for t in types if t != "null"]
            nullable = len(nonnull_t) < len(types)
            types = nonnull_t[0] if len(nonnull_t) == 1 else ("any" if nonnull_t else "null")
        if isinstance(schema.get("enum"), list):
            vals = [v for v in schema["enum"] if v is not None]
            kinds = {_json_kind(v) for v in vals}
            nullable = nullable or len(vals) < len(schema["enum"])
            return TypeRef(kinds.pop() if len(kinds) == 1 else "any", nullable=nullable)
        if types == "null":
            return TypeRef("any", nullable=True)
        if types == "object" or (types is None and _is_object(schema)):
            if _is_object(schema):
                return _with_null(self.named(schema, key, suggestion, depth), nullable)
            extra = schema.get("additionalProperties")
            value = (self.type_of(extra, key + "/{}", suggestion + " value", depth + 1)
                     if isinstance(extra, dict) else TypeRef("any"))
            return TypeRef("map", item=value, nullable=nullable)
        if types == "array":
            items = schema.get("items")
            item = (self.type_of(items, key + "/[]", suggestion + " item", depth + 1)
                    if isinstance(items, dict) else TypeRef("any"))
            return TypeRef("array", item=item, nullable=nullable)
        if types == "string":
            fmt = schema.get("format")
            kind = {"date-time": "datetime", "date": "date"}.get(fmt, "string") if isinstance(
                fmt, str) else "string"
            return TypeRef(kind, nullable=nullable)
        if types in ("integer", "number", "boolean"):
            return TypeRef(str(types), nullable=nullable)
        return TypeRef("any", nullable=nullable)

    def named(self, schema: dict[str, Any], key: str, suggestion: str, depth: int) -> TypeRef:
        desc = schema.get("description")
        desc = desc if isinstance(desc, str) else ""
        enum = _string_enum(schema)
        if enum is not None:
            self.defs.append(EnumDef(key, suggestion, enum, desc))
            return TypeRef("enum", ref=key)
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        req = schema.get("required")
        required = {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()
        index = len(self.defs)
        self.defs.append(ObjectDef(key, suggestion, (), desc))  # placeholder keeps parents first
        fields = []
        for prop, sub in props.items():
            prop = str(prop)
            t = self.type_of(sub, f"{key}/{prop}", f"{suggestion} {prop}", depth + 1)
            d = sub.get("description") if isinstance(sub, dict) else None
            fields.append(FieldDef(prop, t, prop in required, d if isinstance(d, str) else ""))
        closed = schema.get("additionalProperties") is False
        self.defs[index] = ObjectDef(key, suggestion, tuple(fields), desc, closed)
        return TypeRef("object", ref=key)


def _is_object(schema: dict[str, Any]) -> bool:
    return isinstance(schema.get("properties"), dict) and (
        schema.get("type") in (None, "object") or (
            isinstance(schema.get("type"), list) and "object" in schema["type"]))


def _string_enum(schema: dict[str, Any]) -> tuple[str, ...] | None:
    vals = schema.get("enum")
    if isinstance(vals, list) and vals and all(isinstance(v, str) or v is None for v in vals):
        strings = tuple(dict.fromkeys(v for v in vals if isinstance(v, str)))
        return strings or None
    c = schema.get("const")
    if isinstance(c, str):
        return (c,)
    return None


def _json_kind(value: JSON) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "any"


def _with_null(t: TypeRef, nullable: bool) -> TypeRef:
    return TypeRef(t.kind, t.item, t.ref, True) if nullable and not t.nullable else t


def _merge_all_of(schema: dict[str, Any], parts: list[JSON], shaper: _Shaper) -> dict[str, Any]:
    """allOf as one object: properties and required lists merged (the common use)."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    props: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for part in parts:
        if isinstance(part, dict) and isinstance(part.get("$ref"), str):
            part = shaper.resolve(part["$ref"])
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("properties"), dict):
            props.update(part["properties"])
        if isinstance(part.get("required"), list):
            required.extend(r for r in part["required"] if isinstance(r, str))
        for k in ("type", "description", "additionalProperties"):
            if k in part and k not in merged:
                merged[k] = part[k]
    if props:
        merged["properties"] = props
        merged["type"] = "object"
    if required:
        merged["required"] = list(dict.fromkeys(required))
    return merged


# Envelope fields per profile, as (wire name, role). Roles let each language fill them in.
ENVELOPE_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "cloudevents": (("id", "id"), ("source", "source"), ("specversion", "specversion"),
                    ("type", "type"), ("time", "time"), ("datacontenttype", "contenttype"),
                    ("dataversion", "version"), ("correlationid", "correlation"), ("data", "data")),
    "brief": (("eventId", "id"), ("eventType", "type"), ("version", "version"),
              ("timestamp", "time"), ("source", "source"), ("correlationId", "correlation"),
              ("data", "data")),
}
# Fields the envelope may omit: everything else is required on the wire.
OPTIONAL_ENVELOPE_ROLES = frozenset({"correlation"})


def envelope_profile(model: Model) -> str:
    """The envelope profile the generators use (custom envelopes get the CloudEvents shape:
    a custom schema has no roles to map the id, type and time onto)."""
    return model.envelope.profile if model.envelope.profile in ENVELOPE_FIELDS else "cloudevents"


def _unwrap_envelope(schema: JSON, example: JSON, profile: str) -> tuple[JSON, JSON]:
    """A schema that describes the whole envelope (the demo's OrderPlaced does) -> its data part."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return schema, example
    props = schema["properties"]
    names = {w for w, role in ENVELOPE_FIELDS[profile] if role in ("id", "type")}
    if "data" in props and names <= set(props):
        data_example = example.get("data") if isinstance(example, dict) else None
        data_schema = props["data"]
        if isinstance(data_schema, dict) and "$ref" not in data_schema and "$defs" in schema:
            data_schema = {**data_schema, "$defs": schema["$defs"]}
        return data_schema, data_example
    return schema, example


@dataclass(frozen=True)
class MessageShape:
    """One message as every generator sees it."""

    message: Message
    wire_type: str  # the envelope's type value
    version: str
    root: TypeRef  # kind "object": the payload type
    defs: tuple[NamedDef, ...]  # the payload type first, then nested types
    example: JSON  # a payload that fits the types (the declared example or a synthesized one)
    producers: tuple[str, ...]
    consumers: tuple[str, ...]


def shape_message(model: Model, message: Message) -> MessageShape:
    """The type shapes, example and participants of ``message`` (latest version)."""
    latest = message.latest
    schema, example = _unwrap_envelope(latest.schema if latest else None,
                                       latest.example if latest else None, envelope_profile(model))
    shaper = _Shaper(schema, message.name, message.name)
    if isinstance(schema, dict) and _is_object(schema):
        root = shaper.named(schema, message.name, message.name, 0)
    else:
        # Not an object payload: an open object type, so every language can still name it.
        shaper.defs.append(ObjectDef(message.name, message.name, (), ""))
        root = TypeRef("object", ref=message.name)
    defs = tuple(shaper.defs)
    return MessageShape(
        message=message,
        wire_type=message.type or message.name,
        version=latest.version if latest else "1.0.0",
        root=root,
        defs=defs,
        example=example_payload(schema, example, defs, root),
        producers=tuple(sorted({r.service for r in model.producers(message.name)})),
        consumers=tuple(sorted({r.service for r in model.consumers(message.name)})),
    )


def _fits(value: JSON, t: TypeRef, defs: dict[str, NamedDef], depth: int = 0) -> bool:
    """Does a JSON value fit the generated types (what the typed parsers will accept)?"""
    if depth > MAX_SCHEMA_DEPTH:
        return False
    if value is None:
        return t.nullable or t.kind == "any"
    k = t.kind
    if k == "any":
        return True
    if k in ("string", "datetime", "date"):
        if not isinstance(value, str):
            return False
        if k == "datetime":
            return bool(_RFC3339.fullmatch(value))
        if k == "date":
            return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
        return True
    if k == "integer":
        return isinstance(value, int) and not isinstance(value, bool) and -2**63 <= value < 2**63
    if k == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if k == "boolean":
        return isinstance(value, bool)
    if k == "array":
        return isinstance(value, list) and t.item is not None and all(
            _fits(v, t.item, defs, depth + 1) for v in value)
    if k == "map":
        return isinstance(value, dict) and t.item is not None and all(
            _fits(v, t.item, defs, depth + 1) for v in value.values())
    d = defs.get(t.ref)
    if isinstance(d, EnumDef):
        return value in d.values
    if isinstance(d, ObjectDef):
        if not isinstance(value, dict):
            return False
        known = {f.wire for f in d.fields}
        if d.closed and not set(value) <= known:
            return False
        return all((f.wire in value and _fits(value[f.wire], f.type, defs, depth + 1))
                   or (f.wire not in value and not f.required) for f in d.fields)
    return False


_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")


def _json_safe(value: JSON) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return False
    return True


def example_payload(schema: JSON, example: JSON, defs: tuple[NamedDef, ...], root: TypeRef) -> JSON:
    """The declared example when it fits the generated types, else one built from the types.

    Checking against the generated types (not only the JSON Schema) is what guarantees the
    tests skeleton compiles and passes in every language.
    """
    by_key = {d.key: d for d in defs}
    if example is not None and _json_safe(example) and _fits(example, root, by_key):
        return example
    return synthesize(root, by_key)


def synthesize(t: TypeRef, defs: dict[str, NamedDef], depth: int = 0) -> JSON:
    """A value of type ``t``: required fields only below the top level, one item per array."""
    k = t.kind
    if k in ("string",):
        return "example"
    if k == "datetime":
        return "2025-01-01T00:00:00Z"
    if k == "date":
        return "2025-01-01"
    if k == "integer":
        return 1
    if k == "number":
        return 1.5
    if k == "boolean":
        return True
    if k == "any":
        return None
    if k == "array":
        if t.item is None or depth > 4:
            return []
        return [synthesize(t.item, defs, depth + 1)]
    if k == "map":
        return {}
    d = defs.get(t.ref)
    if isinstance(d, EnumDef):
        return d.values[0]
    if isinstance(d, ObjectDef):
        return {f.wire: synthesize(f.type, defs, depth + 1) for f in d.fields
                if f.required or (depth == 0 and f.type.kind != "object")}
    return None


# ---------------------------------------------------------------------------------------------
# A service's view of the model
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceShape:
    """What one service gets: the messages it consumes and produces, each shaped once."""

    service: Service
    messages: tuple[MessageShape, ...]  # every message it touches, sorted by name
    consumed: tuple[MessageShape, ...]
    produced: tuple[MessageShape, ...]
    profile: str
    revision: str
    model_name: str
    extras: dict[str, Any] = field(default_factory=dict)
    # A consumed query's reply (``Message.reply``): its responder returns that message's type.
    replies: dict[str, MessageShape] = field(default_factory=dict)
    # A consumed command's reply: its handler returns that type (languages that type it).
    command_replies: dict[str, MessageShape] = field(default_factory=dict)


def shape_service(model: Model, service: Service, cache: dict[str, MessageShape]) -> ServiceShape:
    """Shape ``service``; ``cache`` shares message shapes between services of one run."""
    def shapes(names: Iterable[str]) -> tuple[MessageShape, ...]:
        out = []
        for name in sorted(set(names)):
            msg = model.messages_by_name.get(name)
            if msg is None:
                continue  # a relation to an undeclared message: nothing to type
            if name not in cache:
                cache[name] = shape_message(model, msg)
            out.append(cache[name])
        return tuple(out)

    consumed = shapes(r.message for r in model.consumed_by(service.name))
    produced = shapes(r.message for r in model.produced_by(service.name))
    answered = {m.message.name: m.message.reply for m in consumed
                if m.message.kind == "query" and m.message.reply in model.messages_by_name}
    acked = {m.message.name: m.message.reply for m in consumed
             if m.message.kind == "command" and m.message.reply in model.messages_by_name}
    every = shapes({m.message.name for m in consumed + produced} | set(answered.values())
                   | set(acked.values()))
    by_name = {m.message.name: m for m in every}
    return ServiceShape(service, every, consumed, produced, envelope_profile(model),
                        model.revision, model.name,
                        replies={q: by_name[r] for q, r in answered.items()},
                        command_replies={c: by_name[r] for c, r in acked.items()})


def type_names(shape: ServiceShape, scope: Scope) -> dict[str, str]:
    """Type names of a service's messages (first, so they keep their own names) and of the
    nested objects and enums they define, unique within ``scope``."""
    names: dict[str, str] = {}
    for m in shape.messages:
        names[m.message.name] = scope.name("msg:" + m.message.name, m.message.name)
    for m in shape.messages:
        for d in m.defs:
            if d.key not in names:
                names[d.key] = scope.name("def:" + d.key, d.suggestion)
    return names


def json_text(value: JSON) -> str:
    """Compact, ASCII-only JSON for an example embedded in generated code."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def routes(consumed: Iterable[MessageShape]) -> list[MessageShape]:
    """The consumed messages a dispatcher routes: the first per wire type (two messages sharing
    one type cannot both be routed by it; a switch with duplicate cases does not compile)."""
    seen: set[str] = set()
    out = []
    for m in consumed:
        if m.wire_type not in seen:
            seen.add(m.wire_type)
            out.append(m)
    return out


def header_lines(shape: ServiceShape, generator: str) -> list[str]:
    """The header every generated file starts with (no timestamp: output is reproducible)."""
    first = (f"Generated by {generator} for service {shape.service.name!r}"
             f" of model {shape.model_name!r}, revision {shape.revision or 'unknown'!r}.")
    return [
        first,
        "Regenerating overwrites this file; keep your code in the TODO bodies or in new files.",
    ]
