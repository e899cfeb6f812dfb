"""TypeScript target: zod schemas that enforce the message schemas, handlers, publishers, an outbox
and an idempotent dispatcher.

Layout: ``package.json`` (zod pinned as the one runtime dependency; typescript and @types/node as
dev dependencies), ``tsconfig.json`` (strict), ``src/`` and ``test/`` (node:test).

Validation: each message and nested object is a zod schema generated from
``constraints.message_tree`` (``z.strictObject`` for closed objects, ``.min``/``.max``/``.regex``,
``.int()``, ``.gt``/``.lt``, ``z.iso.datetime({offset: true})``, ``z.email()``, ``z.guid()``,
``z.url()``, ``z.enum``/``z.literal``, ``z.union`` for anyOf (``exactlyOne``, counting matches, for oneOf), ``.nullable()``,
``.optional()``); the static types are ``z.infer`` of the same schemas, so they cannot drift.
Properties that reference another named schema are getters (zod 4's way to define schemas in any
order and recursively). ``check`` returns a result; ``parse`` throws ``InvalidMessageError`` with
the JSON path of each problem. Date-times stay ISO-8601 strings: that is what ``JSON.parse`` gives.

Why zod and not ajv: the schemas are code the generator writes beside the types (one source for
both), they run with no code generation at run time (ajv compiles validators with ``new
Function``, which strict Content-Security-Policies forbid), zod has no dependencies, and it reports
every problem with its path.

Generation gap: ``src/handlers.ts`` is created once (the developer's code); ``src/handlers_base.ts``
and everything else are regenerated.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TypedDict

from designer.core.codegen import common, constraints, gap
from designer.core.codegen.common import Scope, c_string
from designer.core.codegen.constraints import Node
from designer.core.codegen.registry import Language, Naming
from designer.core.codegen.render import render

ZOD_VERSION = "4.6.7"
KEYWORDS = frozenset(["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "any", "boolean", "number", "string", "symbol", "never", "unknown", "object", "undefined", "bigint", "await", "async", "type", "of", "as", "from", "declare", "namespace", "module", "readonly", "keyof", "infer", "is", "asserts"])
# Global types and the names our own files export, kept free for them.
TYPE_RESERVED = ("Array", "ReadonlyArray", "Readonly", "Record", "Partial", "Promise", "Date",
                 "Error", "Object", "String", "Number", "Boolean", "Symbol", "Map", "Set", "JSON",
                 "Math", "RegExp", "Function", "BigInt", "Envelope", "Outbox", "Handlers",
                 "Dispatcher", "IdempotencyStore", "Problem", "CheckResult", "InvalidMessageError",
                 "MESSAGES", "HandlersBase", "UnitOfWork")
VALUE_RESERVED = ("z", "check", "parse", "jsonPath", "unique", "pattern", "exactlyOne", "MESSAGES",
                  "InvalidMessageError", "envelopeOf")
FUNC_RESERVED = ("m", "randomUUID", "Envelope", "Outbox", "PublishOptions", "SOURCE")
# Fields keep their wire names (quoted where not an identifier); the package.json name is kebab.
NAMING = Naming(types="pascal", fields="wire", packages="kebab", keywords=KEYWORDS)
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def _prop(wire: str) -> str:
    return wire if _IDENT.fullmatch(wire) else c_string(wire)


def _doc(text: str, indent: str) -> list[str]:
    lines = common.comment_lines(text)
    if not lines:
        return []
    return [f"{indent}/**"] + [f"{indent} * {ln}".rstrip() for ln in lines] + [f"{indent} */"]


def _num(v: int | float) -> str:
    return json.dumps(v)


class _Zod:
    """zod expressions for constraint nodes."""

    def __init__(self, schemas: dict[str, str]) -> None:
        self.schemas = schemas  # def key -> the const holding its schema

    def refers(self, n: Node, depth: int = 0) -> bool:
        """Does the expression of ``n`` name another schema const (then it goes in a getter)?"""
        if depth > constraints.MAX_DEPTH:
            return False
        if n.kind == "ref" or (n.key in self.schemas and (n.kind == "object" or n.enum is not None)):
            return True
        kids = [*(p.node for p in n.properties), *n.alternatives,
                *(x for x in (n.items, n.values) if x is not None)]
        return any(self.refers(k, depth + 1) for k in kids)

    def expr(self, n: Node, top: bool = False) -> str:
        base = self._bare(n, top)
        if n.nullable and n.kind not in ("null", "any"):
            base += ".nullable()"
        return base

    def _bare(self, n: Node, top: bool) -> str:
        k = n.kind
        if not top and (k == "ref" or (n.key in self.schemas and (k == "object" or n.enum is not None))):
            return self.schemas[n.key]
        if n.enum is not None:
            if k == "string" and all(isinstance(v, str) for v in n.enum):
                vals = ", ".join(c_string(str(v)) for v in n.enum)
                return f"z.enum([{vals}])" if len(n.enum) > 1 else f"z.literal({vals})"
            lits = [v for v in n.enum if isinstance(v, (str, int, float, bool))]
            if len(lits) == len(n.enum) and lits:
                vals = ", ".join(c_string(v) if isinstance(v, str) else json.dumps(v) for v in lits)
                return f"z.literal([{vals}])"
            allowed = json.dumps(json.dumps(list(n.enum), ensure_ascii=True))
            return (f"z.unknown().refine((v) => (JSON.parse({allowed}) as unknown[])"
                    f".some((a) => JSON.stringify(a) === JSON.stringify(v)), \"not an allowed value\")")
        if k == "string":
            fmt = {"date-time": "z.iso.datetime({ offset: true })", "date": "z.iso.date()",
                   "email": "z.email()", "uuid": "z.guid()", "uri": "z.url()"}.get(n.fmt, "z.string()")
            if n.min_length is not None:
                fmt += f".min({n.min_length})"
            if n.max_length is not None:
                fmt += f".max({n.max_length})"
            if n.pattern is not None:
                fmt += f".regex(pattern({c_string(n.pattern)}))"
            return fmt
        if k in ("integer", "number"):
            out = "z.number().int()" if k == "integer" else "z.number()"
            for method, v in (("min", n.minimum), ("max", n.maximum), ("gt", n.exclusive_minimum),
                              ("lt", n.exclusive_maximum), ("multipleOf", n.multiple_of)):
                if v is not None:
                    out += f".{method}({_num(v)})"
            return out
        if k == "boolean":
            return "z.boolean()"
        if k == "null":
            return "z.null()"
        if k == "array":
            out = f"z.array({self.expr(n.items) if n.items is not None else 'z.unknown()'})"
            if n.min_items is not None:
                out += f".min({n.min_items})"
            if n.max_items is not None:
                out += f".max({n.max_items})"
            if n.unique_items:
                out += '.refine(unique, "items must be unique")'
            return out
        if k == "map":
            value = self.expr(n.values) if n.values is not None else "z.unknown()"
            out = f"z.record(z.string(), {value})"
            if n.closed and n.values is None:
                out += '.refine((v) => Object.keys(v).length === 0, "no properties are allowed")'
            return out
        if k == "union":
            alts = ", ".join(self.expr(a) for a in n.alternatives)
            if n.exclusive and len(n.alternatives) > 1:  # oneOf: z.union takes the first match
                return f"exactlyOne([{alts}])"
            return f"z.union([{alts}])"
        if k == "object":
            return self.object(n)
        return "z.unknown()"

    def object(self, n: Node, indent: str = "") -> str:
        ctor = "z.strictObject" if n.closed else "z.looseObject"
        if not n.properties:
            return f"{ctor}({{}})"
        lines = []
        for p in n.properties:
            e = self.expr(p.node)
            if not p.required:
                e += ".optional()"
            if self.refers(p.node):
                lines.append(f"{indent}  get {_prop(p.wire)}() {{\n{indent}    return {e};\n{indent}  }},")
            else:
                lines.append(f"{indent}  {_prop(p.wire)}: {e},")
        return f"{ctor}({{\n" + "\n".join(lines) + f"\n{indent}}})"


class ServiceContext(TypedDict):
    """What every template of the TypeScript project is rendered with (one service).

    Message entries (``messages``, ``consumed``, ``routes``, ``produced``) are dicts with
    ``name``, ``type``, ``schema``, ``kind``, ``handler``, ``publisher``, ``example``, ``cases``,
    ``reply_type`` ... (see ``generate_service``); ``types`` are the zod schema blocks of
    messages.ts. Text is already escaped for TypeScript (string literals, comments).
    """

    header: str  # the generated-file comment header
    once_header: str  # the created-once header of handlers.ts
    sh_header: str  # the same header as shell comments (bin/validate)
    types: list[dict[str, Any]]
    exactly_one: bool  # messages.ts defines ``exactlyOne`` (a oneOf is checked)
    messages: list[dict[str, Any]]
    consumed: list[dict[str, Any]]
    produced: list[dict[str, Any]]
    routes: list[dict[str, Any]]
    first_route: dict[str, Any] | None
    query_route: dict[str, Any] | None
    command_route: dict[str, Any] | None  # the first command that names its reply
    env: dict[str, str]  # envelope role -> wire field
    env_fields: tuple[tuple[str, str], ...]  # (wire name, role)
    service_name: str
    package: str  # package.json's text


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The TypeScript project of one service."""
    from designer.core.codegen import GENERATOR

    types = Scope(NAMING.types, KEYWORDS, TYPE_RESERVED, fold_case=True)
    names = common.type_names(shape, types)
    contracts = {m.message.name: constraints.contract(m.message, shape.profile) for m in shape.messages}
    trees = {name: c.tree for name, c in contracts.items()}
    for m in shape.messages:
        for key in trees[m.message.name].defs:
            if key not in names:
                names[key] = types.name("def:" + key, f"{m.message.name} {key.rsplit('/', 1)[-1]}")
    values = Scope("pascal", KEYWORDS, VALUE_RESERVED + TYPE_RESERVED, fold_case=True)
    schemas: dict[str, str] = {}
    for m in shape.messages:
        schemas[m.message.name] = values.name("s:" + m.message.name, names[m.message.name] + " schema")
        for key in trees[m.message.name].defs:
            if key not in schemas:
                schemas[key] = values.name("s:" + key, names[key] + " schema")
    zod = _Zod(schemas)
    blocks: list[dict[str, Any]] = []
    emitted: set[str] = set()
    for m in shape.messages:
        tree = trees[m.message.name]
        msg = m.message
        for key, node in tree.defs.items():
            if key in emitted or key == msg.name:
                continue
            emitted.add(key)
            doc = node.description or f"Part of {msg.name}."
            blocks.append({"name": names[key], "schema": schemas[key], "doc": _doc(doc, ""),
                           "expr": zod.expr(node, top=True) if node.kind != "object" else zod.object(node)})
        if msg.name in emitted:
            continue
        emitted.add(msg.name)
        root = tree.root
        doc = root.description or msg.description or f"The {msg.kind} {msg.name}."
        blocks.append({"name": names[msg.name], "schema": schemas[msg.name], "doc": _doc(doc, ""),
                       "expr": zod.object(root) if root.kind == "object" else zod.expr(root, top=True)})
    funcs = Scope("camel", KEYWORDS, FUNC_RESERVED)
    handlers = Scope("camel", KEYWORDS, ("constructor",))
    verb = {"event": "on", "command": "handle", "query": "answer"}
    msgs = []
    for m in shape.messages:
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        c = contracts[msg.name]
        example, cases = c.example, c.cases
        msgs.append({
            "name": msg.name, "name_lit": c_string(msg.name),
            "type": names[msg.name], "schema": schemas[msg.name], "kind": msg.kind,
            "wire_type": c_string(m.wire_type), "version": c_string(m.version),
            "handler": handlers.name("h:" + msg.name, f"{verb.get(msg.kind, 'on')} {msg.name}"),
            "publisher": funcs.name("p:" + msg.name, f"publish {msg.name}"),
            "handler_doc": _doc(f"{meaning}\n\nSent by: {', '.join(m.producers) or 'no declared producer'}."
                                f"\nWire type: {m.wire_type}, version {m.version}.", "  "),
            "publisher_doc": _doc(f"Publish {msg.name}: add its envelope to the outbox in the "
                                  f"caller's transaction.\n\n{meaning}\n\nConsumed by: "
                                  f"{', '.join(m.consumers) or 'no declared consumer'}.", ""),
            "test_title": c_string(f"{msg.name} accepts its example"),
            "test_bad": c_string(f"{msg.name} rejects what its schema forbids, at the JSON path"),
            "todo": c_string(f"TODO: implement {msg.name} ({msg.kind})"),
            "missing": c_string(f"implement {msg.name} ({msg.kind}) in src/handlers.ts"),
            "valid": example is not None,
            "example": json.dumps(json.dumps(example if example is not None else m.example,
                                             ensure_ascii=True), ensure_ascii=True),
            "cases": [(c_string(v.keyword), c_string(v.path),
                       json.dumps(json.dumps(v.payload, ensure_ascii=True), ensure_ascii=True))
                      for v in cases],
            "reply_type": "", "reply_schema": "", "reply_name_lit": "", "reply_example": "", "reply_bad": "",
        })
    by_name = {x["name"]: x for x in msgs}
    # A query's responder, and a command's handler when the command names a reply, resolve to the
    # reply's type.
    for query, reply in (shape.replies | shape.command_replies).items():
        r, rc = by_name[reply.message.name], contracts[reply.message.name]
        bad = next((v for v in rc.cases if v.keyword == "required"), rc.cases[0] if rc.cases else None)
        by_name[query].update({
            "reply_type": r["type"], "reply_schema": r["schema"], "reply_name_lit": r["name_lit"],
            "reply_example": r["example"] if r["valid"] else "",
            "reply_bad": json.dumps(json.dumps(bad.payload, ensure_ascii=True), ensure_ascii=True) if bad else ""})
    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    routes = [by_name[m.message.name] for m in common.routes(shape.consumed)]

    def comment(lines: list[str]) -> str:
        return "\n".join(["/*"] + [" * " + ln for ln in common.comment_lines("\n".join(lines))] + [" */"])

    ctx: ServiceContext = {
        "header": comment(gap.generated_header(shape, GENERATOR, "src/handlers.ts")),
        "once_header": comment(gap.once_header(shape, GENERATOR)),
        "sh_header": "\n".join("# " + ln for ln in common.text_lines(
            "\n".join(gap.generated_header(shape, GENERATOR, "src/handlers.ts")))),
        "types": blocks,
        "exactly_one": any("exactlyOne([" in b["expr"] for b in blocks),
        "messages": msgs,
        "consumed": [by_name[m.message.name] for m in shape.consumed],
        "produced": [by_name[m.message.name] for m in shape.produced],
        "routes": routes,
        "first_route": next((h for h in routes if h["kind"] != "query" and h["valid"]), None),
        "query_route": next((h for h in routes if h["kind"] == "query" and h["valid"]), None),
        "command_route": next((h for h in routes if h["kind"] == "command" and h["reply_type"] and h["valid"]),
                              None),
        "env": {role: wire for wire, role in env_fields},
        "env_fields": env_fields,
        "service_name": c_string(shape.service.name),
        "package": json.dumps({
            "name": common.identifier(shape.service.name, NAMING.packages),
            "version": "0.1.0", "private": True, "type": "module",
            "description": " ".join(common.text_lines(shape.service.description)),
            "scripts": {"build": "tsc -p tsconfig.json", "check": "tsc -p tsconfig.json --noEmit",
                        "test": "tsc -p tsconfig.json && node --test dist/test/"},
            "dependencies": {"zod": ZOD_VERSION},
            "devDependencies": {"typescript": "5.9.3", "@types/node": "20.19.9"},
        }, indent=2, ensure_ascii=True) + "\n",
    }
    files = {
        "package.json": "package.json.j2", "tsconfig.json": "tsconfig.json.j2",
        "README.md": "README.md.j2", "bin/validate": "validate.sh.j2",
        "src/messages.ts": "messages.ts.j2", "src/envelope.ts": "envelope.ts.j2",
        "src/idempotency.ts": "idempotency.ts.j2", "src/outbox.ts": "outbox.ts.j2",
        "src/handlers_base.ts": "handlers_base.ts.j2", "src/handlers.ts": "handlers.ts.j2",
        "src/publishers.ts": "publishers.ts.j2", "src/dispatcher.ts": "dispatcher.ts.j2",
        "src/validate.ts": "validate.ts.j2",
        "test/messages.test.ts": "messages.test.ts.j2",
        "test/dispatcher.test.ts": "dispatcher.test.ts.j2",
    }
    return {path: render(LANGUAGE, tpl, ctx) for path, tpl in files.items()}


LANGUAGE = Language(
    name="typescript", title="TypeScript 5 (zod 4)", generate_service=generate_service,
    templates=Path(__file__).parent / "templates", naming=NAMING,
)
