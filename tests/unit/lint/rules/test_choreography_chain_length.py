from designer.core.lint.rules import choreography_chain_length as rule
from tests.unit.lint.rules.rules_kit import Flow, FlowStep, model, msg, run, wire


def chain(n: int):  # type: ignore[no-untyped-def]
    rels = [r for i in range(n) for r in wire(f"E{i}", [f"s{i}"], [f"s{i + 1}"])]
    return [msg(f"E{i}") for i in range(n)], rels


def test_it_flags_a_reaction_chain_longer_than_five() -> None:
    messages, rels = chain(6)
    (finding,) = run(rule, model(messages, relations=rels))
    assert finding.element == "E0" and "6 events" in finding.message


def test_it_passes_five_hops_and_honours_the_option() -> None:
    messages, rels = chain(5)
    assert run(rule, model(messages, relations=rels)) == []
    assert len(run(rule, model(messages, relations=rels), max_hops=3)) == 1


def test_it_skips_chains_that_an_orchestration_flow_covers() -> None:
    messages, rels = chain(7)
    flow = Flow("f", style="orchestration", orchestrator="s0", steps=(FlowStep("s0", "E0"),))
    assert run(rule, model(messages, relations=rels, flows=[flow])) == []


def test_it_flags_a_long_choreographed_flow() -> None:
    steps = tuple(FlowStep(f"s{i}", f"E{i}", "sends") for i in range(6))
    found = run(rule, model([], flows=[Flow("checkout", steps=steps)]))
    assert [(f.kind, f.element) for f in found] == [("flow", "checkout")]


def test_it_survives_cycles_inside_a_chain() -> None:
    messages, rels = chain(7)
    rels += wire("Back", ["s4"], ["s2"])
    found = run(rule, model(messages + [msg("Back")], relations=rels))
    assert len(found) == 1
