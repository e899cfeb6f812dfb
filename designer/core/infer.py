"""Infer a JSON Schema (2020-12) from observed payloads.

Used when traffic carries a type the model does not declare: the finding offers the schema of
what was seen so it can be added to the model in one click. The result is deterministic: the
same payloads give the same schema, whatever the order of keys inside them (properties and type
lists are sorted).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from designer.core.jsonvalue import KIND_PHRASES, json_kind

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# Formats we are confident about from values alone; anything looser (hostname, uri) would
# turn ordinary strings into false constraints.
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date-time", _DATE_TIME),
    ("uuid", _UUID),
    ("email", _EMAIL),
)
# Nesting deeper than this is summarised as an unconstrained schema: it guards the recursion
# against hostile payloads and real payloads are rarely deeper.
MAX_DEPTH = 32


def _json_type(value: Any) -> str:
    """The JSON type a schema should give ``value``: a whole float counts as an integer (what a
    sender's 2.0 most likely meant), anything not JSON as the string it travels as."""
    kind = json_kind(value)
    if kind == "number" and float(value).is_integer():
        return "integer"
    return kind if kind in KIND_PHRASES else "string"


def _string_format(values: list[str]) -> str | None:
    for name, pattern in _FORMATS:
        if all(pattern.match(v) for v in values):
            return name
    return None


def _infer(values: list[Any], depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH or not values:
        return {}
    groups: dict[str, list[Any]] = {}
    for v in values:
        groups.setdefault(_json_type(v), []).append(v)
    if "integer" in groups and "number" in groups:
        groups["number"].extend(groups.pop("integer"))
    schema: dict[str, Any] = {}
    types = sorted(groups)
    schema["type"] = types[0] if len(types) == 1 else types
    strings = groups.get("string")
    if strings:
        fmt = _string_format([s if isinstance(s, str) else str(s) for s in strings])
        if fmt:
            schema["format"] = fmt
    objects = groups.get("object")
    if objects:
        keys = sorted({k for o in objects for k in o})
        schema["properties"] = {
            k: _infer([o[k] for o in objects if k in o], depth + 1) for k in keys
        }
        required = [k for k in keys if all(k in o for o in objects)]
        if required:
            schema["required"] = required
    arrays = groups.get("array")
    if arrays:
        items = [item for a in arrays for item in a]
        if items:
            schema["items"] = _infer(items, depth + 1)
    return schema


def infer_schema(payloads: Iterable[Any]) -> dict[str, Any]:
    """A JSON Schema 2020-12 describing every payload in ``payloads``.

    Types are merged (integer and number give number, several kinds give a type list),
    ``required`` lists the properties present in every object seen, strings get a ``format``
    (date-time, uuid, email) only when every value has it, and array items are merged across
    all arrays. No payloads give the empty (accept-all) schema.
    """
    schema = _infer(list(payloads), 0)
    return {"$schema": DRAFT_2020_12, **schema}
