"""AsyncAPI 2.6 / 3.x documents to and from a Model.

Import (``load`` / ``load_data``):

- ``$ref``s inside the document are resolved (inlined); a reference outside the document, one
  that does not resolve, or a recursive schema is refused with a FormatError naming the place.
- operations become relations: AsyncAPI 3 ``send`` -> produces, ``receive`` -> consumes;
  AsyncAPI 2 ``subscribe`` (the application publishes) -> produces, ``publish`` -> consumes.
  The service is the operation's ``x-service`` (or the channel's), else the service the
  document describes (derived from ``info.title``).
- a message's kind is its ``x-kind``; otherwise a message an operation ``reply``s to is a query,
  a name that starts with a retrieval verb (Get, Fetch...) is a query, an imperative name
  (``SendEmail``) is a command and anything else an event.
- channels keep their address, parameters and bindings; a Kafka message key becomes the
  channel's partition key when it names a payload property.
- whatever has no place in the model is kept in ``x-asyncapi-*`` extensions (servers, operation
  ids and bindings, message headers/bindings/traits, reply messages...), so that an import ->
  export round trip keeps messages, channels, operations and schemas.

Export (``dump`` / ``dump_yaml``) writes AsyncAPI 3.0.0 for the whole team, one service, or
one flow.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from designer.core.model import (
    BROKERS,
    COMPAT_MODES,
    MESSAGE_KINDS,
    Channel,
    Message,
    Model,
    Relation,
    Service,
    Version,
)

from . import yamlsafe
from .errors import FormatError

JSON = Any
Path = tuple[str | int, ...]

# A real document inlines a few thousand schema nodes; a reference "DAG bomb" (A uses B twice,
# B uses C twice...) multiplies them exponentially. Past this many nodes we refuse.
MAX_RESOLVED_NODES = 2_000_000
# The safe YAML reader's limit; a 50 MB upload is refused before parsing.
MAX_BYTES = yamlsafe.DEFAULT_MAX_BYTES

_MSG_KEYS = {"name", "description", "payload", "examples", "x-kind", "x-type", "x-version", "x-compat",
             "x-status", "x-asyncapi-versions", "x-owner"}
_PROTOCOL_BROKERS = {"kafka": "kafka", "kafka-secure": "kafka", "amqp": "rabbitmq", "amqps": "rabbitmq",
                     "mqtt": "mqtt", "secure-mqtt": "mqtt", "mqtt5": "mqtt", "nats": "nats",
                     "redis": "redis", "sns": "sns-sqs", "sqs": "sns-sqs"}
_RETRIEVAL = {"get", "fetch", "find", "list", "search", "lookup", "look", "count", "query", "read", "retrieve"}
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]")


# ---- import -------------------------------------------------------------------------------------

def load(text: str | bytes, source: str = "<string>") -> Model:
    """Read an AsyncAPI 2.6/3.x document (YAML or JSON text) into a Model; FormatError if unusable."""
    data, positions = yamlsafe.parse(text, max_bytes=MAX_BYTES)
    return load_data(data, positions, source)


def load_data(data: JSON, positions: yamlsafe.Positions | None = None, source: str = "<string>") -> Model:
    """Map already parsed AsyncAPI data (with its positions, if known) to a Model."""
    reader = _Reader(data, positions or yamlsafe.Positions(), source)
    return reader.read()


class _Reader:
    def __init__(self, data: JSON, positions: yamlsafe.Positions, source: str) -> None:
        self.raw = data
        self.pos = positions
        self.source = source
        self._nodes = 0
        self._memo: dict[str, tuple[JSON, int]] = {}  # $ref -> (resolved value, expanded size)

    # -- errors --
    def fail(self, reason: str, path: Path = ()) -> FormatError:
        where = self.pos.nearest_value(path) if path else None
        line, col = where if where else (None, None)
        return FormatError(reason, line, col, self.source)

    # -- $ref resolution --
    def resolve(self, node: JSON, path: Path, stack: tuple[str, ...] = ()) -> JSON:
        """``node`` with every local $ref inlined (siblings of $ref kept); the input is not changed.

        A component used many times is resolved once and shared (read-only) rather than copied,
        so resolution stays linear in the document; its expanded size still counts, so a
        reference bomb is refused in milliseconds instead of being expanded.
        """
        value, size = self._resolve(node, path, stack)
        self._nodes += size
        if self._nodes > MAX_RESOLVED_NODES:
            raise self.fail("the document grows too large when its $refs are resolved (a reference "
                            "bomb?); reduce the nesting of shared components", path)
        return value

    def _resolve(self, node: JSON, path: Path, stack: tuple[str, ...]) -> tuple[JSON, int]:
        if isinstance(node, list):
            items = [self._resolve(v, (*path, i), stack) for i, v in enumerate(node)]
            return [v for v, _ in items], 1 + sum(n for _, n in items)
        if not isinstance(node, dict):
            return node, 1
        ref = node.get("$ref")
        if not isinstance(ref, str):
            members = {k: self._resolve(v, (*path, k), stack) for k, v in node.items()}
            size = 1 + sum(n for _, n in members.values())
            if size > MAX_RESOLVED_NODES:
                raise self.fail("the document grows too large when its $refs are resolved (a "
                                "reference bomb?); reduce the nesting of shared components", path)
            return {k: v for k, (v, _) in members.items()}, size
        if not ref.startswith("#"):
            raise self.fail(f"unresolved $ref {ref!r}: only references inside the document are "
                            "supported; bundle the document first (e.g. `asyncapi bundle`)", (*path, "$ref"))
        if ref in stack:
            chain = " -> ".join((*stack[stack.index(ref):], ref))
            raise self.fail(f"recursive schema: {chain}; recursive payloads cannot be imported, "
                            "flatten the recursion (e.g. limit the depth)", (*path, "$ref"))
        if ref not in self._memo:
            target, target_path = self._pointer(ref, path)
            self._memo[ref] = self._resolve(target, target_path, (*stack, ref))
        resolved, size = self._memo[ref]
        siblings = {k: self._resolve(v, (*path, k), stack) for k, v in node.items() if k != "$ref"}
        if siblings and isinstance(resolved, dict):
            return {**resolved, **{k: v for k, (v, _) in siblings.items()}}, size + sum(
                n for _, n in siblings.values())
        return resolved, size

    def _pointer(self, ref: str, at: Path) -> tuple[JSON, Path]:
        node = self.raw
        out: list[str | int] = []
        for raw in ref[1:].split("/")[1:] if ref not in ("#", "#/") else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
                out.append(part)
            elif isinstance(node, list) and part.isdecimal() and int(part) < len(node):
                node = node[int(part)]
                out.append(int(part))
            else:
                raise self.fail(f"unresolved $ref {ref!r}: nothing at that place in the document",
                                (*at, "$ref"))
        return node, tuple(out)

    def deref(self, node: JSON, path: Path) -> tuple[JSON, Path]:
        """Follow a top-level $ref (no inlining below): the object and where it really lives."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#"):
                raise self.fail(f"unresolved $ref {ref!r}: only references inside the document are "
                                "supported", (*path, "$ref"))
            if ref in seen:
                raise self.fail(f"$ref {ref!r} refers to itself", (*path, "$ref"))
            seen.add(ref)
            node, path = self._pointer(ref, path)
        return node, path

    # -- the document --
    def read(self) -> Model:
        data = self.raw
        if not isinstance(data, dict) or "asyncapi" not in data:
            raise self.fail("not an AsyncAPI document: the top-level 'asyncapi' key is missing")
        version = str(data.get("asyncapi"))
        if not re.match(r"^(2\.[0-6]|3\.[01])\.\d+", version):
            raise self.fail(f"unsupported AsyncAPI version {version!r}; use 2.6.x or 3.0.x/3.1.x",
                            ("asyncapi",))
        info = data.get("info") if isinstance(data.get("info"), dict) else {}
        assert isinstance(info, dict)
        title = str(info.get("title") or "asyncapi")
        self.default_service = str(data.get("x-service") or _service_from_title(title))
        self.services: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}  # name -> parts
        self.msg_by_origin: dict[Path, str] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.relations: list[Relation] = []
        self.locations: dict[str, tuple[int, int]] = {}
        self.protocols = self._protocols(data)
        if version.startswith("2."):
            self._read_v2(data)
        else:
            self._read_v3(data)
        doc_ext = {k: self.resolve(v, (k,)) for k, v in data.items()
                   if k in ("servers", "id", "defaultContentType", "tags", "externalDocs") or k.startswith("x-")}
        doc_ext["asyncapi"] = version
        doc_ext["info"] = self.resolve(info, ("info",))
        self._service(self.default_service)["x-asyncapi-document"] = doc_ext
        return self._model(title, str(info.get("description") or ""))

    def _protocols(self, data: Mapping[str, JSON]) -> dict[str, str]:
        servers = data.get("servers")
        out: dict[str, str] = {}
        if isinstance(servers, dict):
            for name, server in servers.items():
                server, _ = self.deref(server, ("servers", name))
                if isinstance(server, dict) and isinstance(server.get("protocol"), str):
                    out[name] = server["protocol"].lower()
        return out

    def _service(self, name: str) -> dict[str, Any]:
        return self.services.setdefault(name, {"x-asyncapi-operations": {}})

    # -- AsyncAPI 3 --
    def _read_v3(self, data: Mapping[str, JSON]) -> None:
        channels = data.get("channels") or {}
        if not isinstance(channels, dict):
            raise self.fail("'channels' must be a mapping of channel ids", ("channels",))
        for cid, ch in channels.items():
            ch_obj, ch_path = self.deref(ch, ("channels", cid))
            if not isinstance(ch_obj, dict):
                raise self.fail(f"channel {cid!r} must be a mapping", ("channels", cid))
            self._channel(cid, ch_obj, ch_path, ch_obj.get("address", cid))
            for key, msg in (ch_obj.get("messages") or {}).items():
                self._message(key, msg, (*ch_path, "messages", key), cid)
        operations = data.get("operations") or {}
        if not isinstance(operations, dict):
            raise self.fail("'operations' must be a mapping of operation ids", ("operations",))
        for op_id, op in operations.items():
            op_obj, op_path = self.deref(op, ("operations", op_id))
            if not isinstance(op_obj, dict):
                raise self.fail(f"operation {op_id!r} must be a mapping", ("operations", op_id))
            action = op_obj.get("action")
            if action not in ("send", "receive"):
                raise self.fail(f"operation {op_id!r}: action must be 'send' or 'receive', not {action!r}",
                                (*op_path, "action"))
            cid = self._channel_id_of(op_obj.get("channel"), (*op_path, "channel"))
            ch = self.channels.get(cid, {})
            names = [self._message_of_ref(m, (*op_path, "messages", i), cid)
                     for i, m in enumerate(op_obj.get("messages") or [])]
            if not names:  # no list: every message of the channel
                names = list(ch.get("_messages", []))
            reply = op_obj.get("reply")
            service = str(op_obj.get("x-service") or ch.get("_raw", {}).get("x-service") or self.default_service)
            role = "produces" if action == "send" else "consumes"
            kept = {k: self.resolve(v, (*op_path, k)) for k, v in op_obj.items()
                    if k not in ("action", "channel", "messages", "x-service")}
            kept.update({"action": action, "channel": cid, "messages": names})
            if reply is not None:
                kept["reply"] = self._reply(reply, (*op_path, "reply"), names)
            self._service(service)["x-asyncapi-operations"][op_id] = kept
            self.locations.setdefault(f"services/{service}", self.pos.key(("operations", op_id)) or (0, 0))
            for name in names:
                self.relations.append(Relation(service=service, message=name, role=role, channel=cid))

    def _reply(self, reply: JSON, path: Path, requests: list[str]) -> JSON:
        reply_obj, reply_path = self.deref(reply, path)
        if not isinstance(reply_obj, dict):
            raise self.fail("an operation's reply must be a mapping", path)
        for name in requests:
            self.messages[name]["reply"] = True
        out: dict[str, Any] = {}
        if "channel" in reply_obj:
            out["channel"] = self._channel_id_of(reply_obj["channel"], (*reply_path, "channel"))
        reply_cid = out.get("channel", "")
        names = [self._message_of_ref(m, (*reply_path, "messages", i), str(reply_cid))
                 for i, m in enumerate(reply_obj.get("messages") or [])]
        if names:
            out["messages"] = names
        if "address" in reply_obj:
            out["address"] = self.resolve(reply_obj["address"], (*reply_path, "address"))
        return out

    def _channel_id_of(self, ref: JSON, path: Path) -> str:
        if not (isinstance(ref, dict) and isinstance(ref.get("$ref"), str)
                and ref["$ref"].startswith("#/channels/")):
            raise self.fail("an operation's channel must be a $ref to '#/channels/<id>'", path)
        cid = str(ref["$ref"])[len("#/channels/"):].replace("~1", "/").replace("~0", "~")
        if cid not in self.channels:
            raise self.fail(f"unresolved $ref {ref['$ref']!r}: no such channel", (*path, "$ref"))
        return cid

    def _message_of_ref(self, ref: JSON, path: Path, cid: str) -> str:
        """The model name of an operation's message (a $ref to a channel or component message)."""
        _, origin = self.deref(ref, path)
        if origin in self.msg_by_origin:
            return self.msg_by_origin[origin]
        return self._message(str(origin[-1]) if origin else "message", ref, path, cid)

    # -- AsyncAPI 2 --
    def _read_v2(self, data: Mapping[str, JSON]) -> None:
        channels = data.get("channels") or {}
        if not isinstance(channels, dict):
            raise self.fail("'channels' must be a mapping of channel names", ("channels",))
        for address, ch in channels.items():
            ch_obj, ch_path = self.deref(ch, ("channels", address))
            if not isinstance(ch_obj, dict):
                raise self.fail(f"channel {address!r} must be a mapping", ("channels", address))
            cid = _safe_id(address)
            self._channel(cid, ch_obj, ch_path, address)
            for verb, role in (("subscribe", "produces"), ("publish", "consumes")):
                if verb not in ch_obj:
                    continue
                op, op_path = self.deref(ch_obj[verb], (*ch_path, verb))
                if not isinstance(op, dict):
                    raise self.fail(f"{verb} of channel {address!r} must be a mapping", (*ch_path, verb))
                msg, msg_path = self.deref(op.get("message"), (*op_path, "message"))
                names: list[str] = []
                if isinstance(msg, dict) and isinstance(msg.get("oneOf"), list):
                    for i, m in enumerate(msg["oneOf"]):
                        _, mp = self.deref(m, (*msg_path, "oneOf", i))
                        names.append(self._message(str(mp[-1]), m, (*msg_path, "oneOf", i), cid))
                elif isinstance(msg, dict):
                    names.append(self._message(str(msg_path[-1]) if msg_path[-1] != "message" else
                                               f"{cid}.message", op.get("message"), (*op_path, "message"), cid))
                op_id = str(op.get("operationId") or f"{cid}.{verb}")
                service = str(op.get("x-service") or ch_obj.get("x-service") or self.default_service)
                kept = {k: self.resolve(v, (*op_path, k)) for k, v in op.items()
                        if k not in ("message", "operationId", "x-service")}
                kept.update({"action": "send" if role == "produces" else "receive", "channel": cid,
                             "messages": names})
                self._service(service)["x-asyncapi-operations"][op_id] = kept
                for name in names:
                    self.relations.append(Relation(service=service, message=name, role=role, channel=cid))

    # -- channels and messages --
    def _channel(self, cid: str, ch: Mapping[str, JSON], path: Path, address: JSON) -> None:
        kept = {k: self.resolve(v, (*path, k)) for k, v in ch.items()
                if k not in ("messages", "subscribe", "publish", "description")}
        kept["address"] = address
        bindings = ch.get("bindings") if isinstance(ch.get("bindings"), dict) else {}
        assert isinstance(bindings, dict)
        broker = ""
        for proto in bindings:
            broker = broker or _PROTOCOL_BROKERS.get(str(proto).lower(), "")
        servers = ch.get("servers")
        if not broker:
            names = [_ref_tail(s) if isinstance(s, dict) else str(s) for s in servers] if isinstance(
                servers, list) else list(self.protocols)
            for n in names:
                broker = broker or _PROTOCOL_BROKERS.get(self.protocols.get(n, ""), "")
        self.channels[cid] = {"broker": broker if broker in BROKERS else "other",
                              "description": str(ch.get("description") or ""), "kept": kept,
                              "_messages": [], "_raw": ch, "partition_key": ""}
        if self.pos.key(path):
            self.locations[f"channels/{cid}"] = self.pos.key(path) or (0, 0)

    def _message(self, key: str, msg: JSON, path: Path, cid: str) -> str:
        obj, origin = self.deref(msg, path)
        if origin in self.msg_by_origin:
            name = self.msg_by_origin[origin]
        else:
            if not isinstance(obj, dict):
                raise self.fail(f"message {key!r} must be a mapping", path)
            resolved = self.resolve(obj, origin)
            name = str(resolved.get("name") or key)
            base, n = name, 2
            while name in self.messages:  # two different messages with one name: keep both
                name, n = f"{base}{n}", n + 1
            self.msg_by_origin[origin] = name
            self.messages[name] = {"data": resolved, "key": str(origin[-1]) if origin else key,
                                   "channel": cid, "reply": False}
            where = self.pos.key(origin)
            if where:
                self.locations[f"messages/{name}"] = where
            self._partition_key(resolved, cid)
        ch = self.channels.get(cid)
        if ch is not None and name not in ch["_messages"]:
            ch["_messages"].append(name)
            ch["kept"].setdefault("x-asyncapi-message-keys", {})[name] = key
        return name

    def _partition_key(self, msg: Mapping[str, JSON], cid: str) -> None:
        kafka = (msg.get("bindings") or {}).get("kafka") if isinstance(msg.get("bindings"), dict) else None
        key = kafka.get("key") if isinstance(kafka, dict) else None
        if not isinstance(key, dict) or cid not in self.channels or self.channels[cid]["partition_key"]:
            return
        payload = msg.get("payload")
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            payload = payload["schema"]
        props = payload.get("properties") if isinstance(payload, dict) else None
        props = props if isinstance(props, dict) else {}
        candidates = [key.get("x-property"), key.get("title"), key.get("description")]
        if isinstance(key.get("properties"), dict) and len(key["properties"]) == 1:
            candidates.insert(1, next(iter(key["properties"])))
        for c in candidates:
            if isinstance(c, str) and (c in props or c == key.get("x-property")):
                self.channels[cid]["partition_key"] = c
                return

    # -- building the model --
    def _model(self, title: str, description: str) -> Model:
        messages = tuple(self._to_message(name, parts) for name, parts in self.messages.items())
        channels = tuple(
            Channel(name=cid, broker=c["broker"], description=c["description"], partition_key=c["partition_key"],
                    extensions={"x-asyncapi-channel": _drop_empty(c["kept"])})
            for cid, c in self.channels.items())
        for r in self.relations:
            self._service(r.service)
        services = tuple(Service(name=name, extensions=_drop_empty(ext)) for name, ext in self.services.items())
        relations = tuple(dict.fromkeys(self.relations))
        return Model(name=title, description=description, services=services, messages=messages,
                     channels=channels, relations=relations, locations=self.locations)

    def _to_message(self, name: str, parts: Mapping[str, Any]) -> Message:
        data: dict[str, Any] = dict(parts["data"])
        kind = data.get("x-kind")
        if kind not in MESSAGE_KINDS:
            kind = "query" if parts["reply"] else _infer_kind(name)
        payload = data.get("payload")
        kept: dict[str, Any] = {}
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            kept["schemaFormat"] = payload["schemaFormat"]
            payload = payload["schema"]
        examples = data.get("examples")
        example = None
        if isinstance(examples, list) and examples and isinstance(examples[0], dict):
            example = examples[0].get("payload")
            if len(examples) > 1 or set(examples[0]) - {"payload"}:
                kept["examples"] = examples
        compat = data.get("x-compat") if data.get("x-compat") in COMPAT_MODES else ""
        latest = Version(version=str(data.get("x-version") or "1.0.0"), schema=payload,
                         status=str(data.get("x-status") or "draft"), example=example, compat=str(compat))
        older = tuple(Version(**{k: v for k, v in old.items() if k in ("version", "schema", "status",
                                                                          "example", "compat")})
                      for old in data.get("x-asyncapi-versions") or [] if isinstance(old, dict))
        extensions = {k: v for k, v in data.items() if k.startswith("x-") and k not in _MSG_KEYS}
        kept.update({k: v for k, v in data.items() if k not in _MSG_KEYS and not k.startswith("x-")})
        kept["key"] = parts["key"]
        extensions["x-asyncapi-message"] = kept
        return Message(name=name, kind=str(kind), type=str(data.get("x-type") or ""),
                       description=str(data.get("description") or ""), owner=str(data.get("x-owner") or ""),
                       channel=parts["channel"], versions=(*older, latest), extensions=extensions)


