from designer.core.lint.rules import event_time_format as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_an_epoch_timestamp() -> None:
    (finding,) = run(rule, model([msg(schema=brief(timestamp={"type": "integer"}))], profile="brief"))
    assert finding.path == "schema.properties.timestamp"
    assert finding.fix is not None and finding.fix.value["format"] == "date-time"


def test_it_flags_a_string_without_date_time_format() -> None:
    assert len(run(rule, model([msg(schema=brief(timestamp=s()))], profile="brief"))) == 1


def test_it_flags_a_missing_time_with_an_add_property_fix() -> None:
    (finding,) = run(rule, model([msg(schema=obj(eventId=s()))], profile="brief"))
    assert finding.fix is not None and finding.fix.action == "add-property"


def test_it_passes_an_rfc3339_timestamp() -> None:
    assert run(rule, model([msg(schema=brief())], profile="brief")) == []


def test_it_accepts_zalando_occurred_at_in_metadata() -> None:
    schema = obj(metadata=obj(occurred_at=s(format="date-time")))
    assert run(rule, model([msg(schema=schema)], profile="brief")) == []


def test_it_only_checks_events() -> None:
    assert run(rule, model([msg("ShipOrder", schema=obj(), kind="command")], profile="brief")) == []


def test_it_trusts_cloudevents_time() -> None:
    assert run(rule, model([msg(schema=obj())], profile="cloudevents")) == []


def test_it_checks_the_custom_envelope_time() -> None:
    found = run(rule, model([], profile="custom", envelope_schema=obj(time={"type": "number"})))
    assert [(f.kind, f.path) for f in found] == [("model", "envelope.schema.properties.time")]
    assert run(rule, model([], profile="custom", envelope_schema=obj(time=s(format="date-time")))) == []
