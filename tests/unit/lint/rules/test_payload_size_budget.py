from designer.core.lint.rules import payload_size_budget as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


def test_it_lists_unbounded_strings_and_arrays() -> None:
    schema = obj(a=s(), tags={"type": "array", "items": s(maxLength=10)})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert "schema.properties.a" in finding.message and "schema.properties.tags" in finding.message


def test_it_flags_a_bounded_payload_over_budget() -> None:
    schema = obj(lines={"type": "array", "maxItems": 1000, "items": s(maxLength=100)})
    found = run(rule, model([msg(schema=schema)]))
    assert any("over the 65,536-byte budget" in f.message for f in found)


def test_it_respects_the_budget_option_and_can_skip_unbounded() -> None:
    bounded = obj(title=s(maxLength=500))
    assert [f.path for f in run(rule, model([msg(schema=bounded)]), budget_bytes=100)] == ["schema"]
    assert run(rule, model([msg(schema=bounded)])) == []
    assert run(rule, model([msg(schema=obj(body=s()))]), flag_unbounded=False) == []


def test_it_passes_bounded_formats_enums_and_numbers() -> None:
    schema = obj(id=s(format="uuid"), at=s(format="date-time"), st=s(enum=["a", "b"]),
                 n={"type": "number"}, ok={"type": "boolean"}, c={"const": "x"})
    assert run(rule, model([msg(schema=schema)])) == []


def test_it_treats_recursion_as_unbounded() -> None:
    schema = obj(child={"$ref": "#"})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert "schema.properties.child" in finding.message


def test_it_shortens_long_lists_of_unbounded_paths() -> None:
    (finding,) = run(rule, model([msg(schema=obj(**{f"p{i}": s() for i in range(9)}))]))
    assert "and 4 more" in finding.message
