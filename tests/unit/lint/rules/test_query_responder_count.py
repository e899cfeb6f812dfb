from designer.core.lint.rules import query_responder_count as rule
from tests.unit.lint.rules.rules_kit import model, msg, run, wire


def q() -> list:  # type: ignore[type-arg]
    return [msg("GetOrderStatus", kind="query")]


def test_it_flags_a_query_nobody_answers() -> None:
    (finding,) = run(rule, model(q(), relations=wire("GetOrderStatus", ["web"], [])))
    assert finding.kind == "query" and finding.severity == "error"


def test_it_flags_two_responders() -> None:
    assert len(run(rule, model(q(), relations=wire("GetOrderStatus", ["web"], ["a", "b"])))) == 1


def test_it_passes_one_responder() -> None:
    assert run(rule, model(q(), relations=wire("GetOrderStatus", ["web"], ["orders"]))) == []
