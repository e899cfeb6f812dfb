from designer.core.lint.rules import event_id_stable as rule
from designer.core.model import Version
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_an_integer_event_id() -> None:
    (finding,) = run(rule, model([msg(schema=brief(eventId={"type": "integer"}))], profile="brief"))
    assert finding.path == "schema.properties.eventId"
    assert "integer" in finding.message and "uuid" in finding.message.lower()
    assert finding.fix is not None and finding.fix.value == {"type": "string", "format": "uuid"}


def test_it_flags_an_untyped_event_id() -> None:
    assert len(run(rule, model([msg(schema=brief(eventId={}))], profile="brief"))) == 1


def test_it_flags_an_id_that_can_only_be_empty() -> None:
    assert len(run(rule, model([msg(schema=brief(eventId=s(maxLength=0)))], profile="brief"))) == 1


def test_it_passes_a_plain_string_id_like_the_demo() -> None:
    schema = brief(eventId=s())
    example = {"eventId": "evt_7f3a9b2c"}
    assert run(rule, model([msg(schema=schema, example=example)], profile="brief")) == []


def test_it_flags_an_empty_example_id() -> None:
    m = msg(versions=(Version(schema=brief(), example={"eventId": ""}),))
    (finding,) = run(rule, model([m], profile="brief"))
    assert finding.path == "example.eventId"


def test_it_checks_zalando_metadata_eid() -> None:
    schema = obj(metadata=obj(eid={"type": "integer"}))
    (finding,) = run(rule, model([msg(schema=schema)], profile="brief"))
    assert finding.path == "schema.properties.metadata.properties.eid"


def test_it_trusts_cloudevents_ids() -> None:
    assert run(rule, model([msg(schema=obj(id={"type": "integer"}))], profile="cloudevents")) == []


def test_it_checks_a_custom_envelope_id() -> None:
    found = run(rule, model([], profile="custom", envelope_schema=obj(id={"type": "number"})))
    assert [(f.kind, f.path) for f in found] == [("model", "envelope.schema.properties.id")]


def test_it_resolves_a_ref_to_the_id_schema() -> None:
    schema = {**brief(eventId={"$ref": "#/$defs/Id"}), "$defs": {"Id": {"type": "integer"}}}
    assert len(run(rule, model([msg(schema=schema)], profile="brief"))) == 1
