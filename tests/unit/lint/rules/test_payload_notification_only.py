from designer.core.lint.rules import payload_notification_only as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_a_thin_event() -> None:
    (finding,) = run(rule, model([msg(schema=obj(orderId=s(), customerId=s(), detailsUrl=s()))]))
    assert "call back" in finding.message


def test_it_passes_an_event_with_facts() -> None:
    assert run(rule, model([msg(schema=obj(orderId=s(), total=s(format="decimal")))])) == []


def test_it_ignores_commands_and_empty_payloads() -> None:
    assert run(rule, model([msg("Ship", kind="command", schema=obj(orderId=s())), msg("E", schema=obj())])) == []


def test_it_reads_brief_data_not_the_envelope() -> None:
    assert len(run(rule, model([msg(schema=brief())], profile="brief"))) == 1
