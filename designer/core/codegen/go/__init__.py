"""Go target: structs with encoding/json, schema checks, handlers, publishers, outbox, dispatcher.

Layout: a module (``go.mod``, standard library only) with one package at its root,
``messages_test.go`` / ``dispatcher_test.go`` for ``go test`` and ``cmd/validate`` (what
``bin/validate`` runs). Generation gap: ``handlers_impl.go`` (``AppHandlers``) is created once and
is the developer's; every other file is generated and says so (``// Code generated ... DO NOT
EDIT.``).

Every payload is checked against its schema before it is decoded: ``checks.go`` has one
function per schema node, run over the value ``encoding/json`` decodes into ``any`` (so a
missing required field is seen even when the struct field is not a pointer), and
``DecodeX(data)`` returns a ``*ValidationError`` naming the JSON path of every problem. Closed
payloads are then decoded with ``DisallowUnknownFields``. Names follow Go's initialisms
(``OrderID``); the output is ``gofmt``-clean. A JSON property name that a struct tag cannot
carry (quotes, commas, backticks, empty) gets hand-written MarshalJSON/UnmarshalJSON methods.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from designer.core.codegen import common, gap
from designer.core.codegen import schema_checks as sc
from designer.core.codegen.common import EnumDef, ObjectDef, Scope, TypeRef, c_string
from designer.core.codegen.go.checks import GoChecks
from designer.core.codegen.registry import Language, Naming
from designer.core.codegen.render import render

KEYWORDS = frozenset(["break", "default", "func", "interface", "select", "case", "defer", "go", "map", "struct", "chan", "else", "goto", "package", "switch", "const", "fallthrough", "if", "range", "type", "continue", "for", "import", "return", "var"])
# Package names that would shadow an import, or make the package a command.
PACKAGE_RESERVED = ("main", "json", "time", "errors", "fmt", "context", "sync", "rand", "hex",
                    "testing", "bytes", "strings", "reflect", "crypto", "sql", "math", "mail",
                    "url", "regexp", "sort", "strconv", "utf8", "atomic", "io", "os")
# Package-level names the fixed files declare.
GLOBAL_RESERVED = (
    "Envelope", "Outbox", "PendingOutbox", "Transport", "InMemoryOutbox", "NewInMemoryOutbox",
    "OutboxRelay", "NewOutboxRelay", "IdempotencyStore", "InMemoryIdempotencyStore",
    "NewInMemoryIdempotencyStore", "Handlers", "TodoHandlers", "Dispatcher", "NewDispatcher",
    "UnknownMessageTypeError", "KnownTypes", "Source", "PublishOptions", "NewID",
    "ErrNotImplemented", "Tx", "MemoryTx", "SQLIdempotencyStore", "Problem", "ValidationError",
    "ErrUnknownMessage", "ValidateJSON", "MessageNames", "ErrNoMessageID", "AppHandlers",
    "BeginMemoryTx", "ErrTxDone",
)
FIELD_RESERVED = ("MarshalJSON", "UnmarshalJSON", "Validate")
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
    """``//`` lines for ``text``. A top-level comment (no indent) is a doc comment, which gofmt
    reformats since Go 1.19 (indented lines become code blocks, a lone capitalised line a
    heading, `` and '' curly quotes): so those lines are flattened into one plain paragraph."""
    lines = common.comment_lines(text)
    if not indent:
        lines = [_unquote(ln.strip()) for ln in lines]
        lines = [ln for ln in lines if ln]
    return [f"{indent}// {ln}".rstrip() for ln in lines]


def _unquote(line: str) -> str:
    while "``" in line or "''" in line:
        line = line.replace("``", "` `").replace("''", "' '")
    return line


def _align(rows: list[tuple[str, ...]]) -> list[str]:
    """gofmt's column alignment: runs of field rows (name, type, tag) between comment rows
    (a 1-tuple) are padded to common widths."""
    out: list[str] = []
    run: list[tuple[str, ...]] = []

    def flush() -> None:
        if not run:
            return
        w0 = max(len(r[0]) for r in run)
        w1 = max(len(r[1]) for r in run)
        for r in run:
            out.append(f"\t{r[0].ljust(w0)} {r[1].ljust(w1)} {r[2]}".rstrip())
        run.clear()

    for r in rows:
        if len(r) == 1:
            flush()
            out.append(r[0])
        else:
            run.append(r)
    flush()
    return out


def _align_vars(specs: list[tuple[str, str]]) -> list[str]:
    """``name = value`` lines of a var block, aligned the way gofmt does."""
    w = max((len(n) for n, _ in specs), default=0)
    return [f"\t{n.ljust(w)} = {v}" for n, v in specs]


def header_text(shape: common.ServiceShape, generator: str) -> str:
    """Go's generated-file marker (``// Code generated ... DO NOT EDIT.``) and the gap's header."""
    lines = [f"// Code generated by {generator}; DO NOT EDIT.", "//"]
    lines += ["// " + ln for ln in common.comment_lines(
        "\n".join(gap.generated_header(shape, generator, "handlers_impl.go")))]
    return "\n".join(lines)


def once_header_text(shape: common.ServiceShape, generator: str) -> str:
    return "\n".join("// " + ln for ln in common.comment_lines(
        "\n".join(gap.once_header(shape, generator))))


def _scope_lower(scope: Scope) -> Any:
    """Unexported names in the go style: the first letter in lower case."""
    class Lower:
        def name(self, key: str, suggestion: str | None = None) -> str:
            ident = scope.name(key, suggestion)
            return ident[:1].lower() + ident[1:]
    return Lower()


# Constraints a Go value of the right type can still break (json.Unmarshal takes the payload).
_STRUCT_CONSTRAINTS = frozenset({"minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
                                 "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"})

# Exported (Go-initialism-aware) PascalCase for types and struct fields; the package is lowerjoin.
NAMING = Naming(types="gopascal", fields="gopascal", packages="lowerjoin", keywords=KEYWORDS)


class ServiceContext(TypedDict):
    """What every template of the Go module is rendered with (one service).

    Message entries (``messages``, ``consumed``, ``routes``, ``produced``) are dicts with
    ``name``, ``type``, ``kind``, ``handler``, ``publisher``, ``decoder``, ``example``,
    ``reply_type`` ... (see ``generate_service``); ``types`` are the struct/enum blocks of
    messages.go. Text is already escaped for Go (string literals, comments).
    """

    header: str  # the generated-file comment header
    pkg: str  # the Go package name
    once_header: str  # the created-once header of handlers_impl.go
    header_sh: str
    types: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    uses_time: bool  # messages.go imports time
    uses_json: bool  # messages.go imports encoding/json
    consumed: list[dict[str, Any]]
    produced: list[dict[str, Any]]
    routes: list[dict[str, Any]]
    dedup_route: dict[str, Any] | None
    command_route: dict[str, Any] | None  # the first command that names its reply
    query_route: dict[str, Any] | None
    env_lines: list[str]  # the Envelope struct's aligned field lines
    env_roles: dict[str, str]  # envelope role -> Go field
    env_keys: dict[str, str]  # envelope role -> "Field:" padded for composite literals
    has_spec: bool
    service_name: str
    module: str  # the go.mod module path
    check_funcs: list[str]  # checks.go's functions
    check_vars: list[str]  # checks.go's aligned var lines
    check_imports: list[str]


def generate_service(shape: common.ServiceShape) -> dict[str, str]:
    """The Go module of one service."""
    from designer.core.codegen import GENERATOR

    pkg = Scope(NAMING.packages, KEYWORDS, PACKAGE_RESERVED).name(shape.service.name)
    top = Scope(NAMING.types, KEYWORDS, GLOBAL_RESERVED)
    names = common.type_names(shape, top)
    blocks: list[dict[str, Any]] = []
    uses_time = False
    # Unexported helpers of the fixed files, in the form the lower-casing scope produces.
    internal = Scope("gopascal", KEYWORDS, [n[:1].upper() + n[1:] for n in (
        "problems", "checkFunc", "parseJSON", "validateJSON", "decodeChecked", "acceptAny",
        "jsonType", "hasType", "isInteger", "runeCount", "multipleOf", "sortedKeys",
        "simpleName", "childPath", "indexPath", "mustParse", "equalJSON", "oneOfValues",
        "firstDuplicate", "matches", "anyOf", "oneOf", "uuidPattern", "emailPattern",
        "datePattern", "timePattern", "validFormat", "validators", "raw", "tableName")])
    checks = GoChecks(_scope_lower(internal))
    msg_checks: dict[str, dict[str, Any]] = {}
    for m in shape.messages:
        mc = sc.message_checks(shape.profile, m.message)
        info: dict[str, Any] = {}
        if True:
            info["check"] = checks.add(mc)
            info["closed"] = sc.closed_everywhere(mc)
            info["raw"] = not (isinstance(mc.schema, dict) and common._is_object(mc.schema))
            cases = sc.test_cases(m.message, shape.profile)
            info["valid"] = cases.example is not None
            info["example"] = c_string(common.json_text(cases.example), astral="go")
            info["bad"] = [{"label": c_string(what, astral="go"),
                            "payload": c_string(common.json_text(payload), astral="go"),
                            "path": c_string(path, astral="go")}
                           for what, payload, path in cases.bad]
        msg_checks[m.message.name] = info
    for m in shape.messages:
        raw = msg_checks[m.message.name]["raw"]
        nullable = sc.nullable_names(m.message.latest.schema if m.message.latest else None)
        for d in m.defs:
            doc = d.description or (m.message.description if d.key == m.message.name else
                                    f"part of {m.message.name}.")
            name = names[d.key]
            if isinstance(d, EnumDef):
                consts = [(top.name(f"const:{d.key}:{v}", f"{name} {v}"),
                           c_string(v, astral="go")) for v in d.values]
                w = max(len(i) for i, _ in consts)
                blocks.append({"kind": "enum", "name": name,
                               "doc": _comment(f"{name}: {doc}", ""),
                               "consts": [f"\t{i.ljust(w)} {name} = {lit}" for i, lit in consts]})
            elif isinstance(d, ObjectDef) and d.key == m.message.name and raw:
                blocks.append({"kind": "raw", "name": name,
                               "doc": _comment(f"{name}: {doc}\n\nThe payload is not a JSON "
                                               "object: it is kept as checked raw JSON.", "")})
            elif isinstance(d, ObjectDef):
                fields_scope = Scope(NAMING.fields, KEYWORDS, FIELD_RESERVED)
                fields = []
                rows: list[tuple[str, ...]] = []
                custom = not all(_valid_tag(f.wire) for f in d.fields)
                for f in d.fields:
                    gotype = _type(f.type, names, optional=(
                        not f.required or f.wire in nullable) and f.type.kind in (
                        "string", "integer", "number", "boolean", "datetime", "date", "object",
                        "enum"))
                    uses_time = uses_time or "time.Time" in gotype
                    omit = ",omitempty" if not f.required else ""
                    ident = fields_scope.name(f.wire)
                    tag = "`json:\"-\"`" if custom else f"`json:\"{f.wire}{omit}\"`"
                    rows.extend((ln,) for ln in _comment(f.description, "\t"))
                    rows.append((ident, gotype, tag))
                    fields.append({
                        "ident": ident, "wire": c_string(f.wire, astral="go"),
                        "nilable": gotype.startswith(("*", "[]", "map[")) or gotype == "any",
                        "omit": not f.required,
                    })
                blocks.append({"kind": "object", "name": name, "doc": _comment(f"{name}: {doc}", ""),
                               "fields": fields, "lines": _align(rows), "custom": custom})
    verb = {"event": "On", "command": "Handle", "query": "Answer"}
    methods = Scope("gopascal", KEYWORDS)
    tests = Scope("gopascal", KEYWORDS, GLOBAL_RESERVED + tuple(names.values()))
    msgs = []
    for m in shape.messages:
        msg = m.message
        meaning = msg.description or f"The {msg.kind} {msg.name}."
        handler = methods.name("h:" + msg.name, f"{verb.get(msg.kind, 'On')} {msg.name}")
        info = msg_checks[msg.name]
        msgs.append({
            "name": msg.name, "name_lit": c_string(msg.name, astral="go"),
            "doc_name": " ".join(common.comment_lines(msg.name)),
            "type": names[msg.name], "kind": msg.kind,
            "wire_type": c_string(m.wire_type, astral="go"),
            "version": c_string(m.version, astral="go"),
            "handler": handler,
            "handler_doc": _comment(f"{handler} handles {msg.name}. {meaning}\n\nSent by: "
                                    f"{', '.join(m.producers) or 'no declared producer'}.\nWire type: "
                                    f"{m.wire_type}, version {m.version}.", "\t"),
            "publisher": top.name("p:" + msg.name, f"Publish {msg.name}"),
            "decoder": top.name("d:" + msg.name, f"Decode {msg.name}"),
            "test": tests.name("t:" + msg.name, f"Test {msg.name} accepts its example"),
            "test_bad": tests.name("tb:" + msg.name, f"Test {msg.name} rejects invalid payloads"),
            **info,
        })
    for x in msgs:
        x["publisher_doc"] = _comment(
            f"{x['publisher']} checks {x['name']} against its schema and adds its envelope to the "
            f"outbox, in the caller's transaction.\n\n" + (next(
                m.message.description for m in shape.messages
                if m.message.name == x["name"]) or ""), "")
    by_name = {x["name"]: x for x in msgs}
    for x in msgs:
        x.update({"reply_type": "", "reply_zero": "nil", "reply_decoder": "", "reply_example": "", "reply_bad": ""})
    # A query's responder, and a command's handler when the command names a reply, return the
    # reply's type.
    for query, reply in (shape.replies | shape.command_replies).items():
        r = by_name[reply.message.name]
        cases = sc.test_cases(reply.message, shape.profile)
        # A value a responder can really build (it unmarshals into the struct) that breaks a
        # constraint: the generated test has a responder return it.
        bad = next((c_string(common.json_text(payload), astral="go") for what, payload, _ in cases.bad
                    if what in _STRUCT_CONSTRAINTS), "")
        plain = not any(b.get("custom") or b["kind"] == "raw" for b in blocks if b["name"] == r["type"])
        struct = any(b["kind"] == "object" for b in blocks if b["name"] == r["type"])
        by_name[query].update({"reply_type": r["type"], "reply_decoder": r["decoder"],
                               "reply_zero": r["type"] + "{}" if struct else f"*new({r['type']})",
                               "reply_example": r["example"] if r["valid"] else "",
                               "reply_bad": bad if plain else ""})
    env_fields = common.ENVELOPE_FIELDS[shape.profile]
    go_env = {"id": "ID", "type": "Type", "source": "Source", "time": "Time", "version": "Version",
              "correlation": "CorrelationID", "specversion": "SpecVersion",
              "contenttype": "DataContentType", "data": "Data"}
    env_rows: list[tuple[str, ...]] = []
    for wire, role in env_fields:
        gotype = "json.RawMessage" if role == "data" else "string"
        omit = ",omitempty" if role == "correlation" else ""
        env_rows.append((go_env[role], gotype, f'`json:"{wire}{omit}"`'))
    routes = [by_name[m.message.name] for m in common.routes(shape.consumed)]
    ctx: ServiceContext = {
        "header": header_text(shape, GENERATOR), "pkg": pkg,
        "once_header": once_header_text(shape, GENERATOR),
        "header_sh": " ".join(common.comment_lines(common.header_lines(shape, GENERATOR)[0])), "types": blocks, "messages": msgs,
        "uses_time": uses_time,
        "uses_json": any(b.get("custom") or b["kind"] == "raw" for b in blocks),
        "consumed": [by_name[m.message.name] for m in shape.consumed],
        "produced": [by_name[m.message.name] for m in shape.produced],
        "routes": routes,
        "dedup_route": next((r for r in routes if r["kind"] != "query" and not r["reply_type"] and r["valid"]),
                            None),
        "command_route": next((r for r in routes if r["kind"] == "command" and r["reply_type"] and r["valid"]),
                              None),
        "query_route": next((r for r in routes if r["kind"] == "query" and r["valid"]), None),
        "env_lines": _align(env_rows),
        "env_roles": {role: go_env[role] for _, role in env_fields},
        "env_keys": {role: (go_env[role] + ":").ljust(
            max(len(go_env[r]) for _, r in env_fields) + 2) for _, role in env_fields},
        "has_spec": shape.profile == "cloudevents",
        "service_name": c_string(shape.service.name, astral="go"),
        "module": "example.com/" + common.identifier(shape.service.name, "kebab"),
        "check_funcs": checks.funcs, "check_vars": _align_vars(checks.vars),
        "check_imports": sorted(checks.imports),
    }
    files = {
        "go.mod": "go.mod.j2", "README.md": "README.md.j2",
        "messages.go": "messages.go.j2", "envelope.go": "envelope.go.j2",
        "validate.go": "validate.go.j2", "checks.go": "checks.go.j2",
        "idempotency.go": "idempotency.go.j2", "outbox.go": "outbox.go.j2",
        "handlers.go": "handlers.go.j2", "handlers_impl.go": "handlers_impl.go.j2",
        "publishers.go": "publishers.go.j2",
        "dispatcher.go": "dispatcher.go.j2", "messages_test.go": "messages_test.go.j2",
        "dispatcher_test.go": "dispatcher_test.go.j2",
        "cmd/validate/main.go": "validate_main.go.j2", "bin/validate": "validate.sh.j2",
    }
    return {path: render(LANGUAGE, tpl, ctx) for path, tpl in files.items()}


LANGUAGE = Language(
    name="go", title="Go 1.19+", generate_service=generate_service,
    templates=Path(__file__).parent / "templates", naming=NAMING,
)
