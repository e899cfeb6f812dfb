"""Events do not embed whole aggregates owned by another service.

A "fat" event that embeds another service's entity (an ``OrderPlaced`` carrying the full
``customer`` with address and loyalty tier) makes the producer a second, stale source of truth
for data it does not own, and couples every consumer to a schema it cannot evolve. Carry the
foreign entity's id (and only the fields this fact needs, copied at the time), not its object.

An embedded object is *foreign* when its property name (singular) or its ``$ref`` name matches
an entity owned by another service: a service named after it (``customer-service`` owns
``customer``), or the service that alone produces events named after it (``CustomerRegistered``);
or when the embedded schema declares ``x-owner`` naming another service.

Flags: an object (or array of objects) property of an event whose entity another service owns.
Why: duplicated ownership drifts; the owning service cannot change its model without breaking
consumers of someone else's event.
Source: Martin Fowler, "What do you mean by Event-Driven?"; Zalando RESTful API Guidelines rule
201 (event payloads belong to their producer's domain).
Fails:
    version: 1
    services:
      - {name: order-service}
      - {name: customer-service}
    messages:
      - name: OrderPlaced
        producers: [order-service]
        schema:
          type: object
          properties:
            orderId: {type: string}
            customer:
              type: object
              properties: {name: {type: string}, tier: {type: string}}
Passes:
    version: 1
    services:
      - {name: order-service}
      - {name: customer-service}
    messages:
      - name: OrderPlaced
        producers: [order-service]
        schema:
          type: object
          properties:
            orderId: {type: string}
            customerId: {type: string}
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Message, Model, Relation, Service
from designer.core.schema_walk import is_object, model_cache, normalize, payload_props, resolve, tokens

ID = "payload-foreign-aggregate"
DEFAULT_SEVERITY = "info"
CATEGORY = "payload"
SCOPE = "model"

# Service name decorations that are not part of the entity's name.
_SERVICE_SUFFIXES = ("service", "svc", "api", "app", "system", "server", "manager")


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per embedded object whose entity another service owns."""
    owners = model_cache(model, ID, lambda: _owners_for(model))
    profile = model.envelope.profile
    for message in model.messages:
        if message.kind != "event":
            continue
        producers = model.producers(message.name)
        # A message's findings depend only on it, its producers and the owners index (itself
        # reused while the topology stands): re-lints rebuild only the changed messages'.
        hit = _FOUND.get(id(message))
        if (hit is None or hit[0] is not message or hit[1] != producers or hit[2] is not owners
                or hit[3] != profile):
            found = tuple(_findings(model, message, producers, owners))
            hit = (message, producers, owners, profile, found)
            _FOUND[id(message)] = hit
            if len(_FOUND) > _EMBEDDED_MAX:
                _FOUND.popitem(last=False)
        yield from hit[4]


def _findings(
    model: Model, message: Message, relations: tuple[Relation, ...], owners: dict[str, str]
) -> Iterator[Finding]:
    if message.schema is None or not relations:
        return
    producers = {r.service for r in relations}
    for name, path, explicit, entity in _embedded(model, message):
        owner = explicit if explicit is not None else owners.get(entity)
        if owner and owner not in producers:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"'{name}' embeds an entity owned by '{owner}'; carry its id (e.g. "
                f"'{name}Id') and only the fields this event needs, not the whole object.",
                path=path,
            )


# Per message (by identity; the entry holds the message so an id is not reused while cached):
# (message, its producer relations, the owners index, envelope profile, its findings).
_FOUND: OrderedDict[
    int, tuple[Message, tuple[Relation, ...], dict[str, str], str, tuple[Finding, ...]]
] = OrderedDict()
# The owners index of the last topology seen: (services, relations, event names, owners).
# One entry: a server re-lints one team's successive snapshots, which share their topology.
_OWNERS: list[tuple[tuple[Service, ...], tuple[Relation, ...], tuple[str, ...], dict[str, str]]] = []


def _owners_for(model: Model) -> dict[str, str]:
    """The owners index of ``model``, reused from the last snapshot when its inputs are equal."""
    events = tuple(m.name for m in model.messages if m.kind == "event")
    if _OWNERS:
        services, relations, names, owners = _OWNERS[0]
        if (services is model.services or services == model.services) and names == events and (
                relations is model.relations or relations == model.relations):
            return owners
    owners = _entity_owners(model)
    _OWNERS[:] = [(model.services, model.relations, events, owners)]
    return owners


# The embedded objects of a schema depend only on the schema and the envelope profile: keep
# them per schema object across snapshots (a re-lint re-reads only the changed message). The
# entry holds its schema, so an id is not reused while cached; bounded like schema_walk's.
_EMBEDDED: OrderedDict[tuple[int, str], tuple[Any, tuple[tuple[str, str, str | None, str], ...]]] = OrderedDict()
_EMBEDDED_MAX = 50_000


def _embedded(model: Model, message: Message) -> tuple[tuple[str, str, str | None, str], ...]:
    """(property name, path, explicit x-owner or None, singular entity name) per embedded object."""
    schema = message.schema
    key = (id(schema), model.envelope.profile)
    hit = _EMBEDDED.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    out = []
    for prop in payload_props(model, message):
        node = prop.schema
        if "items" in node and not is_object(node):
            node = resolve(node.get("items"), schema)
            if not isinstance(node, dict):
                continue
        if not is_object(node):
            continue
        explicit = node.get("x-owner") if isinstance(node.get("x-owner"), str) else None
        out.append((prop.name, prop.path, explicit, _singular(normalize(prop.name))))
    result = tuple(out)
    _EMBEDDED[key] = (schema, result)
    if len(_EMBEDDED) > _EMBEDDED_MAX:
        _EMBEDDED.popitem(last=False)
    return result


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _entity_owners(model: Model) -> dict[str, str]:
    """Entity word -> owning service, from service names and single-producer event names."""
    owners: dict[str, str] = {}
    for service in model.services:
        words = [w for w in tokens(service.name) if w not in _SERVICE_SUFFIXES]
        if words:
            owners.setdefault(_singular("".join(words)), service.name)
    for message in model.messages:
        if message.kind != "event":
            continue
        producers = {r.service for r in model.producers(message.name)}
        words = tokens(message.name)
        if len(producers) == 1 and len(words) > 1:
            owners.setdefault(_singular(words[0]), next(iter(producers)))
    return owners
