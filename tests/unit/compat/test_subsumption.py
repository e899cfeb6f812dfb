"""Compatibility judged by what validates, one category of JSON Schema keywords at a time.

Every case says whether the change is BACKWARD compatible (every value valid under the old schema
validates under the new one) and FORWARD compatible (the other way round). Where a direction
breaks, the case carries a *witness*: a value a real validator (jsonschema-rs, through
``schema_compile.compile_schema``) accepts under one schema and rejects under the other, so the verdict
is checked against validation, not against our own reading of the keywords.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from designer.core import compat
from designer.core.schema_compile import compile_schema

S = {"type": "string"}
I = {"type": "integer"}
N = {"type": "number"}
D7 = "http://json-schema.org/draft-07/schema#"
D4 = "http://json-schema.org/draft-04/schema#"
NO = object()  # no witness: the direction is compatible


@dataclass
class Case:
    name: str
    old: Any
    new: Any
    backward: bool  # old data validates under the new schema
    forward: bool  # new data validates under the old schema
    breaks_old_readers: Any = NO  # valid under new, rejected by old (forward witness)
    breaks_new_readers: Any = NO  # valid under old, rejected by new (backward witness)
    kind: str = ""  # a change of this kind is reported


def disc(tag: str, **props: Any) -> dict[str, Any]:
    """An object option told apart by a const ``kind`` property (a discriminator)."""
    return {"type": "object", "required": ["kind"], "properties": {"kind": {"const": tag}, **props}}


CASES = [
    # ---- combinators: compared by what they accept, not by position
    Case("a schema wrapped in a one-part allOf", S, {"allOf": [S]}, True, True),
    Case("allOf parts are merged before comparing",
         {"type": "object", "properties": {"a": S}},
         {"allOf": [{"type": "object"}, {"properties": {"a": {"type": "string", "maxLength": 10}}}]},
         False, True, breaks_new_readers={"a": "x" * 11}, kind="max-length-added"),
    Case("an anyOf option widened", {"anyOf": [S, I]}, {"anyOf": [S, N]}, True, False,
         breaks_old_readers=1.5, kind="type-widened"),
    Case("oneOf options reordered", {"oneOf": [S, I]}, {"oneOf": [I, S]}, True, True),
    Case("a discriminated oneOf gains a variant", {"oneOf": [disc("card"), disc("cash")]},
         {"oneOf": [disc("card"), disc("cash"), disc("voucher")]}, True, False,
         breaks_old_readers={"kind": "voucher"}, kind="sum-type-extended"),
    Case("a oneOf gains an option overlapping an old one", {"oneOf": [S, I]},
         {"oneOf": [S, I, {"type": "string", "maxLength": 3}]}, False, True,
         breaks_new_readers="ab", kind="one-of-overlap"),
    Case("anyOf of string and null became a type list", {"anyOf": [S, {"type": "null"}]},
         {"type": ["string", "null"]}, True, True),
    Case("a single schema became one option of an anyOf", {"type": "string", "maxLength": 3},
         {"anyOf": [N, S]}, True, False, breaks_old_readers="abcd", kind="max-length-removed"),
    Case("not forbids less", {"not": {"enum": ["a", "b"]}}, {"not": {"enum": ["a"]}}, True, False,
         breaks_old_readers="b", kind="not-changed"),
    Case("not forbids a value old data may hold", {"type": "string"}, {"type": "string", "not": {"const": "x"}},
         False, True, breaks_new_readers="x", kind="not-added"),
    Case("if/then loosened under the same condition",
         {"if": {"required": ["vip"]}, "then": {"properties": {"note": {"maxLength": 5}}}},
         {"if": {"required": ["vip"]}, "then": {"properties": {"note": {"maxLength": 10}}}},
         True, False, breaks_old_readers={"vip": 1, "note": "abcdefg"}, kind="max-length-increased"),
    # ---- positional arrays
    Case("a draft-07 tuple position changed type", {"$schema": D7, "items": [S, N]}, {"$schema": D7, "items": [S, S]},
         False, False, breaks_new_readers=["a", 1], breaks_old_readers=["a", "b"], kind="type-changed"),
    Case("a closed draft-07 tuple grows by one position",
         {"$schema": D7, "type": "array", "items": [S], "additionalItems": False},
         {"$schema": D7, "type": "array", "items": [S, N], "additionalItems": False},
         True, False, breaks_old_readers=["a", 1], kind="item-added"),
    Case("additionalItems narrowed behind a draft-07 tuple",
         {"$schema": D7, "items": [S], "additionalItems": N}, {"$schema": D7, "items": [S], "additionalItems": I},
         False, True, breaks_new_readers=["a", 1.5], kind="type-narrowed"),
    Case("a prefixItems position folded into items",
         {"type": "array", "prefixItems": [S, I], "items": False},
         {"type": "array", "prefixItems": [S], "items": I},
         True, False, breaks_old_readers=["a", 1, 2], kind="item-removed"),
    Case("a tuple position past maxItems does not count",
         {"type": "array", "prefixItems": [S], "maxItems": 1},
         {"type": "array", "prefixItems": [S, I], "maxItems": 1}, True, True),
    Case("unevaluatedItems narrowed", {"prefixItems": [S], "unevaluatedItems": N},
         {"prefixItems": [S], "unevaluatedItems": I}, False, True, breaks_new_readers=["a", 1.5],
         kind="type-narrowed"),
    # ---- content models
    Case("a false property removed from a closed model",
         {"type": "object", "additionalProperties": False, "properties": {"a": S, "legacy": False}},
         {"type": "object", "additionalProperties": False, "properties": {"a": S}}, True, True),
    Case("declared properties moved into patternProperties",
         {"type": "object", "additionalProperties": False, "properties": {"x_1": I}},
         {"type": "object", "additionalProperties": False, "patternProperties": {"^x_": N}},
         True, False, breaks_old_readers={"x_2": 1.5}, kind="pattern-property-added"),
    Case("a patternProperties schema narrowed", {"patternProperties": {"^n_": N}},
         {"patternProperties": {"^n_": I}}, False, True, breaks_new_readers={"n_a": 1.5}, kind="type-narrowed"),
    Case("an optional property added under unevaluatedProperties: false",
         {"properties": {"a": S}, "unevaluatedProperties": False},
         {"properties": {"a": S, "b": N}, "unevaluatedProperties": False}, True, False,
         breaks_old_readers={"b": 1}, kind="property-added"),
    Case("a $ref'd base gains a property under unevaluatedProperties: false",
         {"$defs": {"Base": {"properties": {"a": S}}}, "$ref": "#/$defs/Base", "unevaluatedProperties": False},
         {"$defs": {"Base": {"properties": {"a": S, "b": S}}}, "$ref": "#/$defs/Base",
          "unevaluatedProperties": False}, True, False, breaks_old_readers={"b": "x"}, kind="property-added"),
    Case("a typed property added to an open model", {"properties": {"a": S}}, {"properties": {"a": S, "b": I}},
         False, True, breaks_new_readers={"b": "old data could say anything"}, kind="property-added"),
    # ---- dependencies
    Case("dependentRequired asks for less", {"dependentRequired": {"card": ["billing", "cvv"]}},
         {"dependentRequired": {"card": ["billing"]}}, True, False,
         breaks_old_readers={"card": 1, "billing": 1}, kind="dependency-changed"),
    Case("a draft-07 dependency schema added", {"$schema": D7, "properties": {"card": S}},
         {"$schema": D7, "properties": {"card": S}, "dependencies": {"card": {"required": ["billing"]}}},
         False, True, breaks_new_readers={"card": "4111"}, kind="dependent-schema-added"),
    Case("a dependency on a property old data never carries",
         {"type": "object", "additionalProperties": False, "properties": {"a": S}},
         {"type": "object", "additionalProperties": False, "properties": {"a": S},
          "dependentRequired": {"card": ["billing"]}}, True, True),
    # ---- contains
    Case("minContains lowered", {"contains": S, "minContains": 2}, {"contains": S, "minContains": 1}, True, False,
         breaks_old_readers=["a", 1], kind="min-contains-changed"),
    Case("maxContains added", {"contains": S}, {"contains": S, "maxContains": 1}, False, True,
         breaks_new_readers=["a", "b"], kind="max-contains-added"),
    Case("minContains 1 spelled out", {"contains": N}, {"contains": N, "minContains": 1}, True, True),
    # ---- numbers, strings, enums
    Case("draft-04 boolean exclusiveMaximum dropped", {"$schema": D4, "maximum": 10, "exclusiveMaximum": True},
         {"$schema": D4, "maximum": 10}, True, False, breaks_old_readers=10, kind="exclusive-maximum-removed"),
    Case("maximum rewritten as exclusiveMaximum", {"type": "number", "maximum": 10},
         {"type": "number", "exclusiveMaximum": 10.5}, True, False, breaks_old_readers=10.25),
    Case("multipleOf refined in exact decimals", {"multipleOf": 0.1}, {"multipleOf": 0.01}, True, False,
         breaks_old_readers=0.05, kind="multiple-of-changed"),
    Case("an enum judged value by value against the new schema", {"enum": ["ab", "abc"]},
         {"type": "string", "maxLength": 3}, True, False, breaks_old_readers="x"),
    Case("a const checked against a new pattern", {"const": "EUR"}, {"type": "string", "pattern": "^[A-Z]{3}$"},
         True, False, breaks_old_readers="USD"),
    Case("an enum value dropped", {"enum": ["a", "b"]}, {"enum": ["a"]}, False, True, breaks_new_readers="b",
         kind="enum-value-removed"),
    # ---- references
    Case("draft-07 ignores keywords beside $ref",
         {"$schema": D7, "definitions": {"A": S}, "properties": {"a": {"$ref": "#/definitions/A", "maxLength": 3}}},
         {"$schema": D7, "definitions": {"A": S}, "properties": {"a": {"$ref": "#/definitions/A"}}}, True, True),
    Case("2020-12 applies keywords beside $ref",
         {"$defs": {"A": S}, "properties": {"a": {"$ref": "#/$defs/A", "maxLength": 3}}},
         {"$defs": {"A": S}, "properties": {"a": {"$ref": "#/$defs/A"}}}, True, False,
         breaks_old_readers={"a": "abcdef"}, kind="max-length-removed"),
    Case("an $anchor reference", {"$defs": {"m": {"$anchor": "money", "type": "number"}}, "$ref": "#money"}, I,
         False, True, breaks_new_readers=1.5, kind="type-narrowed"),
    Case("a recursive tree narrowed deep inside",
         {"$defs": {"Node": {"type": "object", "properties": {
             "value": N, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}, "$ref": "#/$defs/Node"},
         {"$defs": {"Node": {"type": "object", "properties": {
             "value": I, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}, "$ref": "#/$defs/Node"},
         False, True, breaks_new_readers={"value": 1, "children": [{"value": 1.5}]}, kind="type-narrowed"),
]


def _valid(schema: Any, instance: Any) -> bool:
    return bool(compile_schema(schema).is_valid(instance))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_it_gives_the_verdict_that_validation_gives(case: Case) -> None:
    assert compat.check(case.old, case.new, "BACKWARD").compatible is case.backward, \
        [str(b) for b in compat.check(case.old, case.new, "BACKWARD").breaks]
    assert compat.check(case.old, case.new, "FORWARD").compatible is case.forward, \
        [str(b) for b in compat.check(case.old, case.new, "FORWARD").breaks]
    if not case.backward:
        assert case.breaks_new_readers is not NO, "a backward break needs a witness"
        assert _valid(case.old, case.breaks_new_readers) and not _valid(case.new, case.breaks_new_readers)
    if not case.forward:
        assert case.breaks_old_readers is not NO, "a forward break needs a witness"
        assert _valid(case.new, case.breaks_old_readers) and not _valid(case.old, case.breaks_old_readers)


@pytest.mark.parametrize("case", [c for c in CASES if c.kind], ids=[c.name for c in CASES if c.kind])
def test_it_names_what_changed_and_explains_each_break(case: Case) -> None:
    changes = compat.diff(case.old, case.new)
    assert case.kind in {c.kind for c in changes}, [(c.path, c.kind) for c in changes]
    for c in changes:
        assert (not c.breaks_backward or (c.why_backward and c.fix_backward)), c
        assert (not c.breaks_forward or (c.why_forward and c.fix_forward)), c


# ---- what the engine cannot judge is reported, never passed
@pytest.mark.parametrize(("old", "new", "kind"), [
    ({"type": "string", "x-nullable": False, "nullable": False}, {"type": "string", "nullable": True},
     "nullable-changed"),
    ({"properties": {"a": {"$ref": "other.json#/A"}}}, {"properties": {"a": {"$ref": "other.json#/B"}}},
     "ref-changed"),
    ({"patternProperties": {"^(?=a)": S}, "properties": {"ab": S}},
     {"patternProperties": {"^(?=a)": S}, "properties": {"ab": I}}, "property-unproven"),
    ({"anyOf": [{"properties": {"a": S}}, {"properties": {"b": S}}], "unevaluatedProperties": False},
     {"anyOf": [{"properties": {"a": S}}, {"properties": {"b": S}}], "unevaluatedProperties": N},
     "unevaluated-changed"),
])
def test_it_reports_what_it_cannot_prove_as_breaking_both_ways(old: Any, new: Any, kind: str) -> None:
    (change,) = [c for c in compat.diff(old, new) if c.kind == kind]
    assert change.breaks_backward and change.breaks_forward
    assert "cannot" in change.why_backward or "does not resolve" in change.why_backward or \
        "points outside" in change.why_backward


def test_it_matches_patterns_in_linear_time_so_a_hostile_pattern_cannot_stall_it() -> None:
    evil = "^(a+)+$"
    name = "a" * 60 + "!"
    old = {"type": "object", "patternProperties": {evil: S}, "properties": {name: S}}
    new = {"type": "object", "patternProperties": {evil: S}, "properties": {name: I}}
    result = compat.check(old, new, "FULL")
    assert not result.compatible and {b.kind for b in result.breaks} == {"type-changed"}


def test_it_says_a_schema_nested_beyond_its_depth_limit_cannot_be_proven() -> None:
    def nested(leaf: Any, depth: int) -> Any:
        for _ in range(depth):
            leaf = {"type": "object", "properties": {"n": leaf}}
        return leaf

    result = compat.check(nested(S, 300), nested(I, 300), "BACKWARD")
    assert not result.compatible
    assert all("cannot prove" in b.why for b in result.breaks)


def test_it_bounds_the_work_on_huge_unions() -> None:
    old = {"anyOf": [{"const": i} for i in range(200)]}
    new = {"anyOf": [{"const": i} for i in range(199, -1, -1)]}
    result = compat.check(old, new, "FULL")
    assert not result.compatible and result.breaks[0].kind == "combined-type-changed"
    assert "cannot prove" in result.breaks[0].why
