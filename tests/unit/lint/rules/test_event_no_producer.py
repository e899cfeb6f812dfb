from designer.core.lint.rules import event_no_producer as rule
from tests.unit.lint.rules.rules_kit import model, msg, run, wire


def test_it_flags_a_consumed_event_nobody_produces() -> None:
    (finding,) = run(rule, model([msg()], relations=wire("OrderPlaced", [], ["pay"])))
    assert "pay" in finding.message


def test_it_flags_a_declared_orphan_event() -> None:
    assert len(run(rule, model([msg()]))) == 1


def test_it_passes_a_produced_event_and_ignores_queries() -> None:
    m = model([msg(), msg("GetOrder", kind="query")], relations=wire("OrderPlaced", ["orders"], []))
    assert run(rule, m) == []
