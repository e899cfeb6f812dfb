"""The simulator: valid, deterministic example traffic that follows the model, with faults."""
from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from typing import Any

import jsonschema
import pytest

from designer.core.model import Envelope, Message, Model, Version
from designer.core.simulate import (
    FAULTS,
    MISSING_FIELD,
    ExampleGenerator,
    SimulatedEvent,
    Simulator,
    generate_from_regex,
)
from designer.core.traffic import TrafficChecker, event_from_dict

from .builders import ORDER_SCHEMA, PAYMENT_SCHEMA, SHIPMENT_EXAMPLE, SHIPMENT_SCHEMA, checkout_model

NOW = 1_714_557_600.0


def run(sim: Simulator, n: int) -> list[SimulatedEvent]:
    out: list[SimulatedEvent] = []
    for i in range(n):
        out.extend(sim.next_events(NOW + i))
    return out


def validator(schema: Any) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("seed", range(5))
def test_without_faults_every_event_validates_and_the_checker_finds_nothing(seed: int) -> None:
    model = checkout_model()
    sim = Simulator(model, seed=seed)
    checker = TrafficChecker(model, require_correlation_id=True)
    events = run(sim, 60)
    schemas = {m.type: m.schema for m in model.messages}
    for e in events:
        assert e.fault is None
        errors = list(validator(schemas[e.event["type"]]).iter_errors(e.event["data"]))
        assert errors == [], (e.event, errors)
        assert checker.check(event_from_dict(e.event), NOW) == []


def test_the_topology_is_followed_with_one_correlation_id_per_chain() -> None:
    events = run(Simulator(checkout_model(), seed=1), 9)
    assert [e.message for e in events[:3]] == ["OrderPlaced", "PaymentCaptured", "ShipmentDispatched"]
    assert [e.service for e in events[:3]] == ["orders", "payments", "shipping"]
    first = events[:3]
    assert len({e.correlation_id for e in first}) == 1
    assert first[1].event["causationid"] == first[0].event["id"]
    assert first[2].event["causationid"] == first[1].event["id"]
    assert events[3].correlation_id != events[0].correlation_id
    assert events[2].event["data"] == SHIPMENT_EXAMPLE  # a valid example is used as is


def test_a_named_flow_is_played_in_order() -> None:
    events = run(Simulator(checkout_model(), flow="checkout", seed=3), 6)
    assert [e.message for e in events] == ["OrderPlaced", "PaymentCaptured", "ShipmentDispatched"] * 2


def test_an_unknown_flow_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="no flow named 'nope' \\(flows: checkout\\)"):
        Simulator(checkout_model(), flow="nope")


def test_a_fault_probability_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        Simulator(checkout_model(), faults=1.5)


def test_the_same_seed_gives_the_same_stream() -> None:
    a = [e.event for e in run(Simulator(checkout_model(), seed=7, faults=0.3), 30)]
    b = [e.event for e in run(Simulator(checkout_model(), seed=7, faults=0.3), 30)]
    c = [e.event for e in run(Simulator(checkout_model(), seed=8, faults=0.3), 30)]
    assert a == b
    assert a != c


def test_times_strictly_increase_within_and_across_calls() -> None:
    sim = Simulator(checkout_model(), seed=2)
    events = sim.next_events(NOW, 10) + sim.next_events(NOW, 10)
    times = [event_from_dict(e.event).timestamp for e in events]
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(times))


@pytest.mark.parametrize("seed", range(4))
def test_injected_faults_are_exactly_what_the_checker_finds(seed: int) -> None:
    model = checkout_model()
    sim = Simulator(model, seed=seed, faults=0.3)
    checker = TrafficChecker(model, require_correlation_id=True)
    seen: Counter[str] = Counter()
    for e in run(sim, 150):
        found = [f.kind for f in checker.check(event_from_dict(e.event), NOW)]
        if e.fault is None:
            assert found == [], (e.event, found)
        else:
            seen[e.fault] += 1
            assert found == [e.expected], (e.fault, e.event, found)
    assert set(seen) == set(FAULTS)  # every kind of fault shows up in a run this long


