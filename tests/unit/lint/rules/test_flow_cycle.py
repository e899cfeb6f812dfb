from designer.core.lint.rules import flow_cycle as rule
from tests.unit.lint.rules.rules_kit import Flow, model, msg, run, wire


def test_it_flags_a_two_service_loop_and_shows_it() -> None:
    rels = wire("OrderPlaced", ["orders"], ["stock"]) + wire("StockReserved", ["stock"], ["orders"])
    (finding,) = run(rule, model([msg("OrderPlaced"), msg("StockReserved")], relations=rels))
    assert finding.element == "orders"
    assert "orders -(OrderPlaced)-> stock -(StockReserved)-> orders" in finding.message


def test_it_flags_a_self_loop() -> None:
    (finding,) = run(rule, model([msg()], relations=wire("OrderPlaced", ["a"], ["a"])))
    assert "a -(OrderPlaced)-> a" in finding.message


def test_it_reports_one_finding_per_cycle_group() -> None:
    rels = (wire("M1", ["a"], ["b"]) + wire("M2", ["b"], ["c"]) + wire("M3", ["c"], ["a"])
            + wire("M4", ["x"], ["y"]) + wire("M5", ["y"], ["x"]))
    found = run(rule, model([msg(f"M{i}") for i in range(1, 6)], relations=rels))
    assert sorted(f.element for f in found) == ["a", "x"]


def test_it_passes_a_chain_and_ignores_queries() -> None:
    rels = wire("M1", ["a"], ["b"]) + wire("M2", ["b"], ["c"]) + wire("Q", ["c"], ["a"])
    assert run(rule, model([msg("M1"), msg("M2"), msg("Q", kind="query")], relations=rels)) == []


def test_it_exempts_orchestrators_unless_told_otherwise() -> None:
    rels = wire("Charge", ["saga"], ["pay"]) + wire("Charged", ["pay"], ["saga"])
    m = model([msg("Charge", kind="command"), msg("Charged")], relations=rels,
              flows=[Flow("checkout", style="orchestration", orchestrator="saga")])
    assert run(rule, m) == []
    assert len(run(rule, m, ignore_orchestrators=False)) == 1


def test_it_handles_a_long_ring_without_recursion_errors() -> None:
    n = 3000
    rels = [r for i in range(n) for r in wire(f"M{i}", [f"s{i}"], [f"s{(i + 1) % n}"])]
    found = run(rule, model([msg(f"M{i}") for i in range(n)], relations=rels))
    assert len(found) == 1
