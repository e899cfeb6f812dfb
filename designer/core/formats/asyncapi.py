"""AsyncAPI 2.x / 3.x documents to and from a Model.

Import (``load`` / ``load_data``):

- ``$ref``s are resolved (inlined): inside the document, and to the other files of an upload
  (``./common/messages.yaml#/UserLiked``, relative to the file that holds the reference).
  Nothing is ever fetched: a URL, an absolute path or a file that is not part of the upload is
  refused with a FormatError naming the place.
- a recursive schema (a tree, a polymorphic DTO that contains its base type) is kept: the types
  on a cycle become the payload's ``$defs`` and are referenced as ``#/$defs/<name>``.
- operations become relations: AsyncAPI 3 ``send`` -> produces, ``receive`` -> consumes;
  AsyncAPI 2 ``subscribe`` (the application publishes) -> produces, ``publish`` -> consumes. An
  operation's ``reply`` messages get the opposite relation (whoever receives a request sends
  its reply), and the request's ``Message.reply`` names the first reply message. The service
  is the operation's ``x-service`` (or the channel's), else the service the document describes
  (derived from ``info.title``).
- a message's name is what its author wrote: ``name``, ``messageId``, the component key, the
  key in the channel's ``messages``, ``title`` or the payload's ``title``. Only a message that
  has none of these (an anonymous AsyncAPI 2 message) is named after its operation or channel,
  and that is recorded so that naming rules do not judge a name nobody wrote.
- a message's kind is its ``x-kind``; otherwise a request (a message an operation ``reply``s
  to, or one named ``...Request``) is a query, or a command when its name starts with a verb
  that changes something; its reply (or ``...Reply``/``...Response``) shares that kind; a name
  that starts with a retrieval verb (Get, Fetch...) is a query, an imperative name
  (``SendEmail``) is a command and anything else an event.
- payloads in Avro (``schemaFormat: application/vnd.apache.avro...``) are converted to JSON
  Schema for the model and the Avro schema is kept, so an unchanged message exports as Avro.
- channels keep their address, parameters and bindings; a Kafka message key becomes the
  channel's partition key when it names a payload property.
- whatever has no place in the model is kept in ``x-asyncapi-*`` extensions (servers, operation
  ids and bindings, message headers/bindings/traits, reply messages...), so that an import ->
  export round trip keeps messages, channels, operations and schemas.

Export (``dump`` / ``dump_yaml``) writes AsyncAPI 3.0.0 for the whole team, one service, or
one flow: YAML that YAML 1.2 readers (every AsyncAPI tool) read as written, with AsyncAPI 2
structures (security requirements, bindings, parameters, servers) in their 3.0 form.
"""
from __future__ import annotations

import copy
import dataclasses
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import yaml

from designer.core.jsonvalue import split_pointer
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
from designer.core.provenance import AUTHOR_NAME_SOURCES as AUTHOR_NAME_SOURCES
from designer.core.provenance import message_role as message_role
from designer.core.provenance import name_written_by_author as name_written_by_author

from . import asyncapi_avro, asyncapi_convert, schemacheck, yamlsafe
from .errors import ExternalReferenceError, FormatError

JSON = Any
Path = tuple[Any, ...]  # keys and indices; a path inside another file starts with a _File

# A real document inlines a few thousand schema nodes; a reference "DAG bomb" (A uses B twice,
# B uses C twice...) multiplies them exponentially. Past this many nodes we refuse.
MAX_RESOLVED_NODES = 2_000_000
_NO_NEEDS: frozenset[str] = frozenset()
# The safe YAML reader's limit; a 50 MB upload is refused before parsing.
MAX_BYTES = yamlsafe.DEFAULT_MAX_BYTES

# Message keys the model holds itself (not kept verbatim in x-asyncapi-message).
_MSG_KEYS = {"name", "description", "payload", "examples", "x-kind", "x-type", "x-version", "x-compat",
             "x-status", "x-asyncapi-versions", "x-owner"}
# Bookkeeping the reader leaves in x-asyncapi-message for the writer and the naming rules; never
# written to a document.
INTERNAL_KEYS = ("key", "name_source", "role", "avro")
_PROTOCOL_BROKERS = {"kafka": "kafka", "kafka-secure": "kafka", "amqp": "rabbitmq", "amqps": "rabbitmq",
                     "mqtt": "mqtt", "secure-mqtt": "mqtt", "mqtt5": "mqtt", "nats": "nats",
                     "redis": "redis", "sns": "sns-sqs", "sqs": "sns-sqs"}
_RETRIEVAL = {"get", "fetch", "find", "list", "search", "lookup", "look", "count", "query", "read", "retrieve",
              "ping"}
