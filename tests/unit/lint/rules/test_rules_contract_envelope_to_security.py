"""Every envelope/payload/topology/reliability/security rule keeps the rule module contract."""
from __future__ import annotations

import importlib
import textwrap
from types import ModuleType

import pytest

from designer.core.model import Channel, Flow, FlowStep, Message, Service, Version
from tests.unit.lint.rules.rules_kit import HOSTILE_NAMES, model, msg, obj, rel, run, s

RULE_IDS = [
    "envelope-required-attributes", "envelope-attribute-name-format", "event-id-stable",
    "event-time-format", "message-schema-required", "payload-root-object", "payload-entity-id",
    "schema-examples-valid", "number-format-declared", "schema-content-model-explicit",
    "enum-closed-on-event", "correlation-ids-present", "trace-context-propagated",
    "datetime-property-naming", "payload-internal-id-only", "payload-notification-only",
    "payload-foreign-aggregate", "payload-size-budget", "event-no-consumer", "event-no-producer",
    "event-multiple-producers", "command-handler-count", "command-no-sender",
    "query-responder-count", "command-on-broadcast-channel", "flow-cycle",
    "choreography-chain-length", "channel-mixed-kinds", "owner-and-docs-required",
    "deprecated-reference", "consumer-idempotency", "ordering-needs-partition-key",
    "partition-key-is-entity", "dual-write-without-outbox", "pii-field-unclassified",
    "card-data-in-payload", "secret-in-payload", "sensitive-in-envelope",
]
CATEGORIES = {"envelope", "payload", "topology", "reliability", "security"}


def load_rule(rule_id: str) -> ModuleType:
    return importlib.import_module("designer.core.lint.rules." + rule_id.replace("-", "_"))


def sections(doc: str) -> tuple[str, str]:
    fails = doc.split("\nFails:\n", 1)[1].split("\nPasses:\n", 1)[0]
    passes = doc.split("\nPasses:\n", 1)[1]
    return textwrap.dedent(fails), textwrap.dedent(passes)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_it_exposes_the_contract_constants(rule_id: str) -> None:
    rule = load_rule(rule_id)
    assert rule.ID == rule_id
    assert rule.DEFAULT_SEVERITY in ("error", "warning", "info", "hint")
    assert rule.CATEGORY in CATEGORIES
    assert getattr(rule, "SCOPE", "element") in ("element", "model")
    assert isinstance(getattr(rule, "OPTIONS", {}), dict)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_its_docstring_has_every_help_section(rule_id: str) -> None:
    doc = load_rule(rule_id).__doc__ or ""
    lines = doc.splitlines()
    assert lines[0].strip().endswith(".")
    for heading in ("Flags:", "Why:", "Source:"):
        assert any(line.startswith(heading) for line in lines), heading
    assert "\nFails:\n" in doc and "\nPasses:\n" in doc
    assert doc.index("\nFails:\n") < doc.index("\nPasses:\n")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_its_fails_example_fails_and_its_passes_example_passes(rule_id: str) -> None:
    from designer.core.formats import native
    rule = load_rule(rule_id)
    fails, passes = sections(rule.__doc__ or "")
    assert run(rule, native.load(fails, "fails.yaml")), "the Fails example yields no finding"
    assert not run(rule, native.load(passes, "passes.yaml")), "the Passes example yields a finding"


def hostile_model(profile: str):  # type: ignore[no-untyped-def]
    cyclic = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
              "type": "object", "properties": {"x": {"$ref": "#/$defs/a"}}}
    deep: dict = {"type": "object", "properties": {}}
    node = deep
    for _ in range(200):
        child: dict = {"type": "object", "properties": {}}
        node["properties"]["n"] = child
        node = child
    recursive = {"type": "object", "properties": {"child": {"$ref": "#"}, "name": s()}}
    weird_schemas = [None, True, False, [], "string", 5, {}, {"type": 7}, {"properties": []},
                     {"properties": {"a": None, "b": [], 3: {}}}, {"$ref": "http://evil.invalid/x"},
                     {"$ref": "#/nope"}, cyclic, deep, recursive, {"type": ["object", "null"]},
                     {"required": "x", "allOf": "y", "items": 3, "enum": 4, "examples": 5}]
    messages = [msg(f"M{i}", schema=sch, kind=("event", "command", "query")[i % 3], example={"a": [1]},
                    extensions={"x-headers": sch})
                for i, sch in enumerate(weird_schemas)]
    messages += [msg(name, schema=obj(**{name: s()}), kind="event") for name in HOSTILE_NAMES]
    messages.append(Message(name="NoVersions"))
    relations = [rel(name or "anon", name, "produces", channel="{" + name + "}") for name in HOSTILE_NAMES]
    relations += [rel("svc", "M1", "consumes", version="9.9", dedup_key="a.b.c"), rel("svc", "M1", "produces")]
    channels = [Channel(name=n, partition_key=n, ordered=True, extensions={"x-parameters": {n: {}}})
                for n in HOSTILE_NAMES[:5]]
    flows = [Flow(name="f", style="orchestration", orchestrator="svc",
                  steps=(FlowStep("svc", "M1"), FlowStep("ghost", "Ghost")))]
    return model(messages, relations=relations, channels=channels, flows=flows, profile=profile,
                 envelope_schema={"type": "object", "properties": {"userEmail": s()}},
                 services=[Service(name="svc", writes_database=True)])


@pytest.mark.parametrize("profile", ["cloudevents", "brief", "custom"])
@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_it_survives_hostile_models(rule_id: str, profile: str) -> None:
    found = run(load_rule(rule_id), hostile_model(profile))
    assert all(isinstance(f.path, str) for f in found)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_it_finds_nothing_in_an_empty_model(rule_id: str) -> None:
    assert run(load_rule(rule_id), model([])) == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_its_findings_carry_the_default_severity_or_a_documented_lower_one(rule_id: str) -> None:
    rule = load_rule(rule_id)
    found = run(rule, hostile_model("brief"))
    allowed = {rule.DEFAULT_SEVERITY} | ({"warning"} if rule_id == "envelope-attribute-name-format" else set())
    assert {f.severity for f in found} <= allowed


def test_the_demo_example_event_passes_the_envelope_rules() -> None:
    example = {"eventId": "evt_7f3a9b2c", "eventType": "order.placed", "version": "1.0",
               "timestamp": "2025-03-15T14:30:00Z", "source": "order-service",
               "data": {"orderId": "ord_12345", "userId": "usr_67890", "userEmail": "user@example.com",
                        "items": [{"productId": "prod_001", "quantity": 2, "price": 29.99}],
                        "total": 59.98, "currency": "USD"}}
    item = obj(required=["productId", "quantity", "price"], productId=s(), quantity={"type": "integer"},
               price={"type": "number"})
    data = obj(required=["orderId", "userId", "userEmail", "items", "total", "currency"],
               orderId=s(), userId=s(), userEmail=s(format="email"),
               items={"type": "array", "items": item}, total={"type": "number"}, currency=s())
    schema = obj(required=["eventId", "eventType", "version", "timestamp", "source", "data"],
                 eventId=s(), eventType=s(), version=s(), timestamp=s(format="date-time"),
                 source=s(), data=data)
    m = model([Message(name="OrderPlaced", versions=(Version(schema=schema, example=example),))],
              profile="brief")
    for rule_id in ("envelope-required-attributes", "envelope-attribute-name-format", "event-id-stable",
                    "event-time-format", "payload-root-object", "schema-examples-valid",
                    "payload-entity-id", "message-schema-required"):
        assert run(load_rule(rule_id), m) == [], rule_id
