"""Loading native documents: the minimal document, every field, and every error with its place."""
from __future__ import annotations

import textwrap

import pytest

from designer.core.formats import native
from designer.core.formats.errors import FormatError
from designer.core.model import Envelope, Relation, Service

MINIMAL = """\
version: 1
services:
  - name: order-service
    description: Takes orders
messages:
  - name: OrderPlaced
    kind: event            # event | command | query
    type: order.placed     # wire type; optional
    producers: [order-service]
    consumers: [payment-service]   # a service named here but not listed is created
    schema: {type: object, properties: {orderId: {type: string}}}
"""


def error_of(text: str) -> FormatError:
    with pytest.raises(FormatError) as info:
        native.load(textwrap.dedent(text), "model.yaml")
    return info.value


def test_it_loads_the_minimal_document() -> None:
    model = native.load(MINIMAL)
    assert [s.name for s in model.services] == ["order-service", "payment-service"]
    assert model.services[0].description == "Takes orders"
    assert model.services[1] == Service(name="payment-service")
    message = model.messages_by_name["OrderPlaced"]
    assert (message.kind, message.type) == ("event", "order.placed")
    assert message.schema == {"type": "object", "properties": {"orderId": {"type": "string"}}}
    assert len(message.versions) == 1
    assert (message.versions[0].version, message.versions[0].status) == ("1.0.0", "draft")
    assert model.relations == (
        Relation(service="order-service", message="OrderPlaced", role="produces"),
        Relation(service="payment-service", message="OrderPlaced", role="consumes"),
    )
    assert model.envelope == Envelope()
    assert dict(model.default_compat) == {"event": "FORWARD", "command": "BACKWARD", "query": "BACKWARD"}


def test_it_records_where_each_element_was_declared() -> None:
    model = native.load(MINIMAL)
    assert model.location("services/order-service") == (3, 5)
    assert model.location("messages/OrderPlaced") == (6, 5)
    assert model.location("messages/OrderPlaced/schema") == (11, 5)
    assert model.location("services/payment-service") == (10, 17)  # where it was first named


def test_it_loads_json_too() -> None:
    model = native.load('{"version": 1, "messages": [{"name": "OrderPlaced", "kind": "command"}]}')
    assert model.messages[0].kind == "command"


FULL = """\
version: 1
name: Shop
description: The shop
envelope: {profile: custom, schema: {type: object, required: [id]}}
lint:
  severities: {event-name-past-tense: error, owner-and-docs-required: "off"}
  options: {event-type-namespace: {pattern: '^[a-z]+\\.[a-z]+$'}}
compatibility: {event: FULL, query: NONE}
x-team-tag: kept-nowhere
services:
  - name: order-service
    description: Takes orders
    owner: team-orders
    repository: https://example.com/orders
    language: python
    writes_database: true
    outbox: outbox
    x-tier: 1
channels:
  - name: orders
    broker: rabbitmq
    description: Orders
    owner: team-orders
    partition_key: orderId
    ordered: true
    delivery: exactly-once
    x-retention: 7d
messages:
  - name: OrderPlaced
    kind: event
    type: order.placed
    description: An order
    owner: team-orders
    channel: orders
    x-stability: stable
    producers: [order-service, {service: order-service, channel: orders}]
    consumers:
      - billing
      - {service: audit, channel: orders, idempotent: true, dedup_key: eventId, version: 2.0.0}
    versions:
      - {version: 1.0.0, status: released, compat: BACKWARD, schema: {type: object}, example: {a: 1}}
      - version: 2.0.0
        status: deprecated
        schema: true
flows:
  - name: checkout
    description: Checkout
    style: orchestration
    orchestrator: order-service
    steps:
      - {service: order-service, message: OrderPlaced}
      - {service: audit, message: OrderPlaced, action: receives, note: Keeps a copy}
"""


