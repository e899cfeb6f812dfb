"""Play a model's flows as a deterministic stream of example events, optionally with faults.

``Simulator(model, flow=None, seed=0, faults=0.0).next_events(now, count)`` returns example
events as the wire would carry them (CloudEvents JSON form, or the brief's envelope when that
is the team's profile). Payloads are generated from the message schemas (required properties,
types, enums, consts, formats, bounds and simple patterns respected; a valid example on the
version is used as is). With a flow, its "sends" steps are played in order; without one, the
topology is followed: an entry message is emitted by its producer and every consumer "reacts" by
emitting what it produces, all with the same correlation id.

With ``faults=P`` each event carries, with probability P, one realistic mistake — a missing
required field, an undeclared type, a duplicate id (a redelivery) or an out-of-order pair — and
says which, so a test can assert the checker finds exactly those. All randomness comes from a
seeded ``random.Random`` and all time from ``now``: the same seed and times give the same
stream.
"""
from __future__ import annotations

import copy
import random
import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from designer.core.jsonvalue import resolve_pointer
from designer.core.model import Flow, Message, Model, Version
from designer.core.traffic import (
    BRIEF_REQUIRED,
    DUPLICATE_ID,
    OUT_OF_ORDER,
    SCHEMA_VIOLATION,
    UNDECLARED_TYPE,
    compile_schema,
)

MISSING_FIELD = "missing-required-field"
FAULTS: tuple[str, ...] = (MISSING_FIELD, UNDECLARED_TYPE, DUPLICATE_ID, OUT_OF_ORDER)
# The finding kind the checker must report for each injected fault.
FAULT_FINDING: dict[str, str] = {
    MISSING_FIELD: SCHEMA_VIOLATION,
    UNDECLARED_TYPE: UNDECLARED_TYPE,
    DUPLICATE_ID: DUPLICATE_ID,
    OUT_OF_ORDER: OUT_OF_ORDER,
}
# A reaction chain stops after this many hops: topologies may contain cycles (A → B → A).
MAX_HOPS = 8
# One flow instance emits at most this many events, whatever the fan-out of the topology.
MAX_INSTANCE_EVENTS = 64
# Events generated in one call are spaced by 1 ms so their times strictly increase.
TICK = 0.001
# An out-of-order event is dated this many seconds before its partition's previous event.
BACKDATE = 1.0
# Schemas nested deeper than this (or recursive $refs) generate an empty value.
MAX_DEPTH = 16


@dataclass(frozen=True)
class SimulatedEvent:
    """One generated event and what it should provoke.

    ``event`` is the wire form (a CloudEvents JSON object or the brief envelope); ``fault`` the
    injected mistake (a FAULTS value) or None; ``expected`` the finding kind the checker must
    report for it ("" for none).
    """

    event: dict[str, Any]
    fault: str | None
    service: str
    message: str
    correlation_id: str

    @property
    def expected(self) -> str:
        """The finding kind this event must provoke ("" when it is clean)."""
        return FAULT_FINDING[self.fault] if self.fault else ""


def rfc3339(t: float) -> str:
    """Epoch seconds as an RFC 3339 UTC timestamp with milliseconds (``...T12:00:00.000Z``)."""
    # Round first: isoformat truncates, and 0.001 steps in binary floating point fall just short.
    return datetime.fromtimestamp(round(t, 3), UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---- example values from schemas ------------------------------------------------------------
def _resolve(schema: Any, root: Any, depth: int) -> Any:
    """Follow a local ``$ref`` and flatten ``allOf`` so one dict describes the value."""
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#") and depth < MAX_DEPTH:
        target = resolve_pointer(root, ref)
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**_resolve(target, root, depth + 1), **rest} if isinstance(target, dict) else rest
    if "allOf" in schema and isinstance(schema["allOf"], list):
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for sub in schema["allOf"]:
            sub = _resolve(sub, root, depth + 1)
            if not isinstance(sub, dict):
                continue
            for k, v in sub.items():
                if k == "properties" and isinstance(v, dict):
                    merged["properties"] = {**merged.get("properties", {}), **v}
                elif k == "required" and isinstance(v, list):
                    merged["required"] = list(dict.fromkeys([*merged.get("required", []), *v]))
                else:
                    merged.setdefault(k, v)
        schema = merged
    for key in ("oneOf", "anyOf"):  # the first alternative is the documented default
        alts = schema.get(key)
        if isinstance(alts, list) and alts:
            rest = {k: v for k, v in schema.items() if k != key}
            first = _resolve(alts[0], root, depth + 1)
            schema = {**rest, **first} if isinstance(first, dict) else rest
    return schema


