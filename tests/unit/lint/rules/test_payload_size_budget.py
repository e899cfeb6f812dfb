from typing import Any

from designer.core.lint.rules import payload_size_budget as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


def closed(**props: Any) -> dict[str, Any]:
    """An object schema that allows no other properties (so only its properties count)."""
    return {**obj(**props), "additionalProperties": False}


def test_it_lists_unbounded_strings_and_arrays() -> None:
    schema = closed(a=s(), tags={"type": "array", "items": s(maxLength=10)})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert "schema.properties.a (string without maxLength)" in finding.message
    assert "schema.properties.tags (array without maxItems)" in finding.message


def test_it_reports_an_open_object_as_unbounded() -> None:
    schema = closed(meta=obj(k=s(maxLength=5)), extra={"type": "object", "additionalProperties": {"type": "string"}})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert "schema.properties.meta (open object)" in finding.message
    assert "schema.properties.extra (open object)" in finding.message
    assert finding.path == "schema.properties.meta"


def test_it_reports_a_root_object_without_additional_properties_false() -> None:
    (finding,) = run(rule, model([msg(schema=obj(id=s(format="uuid")))]))
    assert finding.path == "schema" and "schema (open object)" in finding.message


def test_it_counts_six_bytes_a_character_of_max_length() -> None:
    # 2 braces + "t" key (3) + colon (1) + 2 quotes + 6 x 1,000 = 6,008 bytes worst case.
    schema = closed(t=s(maxLength=1000))
    assert run(rule, model([msg(schema=schema)]), budget_bytes=6008) == []
    (finding,) = run(rule, model([msg(schema=schema)]), budget_bytes=6007)
    assert "6,008 bytes, over the 6,007-byte budget" in finding.message


def test_it_flags_a_bounded_payload_over_budget() -> None:
    # 1,000 lines of 100 characters, each character may cost 6 bytes escaped:
    # {"lines":[...]} = 2 + 7 + 1 + (2 + 1,000 x 602 + 999 commas) = 603,011 bytes.
    schema = closed(lines={"type": "array", "maxItems": 1000, "items": s(maxLength=100)})
    found = run(rule, model([msg(schema=schema)]))
    assert [f.message for f in found] == [
        "The worst-case payload is 603,011 bytes, over the 65,536-byte budget; lower "
        "maxLength/maxItems, or send a reference (a claim check URL) to large content."]


def test_it_respects_the_budget_option_and_can_skip_unbounded() -> None:
    bounded = closed(title=s(maxLength=500))
    assert [f.path for f in run(rule, model([msg(schema=bounded)]), budget_bytes=100)] == ["schema"]
    assert run(rule, model([msg(schema=bounded)])) == []
    assert run(rule, model([msg(schema=closed(body=s()))]), flag_unbounded=False) == []


def test_it_passes_bounded_formats_enums_and_numbers() -> None:
    schema = closed(id=s(format="uuid"), at=s(format="date-time"), st=s(enum=["a", "b"]),
                    n={"type": "number"}, ok={"type": "boolean"}, c={"const": "x"})
    assert run(rule, model([msg(schema=schema)])) == []


def test_it_treats_an_untyped_property_as_any_value() -> None:
    (finding,) = run(rule, model([msg(schema=closed(note={"description": "free text"}))]))
    assert "schema.properties.note (any value)" in finding.message


def test_it_bounds_all_of_by_its_tightest_branch() -> None:
    schema = closed(code={"allOf": [s(), s(maxLength=3)]})
    # {"code":"..."}: 2 + 6 + 1 + (2 + 6 x 3) = 29 bytes; the unbounded branch does not win.
    assert run(rule, model([msg(schema=schema)]), flag_unbounded=False, budget_bytes=29) == []
    assert run(rule, model([msg(schema=schema)]), flag_unbounded=False, budget_bytes=28) != []


def test_it_treats_recursion_as_unbounded() -> None:
    schema = closed(child={"$ref": "#"})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert "schema.properties.child.properties.child (recursive)" in finding.message


def test_it_shortens_long_lists_of_unbounded_paths() -> None:
    (finding,) = run(rule, model([msg(schema=closed(**{f"p{i}": s() for i in range(9)}))]))
    assert "and 4 more" in finding.message
