"""TypeScript target: strict-mode interfaces, handlers, publishers, outbox and a dispatcher.

Layout: ``package.json`` (no runtime dependency; typescript and @types/node as dev
dependencies), ``tsconfig.json`` (strict), ``src/`` and ``test/`` (node:test). Date-times stay
ISO-8601 strings: that is what ``JSON.parse`` gives, so the types tell the truth.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from designer.core.codegen import common
from designer.core.codegen.common import EnumDef, ObjectDef, Scope, TypeRef, c_string
from designer.core.codegen.render import render

_DIR = str(Path(__file__).parent)
KEYWORDS = frozenset(["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "any", "boolean", "number", "string", "symbol", "never", "unknown", "object", "undefined", "bigint", "await", "async", "type", "of", "as", "from", "declare", "namespace", "module", "readonly", "keyof", "infer", "is", "asserts"])
# Global types and the names our own files export, kept free for them.
TYPE_RESERVED = ("Array", "ReadonlyArray", "Readonly", "Record", "Partial", "Promise", "Date",
                 "Error", "Object", "String", "Number", "Boolean", "Symbol", "Map", "Set", "JSON",
                 "Math", "RegExp", "Function", "BigInt", "Envelope", "Outbox", "Handlers",
                 "Dispatcher", "IdempotencyStore")
FUNC_RESERVED = ("m", "randomUUID", "Envelope", "Outbox", "PublishOptions", "SOURCE")
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_SCALARS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean",
            "datetime": "string", "date": "string", "any": "unknown"}


def _type(t: TypeRef, names: dict[str, str]) -> str:
    if t.kind in _SCALARS:
        base = _SCALARS[t.kind]
    elif t.kind == "array":
        base = f"ReadonlyArray<{_type(t.item or TypeRef('any'), names)}>"
    elif t.kind == "map":
        base = f"Readonly<Record<string, {_type(t.item or TypeRef('any'), names)}>>"
    else:
        base = names[t.ref]
    return f"{base} | null" if t.nullable and base != "unknown" else base


def _prop(wire: str) -> str:
    return wire if _IDENT.fullmatch(wire) else c_string(wire)


def _doc(text: str, indent: str) -> list[str]:
    lines = common.comment_lines(text)
    if not lines:
        return []
    return [f"{indent}/**"] + [f"{indent} * {ln}".rstrip() for ln in lines] + [f"{indent} */"]


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The TypeScript project of one service."""
    from designer.core.codegen import GENERATOR

    types = Scope("pascal", KEYWORDS, TYPE_RESERVED, fold_case=True)
    names = common.type_names(shape, types)
    blocks: list[dict[str, Any]] = []
    for m in shape.messages:
        for d in m.defs:
            doc = d.description or (m.message.description if d.key == m.message.name else
                                    f"Part of {m.message.name}.")
            if isinstance(d, EnumDef):
                blocks.append({"kind": "enum", "name": names[d.key], "doc": _doc(doc, ""),
                               "union": " | ".join(c_string(v) for v in d.values)})
            elif isinstance(d, ObjectDef):
                fields = [{"doc": _doc(f.description, "  "), "prop": _prop(f.wire),
                           "opt": "" if f.required else "?", "type": _type(f.type, names)}
                          for f in d.fields]
                blocks.append({"kind": "object", "name": names[d.key], "doc": _doc(doc, ""),
                               "fields": fields})
    funcs = Scope("camel", KEYWORDS, FUNC_RESERVED)
    handlers = Scope("camel", KEYWORDS, ("constructor",))
    verb = {"event": "on", "command": "handle", "query": "answer"}
    msgs = []
    for m in shape.messages:
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        msgs.append({
            "name": msg.name,
            "type": names[msg.name], "kind": msg.kind,
            "wire_type": c_string(m.wire_type), "version": c_string(m.version),
            "handler": handlers.name("h:" + msg.name, f"{verb.get(msg.kind, 'on')} {msg.name}"),
            "publisher": funcs.name("p:" + msg.name, f"publish {msg.name}"),
            "handler_doc": _doc(f"{meaning}\n\nSent by: {', '.join(m.producers) or 'no declared producer'}."
                                f"\nWire type: {m.wire_type}, version {m.version}.", "  "),
            "publisher_doc": _doc(f"Publish {msg.name}: add its envelope to the outbox in the "
                                  f"caller's transaction.\n\n{meaning}\n\nConsumed by: "
                                  f"{', '.join(m.consumers) or 'no declared consumer'}.", ""),
            "test_title": c_string(f"{msg.name} is built from its example"),
            "todo": c_string(f"TODO: implement {msg.name} ({msg.kind})"),
            "example": json.dumps(m.example, ensure_ascii=True),
        })
    by_name = {x["name"]: x for x in msgs}
    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    header = "\n".join(["/*"] + [" * " + ln for ln in common.comment_lines(
        "\n".join(common.header_lines(shape, GENERATOR)))] + [" */"])
    ctx: dict[str, Any] = {
        "header": header,
        "types": blocks,
        "messages": msgs,
        "consumed": [by_name[m.message.name] for m in shape.consumed],
        "produced": [by_name[m.message.name] for m in shape.produced],
        "routes": [by_name[m.message.name] for m in common.routes(shape.consumed)],
        "env": {role: wire for wire, role in env_fields},
        "env_fields": env_fields,
        "service_name": c_string(shape.service.name),
        "package": json.dumps({
            "name": common.identifier(shape.service.name, "kebab"),
            "version": "0.1.0", "private": True, "type": "module",
            "description": " ".join(common.text_lines(shape.service.description)),
            "scripts": {"build": "tsc -p tsconfig.json", "check": "tsc -p tsconfig.json --noEmit",
                        "test": "tsc -p tsconfig.json && node --test dist/test/"},
            "devDependencies": {"typescript": "5.9.3", "@types/node": "20.19.9"},
        }, indent=2, ensure_ascii=True) + "\n",
    }
    files = {
        "package.json": "package.json.j2", "tsconfig.json": "tsconfig.json.j2",
        "README.md": "README.md.j2",
        "src/messages.ts": "messages.ts.j2", "src/envelope.ts": "envelope.ts.j2",
        "src/idempotency.ts": "idempotency.ts.j2", "src/outbox.ts": "outbox.ts.j2",
        "src/handlers.ts": "handlers.ts.j2", "src/publishers.ts": "publishers.ts.j2",
        "src/dispatcher.ts": "dispatcher.ts.j2", "test/messages.test.ts": "messages.test.ts.j2",
    }
    return {path: render(_DIR, tpl, **ctx) for path, tpl in files.items()}
