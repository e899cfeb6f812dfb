from __future__ import annotations

from designer.core.model import Channel, Service
from tests.unit.lint.lint_kit import flagged, model, run

RULE = "channel-name-stable-parts"


def test_it_flags_environment_names_in_topics() -> None:
    (finding,) = run(RULE, model(channels=(Channel("prod.orders.placed"),)))
    assert finding.severity == "info"
    assert "environment 'prod'" in finding.message


def test_it_flags_service_names_in_topics() -> None:
    m = model(services=(Service("order-service"),), channels=(Channel("order-service.events"),))
    assert flagged(RULE, m) == ["order-service.events"]


def test_it_flags_team_names_in_topics() -> None:
    m = model(services=(Service("billing", owner="team-falcon"),), channels=(Channel("team-falcon.invoices"),))
    (finding,) = run(RULE, m)
    assert "team 'team-falcon'" in finding.message


def test_it_does_not_flag_one_word_service_names_that_are_the_domain() -> None:
    m = model(services=(Service("billing"),), channels=(Channel("billing.invoice-issued"),))
    assert flagged(RULE, m) == []


def test_it_passes_topics_named_after_their_data() -> None:
    m = model(services=(Service("order-service"),), channels=(Channel("orders.placed"),))
    assert flagged(RULE, m) == []


def test_it_honours_the_ignore_option() -> None:
    m = model(channels=(Channel("test.results"),))
    assert flagged(RULE, m, ignore=["test"]) == []
