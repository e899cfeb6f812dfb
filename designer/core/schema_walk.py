"""Walking JSON Schemas for lint rules: properties with paths, local ``$ref``, types, envelopes.

Pure helpers shared by the envelope, payload, reliability and security rules. Every function
accepts hostile input (``None``, booleans, lists, cycles of ``$ref``) and never raises on it: a
schema the walker does not understand simply has no properties.

Paths are dotted and start at the message: ``schema.properties.data.properties.orderId``;
array items add ``.items`` (``schema.properties.lines.items.properties.sku``).

Conventions the rules rely on (documented once here):

- envelope profile ``brief``: the message schema describes the whole envelope object (eventId,
  eventType, version, timestamp, source, ``data``); the payload is ``properties.data``.
- envelope profile ``cloudevents``: the transport carries the context attributes; the message
  schema describes ``data`` (the payload is the schema itself).
- envelope profile ``custom``: ``model.envelope.schema`` is the envelope; the message schema is
  the payload.
- headers / CloudEvents extension attributes of a message: a JSON Schema object under the
  message extension ``x-headers`` (or ``x-asyncapi-headers`` from an AsyncAPI import).
- channel parameters: ``{name}`` placeholders in the channel name and the keys of the channel
  extension ``x-parameters``.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

from designer.core.jsonvalue import resolve_pointer
from designer.core.model import JSON, Message, Model

# Deeper nesting than this is either generated nonsense or a hostile document; stop walking
# rather than recurse without bound (Python's own limit is ~1000 frames).
MAX_DEPTH = 32

# CloudEvents 1.0.2 context attributes (required and optional) carried by the transport.
CLOUDEVENTS_ATTRIBUTES: frozenset[str] = frozenset(
    {"id", "source", "specversion", "type", "time", "datacontenttype", "dataschema", "subject"}
)
CLOUDEVENTS_REQUIRED: tuple[str, ...] = ("id", "source", "specversion", "type")
# The product brief's envelope (the demo's profile).
BRIEF_REQUIRED: tuple[str, ...] = ("eventId", "timestamp", "source", "version", "data")
# Zalando RESTful guidelines, event metadata (Z#247).
ZALANDO_REQUIRED: tuple[str, ...] = ("eid", "occurred_at")
HEADER_EXTENSION_KEYS: tuple[str, ...] = ("x-headers", "x-asyncapi-headers")

T = TypeVar("T")


@dataclass(frozen=True)
class Prop:
    """One property found in a schema: its name, dotted path and (resolved) schema node."""

    name: str
    path: str
    schema: dict[str, Any]
    required: bool
    depth: int


def model_cache(model: Model, key: str, build: Callable[[], T]) -> T:
    """Compute ``build()`` once per model snapshot and keep it on the snapshot.

    Several rules need the same derived data (walked properties, envelope names); the model is
    an immutable snapshot, so caching on the instance is safe and dies with it.
    """
    store: dict[str, Any] = model.__dict__.setdefault("_schema_walk_cache", {})
    if key not in store:
        store[key] = build()
    result: T = store[key]
    return result


def resolve(node: JSON, root: JSON, _seen: frozenset[str] = frozenset()) -> JSON:
    """Follow local ``$ref`` (``#/...`` JSON pointers) from ``node`` inside ``root``.

    Returns the referenced node; unresolvable, remote or cyclic references yield ``{}``
    (nothing is known about them, so nothing is flagged by mistake).
    """
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if not ref.startswith("#") or ref in _seen:
            return {}
        _seen = _seen | {ref}
        target = resolve_pointer(root, ref)
        if target is None:
            return {}
        if len(node) > 1:  # siblings of $ref (2019-09+) refine the target: merge shallowly
            merged = dict(target) if isinstance(target, dict) else {}
            merged.update({k: v for k, v in node.items() if k != "$ref"})
            return merged
        node = target
    return node


def types_of(node: JSON) -> frozenset[str]:
    """The declared ``type`` of a schema node as a set ("object", "string", ...)."""
    if not isinstance(node, dict):
        return frozenset()
    t = node.get("type")
    if isinstance(t, str):
        return frozenset({t})
    if isinstance(t, list):
        return frozenset(x for x in t if isinstance(x, str))
    return frozenset()


def is_object(node: JSON) -> bool:
    """True when a (resolved) node describes an object: ``type: object`` or it has properties."""
    if not isinstance(node, dict):
        return False
    types = types_of(node)
    if types:
        return types == {"object"} or types == {"object", "null"}
    return isinstance(node.get("properties"), dict)


# properties_of per (node, root) object pair, like _WALKS below: a dozen rules ask for the
# top-level (and payload, metadata) properties of every message on each lint.
_PROPS: OrderedDict[tuple[int, int], tuple[JSON, JSON, Mapping[str, Any]]] = OrderedDict()
_PROPS_MAX = 50_000


def properties_of(node: JSON, root: JSON) -> Mapping[str, Any]:
    """The direct properties of an object node (``allOf`` branches and ``$ref`` merged).

    Read-only (the answer is shared by every caller asking about the same node)."""
    key = (id(node), id(root))
    hit = _PROPS.get(key)
    if hit is not None and hit[0] is node and hit[1] is root:
        return hit[2]
    out: dict[str, Any] = {}
    _collect(resolve(node, root), root, out, 0)
    found = MappingProxyType(out)
    _PROPS[key] = (node, root, found)
    if len(_PROPS) > _PROPS_MAX:
        _PROPS.popitem(last=False)
    return found


def _collect(node: JSON, root: JSON, out: dict[str, Any], depth: int) -> None:
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return
    props = node.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            if isinstance(name, str):
                out.setdefault(name, sub)
    for key in ("allOf",):
        branches = node.get(key)
        if isinstance(branches, list):
            for b in branches:
                _collect(resolve(b, root), root, out, depth + 1)


def required_of(node: JSON, root: JSON) -> frozenset[str]:
    """Names listed in ``required`` of an object node (``allOf`` branches included)."""
    node = resolve(node, root)
    if not isinstance(node, dict):
        return frozenset()
    names = {r for r in node.get("required", ()) if isinstance(r, str)} if isinstance(
        node.get("required"), list) else set()
    for b in node.get("allOf", ()) if isinstance(node.get("allOf"), list) else ():
        names |= required_of(b, root)
    return frozenset(names)


def walk(schema: JSON, prefix: str = "schema", root: JSON = None) -> Iterator[Prop]:
    """Yield every property of ``schema``, depth first, with its dotted path.

    Descends into nested properties, ``items``/``prefixItems``, ``allOf``/``anyOf``/``oneOf``
    branches and local ``$ref`` targets; a ``$ref`` already being expanded on the current
    branch is not expanded again (recursive schemas terminate).
    """
    if root is None:
        root = schema
    out: list[Prop] = []
    _walk(schema, prefix, root, 0, frozenset(), out)
    yield from out


# Every key ``_walk`` reads.
_WALKED_KEYS = frozenset({"$ref", "properties", "items", "prefixItems", "allOf", "anyOf", "oneOf"})


def _walk(node: JSON, path: str, root: JSON, depth: int, refs: frozenset[str], out: list[Prop]) -> None:
    # Appends to one list rather than chaining generators: a property 5 levels deep would
    # otherwise pass through 5 ``yield from`` frames, and this walk visits every property of
    # every schema on a full lint.
    if depth > MAX_DEPTH or not isinstance(node, dict) or _WALKED_KEYS.isdisjoint(node):
        return  # the last test skips leaves ({"type": "string"}) in C
    get = node.get
    ref = get("$ref")
    if isinstance(ref, str):
        if ref in refs:
            return
        refs = refs | {ref}
        node = resolve(node, root)
        if not isinstance(node, dict):
            return
        get = node.get
    props = get("properties")
    if isinstance(props, dict):
        req = required_of(node, root) if "required" in node or "allOf" in node else frozenset()
        for name, sub in props.items():
            if not isinstance(name, str):
                continue
            sub_path = f"{path}.properties.{name}"
            if isinstance(sub, dict):
                sub_ref = sub.get("$ref")
                if sub_ref is None:
                    resolved: JSON = sub
                elif isinstance(sub_ref, str) and sub_ref in refs:
                    resolved = {}
                else:
                    resolved = resolve(sub, root)
            else:
                resolved = resolve(sub, root)
            out.append(Prop(name, sub_path, resolved if isinstance(resolved, dict) else {},
                            name in req, depth))
            if isinstance(sub, dict):
                _walk(sub, sub_path, root, depth + 1, refs, out)
    items = get("items")
    if isinstance(items, dict):
        _walk(items, f"{path}.items", root, depth + 1, refs, out)
    prefix_items = get("prefixItems")
    if isinstance(prefix_items, list):
        for i, it in enumerate(prefix_items):
            _walk(it, f"{path}.prefixItems.{i}", root, depth + 1, refs, out)
    for key in ("allOf", "anyOf", "oneOf"):
        branches = get(key)
        if isinstance(branches, list):
            for i, b in enumerate(branches):
                _walk(b, f"{path}.{key}.{i}", root, depth + 1, refs, out)


# Walked properties per schema object, shared across model snapshots: a re-lint after one
# change builds a new snapshot whose other messages keep the very same schema objects, so
# their walks are reused. Entries hold their schema, so an id is never reused while cached;
# the bound keeps memory flat (far above any team's message count).
_WALKS: OrderedDict[int, tuple[JSON, tuple[Prop, ...]]] = OrderedDict()
_WALKS_MAX = 50_000


def _walked(schema: JSON) -> tuple[Prop, ...]:
    key = id(schema)
    hit = _WALKS.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    props = tuple(walk(schema))
    _WALKS[key] = (schema, props)
    if len(_WALKS) > _WALKS_MAX:
        _WALKS.popitem(last=False)
    return props


def all_props(model: Model, message: Message) -> tuple[Prop, ...]:
    """Every property of the message's newest schema (cached per schema object)."""
    cache: dict[str, tuple[Message, tuple[Prop, ...]]] = model_cache(model, "all_props", dict)
    hit = cache.get(message.name)
    if hit is None or hit[0] is not message:
        hit = (message, _walked(message.schema))
        cache[message.name] = hit
    props: tuple[Prop, ...] = hit[1]
    return props


def payload_root(model: Model, message: Message) -> tuple[JSON, str]:
    """The node describing the message's own data, and its path, for the team's profile.

    With the ``brief`` profile that is ``properties.data`` (when declared); otherwise the
    message schema itself.
    """
    schema = message.schema
    if model.envelope.profile == "brief":
        data = properties_of(schema, schema).get("data")
        if data is not None:
            return resolve(data, schema), "schema.properties.data"
    return resolve(schema, schema), "schema"


def payload_props(model: Model, message: Message) -> tuple[Prop, ...]:
    """Properties of the message's payload (see ``payload_root``), nested ones included (cached)."""
    cache: dict[str, tuple[Message, tuple[Prop, ...]]] = model_cache(model, "payload_props", dict)
    hit = cache.get(message.name)
    if hit is None or hit[0] is not message:
        node, path = payload_root(model, message)
        if path == "schema":
            props = all_props(model, message)
        else:  # the payload is a subtree of the schema: reuse the full walk, don't walk twice
            prefix = path + "."
            props = tuple(p for p in all_props(model, message) if p.path.startswith(prefix))
        hit = (message, props)
        cache[message.name] = hit
    return hit[1]


def headers_schema(message: Message) -> JSON:
    """The JSON Schema of the message's headers / extension attributes, or None."""
    for key in HEADER_EXTENSION_KEYS:
        value = message.extensions.get(key)
        if value is not None:
            return value
    return None


def envelope_names(model: Model, message: Message) -> frozenset[str]:
    """Attribute names a message carries outside its payload, for the team's profile.

    cloudevents: the context attributes plus declared extension attributes (headers);
    brief: top-level schema properties plus ``metadata`` properties plus headers; custom: the
    envelope schema's properties plus the message's headers. Cached per snapshot: several
    rules ask for every message.
    """
    cache: dict[str, tuple[Message, frozenset[str]]] = model_cache(model, "envelope_names", dict)
    hit = cache.get(message.name)
    if hit is None or hit[0] is not message:
        hit = (message, _envelope_names(model, message))
        cache[message.name] = hit
    return hit[1]


def _envelope_names(model: Model, message: Message) -> frozenset[str]:
    headers = headers_schema(message)
    names: set[str] = set(properties_of(headers, headers))
    profile = model.envelope.profile
    schema = message.schema
    top = properties_of(schema, schema)
    if profile == "cloudevents":
        names |= CLOUDEVENTS_ATTRIBUTES
    elif profile == "custom":
        env = model.envelope.schema
        env_top = properties_of(env, env)
        names |= set(env_top)
        names |= set(properties_of(env_top.get("metadata"), env))
    elif profile == "brief":
        names |= set(top)
    # A Zalando-style ``metadata`` object inside the message counts under every profile.
    names |= set(properties_of(top.get("metadata"), schema))
    return frozenset(names)


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def tokens(name: str) -> list[str]:
    """Split an identifier (camel, Pascal, snake, kebab, dotted) into lowercase words."""
    return list(_tokens(name))


# Property names repeat across a catalog; splitting each distinct name once is enough.
@lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(name))


@lru_cache(maxsize=65536)  # names repeat across messages; bounded
def normalize(name: str) -> str:
    """Lowercase with separators removed: ``user_Email`` and ``userEmail`` -> ``useremail``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def example_values(example: JSON, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], JSON]]:
    """Yield (key path, value) for every scalar in an example payload (lists flattened)."""
    if isinstance(example, dict):
        for k, v in example.items():
            yield from example_values(v, path + (str(k),))
    elif isinstance(example, list):
        for v in example[:1000]:  # a huge example is not worth walking entirely
            yield from example_values(v, path)
    else:
        yield path, example
