"""Cross-check against a real validator: a "compatible" verdict must never be contradicted.

Hypothesis draws pairs of schemas (often one an edit of the other) from a grammar covering the
keywords the engine judges, and a validator (jsonschema-rs, through ``schema_compile.compile_schema``)
runs a fixed corpus of values through both. Whenever the engine says BACKWARD compatible, every
value the old schema accepts must validate under the new one (consumers upgraded to the new
schema read old data); FORWARD, the other way round. A counterexample is an unsafe verdict.

COMPAT_FUZZ_EXAMPLES raises the number of pairs (default 250, derandomised for CI); COMPAT_FUZZ_RANDOM=1
draws new ones each run (to hunt for counterexamples).
"""
from __future__ import annotations

import itertools
import os
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.core import compat
from designer.core.schema_compile import compile_schema

EXAMPLES = int(os.environ.get("COMPAT_FUZZ_EXAMPLES", "250"))
NAMES = ("a", "b", "ab")
SCALARS: list[Any] = [None, True, False, 0, 1, 2, -1, 0.5, 1.5, "", "a", "ab", "abc", "abcd", "b"]


def _corpus() -> list[Any]:
    """Values shaped like what the grammar describes: scalars, short arrays, small objects, trees."""
    rnd = random.Random(20260)
    values: list[Any] = list(SCALARS)
    values += [[]] + [[x] for x in SCALARS]
    values += [[x, y] for x, y in itertools.product(SCALARS, repeat=2) if rnd.random() < 0.25]
    values += [[rnd.choice(SCALARS) for _ in range(3)] for _ in range(30)]
    values += [{}] + [{k: x} for k in NAMES for x in SCALARS]
    values += [{k1: rnd.choice(SCALARS), k2: rnd.choice(SCALARS)} for k1, k2 in itertools.combinations(NAMES, 2)
               for _ in range(12)]
    values += [{"a": {"b": rnd.choice(SCALARS)}} for _ in range(8)] + [{"a": [rnd.choice(SCALARS)]} for _ in range(8)]
    values += [{"v": rnd.choice(SCALARS), "c": [{"v": rnd.choice(SCALARS), "c": []}]} for _ in range(20)]
    values += [{"v": rnd.choice(SCALARS), "c": [{"v": 1, "c": [{"v": rnd.choice(SCALARS)}]}]} for _ in range(10)]
    return values


CORPUS = _corpus()

