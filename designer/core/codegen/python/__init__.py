"""Python 3.11 target: pydantic v2 models, a handlers class, publishers, an outbox and a dispatcher.

Layout (what a Python developer expects): ``pyproject.toml``, the package ``<service>/`` and
``tests/`` for pytest. Hand-written Jinja2 templates rather than datamodel-code-generator: the
models must share one naming scope with the handlers and survive hostile names, and the output
must pass ``ruff check`` and ``mypy --strict`` byte-for-byte reproducibly.
"""
from __future__ import annotations

import json
import keyword
import re
from pathlib import Path
from typing import Any

from designer.core.codegen import common
from designer.core.codegen.common import EnumDef, ObjectDef, Scope, TypeRef, py_docstring, py_string
from designer.core.codegen.render import render

_DIR = str(Path(__file__).parent)
KEYWORDS = frozenset(keyword.kwlist) | frozenset({"self", "cls"})
# Names messages.py imports or that pydantic's BaseModel already defines.
TYPE_RESERVED = ("BaseModel", "ConfigDict", "Field", "StrEnum", "Any", "Envelope", "UTC")
FIELD_RESERVED = (
    "str", "int", "float", "bool", "list", "dict", "datetime", "date", "Any", "Field",
    "copy", "json", "parse_obj", "parse_raw", "parse_file", "from_orm", "construct", "schema",
    "schema_json", "validate", "update_forward_refs", "fields",
)
# Package names that would shadow a module the generated code imports.
PACKAGE_RESERVED = ("json", "typing", "enum", "datetime", "uuid", "pydantic", "tests", "test",
                    "dataclasses", "collections", "abc")
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool",
            "datetime": "datetime", "date": "date", "any": "Any"}


