from designer.core.lint.rules import command_no_sender as rule
from tests.unit.lint.rules.rules_kit import model, msg, run, wire


def test_it_flags_a_handled_command_nobody_sends() -> None:
    (finding,) = run(rule, model([msg("Ship", kind="command")], relations=wire("Ship", [], ["shipping"])))
    assert finding.path == "producers"


def test_it_passes_a_sent_command_and_ignores_unhandled_ones() -> None:
    assert run(rule, model([msg("Ship", kind="command")], relations=wire("Ship", ["o"], ["s"]))) == []
    assert run(rule, model([msg("Ship", kind="command")])) == []