# Last words of a reply's name (CameraStatusReply, GetUserResponse, TurnOnOffAck, ...Error is a
# reply only next to a request, see _roles).
_REPLY_WORDS = {"reply", "response", "result", "ack", "acknowledgement", "acknowledgment", "answer", "pong"}
_REQUEST_WORDS = {"request", "req", "ping"}
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]")
_CHANNEL_KEY = re.compile(r"^[\w.\-/{}]+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
# Extensions that name an anonymous message's type (x-ballerina-event-type, x-event-name...).
_NAMING_EXTENSION = re.compile(r"^x-(?:[a-z0-9]+-)*(?:event|message)[-_]?(?:type|name)$", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class _File:
    """The first element of a path inside another file of an upload."""

    name: str


# ---- import -------------------------------------------------------------------------------------

def load(text: str | bytes, source: str = "<string>") -> Model:
    """Read an AsyncAPI 2.x/3.x document (YAML or JSON text) into a Model; FormatError if unusable."""
    data, positions = yamlsafe.parse(text, max_bytes=MAX_BYTES)
    return load_data(data, positions, source)


def load_data(data: JSON, positions: yamlsafe.Positions | None = None, source: str = "<string>",
              files: Mapping[str, tuple[JSON, yamlsafe.Positions]] | None = None) -> Model:
    """Map already parsed AsyncAPI data (with its positions, if known) to a Model.

    ``files`` are the other parsed files of an upload, by their path relative to the upload's
    root; ``source`` is the path of this document among them (relative ``$ref``s are resolved
    from its folder). Without ``files`` only references inside the document resolve.
    """
    reader = _Reader(data, positions or yamlsafe.Positions(), source, files or {})
    return reader.read()


class _Reader:
    def __init__(self, data: JSON, positions: yamlsafe.Positions, source: str,
                 files: Mapping[str, tuple[JSON, yamlsafe.Positions]]) -> None:
        self.raw = data
        self.pos = positions
        self.source = source
        self.main = _normalise_name(source) if files else ""
        self.files = {_normalise_name(k): v for k, v in files.items()}
        self._nodes = 0
        # (file, pointer) -> (resolved value, expanded size, $defs it needs)
        self._memo: dict[tuple[str, str], tuple[JSON, int, frozenset[str]]] = {}
        self._recursive: set[tuple[str, str]] = set()  # targets found on a reference cycle
        self._def_names: dict[tuple[str, str], str] = {}
        self._defs: dict[str, JSON] = {}
        self._def_needs: dict[str, frozenset[str]] = {}
        # (file, pointer) -> (the node there, its path): a message or channel is pointed at
        # several times (channel, operations, replies); the document does not change meanwhile.
        self._pointed: dict[tuple[str, str], tuple[JSON, Path]] = {}

    # -- where things are --
    def _split(self, path: Path) -> tuple[str, Path]:
        if path and isinstance(path[0], _File):
            return path[0].name, path[1:]
        return self.main, path

    def _prefix(self, file: str) -> Path:
        return () if file == self.main else (_File(file),)

    def _data(self, file: str) -> tuple[JSON, yamlsafe.Positions]:
        if file == self.main:
            return self.raw, self.pos
        return self.files[file]

    def where(self, path: Path, key: bool = False) -> tuple[int, int] | None:
        """The (line, column) of ``path`` in its file (for locations: only in the main file)."""
        file, inner = self._split(path)
        if file != self.main:
            return None
        return self.pos.key(inner) if key else self.pos.nearest_value(inner)

    # -- errors --
    def fail(self, reason: str, path: Path = ()) -> FormatError:
        file, inner = self._split(path)
        _, positions = self._data(file)
        where = positions.nearest_value(inner) if inner else None
        line, col = where if where else (None, None)
        if file != self.main:
            reason = f"in {file}: {reason}"
        return FormatError(reason, line, col, self.source)

    def _not_a_reference(self, value: JSON, path: Path) -> FormatError:
        """`$ref: 5`, `$ref:` with no value: a reference to nothing (the AsyncAPI tools refuse it)."""
        shown = "nothing" if value is None else repr(value)
        return self.fail(f"$ref must be a reference such as '#/components/messages/UserSignedUp', not {shown}",
                         (*path, "$ref"))

    # -- $ref resolution --
    def resolve(self, node: JSON, path: Path) -> JSON:
        """``node`` with every $ref inlined (siblings of $ref kept); the input is not changed.

        A component used many times is resolved once and shared (read-only) rather than copied,
        so resolution stays linear in the document; its expanded size still counts, so a
        reference bomb is refused in milliseconds instead of being expanded. The types on a
        reference cycle are kept as ``$defs`` of the node resolved here (a schema's root).
        """
        value, size, needs = self._resolve(node, path, ())
        self._nodes += size
        if self._nodes > MAX_RESOLVED_NODES:
            raise self._bomb(path)
        if not needs:
            return value
        defs: dict[str, JSON] = {}
        todo = sorted(needs)
        while todo:
            name = todo.pop()
            if name not in defs:
                defs[name] = self._defs[name]
                todo.extend(sorted(self._def_needs[name] - set(defs)))
        if not isinstance(value, dict):  # pragma: no cover - a $defs reference is always a mapping
            return value
        if set(value) == {"$ref"} and str(value["$ref"]).startswith("#/$defs/"):
            # The root is a recursive type itself: write its body here (as a $ref followed first
            # would have), so every way of writing the same payload gives the same schema.
            body = defs.get(value["$ref"][len("#/$defs/"):].replace("~1", "/").replace("~0", "~"))
            if isinstance(body, dict):
                value = {k: v for k, v in body.items() if k != "$defs"}
        own = value.get("$defs")
        own = own if isinstance(own, dict) else {}
        return {**value, "$defs": {**own, **dict(sorted(defs.items()))}}

    def _bomb(self, path: Path) -> FormatError:
        return self.fail("the document grows too large when its $refs are resolved (a reference "
                         "bomb?); reduce the nesting of shared components", path)

    def _resolve(self, node: JSON, path: Path, stack: tuple[tuple[str, str], ...]
                 ) -> tuple[JSON, int, frozenset[str]]:
        # A subtree without a $ref comes back as the very same object (shared read-only, like a
        # component): no copy of each payload is made, which halves the memory of a big document.
        # Scalars are counted where they stand, without a call each (most nodes are scalars).
        if isinstance(node, list):
            size, needs, out = 1, _NO_NEEDS, None
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    r, n, d = self._resolve(v, (*path, i), stack)
                    size += n
                    if d:
                        needs = needs | d
                    if r is not v:
                        if out is None:
                            out = list(node)
                        out[i] = r
                else:
                    size += 1
            return (node if out is None else out), size, needs
        if not isinstance(node, dict):
            return node, 1, _NO_NEEDS
        ref = node.get("$ref")
        if "$ref" in node and not isinstance(ref, (str, dict)) and not _in_data(path):
            # (a `$ref` holding an object is a property of that name; in examples it is data)
            raise self._not_a_reference(ref, path)
        if not isinstance(ref, str):
            size, needs, changed = 1, _NO_NEEDS, None
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    r, n, d = self._resolve(v, (*path, k), stack)
                    size += n
                    if d:
                        needs = needs | d
                    if r is not v:
                        if changed is None:
                            changed = dict(node)
                        changed[k] = r
                else:
                    size += 1
            if size > MAX_RESOLVED_NODES:
                raise self._bomb(path)
            return (node if changed is None else changed), size, needs
        target = self._target(ref, path)
        siblings = {k: self._resolve(v, (*path, k), stack) for k, v in node.items() if k != "$ref"}
        if target in stack:  # a cycle: refer to the type by name, its body goes to $defs
            self._recursive.add(target)
            name = self._def_name(target)
            resolved: JSON = {"$ref": f"#/$defs/{_escape(name)}"}
            size, needs = 1, frozenset({name})
        else:
            if target not in self._memo:
                value, where = self._pointer(target, (*path, "$ref"))
                v, n, d = self._resolve(value, where, (*stack, target))
                if target in self._recursive:
                    name = self._def_name(target)
                    self._defs[name] = v
                    self._def_needs[name] = d - {name}
                    self._memo[target] = ({"$ref": f"#/$defs/{_escape(name)}"}, 1, frozenset({name}))
                else:
                    self._memo[target] = (v, n, d)
            resolved, size, needs = self._memo[target]
        if siblings and isinstance(resolved, dict):
            merged = {**resolved, **{k: v for k, (v, _, _) in siblings.items()}}
            return (merged, size + sum(n for _, n, _ in siblings.values()),
                    needs.union(*(d for _, _, d in siblings.values())))
        return resolved, size, needs

    def _def_name(self, target: tuple[str, str]) -> str:
        if target not in self._def_names:
            parts = [p for p in target[1].split("/") if p]
            base = unquote(parts[-1].replace("~1", "/").replace("~0", "~")) if parts else (
                posixpath.splitext(posixpath.basename(target[0]))[0] or "Root")
            base = _ID_UNSAFE.sub("_", base) or "Schema"
            name, n = base, 2
            taken = set(self._def_names.values())
            while name in taken:
                name, n = f"{base}_{n}", n + 1
            self._def_names[target] = name
        return self._def_names[target]

    def _target(self, ref: str, at: Path) -> tuple[str, str]:
        """(file, JSON pointer) a ``$ref`` written at ``at`` points to; refused when outside."""
        file, _ = self._split(at)
        where = (*at, "$ref") if at and at[-1] != "$ref" else at
        location, _, fragment = ref.partition("#")
        if location == "":
            return file, fragment
        if _SCHEME.match(location) or location.startswith(("/", "\\")):
            raise self.fail(f"$ref {ref!r} points outside the upload; references are never fetched: "
                            "upload the referenced files together with the document (several files "
                            "or a zip), or bundle it first (`asyncapi bundle`)", where)
        if not self.files:
            error = self.fail(f"unresolved $ref {ref!r}: only references inside the document are "
                              "supported; upload the referenced files together with it (several files or "
                              "a zip), or bundle it first (`asyncapi bundle`)", where)
            raise ExternalReferenceError(error.reason, error.line, error.column, error.source)
        name = posixpath.normpath(posixpath.join(posixpath.dirname(file), unquote(location)))
        if name not in self.files and name != self.main:
            # Files chosen in a browser arrive without their folders: a file of that name, if
            # only one, is the one meant.
            same = [f for f in (*self.files, self.main) if posixpath.basename(f) == posixpath.basename(name)]
            if len(same) != 1:
                raise self.fail(f"unresolved $ref {ref!r}: {name!r} is not part of the upload; upload it "
                                "with the document", where)
            name = same[0]
        return name, fragment

    def _pointer(self, target: tuple[str, str], at: Path) -> tuple[JSON, Path]:
        found = self._pointed.get(target)
        if found is None:
            found = self._pointed[target] = self._walk_pointer(target, at)
        return found

    def _walk_pointer(self, target: tuple[str, str], at: Path) -> tuple[JSON, Path]:
        file, fragment = target
        node, _ = self._data(file)
        out: list[Any] = list(self._prefix(file))
        parts = split_pointer(fragment) if fragment else []
        if parts is None:
            raise self.fail(f"unresolved $ref '#{fragment}': only JSON pointers (#/...) are supported", at)
        for part in parts:
            if isinstance(node, dict) and part not in node and unquote(part) in node:
                part = unquote(part)  # a pointer in a URI fragment may be percent-encoded
            if isinstance(node, dict) and part in node:
                node = node[part]
                out.append(part)
            elif isinstance(node, list) and part.isdecimal() and int(part) < len(node):
                node = node[int(part)]
                out.append(int(part))
            else:
                shown = f"{file}#{fragment}" if file != self.main else f"#{fragment}"
                raise self.fail(f"unresolved $ref {shown!r}: nothing at that place in the document", at)
        return node, tuple(out)

    def deref(self, node: JSON, path: Path) -> tuple[JSON, Path]:
        """Follow a top-level $ref (no inlining below): the object and where it really lives."""
        seen: set[tuple[str, str]] = set()
        if isinstance(node, dict) and "$ref" in node and not isinstance(node["$ref"], str):
            raise self._not_a_reference(node["$ref"], path)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = self._target(node["$ref"], path)
            if target in seen:
                raise self.fail(f"$ref {node['$ref']!r} refers to itself", (*path, "$ref"))
            seen.add(target)
            node, path = self._pointer(target, (*path, "$ref"))
        return node, path

    # -- the document --
    def read(self) -> Model:
        data = self.raw
        if not isinstance(data, dict) or "asyncapi" not in data:
            raise self.fail("not an AsyncAPI document: the top-level 'asyncapi' key is missing")
        version = str(data.get("asyncapi"))
        if not re.match(r"^(2\.[0-6]|3\.[01])\.\d+", version):
            raise self.fail(f"unsupported AsyncAPI version {version!r}; use 2.0.x to 2.6.x, 3.0.x or 3.1.x",
                            ("asyncapi",))
        info = data.get("info") if isinstance(data.get("info"), dict) else {}
        assert isinstance(info, dict)
        title = str(info.get("title") or "asyncapi")
        self.v2 = version.startswith("2.")
        self.default_service = str(data.get("x-service") or _service_from_title(title))
        self.default_content_type = str(data.get("defaultContentType") or "")
        self.services: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}  # name -> parts
        self.msg_by_origin: dict[Path, str] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.relations: list[Relation] = []
        self.locations: dict[str, tuple[int, int]] = {}
        self.exchanges: list[tuple[list[str], list[str]]] = []  # (requests, replies)
        self.protocols = self._protocols(data)
        if self.v2:
            self._read_v2(data)
        else:
            self._read_v3(data)
        self._component_messages(data)
        doc_ext = {k: self.resolve(v, (k,)) for k, v in data.items()
                   if k in ("servers", "id", "defaultContentType", "tags", "externalDocs") or k.startswith("x-")}
        components = data.get("components") if isinstance(data.get("components"), dict) else {}
        assert isinstance(components, dict)
        if isinstance(components.get("securitySchemes"), dict):
            doc_ext["securitySchemes"] = self.resolve(components["securitySchemes"],
                                                      ("components", "securitySchemes"))
        doc_ext["asyncapi"] = version
        doc_ext["info"] = self.resolve(info, ("info",))
        self._service(self.default_service)["x-asyncapi-document"] = doc_ext
        return self._model(title, str(info.get("description") or ""))

    def _protocols(self, data: Mapping[str, JSON]) -> dict[str, str]:
        servers, _ = self.deref(data.get("servers"), ("servers",))
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
            msgs = ch_obj.get("messages") or {}
            if not isinstance(msgs, dict):
                raise self.fail(f"the messages of channel {cid!r} must be a mapping", (*ch_path, "messages"))
            for key, msg in msgs.items():
                self._message(str(key), msg, (*ch_path, "messages", key), cid)
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
            op_msgs = op_obj.get("messages") or []
            if not isinstance(op_msgs, list):
                raise self.fail(f"operation {op_id!r}: messages must be a list of $refs", (*op_path, "messages"))
            names = [self._message_of_ref(m, (*op_path, "messages", i), cid) for i, m in enumerate(op_msgs)]
            if not names:  # no list: every message of the channel
                names = list(ch.get("_messages", []))
            reply = op_obj.get("reply")
            service = str(op_obj.get("x-service") or ch.get("_raw", {}).get("x-service") or self.default_service)
            role = "produces" if action == "send" else "consumes"
            kept = {k: self.resolve(v, (*op_path, k)) for k, v in op_obj.items()
                    if k not in ("action", "channel", "messages", "x-service", "reply")}
            kept.update({"action": action, "channel": cid, "messages": names})
            if reply is not None:
                kept["reply"] = self._reply(reply, (*op_path, "reply"), names, service, role, cid)
            self._service(service)["x-asyncapi-operations"][str(op_id)] = kept
            self.locations.setdefault(f"services/{service}", self.where(("operations", op_id), key=True) or (0, 0))
            for name in names:
                self.relations.append(Relation(service=service, message=name, role=role, channel=cid))

    def _reply(self, reply: JSON, path: Path, requests: list[str], service: str, role: str,
               request_cid: str) -> JSON:
        reply_obj, reply_path = self.deref(reply, path)
        if not isinstance(reply_obj, dict):
            raise self.fail("an operation's reply must be a mapping", path)
        out: dict[str, Any] = {}
        if "channel" in reply_obj:
            out["channel"] = self._channel_id_of(reply_obj["channel"], (*reply_path, "channel"))
        reply_cid = str(out.get("channel", ""))
        msgs = reply_obj.get("messages") or []
        if not isinstance(msgs, list):
            raise self.fail("an operation's reply messages must be a list of $refs", (*reply_path, "messages"))
        names = [self._message_of_ref(m, (*reply_path, "messages", i), reply_cid) for i, m in enumerate(msgs)]
        if not names and reply_cid:
            names = list(self.channels.get(reply_cid, {}).get("_messages", []))
        if names:
            out["messages"] = names
        if "address" in reply_obj:
            out["address"] = self.resolve(reply_obj["address"], (*reply_path, "address"))
        for k, v in reply_obj.items():
            if k.startswith("x-"):
                out[k] = self.resolve(v, (*reply_path, k))
        self.exchanges.append((list(requests), names))
        # Whoever receives the request sends the reply, and the other way round.
        back = "consumes" if role == "produces" else "produces"
        for name in names:
            self.relations.append(Relation(service=service, message=name, role=back,
                                           channel=reply_cid or self.messages[name]["channel"] or request_cid))
        return out

    def _channel_id_of(self, ref: JSON, path: Path) -> str:
        if not (isinstance(ref, dict) and isinstance(ref.get("$ref"), str)):
            raise self.fail("an operation's channel must be a $ref to '#/channels/<id>'", path)
        file, fragment = self._target(ref["$ref"], path)
        parts = split_pointer(fragment) if fragment else None
        if file != self.main or not parts or len(parts) != 2 or parts[0] != "channels":
            raise self.fail("an operation's channel must be a $ref to '#/channels/<id>'", path)
        cid = parts[1]
        if cid not in self.channels and unquote(cid) in self.channels:
            cid = unquote(cid)
        if cid not in self.channels:
            raise self.fail(f"unresolved $ref {ref['$ref']!r}: no such channel", (*path, "$ref"))
        return cid

    def _message_of_ref(self, ref: JSON, path: Path, cid: str) -> str:
        """The model name of an operation's message (a $ref to a channel or component message)."""
        _, origin = self.deref(ref, path)
        if origin in self.msg_by_origin:
            return self.msg_by_origin[origin]
        key = origin[-1] if origin and not isinstance(origin[-1], int) else ""
        return self._message(str(key), ref, path, cid)

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
            if cid != address:  # the id is made from the address: naming rules judge the address
                self.channels[cid]["kept"]["name_source"] = "address"
            for verb, role in (("subscribe", "produces"), ("publish", "consumes")):
                if verb not in ch_obj:
                    continue
                op, op_path = self.deref(ch_obj[verb], (*ch_path, verb))
                if not isinstance(op, dict):
                    raise self.fail(f"{verb} of channel {address!r} must be a mapping", (*ch_path, verb))
                op_id = str(op.get("operationId") or f"{cid}.{verb}")
                fallback = (str(op["operationId"]), "operationId") if op.get("operationId") else (
                    str(address), "channel")
                msg, msg_path = self.deref(op.get("message"), (*op_path, "message"))
                names: list[str] = []
                if isinstance(msg, dict) and isinstance(msg.get("oneOf"), list):
                    for i, m in enumerate(msg["oneOf"]):
                        names.append(self._message("", m, (*msg_path, "oneOf", i), cid, fallback=None))
                elif isinstance(msg, dict):
                    names.append(self._message("", op.get("message"), (*op_path, "message"), cid,
                                               fallback=fallback))
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
                if k not in ("messages", "subscribe", "publish", "description", "servers")}
        kept["address"] = address
        bindings = ch.get("bindings") if isinstance(ch.get("bindings"), dict) else {}
        assert isinstance(bindings, dict)
        broker = ""
        for proto in bindings:  # x-sqs: a binding an export kept as an extension names its protocol too
            broker = broker or _PROTOCOL_BROKERS.get(str(proto).lower().removeprefix("x-"), "")
        servers = ch.get("servers")
        # The names of the servers it is on (AsyncAPI 2 lists names, 3.0 references).
        server_names = [_ref_tail(s) if isinstance(s, dict) else str(s) for s in servers] if isinstance(
            servers, list) else []
        if server_names:
            kept["servers"] = server_names
        if not broker:
            names = server_names or list(self.protocols)
            for n in names:
                broker = broker or _PROTOCOL_BROKERS.get(self.protocols.get(n, ""), "")
        self.channels[cid] = {"broker": broker if broker in BROKERS else "other",
                              "description": str(ch.get("description") or ""), "kept": kept,
                              "_messages": [], "_raw": ch, "partition_key": ""}
        where = self.where(path, key=True)
        if where:
            self.locations[f"channels/{cid}"] = where

    def _message(self, key: str, msg: JSON, path: Path, cid: str,
                 fallback: tuple[str, str] | None = None) -> str:
        """Read one message (once per place it is defined); its model name.

        ``key`` is the key it is listed under in the channel (AsyncAPI 3), ``fallback`` the
        name to use when its author gave it none (AsyncAPI 2 anonymous messages).
        """
        obj, origin = self.deref(msg, path)
        if origin in self.msg_by_origin:
            name = self.msg_by_origin[origin]
        else:
            if not isinstance(obj, dict):
                raise self.fail(f"message {key or path[-1]!r} must be a mapping", path)
            resolved = self._resolve_message(obj, origin)
            name, source = self._name_of(obj, resolved, origin, key, fallback, cid)
            same = self.messages.get(name)
            if same is not None and same["data"] == resolved:
                # One message written twice (an inline copy): the same message on two channels.
                self.msg_by_origin[origin] = name
            else:
                if same is not None:
                    name, source = self._distinct_name(name, source, obj, resolved, origin, key, cid)
                self.msg_by_origin[origin] = name
                self.messages[name] = {"data": resolved, "key": key or str(origin[-1]) if origin else key,
                                       "channel": cid, "source": source, "origin": origin}
                where = self.where(origin, key=True)
                if where:
                    self.locations[f"messages/{name}"] = where
                self._partition_key(resolved, cid)
        ch = self.channels.get(cid)
        if ch is not None and name not in ch["_messages"]:
            ch["_messages"].append(name)
            ch["kept"].setdefault("x-asyncapi-message-keys", {})[name] = key or _safe_id(name)
        return name

    def _resolve_message(self, obj: Mapping[str, JSON], origin: Path) -> dict[str, Any]:
        """The message with its $refs inlined; payload and headers each keep their own $defs."""
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if k in ("payload", "headers"):
                v, where = self.deref(v, (*origin, k)) if isinstance(v, dict) else (v, (*origin, k))
                if isinstance(v, dict) and "schemaFormat" in v and "schema" in v:
                    out[k] = {**{a: self.resolve(b, (*where, a)) for a, b in v.items() if a != "schema"},
                              "schema": self.resolve(v["schema"], (*where, "schema"))}
                else:
                    out[k] = self.resolve(v, where)
            elif k == "traits" and isinstance(v, list):
                out[k] = [self.resolve(t, (*origin, k, i)) for i, t in enumerate(v)]
            else:
                out[k] = self.resolve(v, (*origin, k))
        return out

    def _name_of(self, obj: Mapping[str, JSON], resolved: Mapping[str, JSON], origin: Path, key: str,
                 fallback: tuple[str, str] | None, cid: str) -> tuple[str, str]:
        for name, source in self._name_candidates(obj, resolved, origin, key, fallback, cid):
            return name, source
        raise AssertionError("a channel id is always a candidate")  # pragma: no cover

    def _name_candidates(self, obj: Mapping[str, JSON], resolved: Mapping[str, JSON], origin: Path, key: str,
                         fallback: tuple[str, str] | None, cid: str) -> Iterator[tuple[str, str]]:
        """The names a message could go by, best first, each with where it came from."""
        inner = self._split(origin)[1]
        traits = resolved.get("traits") if isinstance(resolved.get("traits"), list) else []
        assert isinstance(traits, list)
        for field_name in ("name", "messageId"):
            for holder in (resolved, *traits):
                value = holder.get(field_name) if isinstance(holder, dict) else None
                if isinstance(value, str) and value.strip():
                    yield value.strip(), field_name
        if len(inner) >= 3 and inner[-3] == "components" and inner[-2] == "messages":
            yield str(inner[-1]), "component"
        elif origin and isinstance(origin[0], _File) and inner and not isinstance(inner[-1], int) and \
                inner[-1] not in ("message", "messages"):
            yield str(inner[-1]), "component"  # a message defined in another file, by its key there
        if key:
            yield key, "key"
        for holder in (resolved, *traits):
            title = holder.get("title") if isinstance(holder, dict) else None
            if isinstance(title, str) and title.strip():
                yield _identifier(title), "title"
        for k, value in resolved.items():  # x-acme-event-type: "company.creation" (SaaS triggers)
            if _NAMING_EXTENSION.match(k) and isinstance(value, str) and value.strip():
                yield value.strip(), "extension"
        payload = obj.get("payload")
        resolved_payload = resolved.get("payload")
        if isinstance(resolved_payload, dict) and isinstance(resolved_payload.get("schema"), dict) and \
                "schemaFormat" in resolved_payload:
            resolved_payload = resolved_payload["schema"]
        if isinstance(resolved_payload, dict):
            for field_name in ("title", "name"):  # Avro records are named, JSON Schemas titled
                value = resolved_payload.get(field_name)
                if isinstance(value, str) and value.strip() and (field_name == "title" or "fields" in resolved_payload):
                    yield _identifier(value.rsplit(".", 1)[-1] if field_name == "name" else value), "payload-title"
        if isinstance(payload, dict) and isinstance(payload.get("$ref"), str):
            tail = payload["$ref"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            tail = unquote(tail.replace("~1", "/").replace("~0", "~"))
            tail = posixpath.splitext(tail)[0] if "." in tail and "/" not in payload["$ref"].split("#")[-1] else tail
            if tail:
                yield tail, "payload-title"
        if fallback is not None:
            yield fallback
        yield cid, "channel"

    def _distinct_name(self, name: str, source: str, obj: Mapping[str, JSON], resolved: Mapping[str, JSON],
                       origin: Path, key: str, cid: str) -> tuple[str, str]:
        """Two different messages that go by one name: the second takes another name its author
        wrote (its messageId, component key, title...), else the name within its channel."""
        from designer.core import naming

        for alt, alt_source in self._name_candidates(obj, resolved, origin, key, None, cid):
            # Not a spelling of the same name (Changed / changed): that would be two names for one.
            if alt not in self.messages and alt_source != "channel" and naming.normalise(alt) != naming.normalise(name):
                return alt, alt_source
        qualified = f"{cid}.{name}"
        base, n = qualified, 2
        while qualified in self.messages:
            qualified, n = f"{base}.{n}", n + 1  # pragma: no cover - needs a name repeated in one channel
        return qualified, "qualified"

    def _component_messages(self, data: Mapping[str, JSON]) -> None:
        """Messages declared under components but used by no channel are the author's too."""
        components = data.get("components")
        messages = components.get("messages") if isinstance(components, dict) else None
        if not isinstance(messages, dict):
            return
        for key, msg in messages.items():
            _, origin = self.deref(msg, ("components", "messages", key))
            if origin not in self.msg_by_origin:
                self._message(str(key), msg, ("components", "messages", key), "")

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

    # -- kinds --
    def _roles(self) -> dict[str, tuple[str, str]]:
        """(role, kind) of the messages of request/reply exchanges."""
        out: dict[str, tuple[str, str]] = {}
        pairs = list(self.exchanges)
        by_stem: dict[str, dict[str, list[str]]] = {}
        plain: dict[str, list[str]] = {}
        for name in self.messages:
            stem, word = _exchange_stem(name)
            if word:
                by_stem.setdefault(stem, {}).setdefault(word, []).append(name)
            else:
                from designer.core import naming

                plain.setdefault(naming.normalise(name), []).append(name)
        for stem, parts in by_stem.items():
            if "reply" in parts and "request" not in parts and stem in plain:
                parts["request"] = plain[stem]  # sum <- sendSumResult: the request is the bare stem
        for parts in by_stem.values():
            requests = parts.get("request", [])
            replies = parts.get("reply", [])
            errors = parts.get("error", []) if requests else []
            if requests or replies:
                pairs.append((requests, replies + errors))
        for requests, replies in pairs:
            kind = "query"
            for name in requests:
                declared = self.messages[name]["data"].get("x-kind")
                k = declared if declared in ("query", "command") else _request_kind(name)
                out[name] = ("request", k)
                kind = k if k == "command" else kind
            for name in replies:
                if name not in out:
                    out[name] = ("reply", kind)
        return out

    # -- building the model --
    def _model(self, title: str, description: str) -> Model:
        roles = self._roles()
        # An operation's reply links its request to the reply message (the first one listed: the
        # model keeps one reply per query; the others stay relations and kept reply messages).
        links: dict[str, str] = {}
        for requests, replies in self.exchanges:
            for request in requests:
                if replies and replies[0] != request:
                    links.setdefault(request, replies[0])
        messages = tuple(
            dataclasses.replace(m, reply=links.get(m.name, "")) if m.kind != "event" else m
            for m in (self._to_message(name, parts, roles.get(name)) for name, parts in self.messages.items()))
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

    def _to_message(self, name: str, parts: Mapping[str, Any], role: tuple[str, str] | None) -> Message:
        data: dict[str, Any] = dict(parts["data"])
        if "schemaFormat" in data and "payload" in data:  # AsyncAPI 2: the format is the message's
            data["payload"] = {"schemaFormat": data.pop("schemaFormat"), "schema": data["payload"]}
        kind = data.get("x-kind")
        if kind not in MESSAGE_KINDS:
            kind = role[1] if role else _infer_kind(name)
        payload = data.get("payload")
        kept: dict[str, Any] = {}
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            # A multi-format schema may wrap another (Springwolf refers to a component that is
            # one): the innermost format is the payload's.
            while isinstance(payload.get("schema"), dict) and "schemaFormat" in payload["schema"] and \
                    "schema" in payload["schema"]:
                payload = payload["schema"]
            fmt = str(payload["schemaFormat"])
            kept["schemaFormat"] = payload["schemaFormat"]
            payload = payload["schema"]
            if asyncapi_avro.is_avro(fmt):
                try:
                    converted = asyncapi_avro.to_json_schema(payload)
                except asyncapi_avro.AvroError as exc:
                    raise self.fail(f"message {name!r}: {exc}", (*parts["origin"], "payload", "schema")) from None
                kept["avro"] = {"schema": payload, "json": converted}
                del kept["schemaFormat"]
                kept["avro"]["schemaFormat"] = fmt
                payload = converted
            elif _is_json_schema_format(fmt):
                del kept["schemaFormat"]
        if isinstance(payload, (dict, bool)):
            payload = asyncapi_convert.schema_to_2020_12(payload)
            problem = schemacheck.schema_problem(payload)
            if problem is not None:  # the same check and words as the native reader (one loader)
                where, line = problem
                at = (*parts["origin"], "payload", *(("schema",) if "schemaFormat" in kept or "avro" in kept else ()))
                raise self.fail(f"the payload of message {name!r} is not a usable JSON Schema: "
                                f"{schemacheck.reworded(line, 'payload')}", (*at, *where))
        elif payload is not None:
            kept["payload"] = data["payload"]  # a schema format the model does not read (protobuf...)
            payload = None
        examples = data.get("examples")
        example = None
        if isinstance(examples, list) and examples and isinstance(examples[0], dict):
            example = examples[0].get("payload")
            if len(examples) > 1 or set(examples[0]) - {"payload"}:
                kept["examples"] = examples
        elif examples is not None:
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
        if parts["source"] != "name":
            kept["name_source"] = parts["source"]
        if role:
            kept["role"] = role[0]
        extensions["x-asyncapi-message"] = kept
        return Message(name=name, kind=str(kind), type=str(data.get("x-type") or ""),
                       description=str(data.get("description") or ""),
                       owner=str(data.get("x-owner") or ""),
                       channel=parts["channel"], versions=(*older, latest), extensions=extensions)


def _normalise_name(name: str) -> str:
    return posixpath.normpath(name.replace("\\", "/")).lstrip("/")


def _is_json_schema_format(fmt: str) -> bool:
    """The schema formats that are the default (AsyncAPI Schema) or plain JSON Schema."""
    base = fmt.split(";", 1)[0].strip().lower()
    return base in ("application/vnd.aai.asyncapi", "application/vnd.aai.asyncapi+json",
                    "application/vnd.aai.asyncapi+yaml", "application/schema+json", "application/schema+yaml")


def _identifier(text: str) -> str:
    """A title as a name: kept when it already is an identifier, else PascalCased words
    ("User signed up" -> "UserSignedUp")."""
    text = text.strip()
    if _IDENTIFIER.match(text):
        return text
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words) or text


