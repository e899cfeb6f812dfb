from __future__ import annotations

import pytest

from tests.unit.lint.lint_kit import command, flagged, model, query, run

RULE = "query-name-retrieval"


@pytest.mark.parametrize("name", ["GetCustomer", "ListOrders", "FindUserByEmail", "CountOpenTickets",
                                  "IsEmailTaken", "SearchProducts", "LookupAddress"])
def test_it_passes_queries_that_ask_for_data(name: str) -> None:
    assert flagged(RULE, model(query(name))) == []


@pytest.mark.parametrize("name", ["DeleteCustomer", "CustomerFetched", "UpdateOrder"])
def test_it_flags_mutating_and_past_tense_queries(name: str) -> None:
    assert flagged(RULE, model(query(name))) == [name]


def test_it_suggests_get_for_a_query_without_a_verb() -> None:
    (finding,) = run(RULE, model(query("CustomerDetails")))
    assert finding.fix is not None and finding.fix.value == "GetCustomerDetails"


def test_it_ignores_commands() -> None:
    assert flagged(RULE, model(command("DeleteCustomer"))) == []
