from designer.core.lint.rules import enum_closed_on_event as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_a_closed_enum_on_an_event() -> None:
    (finding,) = run(rule, model([msg(schema=obj(status=s(enum=["new", "paid"])))]))
    assert finding.path == "schema.properties.status" and "x-extensible-enum" in finding.message


def test_it_passes_extensible_enums_and_single_values() -> None:
    schema = obj(status=s(**{"x-extensible-enum": ["new", "paid"]}), kind=s(enum=["only"]))
    assert run(rule, model([msg(schema=schema)])) == []


def test_it_ignores_commands() -> None:
    assert run(rule, model([msg("Ship", kind="command", schema=obj(mode=s(enum=["a", "b"])))])) == []


def test_it_ignores_the_brief_envelope_but_checks_its_data() -> None:
    schema = brief(data=obj(status=s(enum=["a", "b"])), eventType=s(enum=["x", "y"]))
    found = run(rule, model([msg(schema=schema)], profile="brief"))
    assert [f.path for f in found] == ["schema.properties.data.properties.status"]
