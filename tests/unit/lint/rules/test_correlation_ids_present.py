from designer.core.lint.rules import correlation_ids_present as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_a_brief_message_without_correlation() -> None:
    (finding,) = run(rule, model([msg(schema=brief())], profile="brief"))
    assert finding.fix is not None and finding.fix.field == "correlationId"


def test_it_accepts_correlation_causation_or_flow_ids() -> None:
    for name in ("correlationId", "causation_id", "flow_id", "X-Flow-ID"):
        m = msg(schema=brief(**{name: s()}))
        assert run(rule, model([m], profile="brief")) == [], name


def test_it_reads_cloudevents_extension_headers() -> None:
    bare = msg(schema=obj())
    with_header = msg("B", schema=obj(), extensions={"x-headers": obj(correlationid=s())})
    found = run(rule, model([bare, with_header], profile="cloudevents"))
    assert [f.element for f in found] == ["OrderPlaced"]
    assert found[0].path == "headers.correlationid"


def test_it_accepts_the_custom_envelope() -> None:
    assert run(rule, model([msg(schema=obj())], profile="custom", envelope_schema=obj(correlationId=s()))) == []


def test_it_does_not_treat_payload_fields_as_envelope_with_cloudevents() -> None:
    assert len(run(rule, model([msg(schema=obj(correlationId=s()))], profile="cloudevents"))) == 1


def test_it_takes_names_from_options() -> None:
    m = msg(schema=brief(requestChain=s()))
    assert len(run(rule, model([m], profile="brief"))) == 1
    assert run(rule, model([m], profile="brief"), names=["requestChain"]) == []
