"""The constraint tree of a message schema (designer.core.codegen.constraints), on the shipped demo
model and on real AsyncAPI documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from designer.core.codegen import common, constraints
from designer.core.formats import load_any

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"


def _load(path: Path):  # type: ignore[no-untyped-def]
    return load_any(path.read_text(encoding="utf-8"), str(path))


def test_order_placed_carries_every_constraint_of_its_schema() -> None:
    model = _load(DEMO)
    tree = constraints.message_tree(model, model.messages_by_name["OrderPlaced"])
    root = tree.root
    assert root.kind == "object" and root.closed and root.key == "OrderPlaced"
    assert set(root.required) == {"orderId", "userId", "userEmail", "items", "total", "currency"}
    props = {p.wire: p.node for p in root.properties}
    assert props["orderId"].min_length == 1
    assert props["userEmail"].fmt == "email"
    assert props["currency"].pattern == "^[A-Z]{3}$"
    assert props["total"].minimum == 0
    items = props["items"]
    assert items.kind == "array" and items.min_items == 1
    assert items.items is not None and items.items.closed
    assert {p.wire: p.node.minimum for p in items.items.properties}["quantity"] == 1


def test_object_keys_are_the_keys_common_gives_its_defs() -> None:
    model = _load(DEMO)
    for msg in model.messages:
        shape = common.shape_message(model, msg)
        objects = {d.key for d in shape.defs if isinstance(d, common.ObjectDef)}
        tree = constraints.message_tree(model, msg)
        fields = constraints.field_nodes(tree)
        assert objects <= set(fields), msg.name
        for d in shape.defs:
            if isinstance(d, common.ObjectDef):
                assert [f.wire for f in d.fields] == list(fields[d.key]), msg.name


def test_every_violation_is_rejected_by_the_schema_and_the_example_is_valid() -> None:
    model = _load(DEMO)
    for msg in model.messages:
        tree = constraints.message_tree(model, msg)
        _, declared = constraints.payload_schema(model, msg)
        example = constraints.valid_example(tree, declared)
        assert example == declared, msg.name  # the demo's examples are valid
        found = constraints.violations(tree, example)
        assert any(v.keyword == "required" for v in found), msg.name
        for v in found:
            errors = constraints.schema_errors(tree.schema, v.payload)
            assert errors, (msg.name, v)
    keywords = {v.keyword for m in model.messages for v in constraints.violations(
        constraints.message_tree(model, m), constraints.payload_schema(model, m)[1])}
    assert {"required", "type", "additionalProperties", "minLength", "pattern", "format",
            "minimum", "minItems", "enum"} <= keywords


@pytest.mark.parametrize("doc", ["asyncapi+spec@v3.0.0/examples/oneof-asyncapi.yml",
                                 "asyncapi+spec@v2.6.0/examples/anyof.yml"])
def test_one_of_and_any_of_become_unions(doc: str) -> None:
    model = _load(REAL / doc)
    unions = [m for m in model.messages if constraints.message_tree(model, m).root.kind == "union"]
    assert unions, [m.name for m in model.messages]
    tree = constraints.message_tree(model, unions[0])
    assert all(a.kind == "object" for a in tree.root.alternatives)


def test_recursive_refs_terminate() -> None:
    tree = constraints.tree_of({"$defs": {"N": {"type": "object", "properties": {
        "next": {"$ref": "#/$defs/N"}, "v": {"type": "integer", "exclusiveMinimum": 0}}}},
        "type": "object", "properties": {"head": {"$ref": "#/$defs/N"}}}, "List")
    head = {p.wire: p.node for p in tree.root.properties}["head"]
    node = tree.resolve(head)
    nxt = {p.wire: p.node for p in node.properties}["next"]
    assert nxt.kind == "ref" and tree.resolve(nxt) == node
    assert constraints.json_path(("items", 0, "a b")) == '$.items[0]["a b"]'


def test_ecma_patterns_python_re_cannot_compile_are_kept_and_violated() -> None:
    tree = constraints.tree_of({"type": "object", "required": ["n"], "properties": {
        "n": {"type": "string", "pattern": "^\\p{L}+$"}}}, "Named")
    node = tree.root.properties[0].node
    assert node.pattern == "^\\p{L}+$"
    example = constraints.valid_example(tree, {"n": "Zoë"})
    assert example == {"n": "Zoë"}
    found = {(v.keyword, v.path) for v in constraints.violations(tree, example)}
    assert ("pattern", "$.n") in found and ("required", "$.n") in found


def test_overlapping_one_of_gets_a_case_matching_two_alternatives() -> None:
    """Issue 12: {"a": "x", "b": 1} matches both open alternatives, so oneOf rejects it."""
    model = _load(Path(__file__).resolve().parents[2] / "fixtures" / "codegen_oneof.yaml")
    by_name = {m.name: m for m in model.messages}
    profile = common.envelope_profile(model)
    nested = constraints.contract(by_name["TargetChosen"], profile)
    cases = {(v.keyword, v.path): v.payload for v in nested.cases}
    assert cases[("oneOf", "$.target")] == {"id": "t_1", "target": {"a": "x", "b": 1}}
    root = constraints.contract(by_name["ShapeSent"], profile)
    assert [(v.keyword, v.path, v.payload) for v in root.cases if v.keyword == "oneOf"] == [
        ("oneOf", "$", {"a": "a", "b": 1})]
    # anyOf (or closed alternatives, which cannot both match) gets no such case.
    closed = constraints.tree_of({"oneOf": [
        {"type": "object", "additionalProperties": False, "properties": {"a": {"type": "string"}}},
        {"type": "object", "additionalProperties": False, "properties": {"b": {"type": "integer"}}}]}, "X")
    assert not [v for v in constraints.violations(closed, {"a": "x"}) if v.keyword == "oneOf"]