def test_it_loads_every_field_of_the_full_format() -> None:
    model = native.load(FULL)
    assert (model.name, model.description) == ("Shop", "The shop")
    assert model.envelope == Envelope(profile="custom", schema={"type": "object", "required": ["id"]})
    assert model.lint.severities == {"event-name-past-tense": "error", "owner-and-docs-required": "off"}
    assert model.lint.options == {"event-type-namespace": {"pattern": "^[a-z]+\\.[a-z]+$"}}
    assert dict(model.default_compat) == {"event": "FULL", "command": "BACKWARD", "query": "NONE"}
    svc = model.services_by_name["order-service"]
    assert (svc.owner, svc.repository, svc.language, svc.writes_database, svc.outbox) == (
        "team-orders", "https://example.com/orders", "python", True, "outbox")
    assert svc.extensions == {"x-tier": 1}
    ch = model.channels[0]
    assert (ch.broker, ch.partition_key, ch.ordered, ch.delivery, ch.extensions) == (
        "rabbitmq", "orderId", True, "exactly-once", {"x-retention": "7d"})
    msg = model.messages[0]
    assert (msg.channel, msg.owner, msg.extensions) == ("orders", "team-orders", {"x-stability": "stable"})
    assert [(v.version, v.status, v.compat) for v in msg.versions] == [
        ("1.0.0", "released", "BACKWARD"), ("2.0.0", "deprecated", "")]
    assert msg.versions[0].example == {"a": 1}
    assert msg.schema is True
    audit = next(r for r in model.consumers("OrderPlaced") if r.service == "audit")
    assert (audit.channel, audit.idempotent, audit.dedup_key, audit.version) == ("orders", True, "eventId", "2.0.0")
    assert [r.channel for r in model.producers("OrderPlaced")] == ["", "orders"]
    assert [s.name for s in model.services] == ["order-service", "billing", "audit"]
    flow = model.flows[0]
    assert (flow.style, flow.orchestrator) == ("orchestration", "order-service")
    assert [(s.service, s.action, s.note) for s in flow.steps] == [
        ("order-service", "sends", ""), ("audit", "receives", "Keeps a copy")]
    assert model.location("messages/OrderPlaced/versions/2.0.0") == (42, 9)
    assert model.location("messages/OrderPlaced/schema") == (44, 9)  # the newest version's schema
    assert model.location("flows/checkout") == (46, 5)
    assert native.dump(native.load(native.dump(model))) == native.dump(model)


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("- a\n", 1, 1, "the document must be a mapping that starts with 'version: 1', got a list"),
        ("", None, None, "the document must be a mapping that starts with 'version: 1', got nothing (null)"),
        ("name: x\n", 1, 1, "missing 'version: 1' at the top of the document"),
        ("version: 2\n", 1, 10, "unsupported format version 2; this reader understands 'version: 1'"),
        ("version: true\n", 1, 10, "unsupported format version True; this reader understands 'version: 1'"),
        ("version: 1\nservice: []\n", 2, 1, "unknown key 'service' in the document; did you mean 'services'?"),
        ("version: 1\nname: 12\n", 2, 7, "'name' of the document must be a string, got a number (quote it: '12')"),
        ("version: 1\nservices: {a: 1}\n", 2, 11, "'services' must be a list, got a mapping"),
        ("version: 1\nservices: [a]\n", 2, 12, "service #1 must be a mapping, got a string"),
        ("version: 1\nservices:\n  - description: x\n", 3, 5, "service #1 has no 'name'"),
        ("version: 1\nservices:\n  - name: ''\n", 3, 11, "'name' of service #1 must not be empty"),
        ("version: 1\nservices:\n  - name: yes\n", 3, 11,
         ("'name' of service #1 must be a string, got a boolean (quote it: YAML reads yes/no/on/off/true/false "
         "as booleans)")),
        ("version: 1\nservices:\n  - name: a\n  - name: a\n", 4, 11,
         "duplicate service name 'a' (first at line 3, column 5)"),
        ("version: 1\nservices:\n  - name: a\n    writes_database: 'yes'\n", 4, 22,
         "'writes_database' of service 'a' must be true or false, got a string"),
        ("version: 1\nservices:\n  - name: a\n    outbox: yes please\n", 4, 13,
         ("'outbox' of service 'a' is 'yes please'; expected one of outbox, cdc (leave it out when the service "
         "publishes without one)")),
        ("version: 1\nservices:\n  - name: a\n    ownr: me\n", 4, 5,
         "unknown key 'ownr' in service 'a'; did you mean 'owner'?"),
        ("version: 1\nchannels:\n  - name: c\n    broker: kafak\n", 4, 13,
         ("'broker' of channel 'c' is 'kafak'; expected one of kafka, rabbitmq, sns-sqs, eventbridge, nats, redis, "
         "mqtt, other; did you mean 'kafka'?")),
        ("version: 1\nchannels:\n  - name: c\n    delivery: once\n", 4, 15,
         "'delivery' of channel 'c' is 'once'; expected one of at-most-once, at-least-once, exactly-once"),
        ("version: 1\nchannels:\n  - name: c\n    ordered: 1\n", 4, 14,
         "'ordered' of channel 'c' must be true or false, got a number"),
        ("version: 1\nmessages:\n  - name: OrderPlaced\n    prodcers: [a]\n", 4, 5,
         "unknown key 'prodcers' in message 'OrderPlaced'; did you mean 'producers'?"),
        ("version: 1\nmessages:\n  - name: M\n    kind: evnt\n", 4, 11,
         "'kind' of message 'M' is 'evnt'; expected one of event, command, query; did you mean 'event'?"),
        ("version: 1\nmessages:\n  - name: M\n    channel: orders\n", 4, 14,
         "message 'M' uses channel 'orders', which is not declared under 'channels'"),
        ("version: 1\nchannels: [{name: orders}]\nmessages:\n  - name: M\n    channel: order\n", 5, 14,
         "message 'M' uses channel 'order', which is not declared under 'channels'; did you mean 'orders'?"),
        ("version: 1\nmessages:\n  - name: M\n    schema: [1]\n", 4, 13,
         "the schema of message 'M' must be a mapping (a JSON Schema), got a list"),
        ("version: 1\nmessages:\n  - name: M\n    schema: {}\n    versions: []\n", 4, 5,
         "message 'M' has both 'schema' and 'versions'; move the schema into a version"),
        ("version: 1\nmessages:\n  - name: M\n    versions:\n      - status: draft\n", 5, 9,
         "version #1 of message 'M' has no 'version'"),
        ("version: 1\nmessages:\n  - name: M\n    versions:\n      - version: 1.0\n", 5, 18,
         "'version' of version #1 of message 'M' must be a string, got a number (quote it: '1.0')"),
        ("version: 1\nmessages:\n  - name: M\n    versions:\n      - version: 1.0.0\n      - version: 1.0.0\n",
         6, 18, "message 'M' declares version '1.0.0' twice (first at line 5, column 9)"),
        ("version: 1\nmessages:\n  - name: M\n    versions:\n      - {version: '1', status: final}\n", 5, 32,
         "'status' of version '1' of message 'M' is 'final'; expected one of draft, released, deprecated"),
        ("version: 1\nmessages:\n  - name: M\n    versions:\n      - {version: '1', compat: backward}\n", 5, 32,
         ("'compat' of version '1' of message 'M' is 'backward'; expected one of BACKWARD, BACKWARD_TRANSITIVE, "
         "FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE; did you mean 'BACKWARD'?")),
        ("version: 1\nmessages:\n  - name: M\n    producers: a\n", 4, 16,
         "'producers' of message 'M' must be a list, got a string"),
        ("version: 1\nmessages:\n  - name: M\n    producers: [3]\n", 4, 17,
         "a producer of message 'M' must be a service name or a mapping with 'service', got a number"),
        ("version: 1\nmessages:\n  - name: M\n    producers: [{channel: x}]\n", 4, 17,
         "a producer of message 'M' has no 'service'"),
        ("version: 1\nmessages:\n  - name: M\n    producers: [{service: a, idempotent: true}]\n", 4, 30,
         "unknown key 'idempotent' in a producer of message 'M'"),
        ("version: 1\nmessages:\n  - name: M\n    consumers: [a, a]\n", 4, 20,
         "service 'a' is listed twice in 'consumers' of message 'M' (first at line 4, column 17)"),
        ("version: 1\nmessages:\n  - name: M\n    consumers: [{service: a, version: 2.0.0}]\n", 4, 39,
         "consumer 'a' of message 'M' pins version '2.0.0', which message 'M' does not declare"),
        ("version: 1\nmessages:\n  - name: M\n    consumers: [{service: a, idempotent: sure}]\n", 4, 42,
         "'idempotent' of consumer 'a' of message 'M' must be true or false, got a string"),
        ("version: 1\nmessages:\n  - name: M\n  - name: M\n", 4, 11,
         "duplicate message name 'M' (first at line 3, column 5)"),
        ("version: 1\nflows:\n  - name: f\n    style: choreographed\n", 4, 12,
         ("'style' of flow 'f' is 'choreographed'; expected one of choreography, orchestration; did you mean "
         "'choreography'?")),
        ("version: 1\nflows:\n  - name: f\n    orchestrator: boss\n", 4, 19,
         "the orchestrator 'boss' of flow 'f' is not a service"),
        ("version: 1\nservices: [{name: a}]\nflows:\n  - name: f\n    steps: [{service: b, message: M}]\n",
         5, 23, "step 1 of flow 'f' names service 'b', which is not declared"),
        (("version: 1\nservices: [{name: a}]\nmessages: [{name: M}]\nflows:\n  - name: f\n"
         "    steps: [{service: a, message: N}]\n"), 6, 35, "step 1 of flow 'f' names message 'N', which is not declared"),
        (("version: 1\nservices: [{name: a}]\nmessages: [{name: M}]\nflows:\n  - name: f\n"
         "    steps: [{service: a, message: M, action: sent}]\n"), 6, 46,
         "'action' of step 1 of flow 'f' is 'sent'; expected one of sends, receives; did you mean 'sends'?"),
        ("version: 1\nflows:\n  - name: f\n    steps: [{service: a, mesage: M}]\n", 4, 26,
         "unknown key 'mesage' in step 1 of flow 'f'; did you mean 'message'?"),
        ("version: 1\nenvelope: {profile: zalando}\n", 2, 21,
         "'profile' of 'envelope' is 'zalando'; expected one of cloudevents, brief, custom"),
        ("version: 1\nenvelope: {profile: custom}\n", 2, 1, "the 'custom' envelope profile needs a 'schema'"),
        ("version: 1\ncompatibility: {events: FULL}\n", 2, 17,
         "unknown key 'events' in 'compatibility'; did you mean 'event'?"),
        ("version: 1\ncompatibility: {event: full}\n", 2, 24,
         ("'event' of 'compatibility' is 'full'; expected one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, "
         "FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE")),
        ("version: 1\nlint: {severities: {some-rule: off}}\n", 2, 32,
         ("severity of rule 'some-rule' is 'a boolean'; expected one of error, warning, info, hint, off "
         "(quote 'off': YAML reads off/no as false)")),
        ("version: 1\nlint: {severities: {some-rule: warn}}\n", 2, 32,
         ("severity of rule 'some-rule' is 'warn'; expected one of error, warning, info, hint, off; did you mean "
         "'warning'?")),
        ("version: 1\nlint: {options: {some-rule: 3}}\n", 2, 29, "options of rule 'some-rule' must be a mapping, got a number"),
        ("version: 1\nlint: {rules: {}}\n", 2, 8, "unknown key 'rules' in 'lint'"),
    ],
)
def test_it_reports_each_error_with_its_line_and_column(
    text: str, line: int | None, column: int | None, reason: str
) -> None:
    error = error_of(text)
    assert (error.line, error.column, error.reason) == (line, column, reason)
    assert error.source == "model.yaml"


