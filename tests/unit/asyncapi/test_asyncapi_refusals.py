"""Broken and hostile AsyncAPI documents are refused with a clear FormatError."""
from __future__ import annotations

import time

import pytest

from designer.core.formats import asyncapi
from designer.core.formats.errors import FormatError

HEAD = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"


def test_it_refuses_invalid_yaml_with_a_position() -> None:
    with pytest.raises(FormatError) as err:
        asyncapi.load(HEAD + "channels: [unclosed\n")
    assert "malformed YAML" in err.value.reason and err.value.line is not None


def test_it_refuses_an_unresolved_ref_with_its_line() -> None:
    doc = HEAD + "channels:\n  c:\n    address: c\n    messages:\n      m: {$ref: '#/components/messages/Nope'}\n"
    with pytest.raises(FormatError) as err:
        asyncapi.load(doc)
    assert "unresolved $ref '#/components/messages/Nope'" in err.value.reason
    assert err.value.line == 7


def test_it_refuses_a_ref_to_another_file() -> None:
    doc = HEAD + "channels:\n  c:\n    address: c\n    messages:\n      m: {$ref: 'other.yaml#/M'}\n"
    with pytest.raises(FormatError, match="only references inside the document"):
        asyncapi.load(doc)


def test_it_refuses_an_alias_bomb_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 10)]
    started = time.perf_counter()
    with pytest.raises(FormatError):
        asyncapi.load(HEAD + "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0


def test_it_refuses_a_50_megabyte_document() -> None:
    with pytest.raises(FormatError, match="(?i)too (large|big)|MB|bytes"):
        asyncapi.load(HEAD + "x-pad: '" + "a" * (50 * 1024 * 1024) + "'\n")


def test_it_refuses_a_reference_bomb() -> None:
    schemas = ["    s0: {type: string}"]
    schemas += [f"    s{i}: {{type: object, properties: {{a: {{$ref: '#/components/schemas/s{i-1}'}}, "
                f"b: {{$ref: '#/components/schemas/s{i-1}'}}}}}}" for i in range(1, 40)]
    doc = HEAD + ("channels:\n  c:\n    address: c\n    messages:\n      m: {payload: "
                  "{$ref: '#/components/schemas/s39'}}\ncomponents:\n  schemas:\n" + "\n".join(schemas) + "\n")
    with pytest.raises(FormatError, match="too large when its \\$refs are resolved"):
        asyncapi.load(doc)


@pytest.mark.parametrize(("doc", "reason"), [
    ("info: {title: T}\n", "top-level 'asyncapi' key is missing"),
    ("asyncapi: 1.2.0\ninfo: {title: T}\n", "unsupported AsyncAPI version"),
    (HEAD + "channels:\n  c: {address: c}\noperations:\n  o: {action: fly, channel: {$ref: '#/channels/c'}}\n",
     "action must be 'send' or 'receive'"),
    (HEAD + "operations:\n  o: {action: send, channel: {$ref: '#/channels/none'}}\n", "no such channel"),
])
def test_it_explains_other_unusable_documents(doc: str, reason: str) -> None:
    with pytest.raises(FormatError, match=reason.replace("$", "\\$").replace("(", "\\(")):
        asyncapi.load(doc)


@pytest.mark.parametrize(("value", "shown"), [("5", "not 5"), ("", "not nothing"), ("[a]", "not ['a']")])
def test_it_refuses_a_ref_that_is_not_a_reference_where_it_is(value: str, shown: str) -> None:
    # The bundler's test documents wrong-ref-not-string.yaml / wrong-ref-absent.yaml (2.x), which
    # the AsyncAPI tools refuse too: a message `$ref: 5`, and the same inside a payload.
    v2 = ("asyncapi: 2.2.0\ninfo: {title: T, version: '1'}\nchannels:\n  user/signedup:\n    subscribe:\n"
          f"      message:\n        $ref: {value}\n")
    with pytest.raises(FormatError) as err:
        asyncapi.load(v2)
    assert err.value.reason.endswith(shown) and err.value.line == 7
    payload = HEAD + ("channels:\n  c:\n    address: c\n    messages:\n      m:\n        payload:\n"
                      f"          type: object\n          properties:\n            a: {{$ref: {value or 'null'}}}\n")
    with pytest.raises(FormatError, match=r"\$ref must be a reference"):
        asyncapi.load(payload)


def test_a_ref_key_in_example_data_or_naming_a_property_is_not_a_reference() -> None:
    doc = HEAD + ("channels:\n  c:\n    address: c\n    messages:\n      m:\n        payload:\n"
                  "          type: object\n          properties:\n            $ref: {type: integer}\n"
                  "        examples:\n          - payload: {$ref: 5}\n")
    message = asyncapi.load(doc).messages[0]
    assert message.schema["properties"]["$ref"] == {"type": "integer"}
    assert message.latest is not None and message.latest.example == {"$ref": 5}
