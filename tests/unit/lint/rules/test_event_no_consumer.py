from designer.core.lint.rules import event_no_consumer as rule
from tests.unit.lint.rules.rules_kit import model, msg, run, wire


def test_it_flags_a_produced_event_nobody_consumes() -> None:
    (finding,) = run(rule, model([msg()], relations=wire("OrderPlaced", ["orders"], [])))
    assert finding.element == "OrderPlaced" and finding.severity == "info"


def test_it_passes_a_consumed_event() -> None:
    assert run(rule, model([msg()], relations=wire("OrderPlaced", ["orders"], ["pay"]))) == []


def test_it_ignores_unproduced_events_and_commands() -> None:
    m = model([msg(), msg("Ship", kind="command")], relations=wire("Ship", ["orders"], []))
    assert run(rule, m) == []
