"""Table-driven: every compatibility rule, judged in every mode."""
from __future__ import annotations

from typing import Any

import pytest

from designer.core import compat
from designer.core.model import COMPAT_MODES


def obj(props: dict[str, Any], required: tuple[str, ...] = (), ap: Any = None) -> dict[str, Any]:
    """A small object schema; ``ap`` is additionalProperties (None: leave it out = open)."""
    s: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        s["required"] = list(required)
    if ap is not None:
        s["additionalProperties"] = ap
    return s


S = {"type": "string"}
I = {"type": "integer"}
N = {"type": "number"}

# (rule, old, new, kind expected, path expected, breaks BACKWARD, breaks FORWARD)
RULES: list[tuple[str, Any, Any, str, str, bool, bool]] = [
    ("optional property added to an open model", obj({"a": S}), obj({"a": S, "b": S}),
     "property-added", "properties.b", True, False),
    ("untyped property added to an open model", obj({"a": S}), obj({"a": S, "b": {}}),
     "property-added", "properties.b", False, False),
    ("optional property added to a closed model", obj({"a": S}, ap=False), obj({"a": S, "b": S}, ap=False),
     "property-added", "properties.b", False, True),
    ("required property added to a closed model", obj({"a": S}, ap=False),
     obj({"a": S, "b": S}, ("b",), ap=False), "property-added", "properties.b", True, True),
    # A default does not make a required property safe: validators reject a message without it.
    ("required property with a default added to a closed model", obj({"a": S}, ap=False),
     obj({"a": S, "b": {"type": "string", "default": "x"}}, ("b",), ap=False),
     "property-added", "properties.b", True, True),
    ("property added covered by a partially open model", obj({"a": S}, ap=S), obj({"a": S, "b": S}, ap=S),
     "property-added", "properties.b", False, False),
    ("property added not covered by a partially open model", obj({"a": S}, ap=S),
     obj({"a": S, "b": I}, ap=S), "property-added", "properties.b", True, True),
    ("property added covered by patternProperties",
     {**obj({"a": S}, ap=False), "patternProperties": {"^x_": S}},
     {**obj({"a": S, "x_b": S}, ap=False), "patternProperties": {"^x_": S}},
     "property-added", "properties.x_b", False, False),
    ("optional property removed from an open model", obj({"a": S, "b": S}), obj({"a": S}),
     "property-removed", "properties.b", False, True),
    ("optional property removed from a closed model", obj({"a": S, "b": S}, ap=False), obj({"a": S}, ap=False),
     "property-removed", "properties.b", True, False),
    ("required property removed from a closed model", obj({"a": S, "b": S}, ("b",), ap=False),
     obj({"a": S}, ap=False), "property-removed", "properties.b", True, True),
    ("type widened from integer to number", obj({"t": I}), obj({"t": N}),
     "type-widened", "properties.t.type", False, True),
    ("type narrowed from number to integer", obj({"t": N}), obj({"t": I}),
     "type-narrowed", "properties.t.type", True, False),
    ("type changed from string to integer", obj({"t": S}), obj({"t": I}),
     "type-changed", "properties.t.type", True, True),
    ("type made nullable", obj({"t": S}), obj({"t": {"type": ["string", "null"]}}),
     "type-widened", "properties.t.type", False, True),
    ("type declared where there was none", obj({"t": {}}), obj({"t": S}),
     "type-narrowed", "properties.t.type", True, False),
    ("required added without a default", obj({"a": S}), obj({"a": S}, ("a",)),
     "required-added", "properties.a", True, False),
    ("required added with a default", obj({"a": {"type": "string", "default": ""}}),
     obj({"a": {"type": "string", "default": ""}}, ("a",)), "required-added", "properties.a", True, False),
    ("required removed", obj({"a": S}, ("a",)), obj({"a": S}),
     "required-removed", "properties.a", False, True),
    ("enum value removed", {"enum": ["a", "b"]}, {"enum": ["a"]}, "enum-value-removed", "enum", True, False),
    ("enum value added", {"enum": ["a"]}, {"enum": ["a", "b"]}, "enum-value-added", "enum", False, True),
    ("enum added to a free field", S, {"type": "string", "enum": ["a"]}, "enum-added", "enum", True, False),
    ("enum removed", {"type": "string", "enum": ["a"]}, S, "enum-removed", "enum", False, True),
    ("const changed", {"const": 1}, {"const": 2}, "enum-value-removed", "const", True, True),
    ("maxLength added", S, {"type": "string", "maxLength": 5}, "max-length-added", "maxLength", True, False),
    ("maxLength removed", {"type": "string", "maxLength": 5}, S, "max-length-removed", "maxLength", False, True),
    ("maxLength decreased", {"type": "string", "maxLength": 9}, {"type": "string", "maxLength": 5},
     "max-length-decreased", "maxLength", True, False),
    ("maxLength increased", {"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 9},
     "max-length-increased", "maxLength", False, True),
    ("minLength increased", {"type": "string", "minLength": 1}, {"type": "string", "minLength": 3},
     "min-length-increased", "minLength", True, False),
    ("minimum decreased", {"type": "integer", "minimum": 3}, {"type": "integer", "minimum": 0},
     "minimum-decreased", "minimum", False, True),
    ("maximum added", I, {"type": "integer", "maximum": 10}, "maximum-added", "maximum", True, False),
    ("exclusiveMinimum removed", {"type": "number", "exclusiveMinimum": 0}, N,
     "exclusive-minimum-removed", "exclusiveMinimum", False, True),
    ("maxItems decreased", {"type": "array", "maxItems": 9}, {"type": "array", "maxItems": 2},
     "max-items-decreased", "maxItems", True, False),
    ("minProperties added", {"type": "object"}, {"type": "object", "minProperties": 1},
     "min-properties-added", "minProperties", True, False),
    ("pattern added", S, {"type": "string", "pattern": "^a"}, "pattern-added", "pattern", True, False),
    ("pattern removed", {"type": "string", "pattern": "^a"}, S, "pattern-removed", "pattern", False, True),
    ("pattern changed", {"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"},
     "pattern-changed", "pattern", True, True),
    ("format added", S, {"type": "string", "format": "uuid"}, "format-added", "format", True, False),
    ("multipleOf made stricter", {"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4},
     "multiple-of-changed", "multipleOf", True, False),
    ("multipleOf relaxed", {"type": "integer", "multipleOf": 4}, {"type": "integer", "multipleOf": 2},
     "multiple-of-changed", "multipleOf", False, True),
    ("uniqueItems added", {"type": "array"}, {"type": "array", "uniqueItems": True},
     "unique-items-added", "uniqueItems", True, False),
    ("items type narrowed", {"type": "array", "items": N}, {"type": "array", "items": I},
     "type-narrowed", "items.type", True, False),
    ("items declared on a free array", {"type": "array"}, {"type": "array", "items": S},
     "type-narrowed", "items.type", True, False),
    ("content model closed", obj({"a": S}), obj({"a": S}, ap=False),
     "content-model-closed", "additionalProperties", True, False),
    ("content model opened", obj({"a": S}, ap=False), obj({"a": S}, ap=True),
     "content-model-opened", "additionalProperties", False, True),
    ("content model narrowed to a schema", obj({"a": S}), obj({"a": S}, ap=S),
     "content-model-narrowed", "additionalProperties", True, False),
    ("oneOf option added", {"oneOf": [S, I]}, {"oneOf": [S, I, {"type": "boolean"}]},
     "sum-type-extended", "oneOf.2", False, True),
    ("oneOf option removed", {"oneOf": [S, I]}, {"oneOf": [S]}, "sum-type-narrowed", "oneOf.1", True, False),
    ("single schema became a oneOf keeping it", S, {"oneOf": [S, I]}, "sum-type-extended", "oneOf.1", False, True),
    ("oneOf collapsed to one of its options", {"anyOf": [S, I]}, S, "sum-type-narrowed", "anyOf.1", True, False),
    # Options that never overlap (string / integer) make oneOf and anyOf accept the same values;
    # number and integer overlap (5 matches both), so oneOf rejects what anyOf accepts.
    ("oneOf of exclusive options became anyOf", {"oneOf": [S, I]}, {"anyOf": [S, I]}, "combined-type-changed",
     "anyOf", False, False),
    ("oneOf of overlapping options became anyOf", {"oneOf": [N, I]}, {"anyOf": [N, I]}, "one-of-overlap",
     "oneOf.1", False, True),
    ("anyOf of overlapping options became oneOf", {"anyOf": [N, I]}, {"oneOf": [N, I]}, "one-of-overlap",
     "oneOf.1", True, False),
    ("allOf part added", {"allOf": [obj({"a": S})]}, {"allOf": [obj({"a": S}), {"required": ["a"]}]},
     "required-added", "properties.a", True, False),
    ("allOf part that cannot be merged added", {"allOf": [obj({"a": S}, ap=False)]},
     {"allOf": [obj({"a": S}, ap=False), {"properties": {"a": {"maxLength": 3}}}]}, "product-type-extended", "allOf",
     True, False),
    ("nested property narrowed", obj({"o": obj({"x": N})}), obj({"o": obj({"x": I})}),
     "type-narrowed", "properties.o.properties.x.type", True, False),
    ("change behind a local $ref",
     {**obj({"total": {"$ref": "#/$defs/Money"}}), "$defs": {"Money": N}},
     {**obj({"total": {"$ref": "#/$defs/Money"}}), "$defs": {"Money": I}},
     "type-narrowed", "properties.total.type", True, False),
    ("default changed", {"type": "string", "default": "a"}, {"type": "string", "default": "b"},
     "default-changed", "default", False, False),
    ("not narrowed", {"not": N}, {"not": I}, "not-changed", "not", False, True),
    ("not changed to an unrelated type", {"not": S}, {"not": I}, "not-changed", "not", True, True),
    ("unknown validation keyword changed", {"type": "string", "nullable": False},
     {"type": "string", "nullable": True}, "nullable-changed", "nullable", True, True),
]

MODES = list(COMPAT_MODES)


def _expected(mode: str, breaks_b: bool, breaks_f: bool) -> bool:
    base = mode.removesuffix("_TRANSITIVE")
    return {"BACKWARD": not breaks_b, "FORWARD": not breaks_f, "FULL": not (breaks_b or breaks_f),
            "NONE": True}[base]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("rule", "old", "new", "kind", "path", "bb", "bf"), RULES, ids=[r[0] for r in RULES])
def test_it_judges_each_rule_in_each_mode(rule: str, old: Any, new: Any, kind: str, path: str, bb: bool,
                                          bf: bool, mode: str) -> None:
    result = compat.check_history([old, new], mode)
    assert result.compatible is _expected(mode, bb, bf), [str(b) for b in result.breaks]
    for b in result.breaks:
        assert b.why and b.fix, b
        assert b.direction in compat._directions(mode)


@pytest.mark.parametrize(("rule", "old", "new", "kind", "path", "bb", "bf"), RULES, ids=[r[0] for r in RULES])
def test_it_names_the_change_and_where_it_is(rule: str, old: Any, new: Any, kind: str, path: str, bb: bool,
                                             bf: bool) -> None:
    changes = compat.diff(old, new)
    match = [c for c in changes if c.kind == kind and c.path == path]
    assert match, [(c.path, c.kind) for c in changes]
    assert (any(c.breaks_backward for c in changes), any(c.breaks_forward for c in changes)) == (bb, bf)
