from designer.core.lint.rules import payload_root_object as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_an_array_root() -> None:
    (finding,) = run(rule, model([msg(schema={"type": "array", "items": s()})]))
    assert finding.path == "schema" and "array" in finding.message


def test_it_flags_a_boolean_schema() -> None:
    (finding,) = run(rule, model([msg(schema=True)]))
    assert "boolean" in finding.message


def test_it_offers_to_declare_type_object_when_only_properties_are_given() -> None:
    (finding,) = run(rule, model([msg(schema={"properties": {"a": s()}})]))
    assert finding.fix is not None and finding.fix.value == "object"


def test_it_passes_an_object_root_and_a_nullable_object() -> None:
    assert run(rule, model([msg(schema=obj()), msg("B", schema={"type": ["object", "null"]})])) == []


def test_it_checks_the_brief_data_member() -> None:
    found = run(rule, model([msg(schema=brief(data=s()))], profile="brief"))
    assert [f.path for f in found] == ["schema.properties.data"]


def test_it_checks_headers() -> None:
    m = msg(schema=obj(), extensions={"x-headers": {"type": "string"}})
    assert [f.path for f in run(rule, model([m]))] == ["headers"]


def test_it_resolves_a_root_ref_and_ignores_missing_schemas() -> None:
    schema = {"$ref": "#/$defs/P", "$defs": {"P": obj()}}
    assert run(rule, model([msg(schema=schema), msg("N", schema=None)])) == []
