"""Java 17 target: records and enums mapped with Jackson, schema checks, handlers, publishers,
outbox and an idempotent dispatcher.

Layout: Maven (``pom.xml`` declares jackson-databind, ``src/main/java/com/example/<service>/``,
``src/test/java/...``); it also compiles with ``javac`` and the Jackson jars on the class path
(Debian's ``libjackson2-databind-java`` puts them in /usr/share/java). Every payload is
checked against its schema (``Checks.java``: one method per schema node, over Jackson's
``JsonNode``) before Jackson maps it to a record; ``Json.ValidationException`` lists the JSON
path of every problem. Required numbers and booleans are primitives. The tests are a plain
``main`` (JUnit is not available offline) that exits non-zero on the first failure.
Generation gap: ``AppHandlers.java`` is created once and is the developer's; every other file is
generated and says so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from designer.core.codegen import common, gap
from designer.core.codegen import schema_checks as sc
from designer.core.codegen.common import EnumDef, ObjectDef, Scope, TypeRef, c_string
from designer.core.codegen.java.checks import JavaChecks
from designer.core.codegen.registry import Language, Naming
from designer.core.codegen.render import render

KEYWORDS = frozenset(["abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits", "non-sealed", "when", "module", "open", "exports", "requires", "_"])
# java.lang types and our own top-level classes: a nested type with one of these names would
# shadow it inside Messages.java.
TYPE_RESERVED = (
    "AppHandlers", "Checks", "Validate", "Transactions", "InMemoryTransactions", "JdbcIdempotencyStore",
    "JsonNode", "JsonProperty", "JsonInclude", "JsonIgnoreProperties", "JsonCreator", "JsonValue",
    "Problem", "ValidationException", "Check", "Connection", "SQLException",
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
                  "wait", "equals", "toJson", "fromJson", "out", "json", "validate")
_SCALARS = {"string": "String", "integer": "Long", "number": "Double", "boolean": "Boolean",
            "datetime": "java.time.OffsetDateTime", "date": "java.time.LocalDate",
            "any": "JsonNode"}
_PRIMITIVES = {"integer": "long", "number": "double", "boolean": "boolean"}


def _type(t: TypeRef, names: dict[str, str], required: bool = False,
          raw: frozenset[str] = frozenset()) -> str:
    """A record component's type: a primitive when the value is always there; JsonNode for an
    object Jackson cannot map (``raw``: a property named "", which @JsonProperty cannot name)."""
    if t.kind == "object" and t.ref in raw:
        return "JsonNode"
    if required and not t.nullable and t.kind in _PRIMITIVES:
        return _PRIMITIVES[t.kind]
    if t.kind in _SCALARS:
        return _SCALARS[t.kind]
    if t.kind == "array":
        return f"java.util.List<{_type(t.item or TypeRef('any'), names, raw=raw)}>"
    if t.kind == "map":
        return f"java.util.Map<String, {_type(t.item or TypeRef('any'), names, raw=raw)}>"
    return names[t.ref]


def _doc(text: str, indent: str) -> list[str]:
    lines = common.comment_lines(text, java=True)
    if not lines:
        return []
    return [f"{indent}/**"] + [f"{indent} * {ln}".rstrip() for ln in lines] + [f"{indent} */"]


def _xml(text: str) -> str:
    return " ".join(common.text_lines(text)).replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;")


# Constraints a record of the right types can still break (Jackson maps the payload).
_RECORD_CONSTRAINTS = frozenset({"minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
                                 "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"})

# Packages are com.example.<lowerjoin>; record components are camel case.
NAMING = Naming(types="pascal", fields="camel", packages="lowerjoin", keywords=KEYWORDS)


class ServiceContext(TypedDict):
    """What every template of the Java project is rendered with (one service).

    Message entries (``messages``, ``consumed``, ``routes``, ``produced``) are dicts with
    ``name``, ``type``, ``kind``, ``handler``, ``publisher``, ``example``, ``reply_type`` ... (see
    ``generate_service``); ``types`` are the record/enum blocks of Messages.java. Text is already
    escaped for Java (string literals, comments) or XML (the ``xml_`` entries).
    """

    header: str  # the generated-file comment header
    pkg: str  # the Java package, com.example.<service>
    types: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    once_header: str  # the created-once header of AppHandlers.java
    consumed: list[dict[str, Any]]
    produced: list[dict[str, Any]]
    routes: list[dict[str, Any]]
    dedup_route: dict[str, Any] | None
    command_route: dict[str, Any] | None  # the first command that names its reply
    query_route: dict[str, Any] | None
    env_fields: list[tuple[str, str, str]]  # (Java field, role, wire name literal)
    has_spec: bool
    service_name: str
    artifact: str  # the Maven artifactId (kebab case)
    xml_header: str
    xml_description: str
    header_sh: str
    check_methods: list[str]  # Checks.java's methods
    check_fields: list[str]  # Checks.java's static fields


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The Maven-layout Java project of one service."""
    from designer.core.codegen import GENERATOR

    pkg = "com.example." + Scope(NAMING.packages, KEYWORDS).name(shape.service.name)
    types = Scope(NAMING.types, KEYWORDS, TYPE_RESERVED, fold_case=True)
    names = common.type_names(shape, types)
    checks = JavaChecks(Scope("camel", KEYWORDS, ("acceptAny",)))
    info: dict[str, dict[str, Any]] = {}
    for m in shape.messages:
        mc = sc.message_checks(shape.profile, m.message)
        cases = sc.test_cases(m.message, shape.profile)
        info[m.message.name] = {
            "check": checks.add(mc),
            "nullable": sc.nullable_names(m.message.latest.schema if m.message.latest else None),
            "raw": not (isinstance(mc.schema, dict) and common._is_object(mc.schema)),
            "valid": cases.example is not None,
            "example": c_string(common.json_text(cases.example)),
            "bad": [{"label": c_string(what), "payload": c_string(common.json_text(payload)),
                     "path": c_string(path)} for what, payload, path in cases.bad],
        }
    # Objects with a property named "": @JsonProperty("") means "the default name" to Jackson,
    # so such an object stays checked JSON (JsonNode) instead of a record.
    unmappable = frozenset(d.key for m in shape.messages for d in m.defs
                           if isinstance(d, ObjectDef) and any(f.wire == "" for f in d.fields))
    blocks: list[dict[str, Any]] = []
    for m in shape.messages:
        mi = info[m.message.name]
        for d in m.defs:
            doc = d.description or (m.message.description if d.key == m.message.name else
                                    f"Part of {m.message.name}.")
            root = d.key == m.message.name
            if isinstance(d, EnumDef):
                consts = Scope("screaming", KEYWORDS)
                blocks.append({"kind": "enum", "name": names[d.key], "doc": _doc(doc, "    "),
                               "consts": [(consts.name(v), c_string(v)) for v in d.values]})
            elif isinstance(d, ObjectDef) and root and (mi["raw"] or d.key in unmappable):
                blocks.append({"kind": "raw", "name": names[d.key], "root": True,
                               "doc": _doc(doc + "\n\nThe payload is not a JSON object: it is kept "
                                           "as checked JSON.", "    "),
                               "label": c_string(m.message.name), "check": mi["check"]})
            elif isinstance(d, ObjectDef) and d.key in unmappable:
                continue
            elif isinstance(d, ObjectDef):
                comps = Scope(NAMING.fields, KEYWORDS, FIELD_RESERVED)
                fields = [{"ident": comps.name(f.wire),
                           "type": _type(f.type, names, f.required and f.wire not in mi["nullable"],
                                         unmappable),
                           "wire": c_string(f.wire), "required": f.required} for f in d.fields]
                blocks.append({"kind": "object", "name": names[d.key], "doc": _doc(doc, "    "),
                               "fields": fields, "root": root, "open": not d.closed,
                               "label": c_string(m.message.name), "check": mi["check"]})
    verb = {"event": "on", "command": "handle", "query": "answer"}
    methods = Scope("camel", KEYWORDS, FIELD_RESERVED)
    publishers = Scope("camel", KEYWORDS, ("SOURCE",))
    tests = Scope("camel", KEYWORDS, ("main", "check", "unknownTypeIsRejected", "problemAt",
                                      "concurrentDeliveriesRunTheHandlerOnce",
                                      "aFailedHandlerReleasesTheClaim",
                                      "anInvalidPayloadNeverReachesTheHandler",
                                      "queriesAreNeverDeduplicated", "envelope"))
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
            "publisher_doc": _doc(f"Publish {msg.name}: check it against its schema, then add its "
                                  f"envelope to the outbox in the caller's transaction.\n\n{meaning}"
                                  f"\n\nConsumed by: {', '.join(m.consumers) or 'no declared consumer'}.",
                                  "    "),
            "test": tests.name("t:" + msg.name, f"{msg.name} accepts its example"),
            "test_bad": tests.name("tb:" + msg.name, f"{msg.name} rejects invalid payloads"),
            "todo": c_string(f"TODO: implement {msg.name} ({msg.kind})"),
            "label": c_string(msg.name),
            "doc_name": " ".join(common.comment_lines(msg.name, java=True)),
            **{k: v for k, v in info[msg.name].items() if k != "nullable"},
        })
    by_name = {x["name"]: x for x in msgs}
    for x in msgs:
        x.update({"reply_type": "", "reply_label": "", "reply_example": "", "reply_bad": ""})
    # A query's responder, and a command's handler when the command names a reply, return the
    # reply's record.
    for query, reply in (shape.replies | shape.command_replies).items():
        r = by_name[reply.message.name]
        cases = sc.test_cases(reply.message, shape.profile)
        # A record a responder can really build (Jackson maps it) that breaks a constraint.
        bad = next((c_string(common.json_text(payload)) for what, payload, _ in cases.bad
                    if what in _RECORD_CONSTRAINTS), "")
        by_name[query].update({"reply_type": r["type"], "reply_label": r["label"],
                               "reply_example": r["example"] if r["valid"] else "",
                               "reply_bad": "" if r["raw"] else bad})
    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    java_env = {"id": "id", "type": "type", "source": "source", "time": "time",
                "version": "version", "correlation": "correlationId", "specversion": "specVersion",
                "contenttype": "dataContentType", "data": "data"}
    first = common.header_lines(shape, GENERATOR)[0]
    base = "src/main/java/" + pkg.replace(".", "/")
    test = "src/test/java/" + pkg.replace(".", "/")

    def block(lines: list[str]) -> str:
        return "\n".join(["/*"] + [" * " + ln for ln in common.comment_lines(
            "\n".join(lines), java=True)] + [" */"])

    header_lines = gap.generated_header(shape, GENERATOR, f"{base}/AppHandlers.java")
    header = block(header_lines)
    header_text = "\n".join(header_lines)
    routes = [by_name[m.message.name] for m in common.routes(shape.consumed)]
    ctx: ServiceContext = {
        "header": header, "pkg": pkg, "types": blocks, "messages": msgs,
        "once_header": block(gap.once_header(shape, GENERATOR)),
        "consumed": [by_name[m.message.name] for m in shape.consumed],
        "produced": [by_name[m.message.name] for m in shape.produced],
        "routes": routes,
        "dedup_route": next((r for r in routes if r["kind"] != "query" and not r["reply_type"] and r["valid"]),
                            None),
        "command_route": next((r for r in routes if r["kind"] == "command" and r["reply_type"] and r["valid"]),
                              None),
        "query_route": next((r for r in routes if r["kind"] == "query" and r["valid"]), None),
        "env_fields": [(java_env[role], role, c_string(wire)) for wire, role in env_fields],
        "has_spec": shape.profile == "cloudevents",
        "service_name": c_string(shape.service.name),
        "artifact": common.identifier(shape.service.name, "kebab"),
        "xml_header": _xml(header_text).replace("--", "- -"),
        "xml_description": _xml(shape.service.description),
        "header_sh": " ".join(common.comment_lines(first)),
        "check_methods": checks.methods, "check_fields": checks.fields,
    }
    files = {"pom.xml": "pom.xml.j2", "README.md": "README.md.j2", "bin/validate": "validate.sh.j2",
             f"{test}/MessagesTest.java": "MessagesTest.java.j2"}
    for cls in ("AppHandlers", "Messages", "Json", "Checks", "Validate", "Envelope", "Outbox", "PendingOutbox",
                "Transport", "OutboxRelay", "InMemoryOutbox", "IdempotencyStore",
                "JdbcIdempotencyStore", "InMemoryIdempotencyStore", "Transactions",
                "InMemoryTransactions", "Handlers", "Dispatcher", "Publishers",
                "UnknownMessageTypeException"):
        files[f"{base}/{cls}.java"] = f"{cls}.java.j2"
    return {path: render(LANGUAGE, tpl, ctx) for path, tpl in files.items()}


LANGUAGE = Language(
    name="java", title="Java 17 (Jackson, Maven)", generate_service=generate_service,
    templates=Path(__file__).parent / "templates", naming=NAMING,
)