# Leading words that say which way a message goes, not what it is (sendSumResult, onPing...).
_DIRECTION_WORDS = {"send", "receive", "publish", "on", "handle", "process", "emit"}


def _exchange_stem(name: str) -> tuple[str, str]:
    """("camera_status", "request") for CameraStatusRequest (also requestSum, ping), ("sum",
    "reply") for sendSumResult / pong, ("", "") for a name that does not say it is part of an
    exchange. The stem is what the two parts share, casing-blind."""
    from designer.core import naming

    words = [w.lower() for w in naming.split_identifier(name)]
    if words in (["ping"], ["pong"]):
        return "ping", "request" if words == ["ping"] else "reply"
    while len(words) > 2 and words[0] in _DIRECTION_WORDS:
        words = words[1:]
    if len(words) < 2:
        return "", ""
    first, last = words[0], words[-1]
    if last in _REQUEST_WORDS:
        return "_".join(_strip_direction(words[:-1])), "request"
    if last in _REPLY_WORDS:
        return "_".join(_strip_direction(words[:-1])), "reply"
    if last in ("error", "failure", "nack"):
        return "_".join(_strip_direction(words[:-1])), "error"
    if first in _REQUEST_WORDS:
        return "_".join(words[1:]), "request"
    if first in ("reply", "response"):
        return "_".join(words[1:]), "reply"
    return "", ""


