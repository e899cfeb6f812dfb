"""Python 3.11 target: pydantic v2 models that enforce the schema, handlers, publishers, an outbox
and an idempotent dispatcher.

Layout (what a Python developer expects): ``pyproject.toml``, the package ``<service>/`` and
``tests/`` for pytest. Hand-written Jinja2 templates rather than datamodel-code-generator: the
models must share one naming scope with the handlers and survive hostile names, and the output
must pass ``ruff check`` and ``mypy --strict`` byte-for-byte reproducibly.

Validation: every constraint of ``constraints.message_tree`` becomes a pydantic constraint
(``Field(min_length=..., pattern=..., ge=...)``, ``Literal`` / ``StrEnum`` for enum and const,
``extra="forbid"`` for closed objects, ``AwareDatetime`` / ``EmailStr`` / ``UUID`` / a checked
``AnyUrl`` for formats, unions for anyOf, unions counting matches for oneOf). Models are strict and parsed from JSON text, so
``"1"`` is not an integer and ``1`` not a string. ``messages.parse`` raises ``InvalidMessage``
carrying ``(JSON path, problem)`` pairs.

Generation gap: ``handlers.py`` is created once (the developer's code); ``handlers_base.py`` and
everything else are regenerated.
"""
from __future__ import annotations

import json
import keyword
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

from designer.core.codegen import common, constraints, gap
from designer.core.codegen.common import Scope, py_docstring, py_string
from designer.core.codegen.constraints import Node
from designer.core.codegen.registry import Language, Naming
from designer.core.codegen.render import render

KEYWORDS = frozenset(keyword.kwlist) | frozenset({"self", "cls"})
NAMING = Naming(types="pascal", fields="snake", packages="snake", keywords=KEYWORDS)
# Names messages.py imports or defines, or that pydantic's BaseModel already defines.
TYPE_RESERVED = ("BaseModel", "ConfigDict", "Field", "StrEnum", "Any", "Envelope", "UTC",
                 "Annotated", "Literal", "AfterValidator", "BeforeValidator", "AwareDatetime",
                 "EmailStr", "UUID", "AnyUrl", "TypeAdapter", "RootModel", "ValidationError",
                 "InvalidMessage", "JsonValue", "_ExactlyOne", "_ONE_OF", "TypeVar", "MESSAGES", "Problem", "ModelT",
                 "Callable", "date", "datetime", "json")
FIELD_RESERVED = (
    "str", "int", "float", "bool", "list", "dict", "datetime", "date", "Any", "Field",
    "copy", "json", "parse_obj", "parse_raw", "parse_file", "from_orm", "construct", "schema",
    "schema_json", "validate", "update_forward_refs", "fields", "Annotated", "Literal", "UUID",
    "EmailStr", "AwareDatetime", "AnyUrl", "AfterValidator", "BeforeValidator", "None",
)
# Package names that would shadow a module the generated code imports.
PACKAGE_RESERVED = ("json", "typing", "enum", "datetime", "uuid", "pydantic", "tests", "test",
                    "dataclasses", "collections", "abc", "threading", "contextlib", "sqlite3")
# Patterns Rust's regex engine (pydantic's default, linear time) cannot run.
_NEEDS_PYTHON_RE = re.compile(r"\(\?[=!<>]|\(\?P=|\\[1-9]|\\[Zk]")


