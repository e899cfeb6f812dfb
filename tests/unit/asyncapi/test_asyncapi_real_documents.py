"""Real AsyncAPI documents (tests/fixtures/asyncapi_real, see its README): every one imports
with the files its $refs name, keeps its messages through an export, round-trips, and carries
only names its authors wrote; and what the reader understands of particular documents."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from bench.asyncapi_corpus import messages_in
from designer.cli.localfiles import files_for
from designer.core import diagram
from designer.core.formats import asyncapi, load_files, yamlsafe
from designer.core.lint.engine import lint
from designer.core.model import Model
from designer.core.schema_compile import compile_schema
from designer.core.simulate import ExampleGenerator

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "asyncapi_real"
DOCUMENTS = sorted(p.relative_to(REAL).as_posix() for p in REAL.rglob("*")
                   if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
                   and re.search(r'^\s*"?asyncapi"?\s*:', p.read_text(), re.M))
V2 = "asyncapi+spec@v2.6.0/examples"
V3 = "asyncapi+spec@v3.0.0/examples"


def load(doc: str) -> Model:
    path = REAL / doc
    files, main = files_for(path, path.read_bytes())
    return load_files(files, main=main)


def test_the_corpus_is_broad() -> None:
    versions = {re.search(r"^asyncapi: '?([\d.]+)", (REAL / d).read_text(), re.M).group(1)  # type: ignore[union-attr]
                for d in DOCUMENTS if not d.endswith(".json")}
    assert {"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0"} <= versions
    spec = {d.split("/", 1)[0] for d in DOCUMENTS if d.startswith("asyncapi+spec@")}
    assert len(spec) == 9  # the specification's own examples of every version
    assert len(DOCUMENTS) >= 60


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_real_document_imports_and_keeps_its_messages_through_an_export(doc: str) -> None:
    model = load(doc)
    exported = asyncapi.dump(model)
    data, _ = yamlsafe.parse((REAL / doc).read_bytes())
    assert len(exported.get("components", {}).get("messages", {})) == messages_in(data) == len(model.messages)
    second = asyncapi.load(asyncapi.dump_yaml(model))
    assert {m.name: (m.kind, m.schema) for m in second.messages} == {m.name: (m.kind, m.schema) for m in model.messages}
    assert set(second.relations) == set(model.relations)
    assert {c.name: (c.broker, c.partition_key) for c in second.channels} == {
        c.name: (c.broker, c.partition_key) for c in model.channels}


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_no_real_document_gets_a_made_up_message_name(doc: str) -> None:
    text = "\n".join(p.read_text() for p in (REAL / doc).parent.rglob("*") if p.is_file())
    for message in load(doc).messages:
        assert not message.name.isdigit(), message.name
        assert not message.name.endswith(".message"), message.name
        source = message.extensions["x-asyncapi-message"].get("name_source", "name")
        assert source in (*asyncapi.AUTHOR_NAME_SOURCES, "operationId", "channel", "qualified"), (message.name, source)
        for part in message.name.split(".") if source == "qualified" else [message.name]:
            if source != "title":
                assert part in text, (message.name, part)


def test_it_names_anonymous_saas_trigger_messages_after_their_event_type() -> None:
    model = load("ballerina-platform+asyncapi-triggers/asyncapi/hubspot/asyncapi.yaml")
    names = {m.name for m in model.messages}
    assert {"company.creation", "contact.propertyChange", "deal.deletion"} <= names
    twilio = {m.name for m in load("ballerina-platform+asyncapi-triggers/asyncapi/twilio/asyncapi.yml").messages}
    # "failed" is an event type of calls and of SMS: the second one is named within its channel.
    assert "failed" in twilio and "smsStatus.failed" in twilio


def test_it_reads_request_reply_apis_as_queries_and_commands_with_their_replies() -> None:
    kraken = {m.name: (m.kind, asyncapi.message_role(m))
              for m in load(f"{V3}/kraken-websocket-request-reply-multiple-channels-asyncapi.yml").messages}
    assert kraken["ping"] == ("query", "request") and kraken["pong"] == ("query", "reply")
    assert kraken["subscribe"] == ("command", "request") and kraken["subscriptionStatus"] == ("command", "reply")
    assert kraken["heartbeat"] == ("event", "")
    rpc = {m.name: (m.kind, asyncapi.message_role(m)) for m in load(f"{V3}/rpc-server-asyncapi.yml").messages}
    assert rpc == {"sum": ("query", "request"), "sendSumResult": ("query", "reply")}
    client = {m.name: (m.kind, asyncapi.message_role(m)) for m in load(f"{V2}/rpc-client.yml").messages}
    assert client == {"requestSum": ("query", "request"), "receiveSumResult": ("query", "reply")}
    ping = {m.name: (m.kind, asyncapi.message_role(m)) for m in load(
        "lerenn+asyncapi-codegen/examples/ping/v2/asyncapi.yaml").messages}
    assert ping == {"Ping": ("query", "request"), "Pong": ("query", "reply")}


def test_a_reply_is_sent_by_whoever_receives_the_request() -> None:
    model = load(f"{V3}/kraken-websocket-request-reply-multiple-channels-asyncapi.yml")
    roles = {(r.message, r.role) for r in model.relations}
    assert ("ping", "consumes") in roles and ("pong", "produces") in roles
    doc = asyncapi.dump(model)
    ping_ops = [op for op in doc["operations"].values() if op.get("reply")]
    assert ping_ops and all(op["action"] == "receive" for op in ping_ops)
    # the reply relation is written as the operation's reply, not as a second operation
    sends = [op for op in doc["operations"].values() if op["action"] == "send"
             and any(m["$ref"].endswith("/pong") for m in op["messages"])]
    assert not sends


def test_it_reads_commands_and_events_by_their_names_and_directions() -> None:
    kinds = {m.name: m.kind for m in load(f"{V3}/streetlights-mqtt-asyncapi.yml").messages}
    assert kinds == {"lightMeasured": "event", "turnOnOff": "command", "dimLight": "command"}


def test_it_keeps_a_recursive_polymorphic_payload_and_every_part_of_the_designer_handles_it() -> None:
    model = load("springwolf+springwolf-core/springwolf-examples/springwolf-kafka-example/src/test/resources/asyncapi.yaml")
    vehicle = model.messages_by_name["io.github.springwolf.examples.kafka.dtos.discriminator.VehicleBase"]
    schema = vehicle.schema
    defs = schema["$defs"]
    assert "io.github.springwolf.examples.kafka.dtos.discriminator.VehicleBase" in defs
    assert "#/$defs/io.github.springwolf.examples.kafka.dtos.discriminator.VehicleBase" in json.dumps(defs)
    findings = lint(model, strict=True)  # no rule crashes on the cycle
    assert all(f.rule != "lint-internal-error" for f in findings)
    assert "VehicleBase" in diagram.build_dot(model)
    example = ExampleGenerator(random.Random(1)).generate(schema)  # the simulator stops at the cycle
    # Springwolf's base type is oneOf its subtypes, each allOf the base: no value satisfies it
    # (its own description says "not publishable"). The validator says so instead of looping,
    # and lint reports the document's example rather than the import refusing it.
    assert compile_schema(schema).is_valid(example) is False
    assert any(f.rule == "schema-examples-valid" and f.element == vehicle.name for f in findings)
    exported = asyncapi.dump(model)
    comp = exported["components"]["schemas"]
    assert any(k.endswith("VehicleBase") for k in comp)  # the cycle is a component that refers to itself


def test_it_converts_avro_payloads_and_exports_them_as_avro_while_unchanged() -> None:
    model = load("asyncapi+avro-schema-parser/test/documents/asyncapi-with-reused-enums.yaml")
    message = model.messages_by_name["example_event"]
    assert message.schema["properties"]["r2"] == {"$ref": "#/$defs/MyEnum"}
    assert message.schema["$defs"]["MyEnum"]["enum"] == ["A", "B", "C"]
    assert message.schema["required"] == ["r1", "r2", "r3", "r4", "r5"]
    payload = asyncapi.dump(model)["components"]["messages"]["example_event"]["payload"]
    assert payload["schemaFormat"].startswith("application/vnd.apache.avro")
    assert payload["schema"]["name"] == "ParentRecord"


def test_it_exports_an_edited_avro_payload_as_json_schema() -> None:
    import dataclasses

    model = load("asyncapi+avro-schema-parser/test/documents/asyncapi-with-reused-enums.yaml")
    message = model.messages_by_name["example_event"]
    changed = dict(message.schema, properties={**message.schema["properties"], "r6": {"type": "string"}})
    edited = dataclasses.replace(message, versions=(dataclasses.replace(message.latest, schema=changed),))
    model = dataclasses.replace(model, messages=(edited,))
    payload = asyncapi.dump(model)["components"]["messages"]["example_event"]["payload"]
    assert "schemaFormat" not in payload and payload["properties"]["r6"] == {"type": "string"}


def test_it_writes_asyncapi_2_security_and_bindings_in_their_3_0_form() -> None:
    doc = asyncapi.dump(load(f"{V2}/operation-security.yml"))
    op = next(iter(doc["operations"].values()))
    assert op["security"][0]["type"] == "oauth2" and op["security"][0]["scopes"] == ["subscribe:auth_revocations"]
    assert "availableScopes" in json.dumps(doc["components"]["securitySchemes"])
    assert op["bindings"]["http"]["method"] == "POST" and op["bindings"]["http"]["x-type"] == "request"
    assert "type" not in op["bindings"]["http"]
    rpc = asyncapi.dump(load(f"{V2}/rpc-server.yml"))
    amqp = [m["bindings"]["amqp"] for m in rpc["components"]["messages"].values() if "bindings" in m]
    assert amqp and all("replyTo" not in b for b in amqp) and any("x-replyTo" in b for b in amqp)


GENERATOR = "asyncapi+generator/apps/generator/test/docs"


def test_an_amqp_routing_key_channel_gets_the_exchange_3_0_requires() -> None:
    # The generator's test document: `is: routingKey` with no exchange, valid in 2.x, rejected
    # by 3.0's binding 0.3.0 (routingKey requires exchange; the CLI test checks the export).
    doc = asyncapi.dump(load(f"{GENERATOR}/dummy.yml"))
    amqp = [c["bindings"]["amqp"] for c in doc["channels"].values() if "amqp" in c.get("bindings", {})]
    assert amqp == [{"is": "routingKey", "exchange": {}}]


@pytest.mark.parametrize(("binding", "expected"), [
    ({"is": "routingKey"}, {"is": "routingKey", "exchange": {}}),
    ({}, {"exchange": {}}),  # routingKey is the default
    ({"is": "routingKey", "exchange": {"name": "x"}, "queue": {"name": "q"}},
     {"is": "routingKey", "exchange": {"name": "x"}, "x-queue": {"name": "q"}}),
    ({"is": "queue"}, {"is": "queue", "queue": {}}),
    ({"queue": {"name": "q"}}, {"queue": {"name": "q"}}),
    ({"is": "queue", "queue": {"name": "q"}, "exchange": {"name": "x"}},
     {"is": "queue", "queue": {"name": "q"}, "x-exchange": {"name": "x"}}),
])
def test_an_amqp_channel_binding_is_written_in_the_shape_3_0_requires(
        binding: dict[str, Any], expected: dict[str, Any]) -> None:
    from designer.core.formats.asyncapi_convert import bindings_v3

    assert bindings_v3("channel", {"amqp": {**binding, "bindingVersion": "0.2.0"}}) == {"amqp": expected}


def test_a_document_uploaded_without_its_files_is_refused_with_what_to_do() -> None:
    from designer.core.formats import FormatError, load_any

    with pytest.raises(FormatError) as err:
        load_any((REAL / f"{V3}/social-media/backend/asyncapi.yaml").read_bytes(), "asyncapi.yaml")
    assert "../common/servers.yaml" in err.value.reason and "upload the referenced files" in err.value.reason
    assert err.value.line == 7


def test_lint_findings_on_a_real_document_point_at_its_lines(capsys: Any) -> None:
    model = load(f"{V3}/streetlights-kafka-asyncapi.yml")
    assert model.locations["messages/lightMeasured"][0] > 1


@pytest.mark.parametrize(("kind", "proto", "binding"), [
    ("channel", "sqs", {"bindingVersion": "0.1.0"}),  # 3.0's sqs channel binding requires queue
    ("channel", "sns", {"ordering": {"type": "FIFO"}}),  # ... sns: name
    ("operation", "sqs", {}),  # ... queues
    ("server", "jms", {"clientID": "c1"}),  # ... jmsConnectionFactory
])
def test_a_binding_without_a_key_3_0_requires_is_kept_as_an_extension(
        kind: str, proto: str, binding: dict[str, Any]) -> None:
    from designer.core.formats.asyncapi_convert import bindings_v3

    assert bindings_v3(kind, {proto: binding}) == {f"x-{proto}": binding}
    complete = {"sqs": {"channel": {"queue": {"name": "q"}}, "operation": {"queues": []}},
                "sns": {"channel": {"name": "t"}}, "jms": {"server": {"jmsConnectionFactory": "f"}}}[proto][kind]
    assert proto in bindings_v3(kind, {proto: complete})
