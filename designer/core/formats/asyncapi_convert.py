"""AsyncAPI 2.x structures in their 3.0 form, and payload schemas between draft-07 and 2020-12.

The model keeps what an AsyncAPI 2 document said in the shape it said it (a team may have
imported it long ago); the writer passes everything through these functions, which leave 3.0
structures unchanged, so every export is a valid AsyncAPI 3.0 document:

- bindings: 3.0 validates each protocol's binding against its binding version. A binding
  version 3.0 does not know is dropped (the latest is assumed), and keys the version does not
  allow (an http operation's ``type``, an amqp operation's ``replyTo``...) are kept as ``x-``
  keys rather than lost. Protocols 3.0 does not list become ``x-<protocol>``. An AMQP channel
  binding gets the ``exchange`` (or ``queue``) its ``is`` requires in 3.0; a binding without a
  key its 3.0 version requires (an SQS channel's ``queue``) is kept as ``x-<protocol>``.
- security: a 2.x requirement ``{petstore_auth: [write:pets]}`` becomes a reference to the
  scheme (``$ref: '#/components/securitySchemes/petstore_auth'``), or, with scopes, a copy of
  the scheme listing them; 2.x oauth2 ``flows.*.scopes`` become ``availableScopes``.
- traits: 2.x-only keys (``operationId``, ``messageId``, ``schemaFormat``) are dropped.

Payloads: the model speaks JSON Schema 2020-12, AsyncAPI payloads draft-07. ``schema_to_2020_12``
turns the draft-07 spellings whose meaning changed (tuple ``items``/``additionalItems``,
``dependencies``, draft-04 boolean ``exclusiveMinimum``) into 2020-12; ``schema_to_draft_07`` does
the reverse for export, so both directions validate the same values.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from .asyncapi_bindings import BINDINGS

JSON = Any

# Keywords whose values are schemas, maps of schemas or lists of schemas (draft-07 and 2020-12).
_SCHEMA_VALUED = ("additionalItems", "additionalProperties", "contains", "if", "then", "else", "not",
                  "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
# Walking deeper than this is a hostile document (the safe reader already caps nesting at 64).
_MAX_DEPTH = 200


# ---- bindings ------------------------------------------------------------------------------------

def bindings_v3(kind: str, bindings: JSON) -> JSON:
    """``bindings`` of a ``kind`` object (server, channel, operation, message) valid in 3.0."""
    if not isinstance(bindings, dict):
        return bindings
    rules = BINDINGS.get(kind, {})
    out: dict[str, Any] = {}
    for proto, value in bindings.items():
        proto = str(proto)
        if proto.startswith("x-"):
            out[proto] = value
            continue
        if proto not in rules:
            out[f"x-{proto}"] = value  # a protocol 3.0 does not list: kept, as an extension
            continue
        rule = rules[proto]
        versions: Mapping[str, list[str] | None] = rule["versions"]
        if not versions or not isinstance(value, dict):
            out[proto] = value if isinstance(value, dict) or not versions else {}
            continue
        value = dict(value)
        version = value.get("bindingVersion")
        if not isinstance(version, str) or version not in versions:
            value.pop("bindingVersion", None)  # unknown to 3.0: the latest applies
            version = rule["latest"]
        allowed = versions[version]
        if allowed is None:
            out[proto] = value
            continue
        kept: dict[str, Any] = {}
        for k, v in value.items():
            if proto == "kafka" and k in ("clientId", "groupId") and isinstance(v, (str, int)):
                v = {"type": "string", "enum": [str(v)]}  # 3.0 wants a schema of the ids, not the id
            if k in allowed or k.startswith("x-"):
                kept[k] = v
            else:
                kept[f"x-{k}"] = v  # a 2.x key (http `type`, amqp `replyTo`...): kept, not lost
        if kind == "channel" and proto == "amqp":
            kept = _amqp_channel_v3(kept)
        if any(k not in kept for k in rule.get("required", {}).get(version, ())):
            # 3.0 requires what this binding never said (an SQS channel's queue, a JMS server's
            # connection factory; 2.x tools did not check bindings): kept as an extension.
            out[f"x-{proto}"] = bindings[proto]
            continue
        out[proto] = kept
    return out


def _amqp_channel_v3(binding: dict[str, Any]) -> dict[str, Any]:
    """An AMQP channel binding in the shape 3.0 (binding 0.3.0) requires.

    3.0 requires ``exchange`` (and no ``queue``) when ``is`` is ``routingKey``, the default,
    and ``queue`` (and no ``exchange``) when it is ``queue``; 2.x documents did not have to say
    them (the generator's own test document has a bare ``is: routingKey``). What the binding
    says is kept: a missing exchange or queue is written as one whose properties are not given
    (``{}``, all of them optional), the object the other reading does not allow as ``x-``.
    """
    out = dict(binding)
    is_queue = out.get("is") == "queue" or ("is" not in out and "queue" in out and "exchange" not in out)
    present, absent = ("queue", "exchange") if is_queue else ("exchange", "queue")
    if absent in out:
        out[f"x-{absent}"] = out.pop(absent)
    if not isinstance(out.get(present), dict):
        if present in out:
            out[f"x-{present}"] = out.pop(present)
        out[present] = {}
    return out


# ---- security --------------------------------------------------------------------------------------

def security_schemes_v3(schemes: JSON) -> JSON:
    """components.securitySchemes in 3.0 form (oauth2 flow ``scopes`` -> ``availableScopes``)."""
    if not isinstance(schemes, dict):
        return schemes
    out: dict[str, Any] = {}
    for name, scheme in schemes.items():
        if isinstance(scheme, dict) and isinstance(scheme.get("flows"), dict):
            scheme = copy.deepcopy(scheme)
            for flow in scheme["flows"].values():
                if isinstance(flow, dict) and "scopes" in flow and "availableScopes" not in flow:
                    flow["availableScopes"] = flow.pop("scopes")
        out[str(name)] = scheme
    return out


def security_v3(requirements: JSON, schemes: Mapping[str, Any]) -> list[Any] | None:
    """A ``security`` list in 3.0 form, or None when nothing of it can be expressed.

    3.0 lists schemes (references or objects), 2.x requirement objects naming them with their
    scopes. A 2.x requirement naming several schemes (all required) becomes those schemes.
    """
    if not isinstance(requirements, list):
        return None
    out: list[Any] = []
    for req in requirements:
        if not isinstance(req, dict):
            continue
        if "$ref" in req or isinstance(req.get("type"), str):
            out.append(req)  # already 3.0
            continue
        for name, scopes in req.items():
            if name not in schemes:
                continue  # names a scheme the document does not define: nothing to refer to
            ref = {"$ref": f"#/components/securitySchemes/{_escape(str(name))}"}
            if isinstance(scopes, list) and scopes and isinstance(schemes[name], dict):
                scheme = dict(security_schemes_v3({name: schemes[name]})[name])
                if scheme.get("type") in ("oauth2", "openIdConnect"):
                    scheme["scopes"] = [str(s) for s in scopes]
                    out.append(scheme)
                    continue
            if ref not in out:
                out.append(ref)
    return out or None


# ---- traits ----------------------------------------------------------------------------------------

def operation_traits_v3(traits: JSON) -> JSON:
    """Operation traits without their 2.x-only keys, bindings in 3.0 form."""
    return _traits(traits, "operation", ("operationId", "message", "channel", "action", "messages", "reply"))


def message_traits_v3(traits: JSON) -> JSON:
    """Message traits without their 2.x-only keys, bindings in 3.0 form."""
    return _traits(traits, "message", ("messageId", "schemaFormat", "payload", "traits"))


def _traits(traits: JSON, kind: str, drop: tuple[str, ...]) -> JSON:
    if not isinstance(traits, list):
        return traits
    out = []
    for trait in traits:
        if isinstance(trait, dict) and "$ref" not in trait:
            trait = {k: (bindings_v3(kind, v) if k == "bindings" else v) for k, v in trait.items() if k not in drop}
        out.append(trait)
    return out


# ---- payload schemas --------------------------------------------------------------------------------

# Drafts whose spellings schema_to_2020_12 rewrites; a payload declaring one of them is 2020-12
# afterwards, so the declaration goes (validators would read prefixItems by the old rules).
_OLD_DRAFTS = re.compile(r"^https?://json-schema\.org/draft-0[4-7]/schema#?$")


def schema_to_2020_12(schema: JSON) -> JSON:
    """A draft-07 (or draft-04) schema's spellings in 2020-12; a 2020-12 schema is unchanged."""
    out = _walk(schema, _node_to_2020_12, 0)
    if isinstance(out, dict) and isinstance(out.get("$schema"), str) and _OLD_DRAFTS.match(out["$schema"]):
        out = {k: v for k, v in out.items() if k != "$schema"}
    return out


def schema_to_draft_07(schema: JSON) -> JSON:
    """The 2020-12 keywords that have a draft-07 spelling written that way (for AsyncAPI tools)."""
    return _walk(schema, _node_to_draft_07, 0)


def _walk(node: JSON, convert: Any, depth: int) -> JSON:
    """``node`` converted; a subtree with nothing to convert is returned as the same object
    (schemas are read-only values: most payloads need no change, so none is copied)."""
    if not isinstance(node, dict) or depth > _MAX_DEPTH:
        return node
    converted = convert(node)
    out: dict[str, Any] | None = None if converted is node else dict(converted)
    for k, v in converted.items():
        if k in _SCHEMA_VALUED or k == "items":
            new = _walk_list(v, convert, depth) if isinstance(v, list) else _walk(v, convert, depth + 1)
        elif k in _SCHEMA_MAPS and isinstance(v, dict) or k == "dependencies" and isinstance(v, dict):
            new = _walk_map(v, convert, depth)
        elif k in _SCHEMA_LISTS and isinstance(v, list):
            new = _walk_list(v, convert, depth)
        else:
            continue
        if new is not v:
            if out is None:
                out = dict(converted)
            out[k] = new
    return converted if out is None else out


def _walk_list(items: list[Any], convert: Any, depth: int) -> list[Any]:
    out = [_walk(s, convert, depth + 1) for s in items]
    return items if all(a is b for a, b in zip(out, items)) else out


def _walk_map(schemas: dict[str, Any], convert: Any, depth: int) -> dict[str, Any]:
    out = {name: _walk(s, convert, depth + 1) for name, s in schemas.items()}
    return schemas if all(out[k] is v for k, v in schemas.items()) else out


def _node_to_2020_12(node: dict[str, Any]) -> dict[str, Any]:
    if isinstance(node.get("items"), list):
        node = dict(node)
        node["prefixItems"] = node.pop("items")
        if "additionalItems" in node:
            node["items"] = node.pop("additionalItems")
    elif "additionalItems" in node and "items" in node:
        node = {k: v for k, v in node.items() if k != "additionalItems"}  # ignored next to one schema
    if isinstance(node.get("dependencies"), dict):
        node = dict(node)
        deps = node.pop("dependencies")
        required = {k: v for k, v in deps.items() if isinstance(v, list)}
        schemas = {k: v for k, v in deps.items() if not isinstance(v, list)}
        if required:
            node["dependentRequired"] = {**required, **node.get("dependentRequired", {})}
        if schemas:
            node["dependentSchemas"] = {**schemas, **node.get("dependentSchemas", {})}
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), bool):  # draft-04: a flag on minimum/maximum
            node = dict(node)
            if node.pop(bound) and isinstance(node.get(limit), (int, float)):
                node[bound] = node.pop(limit)
    return node


def _node_to_draft_07(node: dict[str, Any]) -> dict[str, Any]:
    if isinstance(node.get("prefixItems"), list):
        node = dict(node)
        tail = node.pop("items", None)
        node["items"] = node.pop("prefixItems")
        if tail is not None:
            node["additionalItems"] = tail
    if isinstance(node.get("dependentRequired"), dict) or isinstance(node.get("dependentSchemas"), dict):
        node = dict(node)
        deps = {**node.pop("dependentRequired", {}), **node.pop("dependentSchemas", {})}
        node["dependencies"] = {**deps, **(node.get("dependencies") or {})}
    return node


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