class _Types:
    """Python annotations for constraint nodes; remembers what messages.py must import."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.used: set[str] = set()
        self.python_re = False
        self.exactly_one = False  # a oneOf needs the ``_ONE_OF`` marker

    def _field(self, **kw: Any) -> str:
        args = [f"{k}={_lit(v)}" for k, v in kw.items() if v is not None]
        if not args:
            return ""
        self.used.add("Field")
        return f"Field({', '.join(args)})"

    def annotated(self, base: str, *meta: str) -> str:
        meta = tuple(x for x in meta if x)
        if not meta:
            return base
        self.used.add("Annotated")
        return f"Annotated[{base}, {', '.join(meta)}]"

    def ann(self, n: Node) -> str:
        base = self._bare(n)
        if n.nullable and base not in ("Any", "None") and not base.endswith(", _ONE_OF]"):
            return f"{base} | None"
        return base

    def _bare(self, n: Node) -> str:
        k = n.kind
        if k == "ref" or (k == "object" and n.key in self.names):
            return self.names[n.key]
        if n.enum is not None:
            if n.key in self.names:  # a StrEnum class
                return self.names[n.key]
            return self._enum(n)
        if k == "string":
            return self._string(n)
        if k in ("integer", "number"):
            base = "int" if k == "integer" else "float"
            return self.annotated(base, self._field(
                ge=n.minimum, le=n.maximum, gt=n.exclusive_minimum, lt=n.exclusive_maximum,
                multiple_of=n.multiple_of))
        if k == "boolean":
            return "bool"
        if k == "null":
            return "None"
        if k == "array":
            item = self.ann(n.items) if n.items is not None else "Any"
            if item == "Any":
                self.used.add("Any")
            unique = ""
            if n.unique_items:
                self.used.add("AfterValidator")
                unique = "AfterValidator(_unique)"
            return self.annotated(f"list[{item}]", self._field(min_length=n.min_items,
                                                               max_length=n.max_items), unique)
        if k == "map":
            value = self.ann(n.values) if n.values is not None else "Any"
            if value == "Any":
                self.used.add("Any")
            return self.annotated(f"dict[str, {value}]",
                                  self._field(max_length=0) if n.closed and n.values is None else "")
        if k == "union":
            alts = list(dict.fromkeys(self.ann(a) for a in n.alternatives))
            if n.exclusive and len(alts) > 1:  # oneOf: pydantic's union takes the first match
                self.used.update({"Any", "Annotated"})
                self.exactly_one = True
                none = " | None" if n.nullable else ""  # inside, so ``ann`` adds no second union
                return f"Annotated[{' | '.join(alts)}{none}, _ONE_OF]"
            return " | ".join(alts)
        self.used.add("Any")
        return "Any"

    def _enum(self, n: Node) -> str:
        vals = n.enum or ()
        if all(isinstance(v, (str, int)) and not isinstance(v, float) for v in vals):
            self.used.add("Literal")
            lit = f"Literal[{', '.join(_lit(v) for v in vals)}]"
            if any(isinstance(v, int) for v in vals) and not any(isinstance(v, bool) for v in vals):
                self.used.add("BeforeValidator")
                return self.annotated(lit, "BeforeValidator(_not_bool)")
            return lit
        self.used.update({"Any", "AfterValidator"})
        texts = [json.dumps(v, sort_keys=True) for v in vals]  # compared as canonical JSON
        return self.annotated("Any", f"AfterValidator(_one_of({_lit(texts)}))")

    def _string(self, n: Node) -> str:
        fmt = n.fmt
        if fmt == "date-time":
            self.used.add("AwareDatetime")
            return "AwareDatetime"
        if fmt == "date":
            self.used.add("date")
            return "date"
        if fmt == "uuid":
            self.used.add("UUID")
            return "UUID"
        if n.pattern is not None and _NEEDS_PYTHON_RE.search(n.pattern):
            self.python_re = True
        field = self._field(min_length=n.min_length, max_length=n.max_length, pattern=n.pattern)
        if fmt == "email":
            self.used.add("EmailStr")
            return self.annotated("EmailStr", field)
        if fmt == "uri":
            self.used.add("AfterValidator")
            return self.annotated("str", field, "AfterValidator(_uri)")
        return self.annotated("str", field)


def _lit(v: Any) -> str:
    """A Python literal for a JSON value (strings safely escaped)."""
    if isinstance(v, str):
        return py_string(v)
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, (int, float)):
        return repr(v).replace("e+", "e")  # 1e308, as ruff format writes exponents
    if isinstance(v, list):
        return "(" + ", ".join(_lit(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return py_string(json.dumps(v, sort_keys=True))


LINE_LENGTH = 120  # the generated pyproject's [tool.ruff] line-length


def _fit(indent: int, head: str, args: list[str], tail: str = "", collection: bool = False,
         brackets: str = "()") -> str:
    """``head(args)tail`` laid out as ``ruff format`` lays it out, for code starting at column
    ``indent``: on one line when it fits; else the arguments on one indented line (a call's, a
    def's or a subscript's, when they fit, or a single argument); else one per line with a
    trailing comma, a too-long ``X[Y]`` argument split at its bracket. A ``collection`` (a tuple
    literal) never takes the middle form. Arguments are single-line: templates hoist long nested
    literals."""
    left, right = brackets[0], brackets[1]
    single_tuple = collection and brackets == "()" and len(args) == 1  # ("a",)
    one = f"{head}{left}{', '.join(args)}{',' if single_tuple else ''}{right}{tail}"
    if indent + len(one) <= LINE_LENGTH:
        return one
    if not args:  # def name() -> None: too long: ruff parenthesizes the return annotation
        at = tail.find("-> ")
        if at >= 0 and tail.endswith(":"):
            return f"{head}{left}{right}{tail[:at]}-> (\n{' ' * (indent + 4)}{tail[at + 3:-1]}\n{' ' * indent}):"
        return one
    pad, inner, body = " " * indent, " " * (indent + 4), ", ".join(args)
    if not single_tuple and (len(args) == 1 or (not collection and indent + 4 + len(body) <= LINE_LENGTH)):
        return f"{head}{left}\n{inner}{body}\n{pad}{right}{tail}"
    lines = []
    for a in args:
        at, union = a.find("["), _split_top(a, " | ")
        if indent + 4 + len(a) + 1 > LINE_LENGTH and len(union) > 1:  # A | B | None: one operand a line
            a = _wrap_type(indent + 4, union[0]) + "".join(f"\n{inner}| {_wrap_type(indent + 4, u)}"
                                                          for u in union[1:])
        elif indent + 4 + len(a) + 1 > LINE_LENGTH and at > 0 and a.endswith("]"):
            a = _fit(indent + 4, a[:at], _split_top(a[at + 1:-1]), brackets="[]")
        lines.append(f"{inner}{a},\n")
    return f"{head}{left}\n" + "".join(lines) + f"{pad}{right}{tail}"


def _root_decl(name: str, ann: str) -> str:
    """``class Name(RootModel[ann]):`` as ruff format wraps it when too long."""
    one = f"class {name}(RootModel[{ann}]):"
    if len(one) <= LINE_LENGTH:
        return one
    return f"class {name}(\n    {_wrap_type(4, f'RootModel[{ann}]')}\n):"


def _wrap_type(indent: int, text: str, tail: str = "") -> str:
    """A subscripted type ``Head[args]`` at ``indent`` as ruff format splits it: one argument is
    split further; several go on one line when they fit, else one a line with a trailing comma."""
    if indent + len(text) + len(tail) <= LINE_LENGTH:
        return text + tail
    at = text.find("[")
    if at <= 0 or not text.endswith("]"):
        return text + tail
    args, pad, inner = _split_top(text[at + 1:-1]), " " * indent, " " * (indent + 4)
    if len(args) == 1:
        body = _wrap_type(indent + 4, args[0])
    elif indent + 4 + len(", ".join(args)) <= LINE_LENGTH:
        body = ", ".join(args)
    else:
        body = f"\n{inner}".join(_wrap_type(indent + 4, a, ",") if len(_split_top(a, " | ")) < 2
                                  or indent + 4 + len(a) + 1 <= LINE_LENGTH
                                  else f"\n{inner}| ".join(_split_top(a, " | ")) + "," for a in args)
    return f"{text[:at]}[\n{inner}{body}\n{pad}]{tail}"


def _split_top(text: str, sep: str = ",") -> list[str]:
    """``text`` split at its top-level ``sep`` (outside brackets and string literals)."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i].strip())
            start = i + len(sep)
            i += len(sep) - 1
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _fit_if(indent: int, left: str, op: str, right: str) -> str:
    """``if left op right:`` as ruff format wraps a too-long condition."""
    one = f"if {left} {op} {right}:"
    if indent + len(one) <= LINE_LENGTH:
        return one
    pad, inner = " " * indent, " " * (indent + 4)
    if indent + 4 + len(one) - 4 <= LINE_LENGTH:
        return f"if (\n{inner}{left} {op} {right}\n{pad}):"
    return f"if (\n{inner}{left}\n{inner}{op} {right}\n{pad}):"


