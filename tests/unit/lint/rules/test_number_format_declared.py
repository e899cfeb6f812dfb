from designer.core.lint.rules import number_format_declared as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


def test_it_flags_money_as_float() -> None:
    (finding,) = run(rule, model([msg(schema=obj(price={"type": "number", "format": "double"}))]))
    assert "money" in finding.message and "decimal" in finding.message


def test_it_flags_nested_money_as_float_like_the_demo_items() -> None:
    schema = obj(items={"type": "array", "items": obj(price={"type": "number"})})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert finding.path == "schema.properties.items.items.properties.price"


def test_it_flags_an_integer_without_format() -> None:
    (finding,) = run(rule, model([msg(schema=obj(quantity={"type": "integer"}))]))
    assert "int64" in finding.message and finding.fix is None


def test_it_offers_double_for_a_plain_number() -> None:
    (finding,) = run(rule, model([msg(schema=obj(weight={"type": "number"}))]))
    assert finding.fix is not None and finding.fix.value == "double"


def test_it_passes_declared_formats_and_decimal_strings() -> None:
    schema = obj(quantity={"type": "integer", "format": "int32"}, weight={"type": "number", "format": "float"},
                 total=s(format="decimal"), taxRate={"type": "number", "format": "double"})
    assert run(rule, model([msg(schema=schema)])) == []


def test_it_takes_the_money_words_from_options() -> None:
    schema = obj(bounty={"type": "number", "format": "double"})
    assert run(rule, model([msg(schema=schema)])) == []
    assert len(run(rule, model([msg(schema=schema)]), money_words=["bounty"])) == 1
