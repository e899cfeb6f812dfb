"""The one schema compiler: references stay inside the document, patterns stay bounded."""
from __future__ import annotations

import ast
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.core import schema_compile as sc

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def listener() -> Iterator[dict[str, Any]]:
    """A local TCP listener that counts connections: a fetch of a $ref would show up here."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen = {"connections": 0, "url": f"http://127.0.0.1:{server.getsockname()[1]}/schema.json"}
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen["connections"] += 1
            conn.sendall(b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"const": "LEAKED-BY-LISTENER"}')
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield seen
    stop.set()
    thread.join(2)
    server.close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.json"
    path.write_text('{"const": "LEAKED-FROM-DISK"}')
    return path


def _hostile_refs(listener: dict[str, Any], secret_file: Path) -> list[dict[str, Any]]:
    return [
        {"$ref": listener["url"]},
        {"$ref": secret_file.as_uri()},
        {"properties": {"a": {"$ref": f"{secret_file.as_uri()}#/const"}}},
        {"$ref": "urn:example:order"},
        {"$id": listener["url"], "properties": {"x": {"$ref": "other.json"}}},  # relative to a remote $id
        {"$dynamicRef": listener["url"]},
        {"$defs": {"a": {"$ref": listener["url"]}}, "$ref": "#/$defs/a"},
    ]


def test_it_refuses_every_reference_outside_the_document_and_fetches_nothing(
        listener: dict[str, Any], secret_file: Path) -> None:
    for schema in _hostile_refs(listener, secret_file):
        problems = sc.schema_problems(schema)
        assert problems, schema
        text = " ".join(problems)
        assert "points outside this schema" in text and "nothing is fetched" in text
        assert "LEAKED" not in text
        ref = next(v for node in _nodes(schema) for k, v in node.items() if k in ("$ref", "$dynamicRef"))
        assert ref.split("#")[0] in text, (ref, text)  # the message names the reference
        with pytest.raises(sc.SchemaError):
            sc.compile_schema(schema)
        assert sc.instance_problems(schema, {"x": 1}) == []  # unusable schema: reported elsewhere
    time.sleep(0.3)
    assert listener["connections"] == 0


def test_it_never_fetches_even_when_its_own_reference_walk_is_bypassed(
        listener: dict[str, Any], secret_file: Path) -> None:
    # The retriever handed to jsonschema-rs refuses too: the second line of defence.
    for schema in ({"$ref": listener["url"]}, {"$ref": secret_file.as_uri()}):
        with pytest.raises(sc.SchemaError) as exc:
            sc._compile(sc._canonical(schema))
        assert "nothing is fetched" in str(exc.value.problems) and "LEAKED" not in str(exc.value.problems)
    assert listener["connections"] == 0


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from _nodes(v)


def test_it_resolves_references_inside_the_document() -> None:
    schema = {
        "$defs": {"money": {"type": "number"}, "sku": {"$anchor": "sku", "type": "string"}},
        "type": "object",
        "properties": {"total": {"$ref": "#/$defs/money"}, "sku": {"$ref": "#sku"}},
    }
    assert sc.schema_problems(schema) == []
    assert sc.instance_problems(schema, {"total": 1.5, "sku": "A-1"}) == []
    assert sc.instance_problems(schema, {"total": "1.5", "sku": 3}) == [
        '$.sku: 3 is not of type "string"', '$.total: "1.5" is not of type "number"']
    embedded = {"$id": "https://example.com/order.json",
                "$defs": {"line": {"$id": "line.json", "type": "object", "required": ["sku"]}},
                "items": {"$ref": "line.json"}, "type": "array"}
    assert sc.schema_problems(embedded) == []
    assert sc.instance_problems(embedded, [{}]) == ['$[0]: "sku" is a required property']


def test_it_accepts_the_json_schema_meta_schemas_which_are_built_in() -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"a": {"type": "string"}},
              "properties": {"a": {"$ref": "#/definitions/a"}, "s": {"$ref": "http://json-schema.org/draft-07/schema#"}}}
    assert sc.schema_problems(schema) == []
    assert sc.instance_problems(schema, {"s": {"type": 5}}) != []


def test_it_refuses_an_unknown_meta_schema_by_name() -> None:
    assert sc.schema_problems({"$schema": "https://evil.example/meta"}) == [
        "schema.$schema: unknown meta-schema 'https://evil.example/meta'; use "
        "'https://json-schema.org/draft/2020-12/schema' (or draft-07, draft-06, draft-04, 2019-09)"]


def test_it_answers_a_catastrophic_pattern_at_once() -> None:
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": "(a+)+$"},
                                               "look": {"type": "string", "pattern": "^(?=(a+)+$)b"}}}
    started = time.perf_counter()
    problems = sc.instance_problems(schema, {"code": "a" * 24 + "!", "look": "a" * 5000 + "!"})
    elapsed = time.perf_counter() - started
    assert problems == ['$.code: "aaaaaaaaaaaaaaaaaaaaaaaa!" does not match "(a+)+$"',
                        problems[1]] and problems[1].startswith('$.look: "aaaa')
    assert elapsed < 0.1, elapsed


def test_it_keeps_patterns_with_lookaround_and_backreferences_working() -> None:
    schema = {"type": "object", "properties": {
        "password": {"type": "string", "pattern": "^(?=.*[A-Z])(?=.*[0-9]).{8,64}$"},
        "pair": {"type": "string", "pattern": "^(\\w+)-\\1$"}}}
    assert sc.instance_problems(schema, {"password": "abcdefG1", "pair": "ab-ab"}) == []
    assert len(sc.instance_problems(schema, {"password": "abcdefgh", "pair": "ab-cd"})) == 2


def test_it_says_what_is_wrong_with_a_schema_at_its_path() -> None:
    assert sc.schema_problems({"type": "invalid", "properties": {"a b": {"minimum": "x"}}}) == [
        'schema.properties["a b"].minimum: "x" is not of type "number"',
        'schema.type: "invalid" is not a JSON Schema type (use one of: array, boolean, integer, null, '
        'number, object, string)']
    assert sc.schema_problems({"pattern": "(("})[0].startswith('schema.pattern: "((" is not a regular expression')
    assert sc.schema_problems({"$ref": "#/$defs/nope"}) == ["schema: Pointer '/$defs/nope' does not exist"]


def test_it_takes_json_scalars_where_json_schema_does() -> None:
    assert sc.schema_problems(True) == [] and sc.schema_problems(False) == []
    assert sc.instance_problems(True, 42) == []
    assert sc.instance_problems(False, 42) != []
    assert sc.instance_problems({"type": "string"}, 42) == ['$: 42 is not of type "string"']
    assert sc.schema_problems(42) == ["schema: a JSON Schema must be an object (or true/false)"]
    assert sc.schema_problems("text") == ["schema: a JSON Schema must be an object (or true/false)"]


def _nested(depth: int, key: str = "items") -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(depth - 1):
        node[key] = {}
        node = node[key]
    return root


def test_it_refuses_nesting_beyond_the_documented_limit_with_a_message() -> None:
    assert sc.schema_problems(_nested(sc.MAX_DEPTH)) == []
    problems = sc.schema_problems(_nested(1000))
    assert problems == [f"schema: the schema is nested more than {sc.MAX_DEPTH} levels deep; flatten it "
                        "(deeper nesting is refused so that checking it stays fast)"]
    deep_value: Any = []
    for _ in range(1000):
        deep_value = [deep_value]
    assert sc.instance_problems({"type": "array"}, deep_value)[0].startswith(
        f"$: the value is nested more than {sc.MAX_DEPTH} levels deep")


def test_the_quick_look_in_c_decides_depth_and_references_exactly_as_the_walks() -> None:
    # Just at and just over the limit, with brackets inside strings that must not count, and
    # many sibling objects (more brackets than levels): the same answers as json_depth.
    for levels in (sc.MAX_DEPTH - 1, sc.MAX_DEPTH, sc.MAX_DEPTH + 1):
        schema = _nested(levels)
        schema["description"] = "[[[[{{{{" * 20
        schema["properties"] = {f"p{i}": {"type": "object", "properties": {}} for i in range(100)}
        deep = sc.json_depth(schema) > sc.MAX_DEPTH
        assert (sc.schema_problems(schema) != []) is deep
        assert (sc._quick(schema) is None) is deep
    # A string that merely reads "$ref" is data; a real outside reference is still refused.
    assert sc.schema_problems({"type": "string", "enum": ["$ref", '"$ref"']}) == []
    assert sc.schema_problems({"type": "object", "examples": [{"$ref": "http://x.test/a"}]}) == []
    refused = sc.schema_problems({"properties": {"a": {"$ref": "file:///etc/passwd"}}})
    assert refused and refused[0].startswith("schema.properties.a.$ref: the reference")
    with pytest.raises(sc.SchemaError):
        sc.compile_schema({"properties": {"a": {"$dynamicRef": "http://x.test/a"}}})


def test_it_refuses_a_schema_with_too_many_values() -> None:
    huge = {"enum": list(range(sc.MAX_NODES + 1))}
    assert sc.schema_problems(huge) == [f"schema: the schema has more than {sc.MAX_NODES:,} values; split it up"]


def test_it_shortens_messages_that_quote_huge_values() -> None:
    problems = sc.instance_problems({"type": "string", "maxLength": 3}, "x" * 100_000)
    assert len(problems[0]) <= sc.MESSAGE_CHARS + 10 and problems[0].endswith("is longer than 3 characters")


def test_it_reports_only_the_first_error_of_a_huge_invalid_instance_quickly() -> None:
    schema = {"type": "array", "items": {"type": "string", "pattern": "^(?=(a+)+$)b"}}
    started = time.perf_counter()
    problems = sc.instance_problems(schema, ["a" * 30 + "!"] * 20_000)
    assert len(problems) == 1 and time.perf_counter() - started < 0.5


def test_it_is_the_only_module_that_compiles_schemas() -> None:
    offenders = []
    for path in sorted((ROOT / "designer").rglob("*.py")):
        if path == ROOT / "designer" / "core" / "schema_compile.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("jsonschema", "jsonschema_rs", "fastjsonschema") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