def _field_line(ident: str, ann: str, args: list[str]) -> str:
    """A model field ``ident: ann = value`` at column 4, as ruff format lays it out: the value
    split first (``= Field(`` / ``= (None)``) when the line up to it fits, else the annotation."""
    value = "" if not args else " = None" if args == ["default=None"] else f" = Field({', '.join(args)})"
    one = f"{ident}: {ann}{value}"
    if 4 + len(one) <= LINE_LENGTH:
        return one
    if value == " = None" and 4 + len(f"{ident}: {ann} = (") <= LINE_LENGTH:
        return f"{ident}: {ann} = (\n        None\n    )"
    if value.startswith(" = Field(") and 4 + len(f"{ident}: {ann} = Field(") <= LINE_LENGTH:
        return _fit(4, f"{ident}: {ann} = Field", args)
    union = _split_top(ann, " | ")
    if len(union) > 1:  # a union annotation: parenthesized, then one operand a line
        if 8 + len(ann) <= LINE_LENGTH:
            return f"{ident}: (\n        {ann}\n    ){value}"
        ops = []
        for op in union:
            at = op.find("[")
            if 8 + len(op) > LINE_LENGTH and at > 0 and op.endswith("]"):
                op = _fit(8, op[:at], _split_top(op[at + 1:-1]), brackets="[]")
            ops.append(op)
        return f"{ident}: (\n        " + "\n        | ".join(ops) + f"\n    ){value}"
    at = ann.find("[")
    if at > 0 and ann.endswith("]"):
        return _fit(4, f"{ident}: {ann[:at]}", _split_top(ann[at + 1:-1]), value, brackets="[]")
    return one