def test_the_brief_profile_produces_valid_brief_envelopes() -> None:
    envelope_schema = {
        "type": "object", "additionalProperties": False,
        "required": ["eventId", "eventType", "version", "timestamp", "source", "data"],
        "properties": {
            "eventId": {"type": "string", "format": "uuid"}, "eventType": {"type": "string"},
            "version": {"type": "string"}, "timestamp": {"type": "string", "format": "date-time"},
            "source": {"type": "string"}, "correlationId": {"type": "string"},
            "data": {"type": "object", "required": ["orderId"], "properties": {"orderId": {"type": "string"}}},
        },
    }
    model = checkout_model()
    model = Model(messages=(Message("OrderPlaced", type="order.placed", versions=(Version("1.0.0", envelope_schema),)),),
                  services=model.services, relations=model.relations[:1], envelope=Envelope("brief"))
    sim = Simulator(model, seed=4, faults=0.5)
    checker = TrafficChecker(model, require_correlation_id=True)
    faults = Counter()
    for e in run(sim, 80):
        env = e.event
        assert "partitionKey" not in env  # the closed schema does not allow it
        if e.fault is None:
            assert validator(envelope_schema).is_valid(env), env
        faults[e.fault] += 1
        found = [f.kind for f in checker.check(event_from_dict(env), NOW)]
        assert found == ([e.expected] if e.fault else []), (e.fault, env, found)
    assert faults[MISSING_FIELD] > 0


def test_generated_values_respect_the_schema_keywords() -> None:
    gen = ExampleGenerator(random.Random(0), NOW)
    for schema in (ORDER_SCHEMA, PAYMENT_SCHEMA, SHIPMENT_SCHEMA):
        for _ in range(50):
            value = gen.generate(schema)
            assert validator(schema).is_valid(value), value
    tricky = {
        "type": "object", "required": ["n", "x", "tags", "when", "id"],
        "properties": {
            "n": {"type": "number", "exclusiveMinimum": 5, "exclusiveMaximum": 6},
            "x": {"type": "integer", "maximum": -10},
            "tags": {"type": "array", "items": {"type": "string", "minLength": 12}, "minItems": 3,
                     "uniqueItems": True},
            "when": {"type": "string", "format": "date"},
            "id": {"allOf": [{"type": "string"}, {"format": "ipv4"}]},
            "c": {"const": {"k": 1}},
        },
    }
    for _ in range(50):
        assert validator(tricky).is_valid(gen.generate(tricky))


@pytest.mark.parametrize("pattern", [r"^[A-Z]{3}-\d{4}$", r"^(EUR|USD|GBP)$", r"^ord_[a-z0-9]+$",
                                     r"^\w{2,5}@example\.com$", r"v[0-9]+\.[0-9]+"])
def test_simple_patterns_generate_matching_strings(pattern: str) -> None:
    value = generate_from_regex(pattern, random.Random(1))
    assert value is not None and re.search(pattern, value)


def test_patterns_we_cannot_generate_give_none() -> None:
    assert generate_from_regex(r"^[^a]+$", random.Random(1)) is None


def test_a_cyclic_topology_still_makes_progress_and_stops_each_chain() -> None:
    from designer.core.model import Relation, Service
    model = Model(
        services=(Service("a"), Service("b")),
        messages=(Message("PingSent", type="ping"), Message("PongSent", type="pong")),
        relations=(Relation("a", "PingSent", "produces"), Relation("b", "PingSent", "consumes"),
                   Relation("b", "PongSent", "produces"), Relation("a", "PongSent", "consumes")),
    )
    events = run(Simulator(model, seed=0), 40)
    assert len(events) == 40
    per_chain = Counter(e.correlation_id for e in events)
    assert len(per_chain) > 1  # chains end (visited pairs are not replayed) and new ones start
    assert max(per_chain.values()) <= 8


def test_with_faults_at_one_every_event_carries_a_fault_or_is_the_original_of_a_duplicate() -> None:
    events = run(Simulator(checkout_model(), seed=5, faults=1.0), 30)
    for e, after in zip(events, [*events[1:], None], strict=True):
        # an event without a fault is the original of a redelivery that follows it
        assert e.fault is not None or (after is not None and after.fault == "duplicate-id"), e
    assert sum(1 for e in events if e.fault) >= 25


def test_two_runs_back_to_back_on_the_demo_model_stay_in_order_per_partition() -> None:
    """Play pressed twice: each flow run is another order, so a second run started 'now' is not
    dated before the first run's events of the same key (the demo's example orderId is one value)."""
    from pathlib import Path

    from designer.core.formats import native

    model = native.load((Path(__file__).parents[3] / "designer/catalog/demo/shop.yaml").read_text())
    checker = TrafficChecker(model)
    keys = set()
    for seed, flow in ((1, None), (2, "checkout"), (3, "checkout")):
        events = Simulator(model, flow=flow, seed=seed).next_events(NOW, 300)  # all dated from one instant
        for e in events:
            found = checker.check(event_from_dict(e.event), NOW)
            assert found == [], (seed, e.event, found)
            data = e.event.get("data")
            if isinstance(data, dict) and "orderId" in data:
                keys.add(data["orderId"])
    assert len(keys) > 10  # the example's orderId, varied per flow run