def test_it_prints_an_error_as_line_column_and_reason() -> None:
    assert str(FormatError("bad", 12, 5)) == "line 12, column 5: bad"
    assert str(FormatError("bad")) == "bad"
    assert str(FormatError("bad", 3)) == "line 3: bad"


def test_it_reports_malformed_yaml_with_its_position() -> None:
    error = error_of("version: 1\nservices: [a\nmessages: []\n")
    assert (error.line, error.column) == (3, 9)
    assert error.reason.startswith("malformed YAML: while parsing a flow sequence")


def test_it_reports_a_duplicate_key_with_both_positions() -> None:
    error = error_of("version: 1\nservices:\n  - name: a\n    name: b\n")
    assert (error.line, error.column) == (4, 5)
    assert error.reason == "duplicate key 'name' (first at line 3, column 5)"


def test_it_keeps_x_keys_in_extensions_and_refuses_other_unknown_keys() -> None:
    model = native.load("version: 1\nmessages:\n  - name: M\n    x-owner-slack: '#orders'\n")
    assert model.messages[0].extensions == {"x-owner-slack": "#orders"}
    assert error_of("version: 1\nmessages:\n  - name: M\n    owner-slack: x\n").reason == (
        "unknown key 'owner-slack' in message 'M'; did you mean 'owner'?")


def test_it_treats_a_schema_key_named_like_a_boolean_as_text() -> None:
    model = native.load("version: 1\nmessages:\n  - name: M\n    schema: {properties: {on: {type: boolean}}}\n")
    assert model.messages[0].schema == {"properties": {"on": {"type": "boolean"}}}


def test_it_keeps_an_example_timestamp_as_a_string() -> None:
    model = native.load("version: 1\nmessages:\n  - name: M\n    example: {at: 2025-03-15T14:30:00Z}\n")
    assert model.messages[0].versions[0].example == {"at": "2025-03-15T14:30:00Z"}
