"""Recursive schemas (a $ref back to an enclosing schema) are compared without looping.

Polymorphic DTOs are the common real shape: a oneOf of product types, each built on a $ref'd
base, whose properties refer back to "a product or its id" - recursion through oneOf and $ref
with sibling keywords. A naive structural diff explodes on it (Confluent Schema Registry had to
add a cancellation for exactly this); the engine compares each pair of subschemas once and
assumes a pair already under comparison holds.
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from designer.core import compat

ROOT = Path(__file__).resolve().parents[3]


def catalog(types: int, links: int) -> dict[str, Any]:
    """``types`` product types in a oneOf, each with ``links`` properties referring back to it."""
    defs: dict[str, Any] = {
        "Ref": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
        "ProductOrRef": {"oneOf": [{"$ref": "#/$defs/Ref"}, {"$ref": "#/$defs/Product"}]},
        "Product": {"oneOf": [{"$ref": f"#/$defs/Kind{i}"} for i in range(types)]},
    }
    for i in range(types):
        props: dict[str, Any] = {f"link{k}": {"$ref": "#/$defs/ProductOrRef"} for k in range(links)}
        props["kind"] = {"type": "string", "const": f"kind-{i}"}
        defs[f"Kind{i}"] = {"$ref": "#/$defs/Base", "type": "object", "properties": props,
                            "required": ["kind"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs, "$ref": "#/$defs/Product"}


def test_it_compares_an_unchanged_recursive_schema_as_compatible() -> None:
    schema = catalog(3, 2)
    assert compat.diff(schema, copy.deepcopy(schema)) == []


def test_it_finds_a_change_deep_inside_a_recursive_oneof() -> None:
    old = catalog(3, 2)
    new = copy.deepcopy(old)
    new["$defs"]["Base"]["properties"]["name"]["maxLength"] = 40
    result = compat.check(old, new, "FULL")
    assert not result.compatible
    assert {b.direction for b in result.breaks} == {"BACKWARD"}  # tighter: only old data may not fit
    assert all(b.kind == "max-length-added" and b.path.endswith("properties.name.maxLength") for b in result.breaks)


def test_it_accepts_a_compatible_change_to_a_recursive_oneof() -> None:
    old = catalog(3, 2)
    new = copy.deepcopy(old)
    new["$defs"]["Kind1"]["properties"]["note"] = {"description": "free text, any value"}
    new["$defs"]["Product"]["oneOf"].reverse()
    assert compat.check(old, new, "FULL").compatible


def test_it_finishes_on_a_twelve_type_catalog_without_exploding() -> None:
    # Run in a process of its own so that a regression shows as a timeout, not a hung suite.
    old = catalog(12, 5)
    new = copy.deepcopy(old)
    new["$defs"]["Kind0"]["properties"]["note"] = {"type": "string"}
    new["$defs"]["Base"]["properties"]["name"]["maxLength"] = 10
    script = ("import json, sys; from designer.core import compat; old, new = json.load(sys.stdin); "
              "r = compat.check(old, new, 'FULL'); print(json.dumps(sorted({(b.kind, b.direction) for b in r.breaks})))")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps([old, new]), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [["max-length-added", "BACKWARD"], ["property-added", "BACKWARD"]]