def _json_literal(value: Any) -> str:
    """A Python string literal holding ``value`` as ASCII JSON text (a JSON string literal of
    ASCII text is a valid Python literal with the same value; far faster than py_string)."""
    text = json.dumps(value, ensure_ascii=True)
    if text.count('"') > text.count("'"):  # the quotes ruff format settles on (fewer escapes)
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return json.dumps(text)


def _object_block(n: Node, name: str, doc: str, types: _Types) -> dict[str, Any]:
    fields = Scope(NAMING.fields, KEYWORDS, FIELD_RESERVED)
    out = []
    python_re = False
    for p in n.properties:
        suggestion = p.wire
        if common.identifier(p.wire, "snake").startswith("model_"):
            suggestion = "field " + p.wire  # pydantic reserves the model_ prefix
        ident = fields.name(p.wire, suggestion)
        before = types.python_re
        types.python_re = False
        ann = types.ann(p.node)
        python_re = python_re or types.python_re
        types.python_re = before
        args = []
        if not p.required:
            if not ann.endswith("| None") and ann not in ("Any", "None"):
                # Absent is fine; an explicit null is not (the schema does not allow it).
                types.used.add("AfterValidator")
                ann = types.annotated(f"{ann} | None", "AfterValidator(_present)")
            args.append("default=None")
        if ident != p.wire:
            args.append(f"alias={py_string(p.wire)}")
        if args and args != ["default=None"]:
            types.used.add("Field")
        desc = p.node.description
        out.append({"ident": ident, "line": _field_line(ident, ann, args),
                    "comment": [("#: " + ln).rstrip() for ln in common.text_lines(desc)]})
    return {"kind": "object", "name": name, "doc": doc, "fields": out,
            "extra": "forbid" if n.closed else "allow", "python_re": python_re}


