from designer.core.lint.rules import datetime_property_naming as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


def test_it_flags_a_date_time_named_like_a_verb() -> None:
    (finding,) = run(rule, model([msg(schema=obj(created=s(format="date-time")))]))
    assert "createdAt" in finding.message


def test_it_keeps_snake_case_in_the_suggestion() -> None:
    (finding,) = run(rule, model([msg(schema=obj(last_login=s(format="date-time")))]))
    assert "last_login_at" in finding.message


def test_it_passes_time_suffixes() -> None:
    props = {n: s(format="date-time") for n in ("createdAt", "created_at", "timestamp", "startTime",
                                                 "deliveryDate", "validUntil")}
    assert run(rule, model([msg(schema=obj(**props))])) == []


def test_it_ignores_non_dates() -> None:
    assert run(rule, model([msg(schema=obj(created={"type": "boolean"}))])) == []