def _ref_tail(ref: Mapping[str, JSON]) -> str:
    return str(ref.get("$ref", "")).rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _drop_empty(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in ({}, [], None, "") and not k.startswith("_")}


def _service_from_title(title: str) -> str:
    """"Streetlights Kafka API" -> "streetlights-kafka" (the service a per-service document describes)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", title.lower()) if w]
    if len(words) > 1 and words[-1] in ("api", "service", "app", "application"):
        words = words[:-1]
    return "-".join(words) or "service"


def _safe_id(text: str) -> str:
    return _ID_UNSAFE.sub("_", text).strip("_") or "channel"


def _infer_kind(name: str) -> str:
    """event, command or query from a message name (used when x-kind is absent)."""
    from designer.core import naming

    parsed = naming.parse_name(name)
    words = parsed.words
    if not words:
        return "event"
    first, last = naming.word_info(words[0]), naming.word_info(words[-1])
    if words[0] in _RETRIEVAL:
        return "query"
    if len(words) == 1:  # "TurnOn" (phrasal verb) is a command, "Dim" too; "LoggedIn" is not
        base = first.is_base and not (first.is_past and not first.same_form)
        return "command" if base and (first.verb_first or parsed.particle is not None) else "event"
    if first.is_base and first.verb_first and not (last.is_past and not last.same_form):
        return "command"
    return "event"


# ---- export -------------------------------------------------------------------------------------

def dump(model: Model, service: str | None = None, flow: str | None = None) -> dict[str, Any]:
    """An AsyncAPI 3.0.0 document for the whole model, one ``service`` or one ``flow``.

    Raises ValueError when the named service or flow does not exist.
    """
    return _Writer(model, service, flow).write()


def dump_yaml(model: Model, service: str | None = None, flow: str | None = None) -> str:
    """``dump`` as YAML text (block style, keys in document order, unicode kept)."""
    return yaml.dump(dump(model, service, flow), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


# libyaml's emitter is ~10x faster than the pure-Python one on large exports.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _NoAliasDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Shared (resolved) sub-schemas are written out in full, never as YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Writer:
    def __init__(self, model: Model, service: str | None, flow: str | None) -> None:
        self.model = model
        self.service = service
        if service is not None and service not in model.services_by_name:
            raise ValueError(f"no service named {service!r}")
        relations = list(model.relations)
        if flow is not None:
            found = next((f for f in model.flows if f.name == flow), None)
            if found is None:
                raise ValueError(f"no flow named {flow!r}")
            steps = {(s.service, s.message) for s in found.steps}
            relations = [r for r in relations if (r.service, r.message) in steps]
        if service is not None:
            relations = [r for r in relations if r.service == service]
        self.relations = relations
        self.flow = flow

    def write(self) -> dict[str, Any]:
        model = self.model
        doc_ext = self._document_extension()
        info = dict(doc_ext.get("info") or {})
        info["title"] = self.service or (f"{model.name or 'model'} — {self.flow}" if self.flow else
                                         model.name or info.get("title") or "model")
        info.setdefault("version", "1.0.0")
        description = model.services_by_name[self.service].description if self.service else model.description
        if description:
            info["description"] = description
        doc: dict[str, Any] = {"asyncapi": "3.0.0", "info": info}
        servers = self._servers(doc_ext.get("servers"))
        if servers:
            doc["servers"] = servers
        if doc_ext.get("defaultContentType"):
            doc["defaultContentType"] = doc_ext["defaultContentType"]
        for k, v in doc_ext.items():
            if k.startswith("x-") and k != "x-service":
                doc[k] = v
        if self.service:
            doc["x-service"] = self.service

        names = self._message_names()
        channels: dict[str, dict[str, Any]] = {}
        comp_messages: dict[str, Any] = {}
        comp_schemas: dict[str, Any] = {}
        msg_keys: dict[str, str] = {}
        for name in names:
            msg = model.messages_by_name[name]
            key = _safe_id(name)
            msg_keys[name] = key
            comp_messages[key] = self._message(msg, comp_schemas)
        uses: dict[str, list[str]] = {}
        for r in self.relations:
            if r.message in msg_keys:
                cid = self._channel_id(r)
                uses.setdefault(cid, [])
                if r.message not in uses[cid]:
                    uses[cid].append(r.message)
        for name in names:
            msg = model.messages_by_name[name]
            if msg.channel and not any(name in v for v in uses.values()) and msg.channel in model.channels_by_name:
                uses.setdefault(msg.channel, []).append(name)
        for cid, msgs in uses.items():
            channels[_safe_id(cid)] = self._channel(cid, msgs, msg_keys, comp_messages)
        operations = self._operations(msg_keys, channels, comp_messages)
        if channels:
            doc["channels"] = channels
        if operations:
            doc["operations"] = operations
        components: dict[str, Any] = {}
        if comp_messages:
            # extensions last, whatever order they were added in, so a re-export is identical
            components["messages"] = {
                k: {**{a: b for a, b in m.items() if not a.startswith("x-")},
                    **{a: b for a, b in m.items() if a.startswith("x-")}} if isinstance(m, dict) else m
                for k, m in comp_messages.items()}
        if comp_schemas:
            components["schemas"] = comp_schemas
        if components:
            doc["components"] = components
        return doc

    def _document_extension(self) -> dict[str, Any]:
        services = [self.model.services_by_name[self.service]] if self.service else list(self.model.services)
        out: dict[str, Any] = {}
        for s in services:
            ext = s.extensions.get("x-asyncapi-document")
            if isinstance(ext, dict):
                for k, v in ext.items():
                    if k == "servers" and isinstance(v, dict):
                        out.setdefault("servers", {}).update(v)
                    else:
                        out.setdefault(k, v)
        return out

    def _servers(self, servers: JSON) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not isinstance(servers, dict):
            return out
        for name, s in servers.items():
            if not isinstance(s, dict):
                continue
            s = dict(s)
            if "url" in s:  # AsyncAPI 2: url -> host + pathname
                url = str(s.pop("url"))
                rest = url.split("://", 1)[-1]
                host, _, pathname = rest.partition("/")
                s["host"] = host
                if pathname:
                    s["pathname"] = "/" + pathname
            s.pop("security", None)  # 2.x security requirements have another shape in 3.0
            out[_safe_id(str(name))] = {k: v for k, v in s.items()
                                        if k in ("host", "protocol", "protocolVersion", "pathname",
                                                 "description", "title", "summary", "variables",
                                                 "tags", "bindings") or k.startswith("x-")}
        return out

    def _message_names(self) -> list[str]:
        names = [r.message for r in self.relations if r.message in self.model.messages_by_name]
        if self.service is None and self.flow is None:
            names += [m.name for m in self.model.messages]
        return list(dict.fromkeys(names))

    def _channel_id(self, r: Relation) -> str:
        ch = self.model.channel_of(r)
        if ch is not None:
            return ch.name
        msg = self.model.messages_by_name[r.message]
        return r.channel or msg.channel or msg.name

    def _channel(self, cid: str, msgs: list[str], msg_keys: Mapping[str, str],
                 comp_messages: Mapping[str, Any]) -> dict[str, Any]:
        ch = self.model.channels_by_name.get(cid)
        kept = dict(ch.extensions.get("x-asyncapi-channel") or {}) if ch else {}
        keys = kept.pop("x-asyncapi-message-keys", {})
        out: dict[str, Any] = {"address": kept.pop("address", cid)}
        if ch is not None and ch.description:
            out["description"] = ch.description
        params = kept.pop("parameters", None)
        if isinstance(params, dict):
            out["parameters"] = {k: _parameter_v3(v) for k, v in params.items()}
        kept.pop("servers", None)  # server refs are document specific; the channel is on all servers
        out["messages"] = {_safe_id(str(keys.get(m, msg_keys[m]))): {"$ref": f"#/components/messages/{msg_keys[m]}"}
                           for m in msgs}
        for k, v in kept.items():
            if k in ("title", "summary", "bindings", "tags", "externalDocs") or k.startswith("x-"):
                out[k] = v
        if ch is not None and ch.partition_key and ch.broker == "kafka":
            for m in msgs:
                binding = comp_messages[msg_keys[m]].setdefault("bindings", {}).setdefault("kafka", {})
                binding.setdefault("key", {"type": "string", "x-property": ch.partition_key,
                                           "description": f"the payload's {ch.partition_key}"})
        return out

    def _operations(self, msg_keys: Mapping[str, str], channels: dict[str, dict[str, Any]],
                    comp_messages: dict[str, Any]) -> dict[str, Any]:
        ops: dict[str, Any] = {}
        done: set[tuple[str, str, str]] = set()
        # Operations kept from an import first, with their ids, so a round trip keeps them.
        services = [self.model.services_by_name[self.service]] if self.service else list(self.model.services)
        wanted = {(r.service, r.message, _safe_id(self._channel_id(r)), r.role) for r in self.relations}
        for s in services:
            kept_ops = s.extensions.get("x-asyncapi-operations")
            if not isinstance(kept_ops, dict):
                continue
            for op_id, op in kept_ops.items():
                if not isinstance(op, dict):
                    continue
                cid = _safe_id(str(op.get("channel", "")))
                role = "produces" if op.get("action") == "send" else "consumes"
                msgs = [m for m in op.get("messages", []) if (s.name, m, cid, role) in wanted]
                if cid not in channels or not msgs:
                    continue
                out = self._operation(op.get("action", "send"), cid, msgs, msg_keys, channels)
                for k, v in op.items():
                    if k in ("summary", "description", "title", "bindings", "tags", "traits", "security",
                             "externalDocs") or k.startswith("x-"):
                        out[k] = v
                out["x-service"] = s.name
                if isinstance(op.get("reply"), dict):
                    reply = self._reply(op["reply"], channels, comp_messages)
                    if reply:
                        out["reply"] = reply
                ops[_safe_id(str(op_id))] = out
                done.update((s.name, m, role) for m in msgs)
        for r in self.relations:
            if (r.service, r.message, r.role) in done or r.message not in msg_keys:
                continue
            cid = _safe_id(self._channel_id(r))
            action = "send" if r.role == "produces" else "receive"
            op_id = _safe_id(f"{r.service}.{action}.{r.message}")
            out = self._operation(action, cid, [r.message], msg_keys, channels)
            out["x-service"] = r.service
            ops[op_id] = out
            done.add((r.service, r.message, r.role))
        return ops

    def _operation(self, action: str, cid: str, msgs: list[str], msg_keys: Mapping[str, str],
                   channels: Mapping[str, Any]) -> dict[str, Any]:
        ch_msgs = channels[cid]["messages"]
        refs = []
        for m in msgs:
            target = f"#/components/messages/{msg_keys[m]}"
            key = next(k for k, v in ch_msgs.items() if v["$ref"] == target)
            refs.append({"$ref": f"#/channels/{_escape(cid)}/messages/{_escape(key)}"})
        return {"action": action, "channel": {"$ref": f"#/channels/{_escape(cid)}"}, "messages": refs}

    def _reply(self, reply: Mapping[str, Any], channels: dict[str, dict[str, Any]],
               comp_messages: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        cid = reply.get("channel")
        msgs = reply.get("messages") or []
        if isinstance(cid, str):
            rid = _safe_id(cid)
            if rid not in channels:
                ch = self.model.channels_by_name.get(cid)
                kept = dict(ch.extensions.get("x-asyncapi-channel") or {}) if ch else {}
                channels[rid] = {"address": kept.get("address", cid), "messages": {}}
            out["channel"] = {"$ref": f"#/channels/{_escape(rid)}"}
            refs = []
            for name in msgs:
                msg = self.model.messages_by_name.get(str(name))
                if msg is None:
                    continue
                comp_key = _safe_id(msg.name)
                if comp_key not in comp_messages:
                    comp_messages[comp_key] = self._message(msg, {})
                target = f"#/components/messages/{comp_key}"
                ch_msgs = channels[rid]["messages"]
                key = next((k for k, v in ch_msgs.items() if v.get("$ref") == target), None)
                if key is None:
                    key = comp_key
                    ch_msgs[key] = {"$ref": target}
                refs.append({"$ref": f"#/channels/{_escape(rid)}/messages/{_escape(key)}"})
            if refs:
                out["messages"] = refs
        if "address" in reply:
            out["address"] = reply["address"]
        return out

    def _message(self, msg: Message, comp_schemas: dict[str, Any]) -> dict[str, Any]:
        kept = copy.deepcopy(dict(msg.extensions.get("x-asyncapi-message") or {}))
        kept.pop("key", None)
        schema_format = kept.pop("schemaFormat", None)
        out: dict[str, Any] = {"name": msg.name}
        for k in ("title", "summary"):
            if k in kept:
                out[k] = kept.pop(k)
        if msg.description:
            out["description"] = msg.description
        latest = msg.latest
        if latest is not None and latest.schema is not None:
            payload = _schema_for_document(latest.schema, _safe_id(msg.name), comp_schemas)
            out["payload"] = {"schemaFormat": schema_format, "schema": payload} if schema_format else payload
        examples = kept.pop("examples", None)
        if isinstance(examples, list) and examples:
            out["examples"] = examples
        elif latest is not None and latest.example is not None:
            out["examples"] = [{"payload": latest.example}]
        for k, v in kept.items():
            out[k] = v
        out["x-kind"] = msg.kind
        if msg.type:
            out["x-type"] = msg.type
        if msg.owner:
            out["x-owner"] = msg.owner
        if latest is not None:
            out["x-version"] = latest.version
            if latest.status != "draft":
                out["x-status"] = latest.status
            if latest.compat:
                out["x-compat"] = latest.compat
        if len(msg.versions) > 1:
            out["x-asyncapi-versions"] = [
                {k: v for k, v in (("version", o.version), ("status", o.status), ("compat", o.compat),
                                   ("schema", o.schema), ("example", o.example)) if v not in ("", None)}
                for o in msg.versions[:-1]]
        for k, v in msg.extensions.items():
            if k != "x-asyncapi-message":
                out[k] = v
        return out


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _parameter_v3(param: JSON) -> JSON:
    """AsyncAPI 2 parameters carry a ``schema``; 3.0 has enum/default/description/examples."""
    if not isinstance(param, dict) or "schema" not in param:
        return param
    schema = param["schema"] if isinstance(param["schema"], dict) else {}
    out = {k: v for k, v in param.items() if k in ("description", "location") or k.startswith("x-")}
    for k in ("enum", "default", "examples"):
        if k in schema:
            out[k] = [str(v) for v in schema[k]] if k != "default" else str(schema[k])
    return out


def _schema_for_document(schema: JSON, prefix: str, comp_schemas: dict[str, Any]) -> JSON:
    """Copy a payload schema into the document, moving its $defs to components.schemas.

    A "#/$defs/X" reference inside a message schema would resolve against the AsyncAPI document's
    root once embedded, so local definitions become ``components.schemas.<Message>.X``.
    """
    schema = copy.deepcopy(schema)
    if not isinstance(schema, dict):
        return schema
    renames: dict[str, str] = {}
    for defs_key in ("$defs", "definitions"):
        defs = schema.pop(defs_key, None)
        if isinstance(defs, dict):
            for name, sub in defs.items():
                new = _safe_id(f"{prefix}.{name}")
                renames[f"#/{defs_key}/{_escape(name)}"] = f"#/components/schemas/{new}"
                comp_schemas[new] = sub
    if renames:
        for name in [v.rsplit("/", 1)[-1] for v in renames.values()]:
            comp_schemas[name] = _rewrite_refs(comp_schemas[name], renames)
        schema = _rewrite_refs(schema, renames)
    return schema


def _rewrite_refs(node: JSON, renames: Mapping[str, str]) -> JSON:
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    if isinstance(node, dict):
        out = {k: _rewrite_refs(v, renames) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str):
            for old, new in renames.items():
                if ref == old or ref.startswith(old + "/"):
                    out["$ref"] = new + ref[len(old):]
                    break
        return out
    return node


def iter_operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(id, operation) pairs of an AsyncAPI 3 document (a helper for previews and tests)."""
    ops = doc.get("operations")
    if isinstance(ops, dict):
        yield from ((str(k), v) for k, v in ops.items() if isinstance(v, dict))
