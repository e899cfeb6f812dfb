from designer.core.lint.rules import envelope_required_attributes as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, paths, run, s


def test_it_names_each_missing_brief_attribute() -> None:
    found = run(rule, model([msg(schema=obj(eventId=s(), data=obj()))], profile="brief"))
    assert sorted(paths(found)) == ["schema.properties.source", "schema.properties.timestamp",
                                    "schema.properties.version"]
    assert all(f.severity == "error" and f.kind == "event" for f in found)


def test_it_offers_to_add_the_missing_property_as_a_fix() -> None:
    found = run(rule, model([msg(schema=obj(eventId=s(), source=s(), version=s(), data=obj()))], profile="brief"))
    assert len(found) == 1
    assert found[0].fix is not None and found[0].fix.action == "add-property"
    assert found[0].fix.field == "timestamp" and found[0].fix.value["format"] == "date-time"


def test_it_passes_a_complete_brief_envelope() -> None:
    assert run(rule, model([msg(schema=brief())], profile="brief")) == []


def test_it_trusts_the_transport_with_cloudevents() -> None:
    assert run(rule, model([msg(schema=obj(orderId=s()))], profile="cloudevents")) == []


def test_it_flags_a_header_that_clashes_with_a_cloudevents_attribute() -> None:
    m = msg(schema=obj(orderId=s()), extensions={"x-headers": obj(id=s(), traceparent=s())})
    found = run(rule, model([m], profile="cloudevents"))
    assert paths(found) == ["headers.id"]


def test_it_requires_zalando_metadata_when_asked() -> None:
    zalando = obj(metadata=obj(eid=s(format="uuid"), occurred_at=s(format="date-time")))
    assert run(rule, model([msg(schema=zalando)]), profile="zalando") == []
    found = run(rule, model([msg(schema=obj(orderId=s()))]), profile="zalando")
    assert sorted(paths(found)) == ["schema.properties.eid", "schema.properties.occurred_at"]


def test_it_checks_the_custom_envelope_schema_once() -> None:
    env = obj(messageId=s(), occurredAt=s(format="date-time"))
    found = run(rule, model([msg(schema=obj())], profile="custom", envelope_schema=env))
    assert {f.kind for f in found} == {"model"}
    assert sorted(paths(found)) == ["envelope.schema.source", "envelope.schema.version"]


def test_it_flags_a_custom_profile_without_an_envelope_schema() -> None:
    found = run(rule, model([], profile="custom"))
    assert paths(found) == ["envelope.schema"]


def test_it_leaves_messages_without_schema_to_another_rule() -> None:
    assert run(rule, model([msg(schema=None)], profile="brief")) == []


def test_it_resolves_a_root_ref() -> None:
    schema = {"$ref": "#/$defs/E", "$defs": {"E": brief()}}
    assert run(rule, model([msg(schema=schema)], profile="brief")) == []
