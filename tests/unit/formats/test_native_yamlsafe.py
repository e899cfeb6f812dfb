"""The safe YAML reader: hostile documents are refused fast and clearly, positions are right."""
from __future__ import annotations

import time

import pytest

from designer.core.formats import native
from designer.core.formats.errors import FormatError
from designer.core.formats.yamlsafe import parse

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def error_of(text: str, **limits: int) -> FormatError:
    with pytest.raises(FormatError) as info:
        parse(text, **limits)
    return info.value


def test_it_refuses_a_billion_laughs_in_well_under_a_second() -> None:
    started = time.perf_counter()
    error = error_of(BILLION_LAUGHS)
    assert time.perf_counter() - started < 0.5
    assert "alias bomb" in error.reason
    assert error.line is not None and error.line <= 9


def test_it_refuses_too_many_alias_references() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 20) + "]\n"
    assert error_of(text, max_aliases=10).reason == "more than 10 aliases; refusing to expand them"


def test_it_expands_a_few_aliases_as_copies() -> None:
    data, _ = parse("base: &s {type: string}\nprops: {a: *s, b: *s}\n")
    assert data["props"] == {"a": {"type": "string"}, "b": {"type": "string"}}
    assert data["props"]["a"] is not data["props"]["b"]


def test_it_refuses_a_recursive_alias() -> None:
    error = error_of("a: &a [1, *a]\n")
    assert (error.line, error.column) == (1, 11)
    assert "unknown or enclosing anchor" in error.reason


def test_it_refuses_a_50_mb_document_by_size_without_parsing_it() -> None:
    text = "a: " + "x" * (50 * 1024 * 1024)
    started = time.perf_counter()
    error = error_of(text)
    assert time.perf_counter() - started < 0.5
    assert error.reason == "the document is 52,428,803 bytes; the limit is 33,554,432 bytes"
    assert error.line is None


def test_it_counts_the_size_in_utf8_bytes() -> None:
    assert "limit is 10 bytes" in error_of("a: ééééé", max_bytes=10).reason
    assert parse("a: éé", max_bytes=10)[0] == {"a": "éé"}


def test_native_load_refuses_a_document_over_its_size_limit() -> None:
    with pytest.raises(FormatError, match="limit is 100 bytes"):
        native.load("version: 1\nname: " + "x" * 200, max_bytes=100)


def test_it_refuses_nesting_deeper_than_64() -> None:
    error = error_of("[" * 65 + "]" * 65)
    assert (error.line, error.column, error.reason) == (1, 65, "the document nests deeper than 64 levels")
    assert parse("[" * 64 + "]" * 64)[0] is not None


def test_it_refuses_very_deep_nesting_without_recursing() -> None:
    error = error_of("[" * 100_000 + "]" * 100_000)
    assert "nest" in error.reason  # libyaml stops at 1,000 flow levels before we see them
    assert error.line == 1


def test_it_refuses_a_duplicate_key_with_its_position() -> None:
    error = error_of("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert (error.line, error.column, error.reason) == (4, 3, "duplicate key 'c' (first at line 3, column 3)")


def test_it_refuses_a_list_as_a_key() -> None:
    error = error_of("? [a, b]\n: 1\n")
    assert (error.line, error.column) == (1, 3)
    assert error.reason == "a mapping key must be a plain value, not a list or mapping"


def test_it_keeps_scalar_keys_as_the_text_written() -> None:
    data, _ = parse("on: 1\n200: ok\nnull: x\n1.5: y\n")
    assert data == {"on": 1, "200": "ok", "null": "x", "1.5": "y"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: !!binary aGVsbG8=", "unsupported YAML tag 'tag:yaml.org,2002:binary': only plain JSON values are allowed"),
        ("a: !!python/object:os.system {}",
         "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system': only plain JSON values are allowed"),
        ("a: !!set {x}", "unsupported YAML tag 'tag:yaml.org,2002:set': only plain JSON values are allowed"),
        ("a: !local x", "unsupported YAML tag '!local': only plain JSON values are allowed"),
        ("a: .inf", "'.inf': infinity and NaN are not JSON numbers"),
        ("b: {x: 1}\n<<: {y: 2}", "merge keys (<<) are not supported; write the keys out"),
    ],
)
def test_it_refuses_values_that_are_not_json(text: str, reason: str) -> None:
    assert error_of(text).reason == reason


def test_it_refuses_a_second_document() -> None:
    error = error_of("a: 1\n---\nb: 2\n")
    assert (error.line, error.reason) == (2, "expected one document, found a second one (remove the '---')")


def test_it_reports_a_forbidden_control_character_with_its_position() -> None:
    error = error_of("a: 1\nb: 'x\x07'\n")
    assert (error.line, error.column) == (2, 6)
    assert "U+0007" in error.reason


def test_it_reports_malformed_yaml_with_line_and_column() -> None:
    error = error_of("a:\n  b: 1\n c: 2\n")
    assert (error.line, error.column) == (3, 2)
    assert error.reason.startswith("malformed YAML:")


def test_it_maps_keys_items_and_values_to_their_positions() -> None:
    data, positions = parse("messages:\n  - name: A\n  - name: B\n    schema: {x: 1}\n")
    assert data["messages"][1]["schema"] == {"x": 1}
    assert positions.key(("messages",)) == (1, 1)
    assert positions.key(("messages", 1)) == (3, 5)
    assert positions.key(("messages", 1, "name")) == (3, 5)
    assert positions.value(("messages", 1, "name")) == (3, 11)
    assert positions.key(("messages", 1, "schema", "x")) == (4, 14)
    assert positions.nearest(("messages", 1, "schema", "x", "deeper")) == (4, 14)
    assert positions.nearest_value(("messages", 0, "missing")) == (2, 5)


def test_it_reads_json_and_bytes_with_a_bom() -> None:
    data, positions = parse('\ufeff{"a": [1, 2.5, true, null, "x"]}'.encode())
    assert data == {"a": [1, 2.5, True, None, "x"]}
    assert positions.key(("a", 1)) == (1, 11)  # the BOM is not a column


def test_it_refuses_bytes_that_are_not_utf8() -> None:
    with pytest.raises(FormatError, match="not UTF-8"):
        parse(b"a: \xff\xfe")


def test_it_gives_none_for_an_empty_document() -> None:
    assert parse("")[0] is None
    assert parse("# only a comment\n")[0] is None