def _strip_direction(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0] in _DIRECTION_WORDS:
        words = words[1:]
    return words


def _request_kind(name: str) -> str:
    """A request asks for data (query) unless its name starts with a verb that changes
    something (TurnOnOff, SetSpeed, Subscribe): then it is a command with a reply."""
    from designer.core import naming

    parsed = naming.parse_name(name, "query")
    words = [w for w in parsed.words if w not in _REQUEST_WORDS] or list(parsed.words)
    if not words or words[0] in _RETRIEVAL or words[0] in naming.RETRIEVAL_VERBS:
        return "query"
    return "command" if _infer_kind(naming.render(words, "camelCase")) == "command" else "query"


_DATA_KEYWORDS = frozenset({"example", "examples", "default", "const", "enum"})


def _in_data(path: Path) -> bool:
    """Whether ``path`` leads into example data or an extension, where ``$ref`` is just a key."""
    return any(isinstance(p, str) and (p in _DATA_KEYWORDS or p.startswith("x-")) for p in path)


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


def _channel_key(cid: str) -> str:
    """The key of a channel in an export: its id as written (AsyncAPI 3 ids may hold slashes,
    ``zbos/audio/player/start``), unless it holds characters that are trouble in a key."""
    return cid if _CHANNEL_KEY.match(cid) else _safe_id(cid)


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
    phrasal = words[1] in naming.PARTICLES  # turnOnOff, shutDown, logOut: a verb and its particle
    if first.is_base and (first.verb_first or phrasal) and not (last.is_past and not last.same_form):
        return "command"
    return "event"


