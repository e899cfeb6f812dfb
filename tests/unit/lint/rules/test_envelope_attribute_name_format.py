from designer.core.lint.rules import envelope_attribute_name_format as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


def headers(*names: str):  # type: ignore[no-untyped-def]
    return msg(schema=obj(), extensions={"x-headers": obj(**{n: s() for n in names})})


def test_it_flags_underscores_dashes_and_capitals() -> None:
    found = run(rule, model([headers("correlation_id", "Trace-Id", "okname")]))
    assert sorted(f.path for f in found) == ["headers.Trace-Id", "headers.correlation_id"]
    assert all(f.severity == "error" for f in found)


def test_it_suggests_the_lowercase_alphanumeric_name() -> None:
    (finding,) = run(rule, model([headers("correlation_id")]))
    assert finding.fix is not None and finding.fix.value == "correlationid"
    assert "correlationid" in finding.message


def test_it_warns_about_long_names() -> None:
    (finding,) = run(rule, model([headers("a" * 21)]))
    assert finding.severity == "warning"
    assert run(rule, model([headers("a" * 20)])) == []
    assert run(rule, model([headers("a" * 25)]), max_length=30) == []


def test_it_passes_valid_names() -> None:
    assert run(rule, model([headers("traceparent", "partitionkey", "abc123")])) == []


def test_it_ignores_the_brief_profile() -> None:
    assert run(rule, model([headers("correlation_id")], profile="brief")) == []


def test_it_checks_a_custom_envelope_marked_cloudevents() -> None:
    env = {**obj(specversion=s(), userRef=s()), "x-cloudevents": True}
    found = run(rule, model([], profile="custom", envelope_schema=env))
    assert [f.path for f in found] == ["envelope.schema.properties.userRef"]


def test_it_has_no_fix_for_a_name_with_no_usable_character() -> None:
    (finding,) = run(rule, model([headers("名前")]))
    assert finding.fix is None
