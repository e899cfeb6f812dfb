"""Schema inference from observed payloads."""
from __future__ import annotations

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.core.infer import infer_schema

PAYLOADS = [
    {"id": "6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b", "at": "2024-05-01T10:00:00Z", "email": "a@b.co",
     "n": 1, "tags": ["x"], "items": [{"sku": "A", "qty": 1}]},
    {"id": "0b1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6c", "at": "2024-05-02T10:00:00.5+02:00", "email": "c@d.org",
     "n": 2.5, "tags": [], "items": [{"sku": "B"}], "extra": None},
]


def test_it_infers_types_formats_and_required() -> None:
    schema = infer_schema(PAYLOADS)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    props = schema["properties"]
    assert props["id"] == {"type": "string", "format": "uuid"}
    assert props["at"] == {"type": "string", "format": "date-time"}
    assert props["email"] == {"type": "string", "format": "email"}
    assert props["n"] == {"type": "number"}  # integer and number merge
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["extra"] == {"type": "null"}
    assert schema["required"] == ["at", "email", "id", "items", "n", "tags"]
    assert props["items"]["items"]["required"] == ["sku"]  # array items merge


def test_a_format_is_kept_only_when_every_value_has_it() -> None:
    schema = infer_schema([{"s": "a@b.co"}, {"s": "plain"}])
    assert schema["properties"]["s"] == {"type": "string"}


def test_mixed_kinds_give_a_type_list() -> None:
    assert infer_schema([1, "a", None])["type"] == ["integer", "null", "string"]


def test_it_is_deterministic_whatever_the_key_order() -> None:
    a = infer_schema([{"b": 1, "a": "x"}, {"a": "y"}])
    b = infer_schema([{"a": "y"}, {"a": "x", "b": 1}])
    assert a == b
    assert list(a["properties"]) == ["a", "b"]


def test_no_payloads_give_the_accept_all_schema() -> None:
    assert infer_schema([]) == {"$schema": "https://json-schema.org/draft/2020-12/schema"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(json_values, min_size=1, max_size=4))
def test_every_payload_validates_against_the_schema_inferred_from_it(payloads: list[object]) -> None:
    schema = infer_schema(payloads)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for p in payloads:
        assert validator.is_valid(p), (p, schema)