leaf = st.one_of(
    st.sampled_from([{"type": t} for t in ("string", "integer", "number", "null", "boolean")]),
    st.builds(lambda lo, hi: {"type": "string", "minLength": lo, "maxLength": hi},
              st.integers(0, 2), st.integers(1, 4)),
    st.builds(lambda t, lo, hi: {"type": t, "minimum": lo, "maximum": hi},
              st.sampled_from(["integer", "number"]), st.integers(-1, 1), st.integers(0, 2)),
    st.builds(lambda m: {"type": "number", "multipleOf": m}, st.sampled_from([1, 2, 0.5])),
    st.builds(lambda vs: {"enum": vs}, st.lists(st.sampled_from(SCALARS), min_size=1, max_size=3, unique_by=repr)),
    st.builds(lambda v: {"const": v}, st.sampled_from(SCALARS)),
    st.builds(lambda p: {"type": "string", "pattern": p}, st.sampled_from(["^a", "b$", "^a.?$"])),
    st.sampled_from([{}, True, False]),
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    props = st.dictionaries(st.sampled_from(NAMES), children, max_size=2)
    obj = st.builds(
        lambda p, req, ap, pp, typed: {**({"type": "object"} if typed else {}), "properties": p,
                                       **({"required": sorted(req)} if req else {}),
                                       **({} if ap is None else {"additionalProperties": ap}),
                                       **({} if pp is None else {"patternProperties": {"^a": pp}})},
        props, st.sets(st.sampled_from(NAMES), max_size=2), st.one_of(st.none(), st.just(False), children),
        st.one_of(st.none(), children), st.booleans())
    unevaluated = st.builds(lambda p, up: {"properties": p, "unevaluatedProperties": up}, props,
                            st.one_of(st.just(False), children))
    arr = st.builds(
        lambda items, lo, hi, uniq: {"type": "array", "items": items,
                                     **({} if lo is None else {"minItems": lo}),
                                     **({} if hi is None else {"maxItems": hi}), **({"uniqueItems": True} if uniq else {})},
        children, st.one_of(st.none(), st.integers(0, 2)), st.one_of(st.none(), st.integers(1, 3)), st.booleans())
    prefix = st.builds(lambda pre, tail: {"type": "array", "prefixItems": pre, **({} if tail is None else {"items": tail})},
                       st.lists(children, max_size=3), st.one_of(st.none(), st.just(False), children))
    tup = st.builds(lambda pre, tail: {"$schema": "http://json-schema.org/draft-07/schema#", "items": pre,
                                       **({} if tail is None else {"additionalItems": tail})},
                    st.lists(children, min_size=1, max_size=3), st.one_of(st.none(), st.just(False), children))
    contains = st.builds(lambda c, lo, hi: {"contains": c, **({} if lo is None else {"minContains": lo}),
                                            **({} if hi is None else {"maxContains": hi})},
                         children, st.one_of(st.none(), st.integers(0, 2)), st.one_of(st.none(), st.integers(1, 2)))
    combos = st.builds(lambda kw, opts: {kw: opts}, st.sampled_from(["anyOf", "oneOf", "allOf"]),
                       st.lists(children, min_size=1, max_size=3))
    negation = st.builds(lambda x: {"not": x}, children)
    conditional = st.builds(lambda c, t, e: {"if": c, "then": t, "else": e}, children, children, children)
    deps = st.builds(lambda k, need: {"dependentRequired": {k: sorted(need)}}, st.sampled_from(NAMES),
                     st.sets(st.sampled_from(NAMES), min_size=1, max_size=2))
    names = st.builds(lambda p, n: {"properties": p, "propertyNames": {"maxLength": n}}, props, st.integers(1, 2))
    dependent = st.builds(lambda k, sub: {"dependentSchemas": {k: sub}}, st.sampled_from(NAMES), children)
    sized = st.builds(lambda p, lo, hi: {"properties": p, "minProperties": lo, "maxProperties": hi}, props,
                      st.integers(0, 1), st.integers(1, 2))
    with_type = st.builds(lambda base, t: {**base, "type": t} if isinstance(base, dict) else base, combos,
                          st.sampled_from(["string", "number", ["string", "null"], "object"]))
    return st.one_of(obj, unevaluated, arr, prefix, tup, contains, combos, negation, conditional, deps, with_type,
                     names, dependent, sized)


schemas = st.recursive(leaf, _extend, max_leaves=6)
# A $ref with a keyword beside it (applied from 2019-09 on, ignored by draft-07), at the root.
referenced = st.builds(lambda target, extra, draft: {
    **({"$schema": "http://json-schema.org/draft-07/schema#"} if draft else {}),
    "definitions": {"X": target}, "properties": {"a": {"$ref": "#/definitions/X", **extra}}},
    leaf, st.sampled_from([{}, {"minLength": 1}, {"type": "integer"}, {"maximum": 1}]), st.booleans())
trees = st.builds(lambda v, extra: {"$defs": {"N": {"type": "object", "properties": {
    "v": v, "c": {"type": "array", "items": {"$ref": "#/$defs/N"}}}, **extra}}, "$ref": "#/$defs/N"},
    leaf, st.sampled_from([{}, {"required": ["v"]}, {"additionalProperties": False}]))


@st.composite
def edited(draw: st.DrawFn, schema: Any) -> Any:
    """A small edit of ``schema``: one keyword changed, dropped or added somewhere inside."""
    if not isinstance(schema, dict) or not schema or draw(st.integers(0, 3)) == 0:
        return draw(schemas)
    out = dict(schema)
    key = draw(st.sampled_from(sorted(out, key=str)))
    value = out[key]
    choice = draw(st.integers(0, 3))
    if choice == 0 and key not in ("$schema", "$defs", "$ref"):
        del out[key]
    elif isinstance(value, dict) and value and key in ("properties", "patternProperties", "$defs", "definitions"):
        name = draw(st.sampled_from(sorted(value)))
        out[key] = {**value, name: draw(edited(value[name]))}
    elif isinstance(value, list) and value and all(isinstance(v, (dict, bool)) for v in value):
        i = draw(st.integers(0, len(value) - 1))
        out[key] = [*value[:i], draw(edited(value[i])), *value[i + 1:]]
    elif isinstance(value, dict):
        out[key] = draw(edited(value))
    else:
        out.update(draw(st.sampled_from([{"type": "string"}, {"minLength": 1}, {"maximum": 1}, {"required": ["a"]},
                                         {"additionalProperties": False}, {"maxItems": 1}, {"enum": [1, "a"]}])))
    return out


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    old = draw(st.one_of(schemas, trees, referenced))
    new = draw(st.one_of(edited(old), schemas, trees, referenced))
    return old, new


def _validator(schema: Any) -> Any:
    try:
        return compile_schema(schema)
    except ValueError:
        return None  # not a valid schema for the validator: nothing to cross-check


def _counterexample(reader: Any, writer: Any) -> Any:
    """A corpus value the writer schema accepts and the reader schema rejects (None if none)."""
    w, r = _validator(writer), _validator(reader)
    if w is None or r is None:
        return None
    return next((v for v in CORPUS if w.is_valid(v) and not r.is_valid(v)), None)


@settings(max_examples=EXAMPLES, deadline=None, derandomize="COMPAT_FUZZ_RANDOM" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(pairs())
def test_it_never_calls_compatible_what_a_validator_contradicts(pair: tuple[Any, Any]) -> None:
    old, new = pair
    if compat.check(old, new, "BACKWARD").compatible:
        value = _counterexample(new, old)
        assert value is None, f"BACKWARD said compatible, but {value!r} is valid under old and rejected by new"
    if compat.check(old, new, "FORWARD").compatible:
        value = _counterexample(old, new)
        assert value is None, f"FORWARD said compatible, but {value!r} is valid under new and rejected by old"


def test_the_corpus_reaches_both_verdicts() -> None:
    # The cross-check only means something if the engine says "compatible" for real edits and the
    # corpus holds values each side accepts; a sanity check on the harness itself.
    old = {"type": "object", "properties": {"a": {"type": "integer"}}}
    new = {"type": "object", "properties": {"a": {"type": "number"}}}
    assert compat.check(old, new, "BACKWARD").compatible
    assert _counterexample(new, old) is None and _counterexample(old, new) == {"a": 0.5}