def _annotation(t: TypeRef, names: dict[str, str]) -> str:
    if t.kind in _SCALARS:
        base = _SCALARS[t.kind]
    elif t.kind == "array":
        base = f"list[{_annotation(t.item or TypeRef('any'), names)}]"
    elif t.kind == "map":
        base = f"dict[str, {_annotation(t.item or TypeRef('any'), names)}]"
    else:
        base = names[t.ref]
    return f"{base} | None" if t.nullable and base != "Any" else base


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The Python project of one service."""
    from designer.core.codegen import GENERATOR

    pkg = Scope("snake", KEYWORDS, PACKAGE_RESERVED).name(shape.service.name)
    types = Scope("pascal", KEYWORDS, TYPE_RESERVED, fold_case=True)
    names = common.type_names(shape, types)

    type_blocks: list[dict[str, Any]] = []
    for m in shape.messages:
        # Nested types first: a class is defined before the classes that use it.
        for d in reversed(m.defs):
            if isinstance(d, EnumDef):
                members = Scope("screaming", KEYWORDS)
                type_blocks.append({
                    "kind": "enum", "name": names[d.key],
                    "doc": py_docstring(d.description or f"Values of {d.suggestion}.", "    "),
                    "members": [(members.name(v), py_string(v)) for v in d.values],
                })
            else:
                type_blocks.append(_object_block(d, names, m))

    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    env = {role: wire for wire, role in env_fields}
    handlers = Scope("snake", KEYWORDS, ("dispatch",))
    publishers = Scope("snake", KEYWORDS, ("Outbox", "Envelope", "m", "datetime", "UTC", "uuid",
                                           "Any", "annotations"))
    tests = Scope("snake", KEYWORDS, ("json", "m", "pytest"))
    msgs = []
    verb = {"event": "on", "command": "handle", "query": "answer"}
    for m in shape.messages:
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        msgs.append({
            "cls": names[msg.name],
            "kind": msg.kind,
            "wire_type": py_string(m.wire_type),
            "version": py_string(m.version),
            "handler": handlers.name("h:" + msg.name, f"{verb.get(msg.kind, 'on')} {msg.name}"),
            "publisher": publishers.name("p:" + msg.name, f"publish {msg.name}"),
            "test": tests.name("t:" + msg.name, f"test {msg.name} parses from its example"),
            "handler_doc": py_docstring(
                f"{meaning}\n\nSent by: {', '.join(m.producers) or 'no declared producer'}."
                f"\nWire type: {m.wire_type}, version {m.version}.", "        "),
            "publisher_doc": py_docstring(
                f"Publish {msg.name}: write its envelope to the outbox in the caller's transaction."
                f"\n\n{meaning}\n\nConsumed by: {', '.join(m.consumers) or 'no declared consumer'}.",
                "    "),
            "example": py_string(json.dumps(m.example, ensure_ascii=False, sort_keys=False)),
        })
    consumed = {m.message.name for m in shape.consumed}
    produced = {m.message.name for m in shape.produced}
    header = "\n".join("# " + ln for ln in common.text_lines("\n".join(
        common.header_lines(shape, GENERATOR))))
    ctx: dict[str, Any] = {
        "imports": _message_imports(type_blocks),
        "header": header,
        "pkg": pkg,
        "project": common.identifier(shape.service.name, "kebab"),
        "description": common.c_string(" ".join(common.text_lines(shape.service.description)),
                                       astral="go"),
        "types": type_blocks,
        "consumed": [x for x, m in zip(msgs, shape.messages) if m.message.name in consumed],
        "produced": [x for x, m in zip(msgs, shape.messages) if m.message.name in produced],
        "messages": msgs,
        "env": env,
        "env_fields": [(wire, role) for wire, role in env_fields],
        "service_name": py_string(shape.service.name),
        "service_doc": py_docstring(shape.service.description or shape.service.name, ""),
    }
    files = {
        "pyproject.toml": "pyproject.toml.j2",
        "README.md": "README.md.j2",
        f"{pkg}/__init__.py": "init.py.j2",
        f"{pkg}/messages.py": "messages.py.j2",
        f"{pkg}/envelope.py": "envelope.py.j2",
        f"{pkg}/idempotency.py": "idempotency.py.j2",
        f"{pkg}/outbox.py": "outbox.py.j2",
        f"{pkg}/handlers.py": "handlers.py.j2",
        f"{pkg}/publishers.py": "publishers.py.j2",
        f"{pkg}/dispatcher.py": "dispatcher.py.j2",
        f"{pkg}/py.typed": "py.typed.j2",
        "tests/__init__.py": "empty.j2",
        "tests/test_messages.py": "test_messages.py.j2",
    }
    return {path: render(_DIR, tpl, **ctx) for path, tpl in files.items()}


def _object_block(d: ObjectDef, names: dict[str, str], m: common.MessageShape) -> dict[str, Any]:
    fields = Scope("snake", KEYWORDS, FIELD_RESERVED)
    out = []
    for f in d.fields:
        suggestion = f.wire
        if common.identifier(f.wire, "snake").startswith("model_"):
            suggestion = "field " + f.wire  # pydantic reserves the model_ prefix
        ident = fields.name(f.wire, suggestion)
        ann = _annotation(f.type, names)
        args = []
        if not f.required:
            if not ann.endswith("| None") and ann != "Any":
                ann += " | None"
            args.append("default=None")
        if ident != f.wire:
            args.append(f"alias={py_string(f.wire)}")
        default = f" = Field({', '.join(args)})" if args else ""
        if args == ["default=None"]:
            default = " = None"
        out.append({"ident": ident, "annotation": ann, "default": default,
                    "comment": ["#: " + ln for ln in common.text_lines(f.description)]})
    doc = d.description if d.description else (
        (m.message.description or f"The {m.message.kind} {m.message.name}.")
        if d.key == m.message.name else f"Part of {m.message.name}: {d.suggestion}.")
    return {"kind": "object", "name": names[d.key], "doc": py_docstring(doc, "    "),
            "fields": out, "closed": d.closed}


def _message_imports(blocks: list[dict[str, Any]]) -> list[str]:
    """messages.py imports exactly what its classes use (ruff flags unused imports)."""
    text = " ".join(f["annotation"] + f["default"] for b in blocks for f in b.get("fields", ()))
    found = set(re.findall(r"[A-Za-z_]+", text))
    lines = []
    stdlib = [n for n in ("date", "datetime") if n in found]
    if stdlib:
        lines.append(f"from datetime import {', '.join(stdlib)}")
    if any(b["kind"] == "enum" for b in blocks):
        lines.append("from enum import StrEnum")
    if "Any" in found:
        lines.append("from typing import Any")
    pyd = []
    if any(b["kind"] == "object" for b in blocks):
        pyd = ["BaseModel", "ConfigDict"] + (["Field"] if "Field" in found else [])
    if pyd:
        lines += ([""] if lines else []) + [f"from pydantic import {', '.join(pyd)}"]
    return lines
