from designer.core.lint.rules import trace_context_propagated as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_a_message_without_traceparent() -> None:
    (finding,) = run(rule, model([msg(schema=obj())]))
    assert finding.severity == "info" and finding.path == "headers.traceparent"


def test_it_passes_a_declared_traceparent_header() -> None:
    m = msg(schema=obj(), extensions={"x-headers": obj(traceparent=s())})
    assert run(rule, model([m])) == []


def test_it_reads_the_brief_envelope() -> None:
    assert run(rule, model([msg(schema=brief(traceparent=s()))], profile="brief")) == []
    assert len(run(rule, model([msg(schema=brief())], profile="brief"))) == 1


def test_it_skips_messages_without_schema_outside_cloudevents() -> None:
    assert run(rule, model([msg(schema=None)], profile="brief")) == []
