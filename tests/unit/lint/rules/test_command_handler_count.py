from designer.core.lint.rules import command_handler_count as rule
from tests.unit.lint.rules.rules_kit import model, msg, run, wire


def cmd() -> list:  # type: ignore[type-arg]
    return [msg("ChargePayment", kind="command")]


def test_it_flags_a_command_without_handler() -> None:
    (finding,) = run(rule, model(cmd(), relations=wire("ChargePayment", ["orders"], [])))
    assert finding.severity == "error" and "No service" in finding.message


def test_it_flags_two_handlers() -> None:
    (finding,) = run(rule, model(cmd(), relations=wire("ChargePayment", ["orders"], ["pay", "billing"])))
    assert "2 services" in finding.message


def test_it_passes_exactly_one_handler_and_ignores_events() -> None:
    assert run(rule, model(cmd(), relations=wire("ChargePayment", ["orders"], ["pay"]))) == []
    assert run(rule, model([msg()])) == []