# ---- export -------------------------------------------------------------------------------------

def dump(model: Model, service: str | None = None, flow: str | None = None) -> dict[str, Any]:
    """An AsyncAPI 3.0.0 document for the whole model, one ``service`` or one ``flow``.

    Raises ValueError when the named service or flow does not exist.
    """
    return _Writer(model, service, flow).write()


def dump_yaml(model: Model, service: str | None = None, flow: str | None = None) -> str:
    """``dump`` as YAML text (block style, keys in document order, unicode kept) that YAML 1.1
    and YAML 1.2 readers both read as written (see ``_YamlDumper``)."""
    return yaml.dump(dump(model, service, flow), Dumper=_YamlDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


# libyaml's emitter is ~10x faster than the pure-Python one on large exports.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Plain scalars a YAML 1.2 reader (the core schema, and the JSON schema's looser forms that
# js-yaml and yaml-ast-parser, behind the AsyncAPI tools, also accept) takes for something else
# than a string. PyYAML quotes what YAML 1.1 would misread (yes, on, 1_000, 2025-01-01...), but
# writes `08`, `018`, `1e3`, `0o17` or `+.5` plain: YAML 1.1 reads them as strings, every YAML 1.2
# reader as numbers, so a message key `08` would come back as the number 8.
_YAML12_NOT_STRING = re.compile(
    r"""^(?:
        ~|null|Null|NULL|true|True|TRUE|false|False|FALSE
      | [-+]?[0-9][0-9_]*                                  # 08, 018, 1_000
      | 0o[0-7_]+ | 0x[0-9a-fA-F_]+ | 0b[01_]+
      | [-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?   # 1e3, .5, 1.
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?   # YAML 1.1 sexagesimal 1:30
    )$""", re.VERBOSE)


class _YamlDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Shared (resolved) sub-schemas are written out in full, never as YAML anchors; strings
    that YAML 1.2 would read as another type are quoted."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def represent_str(self, data: str) -> yaml.ScalarNode:
        if data == "" or _YAML12_NOT_STRING.match(data):
            node: yaml.ScalarNode = self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
            return node
        plain: yaml.ScalarNode = super().represent_str(data)
        return plain


_YamlDumper.add_representer(str, _YamlDumper.represent_str)


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
        self.schemes: dict[str, Any] = {}
        self.server_keys: set[str] = set()
        self.channel_keys: dict[str, str] = {}

    def write(self) -> dict[str, Any]:
        model = self.model
        doc_ext = self._document_extension()
        schemes = doc_ext.get("securitySchemes")
        self.schemes = schemes if isinstance(schemes, dict) else {}
        info = {k: v for k, v in dict(doc_ext.get("info") or {}).items()
                if k in ("title", "version", "description", "termsOfService", "contact", "license", "tags",
                         "externalDocs") or k.startswith("x-")}
        info["title"] = self.service or (f"{model.name or 'model'} — {self.flow}" if self.flow else
                                         model.name or info.get("title") or "model")
        info["version"] = str(info.get("version") or "1.0.0")
        description = model.services_by_name[self.service].description if self.service else model.description
        if description:
            info["description"] = description
        for k in ("tags", "externalDocs"):  # top-level in 2.x, part of info in 3.0
            if k in doc_ext and k not in info:
                info[k] = doc_ext[k]
        doc: dict[str, Any] = {"asyncapi": "3.0.0"}
        if isinstance(doc_ext.get("id"), str):
            doc["id"] = doc_ext["id"]
        doc["info"] = info
        servers = self._servers(doc_ext.get("servers"))
        self.server_keys = set(servers)
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
            key = self._unique_key(_safe_id(name), comp_messages)
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
        if self.service is None and self.flow is None:  # the whole model: its idle channels too
            for ch in model.channels:
                uses.setdefault(ch.name, [])
        for cid, msgs in uses.items():
            channels[self._ckey(cid)] = self._channel(cid, msgs, msg_keys, comp_messages)
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
        if self.schemes:
            components["securitySchemes"] = asyncapi_convert.security_schemes_v3(self.schemes)
        if components:
            doc["components"] = components
        return doc

    def _ckey(self, cid: str) -> str:
        """The key of channel ``cid`` in this export: its id where it can be one, else a safe
        spelling; two channels never share a key."""
        if cid not in self.channel_keys:
            self.channel_keys[cid] = self._unique_key(_channel_key(cid), {v: None for v in self.channel_keys.values()})
        return self.channel_keys[cid]

    @staticmethod
    def _unique_key(key: str, taken: Mapping[str, Any]) -> str:
        """Two names that differ only in characters an id cannot hold (a.b / a_b) get two keys."""
        out, n = key, 2
        while out in taken:
            out, n = f"{key}_{n}", n + 1
        return out

    def _document_extension(self) -> dict[str, Any]:
        services = [self.model.services_by_name[self.service]] if self.service else list(self.model.services)
        out: dict[str, Any] = {}
        for s in services:
            ext = s.extensions.get("x-asyncapi-document")
            if isinstance(ext, dict):
                for k, v in ext.items():
                    if k in ("servers", "securitySchemes") and isinstance(v, dict):
                        out.setdefault(k, {}).update(v)
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
            security = asyncapi_convert.security_v3(s.pop("security", None), self.schemes)
            server = {k: v for k, v in s.items()
                      if k in ("host", "protocol", "protocolVersion", "pathname", "description", "title", "summary",
                               "variables", "tags", "externalDocs") or k.startswith("x-")}
            if "bindings" in s:
                server["bindings"] = asyncapi_convert.bindings_v3("server", s["bindings"])
            if security:
                server["security"] = security
            server.setdefault("host", "localhost")
            server.setdefault("protocol", "unknown")
            out[_safe_id(str(name))] = server
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
        kept.pop("name_source", None)
        keys = keys if isinstance(keys, dict) else {}
        out: dict[str, Any] = {"address": kept.pop("address", cid)}
        if out["address"] is not None:
            out["address"] = str(out["address"])
        if ch is not None and ch.description:
            out["description"] = ch.description
        params = kept.pop("parameters", None)
        if isinstance(params, dict):
            out["parameters"] = {k: _parameter_v3(v) for k, v in params.items()}
        servers = kept.pop("servers", None)
        if isinstance(servers, list) and servers and all(
                isinstance(n, str) and _safe_id(n) in self.server_keys for n in servers):
            # Only when every server it names is in this export (else: on all servers).
            out["servers"] = [{"$ref": f"#/servers/{_escape(_safe_id(n))}"} for n in servers]
        channel_msgs: dict[str, Any] = {}
        for m in msgs:
            key = self._unique_key(_safe_id(str(keys.get(m, msg_keys[m]))), channel_msgs)
            channel_msgs[key] = {"$ref": f"#/components/messages/{msg_keys[m]}"}
        out["messages"] = channel_msgs
        for k, v in kept.items():
            if k in ("title", "summary", "tags", "externalDocs") or k.startswith("x-"):
                out[k] = v
            elif k == "bindings":
                out[k] = asyncapi_convert.bindings_v3("channel", v)
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
        wanted = {(r.service, r.message, self._ckey(self._channel_id(r)), r.role) for r in self.relations}
        for s in services:
            kept_ops = s.extensions.get("x-asyncapi-operations")
            if not isinstance(kept_ops, dict):
                continue
            for op_id, op in kept_ops.items():
                if not isinstance(op, dict):
                    continue
                cid = self._ckey(str(op.get("channel", "")))
                role = "produces" if op.get("action") == "send" else "consumes"
                op_msgs = op["messages"] if isinstance(op.get("messages"), list) else []
                msgs = [m for m in op_msgs if (s.name, m, cid, role) in wanted]
                if cid not in channels or not msgs:
                    continue
                out = self._operation(op.get("action", "send"), cid, msgs, msg_keys, channels)
                for k, v in op.items():
                    if k in ("summary", "description", "title", "tags", "externalDocs") or k.startswith("x-"):
                        out[k] = v
                    elif k == "bindings":
                        out[k] = asyncapi_convert.bindings_v3("operation", v)
                    elif k == "traits":
                        out[k] = asyncapi_convert.operation_traits_v3(v)
                    elif k == "security":
                        security = asyncapi_convert.security_v3(v, self.schemes)
                        if security:
                            out[k] = security
                out["x-service"] = s.name
                if isinstance(op.get("reply"), dict):
                    reply = self._reply(op["reply"], channels, comp_messages, msg_keys)
                    if reply:
                        out["reply"] = reply
                        back = "consumes" if role == "produces" else "produces"
                        done.update((s.name, m, back) for m in op["reply"].get("messages") or [])
                ops[self._unique_key(_safe_id(str(op_id)), ops)] = out
                done.update((s.name, m, role) for m in msgs)
        for r in self.relations:
            if (r.service, r.message, r.role) in done or r.message not in msg_keys:
                continue
            cid = self._ckey(self._channel_id(r))
            action = "send" if r.role == "produces" else "receive"
            op_id = self._unique_key(_safe_id(f"{r.service}.{action}.{r.message}"), ops)
            out = self._operation(action, cid, [r.message], msg_keys, channels)
            out["x-service"] = r.service
            # A query's reply (Message.reply): the operation's AsyncAPI 3 ``reply``, on the
            # channel the same service uses for the reply message (the other direction).
            request = self.model.messages_by_name.get(r.message)
            back = "consumes" if r.role == "produces" else "produces"
            if request is not None and request.reply and request.reply in msg_keys:
                answer = next((x for x in self.relations if (x.service, x.message, x.role)
                               == (r.service, request.reply, back)), None)
                reply_cid = self._channel_id(answer) if answer is not None else str(r.channel or request.channel)
                if reply_cid and self._ckey(reply_cid) in channels:
                    reply = self._reply({"channel": reply_cid, "messages": [request.reply]}, channels,
                                        comp_messages, msg_keys)
                    if reply:
                        out["reply"] = reply
                        done.add((r.service, request.reply, back))
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
               comp_messages: dict[str, Any], msg_keys: Mapping[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        cid = reply.get("channel")
        msgs = reply.get("messages") or []
        if isinstance(cid, str):
            rid = self._ckey(cid)
            if rid not in channels:
                ch = self.model.channels_by_name.get(cid)
                kept = dict(ch.extensions.get("x-asyncapi-channel") or {}) if ch else {}
                address = kept.get("address", cid)
                channels[rid] = {"address": None if address is None else str(address), "messages": {}}
            out["channel"] = {"$ref": f"#/channels/{_escape(rid)}"}
            refs = []
            for name in msgs:
                msg = self.model.messages_by_name.get(str(name))
                if msg is None:
                    continue
                comp_key = msg_keys.get(msg.name) or _safe_id(msg.name)
                if comp_key not in comp_messages:
                    comp_messages[comp_key] = self._message(msg, {})
                target = f"#/components/messages/{comp_key}"
                ch_msgs = channels[rid]["messages"]
                key = next((k for k, v in ch_msgs.items() if v.get("$ref") == target), None)
                if key is None:
                    key = self._unique_key(comp_key, ch_msgs)
                    ch_msgs[key] = {"$ref": target}
                refs.append({"$ref": f"#/channels/{_escape(rid)}/messages/{_escape(key)}"})
            if refs:
                out["messages"] = refs
        address = reply.get("address")
        if isinstance(address, dict) and isinstance(address.get("location"), str):
            out["address"] = address
        for k, v in reply.items():
            if k.startswith("x-"):
                out[k] = v
        return out

    def _message(self, msg: Message, comp_schemas: dict[str, Any]) -> dict[str, Any]:
        kept = copy.deepcopy(dict(msg.extensions.get("x-asyncapi-message") or {}))
        avro = kept.get("avro")
        for k in (*INTERNAL_KEYS, "messageId", "schemaFormat" if "payload" not in kept else ""):
            kept.pop(k, None)
        schema_format = msg.extensions.get("x-asyncapi-message", {}).get("schemaFormat") if isinstance(
            msg.extensions.get("x-asyncapi-message"), dict) else None
        out: dict[str, Any] = {"name": msg.name}
        for k in ("title", "summary"):
            if k in kept:
                out[k] = kept.pop(k)
        if msg.description:
            out["description"] = msg.description
        latest = msg.latest
        raw_payload = kept.pop("payload", None)
        if latest is not None and latest.schema is not None:
            if isinstance(avro, dict) and avro.get("json") == latest.schema and "schema" in avro:
                # Unchanged since it was imported from Avro: export the Avro schema itself.
                out["payload"] = {"schemaFormat": avro.get("schemaFormat") or "application/vnd.apache.avro;version=1.9.0",
                                  "schema": avro["schema"]}
            else:
                payload = _schema_for_document(latest.schema, _safe_id(msg.name), comp_schemas)
                payload = asyncapi_convert.schema_to_draft_07(payload)
                out["payload"] = {"schemaFormat": schema_format, "schema": payload} if schema_format else payload
        elif raw_payload is not None:
            out["payload"] = raw_payload  # a schema format the model does not read (protobuf...)
        examples = kept.pop("examples", None)
        if isinstance(examples, list) and examples:
            out["examples"] = [e for e in examples if isinstance(e, dict)]
        elif latest is not None and latest.example is not None:
            out["examples"] = [{"payload": latest.example}]
        if not out.get("examples"):
            out.pop("examples", None)
        for k, v in kept.items():
            if k == "bindings":
                out[k] = asyncapi_convert.bindings_v3("message", v)
            elif k == "traits":
                out[k] = asyncapi_convert.message_traits_v3(v)
            elif k in _V3_MESSAGE_KEYS or k.startswith("x-"):
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


# The fixed fields of an AsyncAPI 3.0 Message Object (others are not allowed there).
_V3_MESSAGE_KEYS = frozenset({"headers", "payload", "correlationId", "contentType", "name", "title", "summary",
                              "description", "tags", "externalDocs", "bindings", "examples", "traits"})


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _parameter_v3(param: JSON) -> JSON:
    """AsyncAPI 2 parameters carry a ``schema``; 3.0 has enum/default/description/examples/location."""
    if not isinstance(param, dict):
        return param
    out = {k: v for k, v in param.items() if k in ("description", "location") or k.startswith("x-")}
    schema = param["schema"] if isinstance(param.get("schema"), dict) else {}
    source = {**schema, **{k: v for k, v in param.items() if k in ("enum", "default", "examples")}}
    for k in ("enum", "default", "examples"):
        if k not in source:
            continue
        value = source[k]
        if k == "default":
            out[k] = value if isinstance(value, str) else _scalar_text(value)
        elif isinstance(value, list):
            out[k] = [v if isinstance(v, str) else _scalar_text(v) for v in value]
    if isinstance(out.get("location"), str) and not out["location"].startswith("$message."):
        out.pop("location")  # 2.x allowed any runtime expression; 3.0 only $message.(header|payload)#...
    return out


def _scalar_text(value: JSON) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _schema_for_document(schema: JSON, prefix: str, comp_schemas: dict[str, Any]) -> JSON:
    """Copy a payload schema into the document, moving its $defs to components.schemas.

    A "#/$defs/X" reference inside a message schema would resolve against the AsyncAPI document's
    root once embedded, so local definitions that are referenced become ``components.schemas.X``
    (or ``<Message>.X`` when another message already has a different ``X``). Definitions nothing
    refers to stay where they are (a generated schema lists its types under ``definitions``,
    as modelina's do): moving them would change the payload for nothing.
    """
    schema = copy.deepcopy(schema)
    if not isinstance(schema, dict):
        return schema
    refs = _refs_in(schema)
    renames: dict[str, str] = {}
    moved: dict[str, Any] = {}
    for defs_key in ("$defs", "definitions"):
        defs = schema.get(defs_key)
        if not isinstance(defs, dict):
            continue
        kept = {}
        for name, sub in defs.items():
            old = f"#/{defs_key}/{_escape(name)}"
            if any(r == old or r.startswith(old + "/") for r in refs):
                renames[old] = name
                moved[name] = sub
            else:
                kept[name] = sub
        if kept:
            schema[defs_key] = kept
        else:
            del schema[defs_key]
    if not moved:
        return schema
    # A definition keeps its own name unless another message already put a different schema
    # under it; references follow the final names (which the bodies contain: iterate until stable).
    final: dict[str, str] = {}
    for name in moved:
        final[name] = _unique_schema_name(_safe_id(name), {v: None for v in final.values()})
    targets: dict[str, str] = {}
    bodies: dict[str, Any] = {}
    for _ in range(len(moved) + 1):
        targets = {old: f"#/components/schemas/{_escape(final[n])}" for old, n in renames.items()}
        bodies = {name: _rewrite_refs(sub, targets) for name, sub in moved.items()}
        clashes = [n for n in moved if final[n] in comp_schemas and comp_schemas[final[n]] != bodies[n]]
        if not clashes:
            break
        for n in clashes:
            taken = {**comp_schemas, **{v: None for v in final.values()}}
            final[n] = _unique_schema_name(_safe_id(f"{prefix}.{n}"), taken)
    comp_schemas.update({final[n]: bodies[n] for n in moved})
    return _rewrite_refs(schema, targets)


def _refs_in(node: JSON) -> set[str]:
    """Every local ``$ref`` (``#/...``) in a schema."""
    out: set[str] = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, dict):
            ref = n.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                out.add(ref)
            todo.extend(n.values())
        elif isinstance(n, list):
            todo.extend(n)
    return out


def _unique_schema_name(base: str, taken: Mapping[str, Any]) -> str:
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    return out


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
