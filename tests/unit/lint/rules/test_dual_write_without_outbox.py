from designer.core.lint.rules import dual_write_without_outbox as rule
from tests.unit.lint.rules.rules_kit import Service, model, msg, run, wire


def test_it_flags_a_database_writer_that_publishes_without_outbox() -> None:
    m = model([msg()], services=[Service("orders", writes_database=True)], relations=wire("OrderPlaced", ["orders"], []))
    (finding,) = run(rule, m)
    assert finding.kind == "service" and "OrderPlaced" in finding.message


def test_it_passes_outbox_and_cdc() -> None:
    for outbox in ("outbox", "cdc"):
        m = model([msg()], services=[Service("orders", writes_database=True, outbox=outbox)],
                  relations=wire("OrderPlaced", ["orders"], []))
        assert run(rule, m) == []


def test_it_ignores_non_writers_non_producers_and_query_requesters() -> None:
    m = model([msg(), msg("GetX", kind="query")],
              services=[Service("a"), Service("b", writes_database=True), Service("c", writes_database=True)],
              relations=wire("OrderPlaced", ["a"], ["b"]) + wire("GetX", ["c"], ["a"]))
    assert run(rule, m) == []