def _schema_type(schema: dict[str, Any]) -> str:
    t = schema.get("type")
    if isinstance(t, list):
        non_null = [x for x in t if x != "null"]
        return str(non_null[0]) if non_null else "null"
    if isinstance(t, str):
        return t
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
        return "number"
    return "string"


_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


class ExampleGenerator:
    """Generates values that validate against a JSON Schema, from a seeded Random."""

    def __init__(self, rng: random.Random, now: float = 0.0) -> None:
        """Use ``rng`` for every choice; ``now`` dates the date-time values."""
        self.rng = rng
        self.now = now

    def generate(self, schema: Any, root: Any = None, depth: int = 0) -> Any:
        """An example value for ``schema`` (``root`` resolves local ``$ref``s; defaults to it)."""
        root = schema if root is None else root
        if schema is True or schema is None:
            return {}
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return None
        schema = _resolve(schema, root, depth)
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return copy.deepcopy(self.rng.choice(schema["enum"]))
        if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"]:
            return copy.deepcopy(schema["examples"][0])
        kind = _schema_type(schema)
        if kind == "object":
            return self._object(schema, root, depth)
        if kind == "array":
            return self._array(schema, root, depth)
        if kind == "integer":
            return self._integer(schema)
        if kind == "number":
            return self._number(schema)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self._string(schema)

    def _object(self, schema: dict[str, Any], root: Any, depth: int) -> dict[str, Any]:
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        assert isinstance(props, dict)
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        names = list(dict.fromkeys([*required, *props]))
        limit = schema.get("maxProperties")
        if isinstance(limit, int):
            names = names[:max(limit, len(required))]
        out: dict[str, Any] = {}
        for name in names:
            out[name] = self.generate(props.get(name, {}), root, depth + 1)
        return out

    def _array(self, schema: dict[str, Any], root: Any, depth: int) -> list[Any]:
        prefix = schema.get("prefixItems") if isinstance(schema.get("prefixItems"), list) else []
        assert isinstance(prefix, list)
        lo = int(schema.get("minItems", 0))
        hi = schema.get("maxItems")
        n = max(lo, len(prefix), 1)
        if isinstance(hi, int):
            n = min(n, hi)
        items = schema.get("items", {})
        out: list[Any] = []
        for i in range(n):
            sub = prefix[i] if i < len(prefix) else items
            value = self.generate(sub, root, depth + 1)
            if schema.get("uniqueItems"):
                for _ in range(5):  # a few redraws give distinct values for any non-const schema
                    if value not in out:
                        break
                    value = self.generate(sub, root, depth + 1)
            out.append(value)
        return out

    def _bounds(self, schema: dict[str, Any], step: float) -> tuple[float, float]:
        """The inclusive range a number may take; unbounded sides open 100 wide around 0."""
        lo: float | None = None
        hi: float | None = None
        if isinstance(schema.get("minimum"), (int, float)):
            lo = float(schema["minimum"])
        if isinstance(schema.get("exclusiveMinimum"), (int, float)):
            lo = max(lo if lo is not None else float("-inf"), float(schema["exclusiveMinimum"]) + step)
        if isinstance(schema.get("maximum"), (int, float)):
            hi = float(schema["maximum"])
        if isinstance(schema.get("exclusiveMaximum"), (int, float)):
            hi = min(hi if hi is not None else float("inf"), float(schema["exclusiveMaximum"]) - step)
        if lo is None:
            lo = min(0.0, hi - 100) if hi is not None else 0.0
        if hi is None or hi < lo:
            hi = lo + 100 if hi is None else lo
        return lo, hi

    def _integer(self, schema: dict[str, Any]) -> int:
        lo, hi = self._bounds(schema, 1)
        ilo, ihi = int(-(-lo // 1)), int(hi // 1)
        mult = schema.get("multipleOf")
        if isinstance(mult, int) and mult > 0:
            first = -(-ilo // mult) * mult
            choices = max(0, (ihi - first) // mult)
            return int(first + mult * self.rng.randint(0, choices))
        return self.rng.randint(ilo, max(ilo, ihi))

    def _number(self, schema: dict[str, Any]) -> float | int:
        mult = schema.get("multipleOf")
        if isinstance(mult, (int, float)) and mult > 0:
            lo, hi = self._bounds(schema, float(mult))
            k = self.rng.randint(int(-(-lo // mult)), max(int(-(-lo // mult)), int(hi // mult)))
            value = k * mult
            return int(value) if isinstance(mult, int) else round(value, 10)
        lo, hi = self._bounds(schema, 0.01)
        value = round(self.rng.uniform(lo, hi), 2)
        return min(max(value, lo), hi)

    def _string(self, schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        value: str | None = None
        if isinstance(fmt, str):
            value = self._formatted(fmt)
        if value is None and isinstance(schema.get("pattern"), str):
            value = generate_from_regex(schema["pattern"], self.rng)
        if value is None:
            value = f"{self.rng.choice(_WORDS)}-{self.rng.randint(100, 999)}"
        lo = int(schema.get("minLength", 0))
        hi = schema.get("maxLength")
        if fmt is None and "pattern" not in schema:
            if len(value) < lo:
                value = value + "x" * (lo - len(value))
            if isinstance(hi, int) and len(value) > hi:
                value = value[:hi]
        return value

    def _formatted(self, fmt: str) -> str | None:
        rng = self.rng
        if fmt == "date-time":
            return rfc3339(self.now - rng.randint(0, 86_400))
        if fmt == "date":
            return rfc3339(self.now - rng.randint(0, 86_400 * 30))[:10]
        if fmt == "time":
            return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
        if fmt == "email":
            return f"{rng.choice(_WORDS)}{rng.randint(1, 99)}@example.com"
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if fmt in ("uri", "iri", "url"):
            return f"https://example.com/{rng.choice(_WORDS)}/{rng.randint(1, 999)}"
        if fmt in ("uri-reference", "iri-reference"):
            return f"/{rng.choice(_WORDS)}/{rng.randint(1, 999)}"
        if fmt in ("hostname", "idn-hostname"):
            return f"{rng.choice(_WORDS)}.example.com"
        if fmt == "ipv4":
            return f"192.0.2.{rng.randint(1, 254)}"
        if fmt == "ipv6":
            return f"2001:db8::{rng.randint(1, 0xffff):x}"
        if fmt == "duration":
            return f"PT{rng.randint(1, 59)}M"
        return None


def generate_from_regex(pattern: str, rng: random.Random) -> str | None:
    """A string matching a simple regular expression, or None when we cannot make one.

    Literals, classes, ``\\d``/``\\w``/``\\s``, groups, alternation and quantifiers are handled;
    the result is checked with ``re.search`` so an unsupported construct never yields a wrong
    value.
    """
    try:
        import re._parser as sre  # the stdlib's own regex parser

        tree = sre.parse(pattern)
        value = _from_tree(tree, sre, rng)
    except (ValueError, TypeError, IndexError, OverflowError, re.error):  # unsupported: use the default
        return None
    return value if re.search(pattern, value) else None


_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": "0123456789",
    "CATEGORY_WORD": "abcdefghijklmnopqrstuvwxyz0123456789",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": "abcdefgh",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_NOT_SPACE": "abcdefgh",
}


def _from_tree(tree: Any, sre: Any, rng: random.Random) -> str:
    out: list[str] = []
    for op, av in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "ANY":
            out.append("x")
        elif name == "IN":
            out.append(_from_class(av, rng))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            hi = min(hi, lo + 3)  # unbounded repeats (+, *) stay short and readable
            out.extend(_from_tree(sub, sre, rng) for _ in range(rng.randint(lo, max(lo, hi))))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_from_tree(av[-1], sre, rng))
        elif name == "BRANCH":
            out.append(_from_tree(rng.choice(av[1]), sre, rng))
        elif name == "CATEGORY":
            out.append(rng.choice(_CATEGORY_CHARS.get(str(av), "a")))
        elif name == "AT":
            continue
        else:
            raise ValueError(f"unsupported regex construct {name}")
    return "".join(out)


def _from_class(items: Any, rng: random.Random) -> str:
    if items and str(items[0][0]) == "NEGATE":
        raise ValueError("negated classes are not generated")
    op, av = rng.choice(items)
    name = str(op)
    if name == "LITERAL":
        return chr(av)
    if name == "RANGE":
        return chr(rng.randint(av[0], av[1]))
    if name == "CATEGORY":
        return rng.choice(_CATEGORY_CHARS.get(str(av), "a"))
    raise ValueError(f"unsupported class item {name}")


# ---- the simulator --------------------------------------------------------------------------
@dataclass
class _Instance:
    """One run of a flow: its correlation id, partition key and progress."""

    correlation_id: str
    partition_key: str
    sequence: int = 0
    emitted: int = 0
    last_time: float | None = None
    key_number: int | None = None  # varies the payload's partition key per instance


@dataclass
class _Pending:
    instance: _Instance
    service: str
    message: str
    hops: int
    causation_id: str | None
    visited: frozenset[tuple[str, str]] = field(default_factory=frozenset)


class Simulator:
    """A deterministic stream of example events for a model (see the module docstring)."""

    def __init__(self, model: Model, flow: Flow | str | None = None, seed: int = 0, faults: float = 0.0) -> None:
        """Simulate ``model``, playing ``flow`` (a Flow or its name) or the topology when None.

        ``faults`` is the probability (0..1) that an event carries an injected mistake. Raises
        ValueError for an unknown flow name or a probability outside 0..1.
        """
        if not 0.0 <= faults <= 1.0:
            raise ValueError(f"faults must be a probability between 0 and 1, got {faults}")
        if isinstance(flow, str):
            found = next((f for f in model.flows if f.name == flow), None)
            if found is None:
                known = ", ".join(f.name for f in model.flows) or "none"
                raise ValueError(f"no flow named {flow!r} (flows: {known})")
            flow = found
        self.model = model
        self.flow = flow
        self.faults = faults
        self.rng = random.Random(seed)
        self.profile = "brief" if model.envelope.profile == "brief" else "cloudevents"
        self._queue: deque[_Pending] = deque()
        self._last_time = float("-inf")
        self._wire_types = {m.type or m.name for m in model.messages}
        self._plan = self._flow_plan(flow) if flow is not None else []
        self._roots = self._topology_roots()
        if flow is not None and not self._plan:
            raise ValueError(f"flow {flow.name!r} has no step that sends a message")
        if flow is None and not self._roots:
            raise ValueError("the model has no message to simulate")

    # -- planning --
    def _flow_plan(self, flow: Flow) -> list[tuple[str, str]]:
        plan: list[tuple[str, str]] = []
        sent: set[str] = set()
        for step in flow.steps:
            if step.message not in self.model.messages_by_name:
                continue
            if step.action == "sends":
                plan.append((step.service, step.message))
                sent.add(step.message)
            elif step.message not in sent:  # received but never sent in the flow: its producer sends it
                producers = self.model.producers(step.message)
                plan.append((producers[0].service if producers else "simulator", step.message))
                sent.add(step.message)
        return plan

    def _topology_roots(self) -> list[tuple[str, str]]:
        produced = [(r.service, r.message) for r in self.model.relations
                    if r.role == "produces" and r.message in self.model.messages_by_name]
        # Entry points: produced by a service that consumes nothing (it reacts to no one).
        roots = [(s, m) for s, m in produced if not self.model.consumed_by(s)]
        if roots:
            return roots
        if produced:
            return produced
        return [("simulator", m.name) for m in self.model.messages]

    def _start_instance(self) -> None:
        inst = _Instance(self._uuid(), self._uuid())
        if self.flow is not None:
            # Flow steps are played in order, each caused by the one before.
            for service, message in self._plan:
                self._queue.append(_Pending(inst, service, message, 0, None))
        else:
            service, message = self.rng.choice(self._roots)
            self._queue.append(_Pending(inst, service, message, 0, None,
                                        frozenset({(service, message)})))

    def _reactions(self, item: _Pending, event_id: str) -> None:
        if self.flow is not None or item.hops >= MAX_HOPS:
            return
        for consumer in self.model.consumers(item.message):
            for produced in self.model.produced_by(consumer.service):
                key = (consumer.service, produced.message)
                if key in item.visited or produced.message not in self.model.messages_by_name:
                    continue
                self._queue.append(_Pending(item.instance, consumer.service, produced.message,
                                            item.hops + 1, event_id, item.visited | {key}))

    # -- generation --
    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def payload(self, message: Message, now: float) -> Any:
        """An example payload for ``message``'s latest version (its example when that is valid).

        For the brief profile the schema (and so the payload) describes the whole envelope.
        """
        version: Version | None = message.latest
        schema = version.schema if version else None
        if version is not None and version.example is not None and (
            schema is None or self._valid(schema, version.example)
        ):
            return copy.deepcopy(version.example)
        if schema is None:
            return {}
        return ExampleGenerator(self.rng, now).generate(schema)

    @staticmethod
    def _valid(schema: Any, value: Any) -> bool:
        try:
            return bool(compile_schema(schema).is_valid(value))
        except ValueError:
            return False

    def _keyed(self, message: Message, payload: Any, inst: _Instance) -> Any:
        """``payload`` with its channel's partition key set to the instance's own value.

        Each run of a flow is another order (another customer...): were every instance to carry
        the example's ``orderId``, two runs of Play back to back would share one partition and
        the second would look out of order. The example's value is varied (its trailing number
        bumped, else the instance's id, else a suffix) while the payload stays valid.
        """
        channel = self.model.channels_by_name.get(message.channel) if message.channel else None
        if channel is None or not channel.partition_key or not isinstance(payload, dict):
            return payload
        *parents, leaf = channel.partition_key.split(".")
        schema = message.schema if isinstance(message.schema, dict) else None
        for root in (payload.get("data"), payload) if self.profile == "brief" else (payload,):
            target: Any = root
            for part in parents:
                target = target.get(part) if isinstance(target, dict) else None
            if not isinstance(target, dict) or not isinstance(target.get(leaf), str):
                continue
            value = target[leaf]
            if inst.key_number is None:
                inst.key_number = self.rng.randrange(1, 10**6)
            number = inst.key_number
            digits = re.search(r"\d+$", value)
            candidates = [f"{value[:digits.start()]}{int(digits.group()) + number}"] if digits else []
            candidates += [inst.partition_key, f"{value}-{number}"]
            for candidate in candidates:
                target[leaf] = candidate
                if schema is None or self._valid(schema, payload):
                    return payload
            target[leaf] = value
            return payload
        return payload

    def _build(self, item: _Pending, t: float, wire_type: str) -> dict[str, Any]:
        message = self.model.messages_by_name[item.message]
        version = message.latest.version if message.latest else "1.0.0"
        inst = item.instance
        payload = self._keyed(message, self.payload(message, t), inst)
        inst.sequence += 1
        event_id = self._uuid()
        if self.profile == "brief":
            envelope: dict[str, Any] = payload if isinstance(payload, dict) else {"data": payload}
            schema = message.schema if isinstance(message.schema, dict) else {}
            # The schema may pin the envelope's version format (the brief writes "1.0"): send the
            # message version in the first form it accepts (1.0.0, 1.0, 1); the checker matches
            # a shorter form by its major number.
            props = schema.get("properties") if isinstance(schema, dict) else None
            vschema = props.get("version") if isinstance(props, dict) else None
            parts = version.split(".")
            forms = [version, ".".join(parts[:2]), parts[0]]
            envelope["version"] = next(
                (f for f in forms if not isinstance(vschema, dict) or self._valid(vschema, f)), version)
            envelope.update({"eventId": event_id, "eventType": wire_type,
                             "timestamp": rfc3339(t), "source": item.service})
            for key, value in (("correlationId", inst.correlation_id), ("causationId", item.causation_id),
                               ("partitionKey", inst.partition_key), ("sequence", str(inst.sequence))):
                if value is not None and _allows(schema, key):
                    envelope[key] = value
            return envelope
        event: dict[str, Any] = {
            "specversion": "1.0", "id": event_id, "source": item.service, "type": wire_type,
            "time": rfc3339(t), "datacontenttype": "application/json", "dataversion": version,
            "correlationid": inst.correlation_id, "partitionkey": inst.partition_key,
            "sequence": str(inst.sequence),
        }
        if item.causation_id:
            event["causationid"] = item.causation_id
        event["data"] = payload
        return event

    def _missing_field(self, event: dict[str, Any], message: Message) -> bool:
        """Drop one required property the schema describes; False if there is none to drop."""
        schema = message.schema
        if not isinstance(schema, dict):
            return False
        resolved = _resolve(schema, schema, 0)
        if self.profile == "brief":
            candidates = [r for r in resolved.get("required", []) if r not in BRIEF_REQUIRED and r in event]
            target: Any = event
            if not candidates:
                data_schema = _resolve(resolved.get("properties", {}).get("data"), schema, 0)
                target = event.get("data")
                if isinstance(data_schema, dict) and isinstance(target, dict):
                    candidates = [r for r in data_schema.get("required", []) if r in target]
        else:
            target = event.get("data")
            candidates = [r for r in resolved.get("required", []) if isinstance(target, dict) and r in target]
        if not candidates or not isinstance(target, dict):
            return False
        del target[self.rng.choice(candidates)]
        return True

    def next_events(self, now: float, count: int = 1) -> list[SimulatedEvent]:
        """The next ``count`` events, dated from ``now`` (plus injected duplicates).

        Times strictly increase across calls (1 ms apart at least), except an injected
        out-of-order event, which is dated before its partition's previous event.
        """
        out: list[SimulatedEvent] = []
        for _ in range(count):
            if not self._queue:
                self._start_instance()
            item = self._queue.popleft()
            inst = item.instance
            if inst.emitted >= MAX_INSTANCE_EVENTS:
                continue
            t = max(now, self._last_time + TICK)
            self._last_time = t
            message = self.model.messages_by_name[item.message]
            wire_type = message.type or message.name
            fault: str | None = None
            roll = self.rng.random()
            if roll < self.faults:
                options = [MISSING_FIELD, UNDECLARED_TYPE, DUPLICATE_ID]
                if inst.last_time is not None:
                    options.append(OUT_OF_ORDER)
                fault = self.rng.choice(options)
            event_time = t
            if fault == OUT_OF_ORDER:
                assert inst.last_time is not None
                event_time = inst.last_time - BACKDATE
            if fault == UNDECLARED_TYPE:
                wire_type = self._undeclared(wire_type)
            event = self._build(item, event_time, wire_type)
            if fault == MISSING_FIELD and not self._missing_field(event, message):
                fault = None
            inst.emitted += 1
            inst.last_time = event_time if inst.last_time is None else max(inst.last_time, event_time)
            sim = SimulatedEvent(event, fault if fault != DUPLICATE_ID else None, item.service,
                                 item.message, inst.correlation_id)
            out.append(sim)
            if fault == DUPLICATE_ID:
                # A redelivery right after the original: same id, same content.
                out.append(SimulatedEvent(copy.deepcopy(event), DUPLICATE_ID, item.service,
                                          item.message, inst.correlation_id))
            event_id = event.get("id") or event.get("eventId")
            self._reactions(item, str(event_id))
        return out

    def _undeclared(self, wire_type: str) -> str:
        candidate = f"{wire_type}.unplanned"
        n = 2
        while candidate in self._wire_types:
            candidate = f"{wire_type}.unplanned{n}"
            n += 1
        return candidate


def _allows(schema: Any, key: str) -> bool:
    """Whether an object schema lets ``key`` appear (declared, or extra properties allowed)."""
    if not isinstance(schema, dict):
        return True
    props = schema.get("properties")
    if isinstance(props, dict) and key in props:
        return True
    return schema.get("additionalProperties", True) is not False and schema.get(
        "unevaluatedProperties", True) is not False
