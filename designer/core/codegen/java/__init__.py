"""Java 17 target: records and enums, a handlers interface, publishers, outbox and dispatcher.

Layout: Maven (``pom.xml``, ``src/main/java/com/example/<service>/``, ``src/test/java/...``)
but the code compiles with ``javac`` alone: no Maven Central here, and zero dependencies is a
feature. JSON mapping is a small generated ``Json.java`` (parser, writer, converters) the
records call from ``fromJson``/``toJson``; swap it for Jackson if you like. The tests skeleton
is a plain ``main`` (JUnit is not available offline); its methods are JUnit-shaped (one static
method per message) so moving them under ``@Test`` is mechanical.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from designer.core.codegen import common
from designer.core.codegen.common import EnumDef, ObjectDef, Scope, TypeRef, c_string
from designer.core.codegen.render import render

_DIR = str(Path(__file__).parent)
KEYWORDS = frozenset(["abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits", "non-sealed", "when", "module", "open", "exports", "requires", "_"])
# java.lang types and our own top-level classes: a nested type with one of these names would
# shadow it inside Messages.java.
TYPE_RESERVED = (
    "Messages", "Json", "Envelope", "Outbox", "PendingOutbox", "Transport", "OutboxRelay",
    "InMemoryOutbox", "IdempotencyStore", "InMemoryIdempotencyStore", "Handlers", "Dispatcher",
    "Publishers", "UnknownMessageTypeException", "MessagesTest",
    "String", "Object", "Long", "Double", "Boolean", "Integer", "Number", "Character", "Byte",
    "Short", "Float", "Void", "Math", "System", "Class", "Enum", "Record", "Iterable", "Override",
    "Deprecated", "SuppressWarnings", "FunctionalInterface", "SafeVarargs", "Exception",
    "RuntimeException", "Error", "Throwable", "IllegalArgumentException", "IllegalStateException",
    "UnsupportedOperationException", "StringBuilder", "Thread", "Runnable", "Comparable",
    "CharSequence", "AutoCloseable", "Cloneable", "Process", "Runtime", "Package", "Module",
    "Appendable", "Readable", "StackTraceElement", "ThreadLocal", "AssertionError",
)
# Object's methods (a record component would clash with them) and the ones we generate.
FIELD_RESERVED = ("clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString",
                  "wait", "equals", "toJson", "fromJson", "out", "json")
_SCALARS = {"string": "String", "integer": "Long", "number": "Double", "boolean": "Boolean",
            "datetime": "java.time.OffsetDateTime", "date": "java.time.LocalDate", "any": "Object"}
_READERS = {"string": "Json.str", "integer": "Json.lng", "number": "Json.dbl",
            "boolean": "Json.bool", "datetime": "Json.dateTime", "date": "Json.date"}


def _type(t: TypeRef, names: dict[str, str]) -> str:
    if t.kind in _SCALARS:
        return _SCALARS[t.kind]
    if t.kind == "array":
        return f"java.util.List<{_type(t.item or TypeRef('any'), names)}>"
    if t.kind == "map":
        return f"java.util.Map<String, {_type(t.item or TypeRef('any'), names)}>"
    return names[t.ref]


def _read(t: TypeRef, expr: str, names: dict[str, str], depth: int = 0) -> str:
    """A Java expression converting the parsed JSON ``expr`` to type ``t`` (null stays null)."""
    if t.kind in _READERS:
        return f"{_READERS[t.kind]}({expr})"
    if t.kind == "any":
        return expr
    if t.kind in ("array", "map"):
        var = f"x{depth}"  # lambda parameters may not shadow an enclosing one
        inner = _read(t.item or TypeRef("any"), var, names, depth + 1)
        fn = "Json.list" if t.kind == "array" else "Json.map"
        return f"{fn}({expr}, {var} -> {inner})"
    if t.kind == "enum":
        return f"{names[t.ref]}.fromWire(Json.str({expr}))"
    return f"{names[t.ref]}.fromJson({expr})"


def _doc(text: str, indent: str) -> list[str]:
    lines = common.comment_lines(text, java=True)
    if not lines:
        return []
    return [f"{indent}/**"] + [f"{indent} * {ln}".rstrip() for ln in lines] + [f"{indent} */"]


def _xml(text: str) -> str:
    return " ".join(common.text_lines(text)).replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;")


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The Maven-layout Java project of one service."""
    from designer.core.codegen import GENERATOR

    pkg = "com.example." + Scope("lowerjoin", KEYWORDS).name(shape.service.name)
    types = Scope("pascal", KEYWORDS, TYPE_RESERVED, fold_case=True)
    names = common.type_names(shape, types)
    blocks: list[dict[str, Any]] = []
    for m in shape.messages:
        for d in m.defs:
            doc = d.description or (m.message.description if d.key == m.message.name else
                                    f"Part of {m.message.name}.")
            if isinstance(d, EnumDef):
                consts = Scope("screaming", KEYWORDS)
                blocks.append({"kind": "enum", "name": names[d.key], "doc": _doc(doc, "    "),
                               "consts": [(consts.name(v), c_string(v)) for v in d.values]})
            elif isinstance(d, ObjectDef):
                comps = Scope("camel", KEYWORDS, FIELD_RESERVED)
                fields = [{"ident": comps.name(f.wire), "type": _type(f.type, names),
                           "wire": c_string(f.wire), "required": f.required,
                           "read": _read(f.type, f"o.get({c_string(f.wire)})", names),
                           "doc": f.description} for f in d.fields]
                blocks.append({"kind": "object", "name": names[d.key], "doc": _doc(doc, "    "),
                               "fields": fields})
    verb = {"event": "on", "command": "handle", "query": "answer"}
    methods = Scope("camel", KEYWORDS, FIELD_RESERVED)
    publishers = Scope("camel", KEYWORDS, ("SOURCE",))
    tests = Scope("camel", KEYWORDS, ("main", "check", "unknownTypeIsRejected"))
    msgs = []
    for m in shape.messages:
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        msgs.append({
            "name": msg.name, "type": names[msg.name], "kind": msg.kind,
            "wire_type": c_string(m.wire_type), "version": c_string(m.version),
            "handler": methods.name("h:" + msg.name, f"{verb.get(msg.kind, 'on')} {msg.name}"),
            "handler_doc": _doc(f"{meaning}\n\nSent by: {', '.join(m.producers) or 'no declared producer'}."
                                f"\nWire type: {m.wire_type}, version {m.version}.", "    "),
            "publisher": publishers.name("p:" + msg.name, f"publish {msg.name}"),
            "publisher_doc": _doc(f"Publish {msg.name}: add its envelope to the outbox in the "
                                  f"caller's transaction.\n\n{meaning}\n\nConsumed by: "
                                  f"{', '.join(m.consumers) or 'no declared consumer'}.", "    "),
            "test": tests.name("t:" + msg.name, f"{msg.name} is built from its example"),
            "todo": c_string(f"TODO: implement {msg.name} ({msg.kind})"),
            "label": c_string(msg.name),
            "example": c_string(common.json_text(m.example)),
        })
    by_name = {x["name"]: x for x in msgs}
    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    java_env = {"id": "id", "type": "type", "source": "source", "time": "time",
                "version": "version", "correlation": "correlationId", "specversion": "specVersion",
                "contenttype": "dataContentType", "data": "data"}
    header_text = "\n".join(common.header_lines(shape, GENERATOR))
    header = "\n".join(["/*"] + [" * " + ln for ln in common.comment_lines(header_text, java=True)]
                       + [" */"])
    ctx: dict[str, Any] = {
        "header": header, "pkg": pkg, "types": blocks, "messages": msgs,
        "consumed": [by_name[m.message.name] for m in shape.consumed],
        "produced": [by_name[m.message.name] for m in shape.produced],
        "routes": [by_name[m.message.name] for m in common.routes(shape.consumed)],
        "env_fields": [(java_env[role], role, c_string(wire)) for wire, role in env_fields],
        "has_spec": shape.profile == "cloudevents",
        "service_name": c_string(shape.service.name),
        "artifact": common.identifier(shape.service.name, "kebab"),
        "xml_header": _xml(header_text).replace("--", "- -"),
        "xml_description": _xml(shape.service.description),
    }
    base = "src/main/java/" + pkg.replace(".", "/")
    test = "src/test/java/" + pkg.replace(".", "/")
    files = {"pom.xml": "pom.xml.j2", "README.md": "README.md.j2",
             f"{test}/MessagesTest.java": "MessagesTest.java.j2"}
    for cls in ("Messages", "Json", "Envelope", "Outbox", "PendingOutbox", "Transport",
                "OutboxRelay", "InMemoryOutbox", "IdempotencyStore", "InMemoryIdempotencyStore",
                "Handlers", "Dispatcher", "Publishers", "UnknownMessageTypeException"):
        files[f"{base}/{cls}.java"] = f"{cls}.java.j2"
    return {path: render(_DIR, tpl, **ctx) for path, tpl in files.items()}
