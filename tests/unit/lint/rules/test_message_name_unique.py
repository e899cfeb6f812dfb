from __future__ import annotations

from tests.unit.lint.lint_kit import command, event, flagged, model, run

RULE = "message-name-unique"


def test_it_flags_names_equal_after_normalisation() -> None:
    m = model(event("OrderPlaced"), event("order_placed"), command("ORDER-PLACED"))
    assert flagged(RULE, m) == ["order_placed", "ORDER-PLACED"]


def test_it_flags_exact_duplicates_once_per_extra_copy() -> None:
    (finding,) = run(RULE, model(event("OrderPlaced"), event("OrderPlaced")))
    assert finding.severity == "error"
    assert "the same name as" in finding.message


def test_it_passes_distinct_names() -> None:
    assert flagged(RULE, model(event("OrderPlaced"), event("OrderShipped"), event("OrderPlacedV2"))) == []
