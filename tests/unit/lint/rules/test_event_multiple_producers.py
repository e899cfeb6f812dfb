from designer.core.lint.rules import event_multiple_producers as rule
from tests.unit.lint.rules.rules_kit import model, msg, rel, run, wire


def test_it_flags_two_producers() -> None:
    (finding,) = run(rule, model([msg()], relations=wire("OrderPlaced", ["web", "mobile"], [])))
    assert "mobile" in finding.message and "web" in finding.message


def test_it_counts_services_not_relations() -> None:
    rels = [rel("web", "OrderPlaced", channel="a"), rel("web", "OrderPlaced", channel="b")]
    assert run(rule, model([msg()], relations=rels)) == []


def test_it_ignores_commands_with_many_senders() -> None:
    assert run(rule, model([msg("Ship", kind="command")], relations=wire("Ship", ["a", "b"], []))) == []