def _bad_reply(cases: Any) -> str | None:
    """The invalid payload a generated test has a responder return: a missing required field
    when the reply has one (what a half-built answer looks like), else the first violation."""
    pick = next((v for v in cases if v.keyword == "required"), cases[0] if cases else None)
    return _json_literal(pick.payload) if pick is not None else None


class ServiceContext(TypedDict):
    """What every template of the Python project is rendered with (one service).

    Message entries (``messages``, ``consumed``, ``routes``, ``produced``) are dicts with
    ``name``, ``cls``, ``kind``, ``handler``, ``publisher``, ``example``, ``cases``,
    ``reply_cls`` ... (see ``generate_service``); ``types`` are the class blocks of messages.py.
    Text is already escaped for Python (string literals, docstrings, comments).
    """

    imports: list[str]  # messages.py's import lines
    exactly_one: bool  # messages.py defines ``_ONE_OF`` (a oneOf is checked)
    header: str  # the generated-file comment header
    once_header: str  # the created-once header of handlers.py
    pkg: str  # the package (snake case)
    project: str  # the distribution name (kebab case)
    description: str
    types: list[dict[str, Any]]
    consumed: list[dict[str, Any]]
    routes: list[dict[str, Any]]
    produced: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    first_route: dict[str, Any] | None
    query_route: dict[str, Any] | None
    command_route: dict[str, Any] | None  # the first command that names its reply
    has_queries: bool
    untyped_queries: bool
    has_replies: bool
    dispatch_returns: str
    fit: Callable[..., str]  # ruff-format line fitting, called by templates
    fit_if: Callable[..., str]
    env: dict[str, str]  # envelope role -> wire field
    env_fields: list[tuple[str, str]]
    service_name: str
    service_doc: str


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The Python project of one service."""
    from designer.core.codegen import GENERATOR

    pkg = Scope(NAMING.packages, KEYWORDS, PACKAGE_RESERVED).name(shape.service.name)
    scope = Scope(NAMING.types, KEYWORDS, TYPE_RESERVED, fold_case=True)
    names = common.type_names(shape, scope)
    contracts = {m.message.name: constraints.contract(m.message, shape.profile) for m in shape.messages}
    trees = {name: c.tree for name, c in contracts.items()}
    # Objects and string enums common does not define (inside a oneOf/anyOf) get names too.
    for m in shape.messages:
        for key in trees[m.message.name].defs:
            if key not in names:
                names[key] = scope.name("def:" + key, f"{m.message.name} {key.rsplit('/', 1)[-1]}")
    types = _Types(names)
    type_blocks: list[dict[str, Any]] = []
    emitted: set[str] = set()
    for m in shape.messages:
        tree = trees[m.message.name]
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        # Definitions were registered children first: a class is defined before its users.
        for key, node in tree.defs.items():
            if key in emitted or key == msg.name:
                continue
            emitted.add(key)
            doc = node.description or (f"Values of {key.rsplit('/', 1)[-1]} in {msg.name}."
                                        if node.enum else f"Part of {msg.name}: {key.rsplit('/', 1)[-1]}.")
            type_blocks.append(_block(node, names[key], doc, types))
        if msg.name in emitted:
            continue
        emitted.add(msg.name)
        root = tree.root
        if root.kind not in ("object", "ref"):
            types.used.add("RootModel")
            type_blocks.append({"kind": "root", "name": names[msg.name],
                                "doc": py_docstring(meaning, "    "),
                                "decl": _root_decl(names[msg.name], types.ann(root))})
        else:
            type_blocks.append(_block(root, names[msg.name], meaning, types))

    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    env = {role: wire for wire, role in env_fields}
    handlers = Scope("snake", KEYWORDS, ("dispatch", "dispatch_json", "consumer"))
    publishers = Scope("snake", KEYWORDS, ("Outbox", "Envelope", "m", "datetime", "UTC", "uuid",
                                           "Any", "annotations", "SOURCE"))
    tests = Scope("snake", KEYWORDS, ("json", "m", "pytest", "threading", "Recorder", "envelope_json"))
    msgs = []
    verb = {"event": "on", "command": "handle", "query": "answer"}
    for m in shape.messages:
        msg = m.message
        tree = trees[msg.name]
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        c = contracts[msg.name]
        # No valid example found (e.g. a pattern nothing simple matches): the one that fits
        # the types is embedded, and neither accepted nor rejected by the generated tests.
        example = c.example if c.valid else m.example
        cases, valid = c.cases, c.valid
        msgs.append({
            "name": msg.name,
            "cls": names[msg.name],
            "name_lit": py_string(msg.name),
            "kind": msg.kind,
            "root": tree.root.kind not in ("object", "ref"),
            "wire_type": py_string(m.wire_type),
            "version": py_string(m.version),
            "handler": handlers.name("h:" + msg.name, f"{verb.get(msg.kind, 'on')} {msg.name}"),
            "publisher": publishers.name("p:" + msg.name, f"publish {msg.name}"),
            "test": tests.name("t:" + msg.name, f"test {msg.name} accepts its example"),
            "test_bad": tests.name("tb:" + msg.name, f"test {msg.name} rejects what its schema forbids"),
            "handler_doc": py_docstring(
                f"{meaning}\n\nSent by: {', '.join(m.producers) or 'no declared producer'}."
                f"\nWire type: {m.wire_type}, version {m.version}.", "        "),
            "publisher_doc": py_docstring(
                f"Publish {msg.name}: write its envelope to the outbox in the caller's transaction."
                f"\n\n{meaning}\n\nConsumed by: {', '.join(m.consumers) or 'no declared consumer'}.",
                "    "),
            "example": _json_literal(example),
            "valid": valid,
            "cases": [(py_string(v.keyword), py_string(v.path), _json_literal(v.payload))
                      for v in cases],
            "reply_cls": "", "reply_example": "", "reply_valid": False, "reply_bad": None,
        })
    by_name = {x["name"]: x for x in msgs}
    # A query's responder, and a command's handler when the command names a reply, return the
    # reply's type.
    for query, reply in (shape.replies | shape.command_replies).items():
        r = by_name[reply.message.name]
        by_name[query].update({"reply_cls": r["cls"], "reply_example": r["example"], "reply_valid": r["valid"],
                               "reply_bad": _bad_reply(contracts[reply.message.name].cases)})
    consumed = [by_name[m.message.name] for m in shape.consumed]
    routes = [by_name[m.message.name] for m in common.routes(shape.consumed)]
    returns = [f"m.{h['reply_cls']}" if h["reply_cls"] else "JsonValue" if h["kind"] == "query" else "None"
               for h in routes]
    if any(h["kind"] == "command" and h["reply_cls"] for h in routes):
        returns.append("None")  # a duplicate command is not run again and answers nothing
    returns = list(dict.fromkeys(r for r in returns if not (r == "None" and "JsonValue" in returns)))
    produced = [by_name[m.message.name] for m in shape.produced]

    def comment(lines: list[str]) -> str:
        return "\n".join("# " + ln for ln in common.text_lines("\n".join(lines)))

    ctx: ServiceContext = {
        "imports": _message_imports(types, type_blocks),
        "exactly_one": types.exactly_one,
        "header": comment(gap.generated_header(shape, GENERATOR, f"{pkg}/handlers.py")),
        "once_header": comment(gap.once_header(shape, GENERATOR)),
        "pkg": pkg,
        "project": common.identifier(shape.service.name, "kebab"),
        "description": common.c_string(" ".join(common.text_lines(shape.service.description)),
                                       astral="go"),
        "types": type_blocks,
        "consumed": consumed,
        "routes": routes,
        "produced": produced,
        "messages": msgs,
        "first_route": next((h for h in routes if h["kind"] != "query" and h["valid"]), None),
        "command_route": next((h for h in routes if h["kind"] == "command" and h["reply_cls"] and h["valid"]),
                              None),
        "query_route": next((h for h in routes if h["kind"] == "query" and h["valid"]), None),
        "has_queries": any(h["kind"] == "query" for h in routes),
        "untyped_queries": any(h["kind"] == "query" and not h["reply_cls"] for h in consumed),
        "has_replies": any(h["reply_cls"] for h in routes),
        "dispatch_returns": " | ".join(returns) or "None",
        "fit": _fit,
        "fit_if": _fit_if,
        "env": env,
        "env_fields": [(wire, role) for wire, role in env_fields],
        "service_name": py_string(shape.service.name),
        "service_doc": py_docstring(shape.service.description or shape.service.name, ""),
    }
    files = {
        "pyproject.toml": "pyproject.toml.j2",
        "README.md": "README.md.j2",
        "bin/validate": "validate.sh.j2",
        f"{pkg}/__init__.py": "init.py.j2",
        f"{pkg}/messages.py": "messages.py.j2",
        f"{pkg}/envelope.py": "envelope.py.j2",
        f"{pkg}/idempotency.py": "idempotency.py.j2",
        f"{pkg}/outbox.py": "outbox.py.j2",
        f"{pkg}/handlers_base.py": "handlers_base.py.j2",
        f"{pkg}/handlers.py": "handlers.py.j2",
        f"{pkg}/publishers.py": "publishers.py.j2",
        f"{pkg}/dispatcher.py": "dispatcher.py.j2",
        f"{pkg}/validate.py": "validate.py.j2",
        f"{pkg}/py.typed": "py.typed.j2",
        "tests/__init__.py": "empty.j2",
        "tests/test_messages.py": "test_messages.py.j2",
        "tests/test_dispatcher.py": "test_dispatcher.py.j2",
    }
    return {path: render(LANGUAGE, tpl, ctx) for path, tpl in files.items()}


def _block(n: Node, name: str, doc: str, types: _Types) -> dict[str, Any]:
    if n.kind == "string" and n.enum is not None:
        members = Scope("screaming", KEYWORDS)
        values = [v for v in n.enum if isinstance(v, str)]
        return {"kind": "enum", "name": name, "doc": py_docstring(doc, "    "),
                "members": [(members.name(v), py_string(v)) for v in values]}
    return _object_block(n, name, py_docstring(doc, "    "), types)


def _message_imports(types: _Types, blocks: list[dict[str, Any]]) -> list[str]:
    """messages.py imports exactly what its classes use (ruff flags unused imports)."""
    used = types.used
    lines = []
    if "date" in used:
        lines.append("from datetime import date")
    if any(b["kind"] == "enum" for b in blocks):
        lines.append("from enum import StrEnum")
    typing: list[str] = sorted(n for n in ("Annotated", "Any", "Literal", "TypeVar") if n in used | {"TypeVar"})
    typing += ["get_args"] if types.exactly_one else []
    lines.append(f"from typing import {', '.join(typing)}")
    if "UUID" in used:
        lines.append("from uuid import UUID")
    classes = any(b["kind"] in ("object", "root") for b in blocks)
    pyd = {"BaseModel", "TypeAdapter", "ValidationError", "AnyUrl"} | ({"ConfigDict"} if classes else set()) | (
        used & {"Field", "AfterValidator", "BeforeValidator", "AwareDatetime", "EmailStr",
                "RootModel"}) | ({"GetCoreSchemaHandler"} if types.exactly_one else set())
    one_line = f"from pydantic import {', '.join(sorted(pyd))}"
    if len(one_line) <= 120:
        lines += ["", one_line]
    else:  # isort's wrapped form (the generated pyproject sets line-length 120)
        lines += ["", "from pydantic import ("] + [f"    {n}," for n in sorted(pyd)] + [")"]
    if types.exactly_one:
        lines.append("from pydantic_core import core_schema")
    return lines


LANGUAGE = Language(
    name="python", title="Python 3.11 (pydantic v2)", generate_service=generate_service,
    templates=Path(__file__).parent / "templates", naming=NAMING,
)
