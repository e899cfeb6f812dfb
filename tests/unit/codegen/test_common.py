"""Identifier mapping, escaping and schema shapes shared by every generator."""
from __future__ import annotations

import ast
import json

from designer.core.codegen import common
from designer.core.codegen.common import Scope, TypeRef
from designer.core.model import Message, Model, Relation, Service, Version


def test_it_splits_camel_snake_kebab_and_dots_into_words() -> None:
    assert common.words("HTTPServerStarted") == ["HTTP", "Server", "Started"]
    assert common.words("order_placed-v2.final") == ["order", "placed", "v", "2", "final"]


def test_it_folds_accents_and_keeps_other_scripts_distinct() -> None:
    assert common.identifier("ÜberBestellung", "pascal") == "UberBestellung"
    assert common.identifier("订单", "snake") != common.identifier("支付", "snake")


def test_it_prefixes_a_leading_digit_and_names_an_empty_name() -> None:
    assert common.identifier("3ds-checked", "pascal") == "N3DsChecked"
    assert common.identifier("<>!!", "camel") == "unnamed"


def test_it_suffixes_keywords() -> None:
    scope = Scope("snake", keywords={"class", "def"})
    assert scope.name("class") == "class_"


def test_it_disambiguates_names_that_collide_after_normalisation() -> None:
    scope = Scope("pascal")
    assert [scope.name(n) for n in ("OrderPlaced", "order_placed", "order-placed")] == [
        "OrderPlaced", "OrderPlaced2", "OrderPlaced3"]


def test_it_gives_the_same_key_the_same_identifier() -> None:
    scope = Scope("pascal")
    first = scope.name("OrderPlaced")
    scope.name("order_placed")
    assert scope.name("OrderPlaced") == first


def test_it_treats_case_only_differences_as_collisions_when_folding() -> None:
    scope = Scope("pascal", fold_case=True, reserved=("String",))
    assert scope.name("string") == "String2"


def test_a_python_string_literal_evaluates_back_to_the_text() -> None:
    text = 'a"b\\c\'\'\'"""\n\r\x00\u2028\U0001F600'
    assert ast.literal_eval(common.py_string(text)) == text


def test_a_c_string_literal_is_json_that_reads_back_to_the_text() -> None:
    text = 'a"b\\c`${x}*/\n\u2028\U0001F600'
    literal = common.c_string(text)
    assert literal.isascii()
    assert json.loads(literal) == text


def test_a_go_string_literal_uses_long_escapes_for_astral_characters() -> None:
    assert common.c_string("\U0001F600", astral="go") == '"\\U0001f600"'


def test_comment_lines_cannot_close_a_block_comment_or_hide_a_line_break() -> None:
    lines = common.comment_lines("a */ b\u2028c\rd\\u000a", java=True)
    assert all("*/" not in ln for ln in lines)
    assert lines == ["a *\u2215 b", "c", "d\\\\u000a"]


def test_a_docstring_survives_triple_quotes_and_backslashes() -> None:
    doc = common.py_docstring('ends with """ and \\ and "', "    ")
    tree = ast.parse(f"def f() -> None:\n    {doc}\n")
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert ast.get_docstring(func) == 'ends with """ and \\ and "'


def _message(schema: object, example: object = None) -> tuple[Model, Message]:
    msg = Message("OrderPlaced", versions=(Version("1.0.0", schema, "draft", example),))
    return Model(services=(Service("a"),), messages=(msg,),
                 relations=(Relation("a", "OrderPlaced", "produces"),)), msg


def test_it_shapes_required_optional_enum_nested_array_and_date_time() -> None:
    model, msg = _message({"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
        "state": {"enum": ["a", "b"]}, "lines": {"type": "array", "items": {
            "type": "object", "properties": {"n": {"type": "integer"}}}}}})
    shape = common.shape_message(model, msg)
    root = shape.defs[0]
    assert isinstance(root, common.ObjectDef)
    by_wire = {f.wire: f for f in root.fields}
    assert by_wire["id"].required and not by_wire["at"].required
    assert by_wire["at"].type == TypeRef("datetime")
    assert by_wire["state"].type.kind == "enum"
    assert by_wire["lines"].type.item is not None and by_wire["lines"].type.item.kind == "object"


def test_it_resolves_a_recursive_ref_without_looping() -> None:
    model, msg = _message({"type": "object", "properties": {"node": {"$ref": "#/$defs/N"}},
                           "$defs": {"N": {"type": "object", "properties": {
                               "next": {"$ref": "#/$defs/N"}}}}})
    shape = common.shape_message(model, msg)
    assert len(shape.defs) == 2


def test_it_uses_the_declared_example_when_it_fits_and_synthesizes_otherwise() -> None:
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    model, msg = _message(schema, {"id": "x1"})
    assert common.shape_message(model, msg).example == {"id": "x1"}
    model, msg = _message(schema, {"id": 5})
    assert common.shape_message(model, msg).example == {"id": "example"}


def test_it_unwraps_a_schema_that_describes_the_whole_brief_envelope() -> None:
    from tests.toolchain.models import BRIEF_EXAMPLE, shop_model

    model = shop_model()
    shape = common.shape_message(model, model.messages_by_name["OrderPlaced"])
    assert shape.example == BRIEF_EXAMPLE["data"]
    root = shape.defs[0]
    assert isinstance(root, common.ObjectDef)
    assert "eventId" not in {f.wire for f in root.fields}


def test_it_routes_only_the_first_message_of_a_shared_wire_type() -> None:
    model = Model(messages=(Message("A", type="t"), Message("B", type="t")))
    shapes = [common.shape_message(model, m) for m in model.messages]
    assert [s.message.name for s in common.routes(shapes)] == ["A"]
