"""Examples and defaults validate against the schema they illustrate.

Examples are what people copy, what the simulator sends and what generated tests use; a wrong
example teaches a wrong contract. Every message version's ``example``, every ``examples`` entry
and every ``default`` inside a schema is validated (JSON Schema 2020-12 with format checks,
local ``$ref`` only: nothing is fetched) against the schema node that declares it.

Flags: an example, ``examples`` entry or ``default`` that does not validate; the message names
the first error.
Why: examples drift from schemas silently; a compiled validator catches it in microseconds.
Source: Spectral AsyncAPI ruleset (asyncapi-message-examples, asyncapi-schema-default,
asyncapi-schema-examples).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {total: {type: number}}, required: [total]}
        example: {total: "59.98"}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {total: {type: number}}, required: [total]}
        example: {total: 59.98}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import JSON, Model
from designer.core.schema_compile import first_problem

ID = "schema-examples-valid"
DEFAULT_SEVERITY = "error"
CATEGORY = "payload"

# Walking deeper than this is a hostile schema; examples below it are not checked.
_MAX_DEPTH = 32


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per example/default that does not validate against its schema."""
    for message in model.messages:
        for index, version in enumerate(message.versions):
            schema = version.schema
            if schema is None or not isinstance(schema, (dict, bool)):
                continue
            prefix = "" if index == len(message.versions) - 1 else f"versions.{version.version}."
            if version.example is not None:
                error = _first_error(schema, schema, version.example)
                if error:
                    yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name,
                                  f"The example does not match the schema: {error}. Fix the example "
                                  f"or the schema.", path=f"{prefix}example")
            if isinstance(schema, dict):
                for node, path, value, what in _embedded(schema, f"{prefix}schema", 0):
                    error = _first_error(node, schema, value)
                    if error:
                        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name,
                                      f"The {what} at {path} does not match its schema: {error}. "
                                      f"Fix the value or the schema.", path=f"{path}.{what}")


def _embedded(node: JSON, path: str, depth: int) -> Iterator[tuple[dict[str, Any], str, JSON, str]]:
    """Yield (schema node, path, value, "default"|"examples.N") for values declared in a schema."""
    if not isinstance(node, dict) or depth > _MAX_DEPTH:
        return
    if "default" in node:
        yield node, path, node["default"], "default"
    examples = node.get("examples")
    if isinstance(examples, list):
        for i, ex in enumerate(examples):
            yield node, path, ex, f"examples.{i}"
    for key, sub in node.items():
        if key in ("properties", "$defs", "definitions", "patternProperties") and isinstance(sub, dict):
            for name, child in sub.items():
                yield from _embedded(child, f"{path}.{key}.{name}", depth + 1)
        elif key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
            yield from _embedded(sub, f"{path}.{key}", depth + 1)
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(sub, list):
            for i, child in enumerate(sub):
                yield from _embedded(child, f"{path}.{key}.{i}", depth + 1)


def _first_error(node: JSON, root: JSON, value: JSON) -> str:
    if node is not root and isinstance(node, dict) and isinstance(root, dict):
        # Keep the root's definitions so "#/$defs/..." references still resolve from a subschema.
        node = {**{k: root[k] for k in ("$defs", "definitions") if k in root}, **node}
        node.pop("examples", None)
        node.pop("default", None)
    # The one schema compiler: local references only, bounded patterns; an uncompilable
    # schema yields "" (not this rule's finding).
    return first_problem(node, value)
