"""Go target: structs with encoding/json, a handlers interface, publishers, outbox, dispatcher.

Layout: a module (``go.mod``, standard library only) with one package at its root and
``messages_test.go`` for ``go test``. A JSON property name that a struct tag cannot carry
(quotes, commas, backticks, empty) gets hand-written MarshalJSON/UnmarshalJSON methods instead.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from designer.core.codegen import common
from designer.core.codegen.common import EnumDef, ObjectDef, Scope, TypeRef, c_string
from designer.core.codegen.render import render

_DIR = str(Path(__file__).parent)
KEYWORDS = frozenset(["break", "default", "func", "interface", "select", "case", "defer", "go", "map", "struct", "chan", "else", "goto", "package", "switch", "const", "fallthrough", "if", "range", "type", "continue", "for", "import", "return", "var"])
# Package names that would shadow an import, or make the package a command.
PACKAGE_RESERVED = ("main", "json", "time", "errors", "fmt", "context", "sync", "rand", "hex",
                    "testing", "bytes", "strings", "reflect", "crypto")
# Package-level names the fixed files declare.
GLOBAL_RESERVED = (
    "Envelope", "Outbox", "PendingOutbox", "Transport", "InMemoryOutbox", "NewInMemoryOutbox",
    "OutboxRelay", "NewOutboxRelay", "IdempotencyStore", "InMemoryIdempotencyStore",
    "NewInMemoryIdempotencyStore", "Handlers", "TodoHandlers", "Dispatcher", "NewDispatcher",
    "UnknownMessageTypeError", "KnownTypes", "Source", "PublishOptions", "NewID",
    "ErrNotImplemented", "TestTheDispatcherRejectsAnUnknownType",
)
FIELD_RESERVED = ("MarshalJSON", "UnmarshalJSON")
_SCALARS = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool",
            "datetime": "time.Time", "date": "string", "any": "any"}
_TAG_PUNCT = set("!#$%&()*+-./:;<=>?@[]^_{|}~ ")


def _valid_tag(name: str) -> bool:
    """Can a json struct tag carry ``name``? (the rule of encoding/json's isValidTag)."""
    return bool(name) and name != "-" and all(c in _TAG_PUNCT or c.isalnum() for c in name)


def _type(t: TypeRef, names: dict[str, str], optional: bool = False) -> str:
    if t.kind in _SCALARS:
        base = _SCALARS[t.kind]
    elif t.kind == "array":
        return "[]" + _type(t.item or TypeRef("any"), names)
    elif t.kind == "map":
        return "map[string]" + _type(t.item or TypeRef("any"), names)
    else:
        base = names[t.ref]
    # Pointers say "may be absent or null"; slices, maps and any already have nil.
    return "*" + base if (optional or t.nullable) and base != "any" else base


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}// {ln}".rstrip() for ln in common.comment_lines(text)]


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The Go module of one service."""
    from designer.core.codegen import GENERATOR

    pkg = Scope("lowerjoin", KEYWORDS, PACKAGE_RESERVED).name(shape.service.name)
    top = Scope("pascal", KEYWORDS, GLOBAL_RESERVED)
    names = common.type_names(shape, top)
    blocks: list[dict[str, Any]] = []
    uses_time = False
    for m in shape.messages:
        for d in m.defs:
            doc = d.description or (m.message.description if d.key == m.message.name else
                                    f"part of {m.message.name}.")
            name = names[d.key]
            if isinstance(d, EnumDef):
                blocks.append({"kind": "enum", "name": name,
                               "doc": _comment(f"{name}: {doc}", ""),
                               "consts": [(top.name(f"const:{d.key}:{v}", f"{name} {v}"),
                                           c_string(v, astral="go")) for v in d.values]})
            elif isinstance(d, ObjectDef):
                fields_scope = Scope("pascal", KEYWORDS, FIELD_RESERVED)
                fields = []
                custom = not all(_valid_tag(f.wire) for f in d.fields)
                for f in d.fields:
                    gotype = _type(f.type, names, optional=not f.required and f.type.kind in (
                        "string", "integer", "number", "boolean", "datetime", "date", "object",
                        "enum"))
                    uses_time = uses_time or "time.Time" in gotype
                    omit = ",omitempty" if not f.required else ""
                    fields.append({
                        "ident": fields_scope.name(f.wire), "type": gotype,
                        "tag": "`json:\"-\"`" if custom else f"`json:\"{f.wire}{omit}\"`",
                        "wire": c_string(f.wire, astral="go"),
                        "nilable": gotype.startswith(("*", "[]", "map[")) or gotype == "any",
                        "omit": not f.required,
                        "doc": _comment(f.description, "\t"),
                    })
                blocks.append({"kind": "object", "name": name, "doc": _comment(f"{name}: {doc}", ""),
                               "fields": fields, "custom": custom})
    verb = {"event": "On", "command": "Handle", "query": "Answer"}
    methods = Scope("pascal", KEYWORDS)
    msgs = []
    for m in shape.messages:
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        handler = methods.name("h:" + msg.name, f"{verb.get(msg.kind, 'On')} {msg.name}")
        msgs.append({
            "name": msg.name, "type": names[msg.name], "kind": msg.kind,
            "wire_type": c_string(m.wire_type, astral="go"),
            "version": c_string(m.version, astral="go"),
            "handler": handler,
            "handler_doc": _comment(f"{handler} handles {msg.name}. {meaning}\n\nSent by: "
                                    f"{', '.join(m.producers) or 'no declared producer'}.\nWire type: "
                                    f"{m.wire_type}, version {m.version}.", "\t"),
            "publisher": top.name("p:" + msg.name, f"Publish {msg.name}"),
            "test": top.name("t:" + msg.name, f"Test {msg.name} is built from its example"),
            "example": c_string(common.json_text(m.example), astral="go"),
        })
    for x in msgs:
        x["publisher_doc"] = _comment(
            f"{x['publisher']} adds the envelope of {x['name']} to the outbox, in the caller's "
            f"transaction.\n\n" + (next(m.message.description for m in shape.messages
                                       if m.message.name == x["name"]) or ""), "")
    by_name = {x["name"]: x for x in msgs}
    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    go_env = {"id": "ID", "type": "Type", "source": "Source", "time": "Time", "version": "Version",
              "correlation": "CorrelationID", "specversion": "SpecVersion",
              "contenttype": "DataContentType", "data": "Data"}
    header = "\n".join("// " + ln for ln in common.comment_lines(
        "\n".join(common.header_lines(shape, GENERATOR))))
    ctx: dict[str, Any] = {
        "header": header, "pkg": pkg, "types": blocks, "messages": msgs, "uses_time": uses_time,
        "consumed": [by_name[m.message.name] for m in shape.consumed],
        "produced": [by_name[m.message.name] for m in shape.produced],
        "routes": [by_name[m.message.name] for m in common.routes(shape.consumed)],
        "env_fields": [(go_env[role], role, wire) for wire, role in env_fields],
        "has_spec": shape.profile == "cloudevents",
        "service_name": c_string(shape.service.name, astral="go"),
        "module": "example.com/" + common.identifier(shape.service.name, "kebab"),
    }
    files = {
        "go.mod": "go.mod.j2", "README.md": "README.md.j2",
        "messages.go": "messages.go.j2", "envelope.go": "envelope.go.j2",
        "idempotency.go": "idempotency.go.j2", "outbox.go": "outbox.go.j2",
        "handlers.go": "handlers.go.j2", "publishers.go": "publishers.go.j2",
        "dispatcher.go": "dispatcher.go.j2", "messages_test.go": "messages_test.go.j2",
    }
    return {path: render(_DIR, tpl, **ctx) for path, tpl in files.items()}
