"""Is a message schema a valid JSON Schema 2020-12? One answer for every model reader.

The native reader and the AsyncAPI reader both ask this, so ``manage.py lint``, ``import_model``
and the web import refuse the same documents with the same reason (``type: int`` is refused
everywhere, with the JSON path of the mistake and its line). The schema is checked against the
2020-12 meta-schema with a compiled validator that never fetches anything (``$schema`` and
``$id`` URLs are not followed).

Note for the integrator: when ``designer/core/schema_compile.py`` (the one schema compiler)
lands, ``schema_problem`` should ask it instead of compiling the meta-schema here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema_rs

JSON = Any
SchemaPath = tuple[str | int, ...]

_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


@lru_cache(maxsize=1)
def _meta_validator() -> Any:
    from jsonschema import Draft202012Validator  # the meta-schema document only (no validation)

    return jsonschema_rs.Draft202012Validator(Draft202012Validator.META_SCHEMA, offline=True)


def schema_problem(schema: JSON) -> tuple[SchemaPath, str] | None:
    """Where ``schema`` breaks the JSON Schema 2020-12 meta-schema and why; None when valid.

    The path is relative to the schema (``("properties", "total", "type")``); the reason says
    what is wrong in words a schema author knows.
    """
    if isinstance(schema, bool):
        return None
    if not isinstance(schema, dict):
        return (), "a JSON Schema must be a mapping (or true/false)"
    errors = sorted(_meta_validator().iter_errors(schema), key=lambda e: (len(e.instance_path), e.message))
    if not errors:
        return None
    error = errors[0]
    path: SchemaPath = tuple(error.instance_path)
    value = error.instance
    if path and path[-1] == "type" and not isinstance(value, list):
        return path, f"{value!r} is not a JSON Schema type; use one of {', '.join(_TYPES)}"
    if len(path) >= 2 and path[-2] == "type":
        return path, f"{value!r} is not a JSON Schema type; use one of {', '.join(_TYPES)}"
    return path, error.message.replace('"', "'")


def json_path(path: SchemaPath, root: str = "schema") -> str:
    """``schema.properties.total.type`` (list items as ``[0]``) for a path from ``schema_problem``."""
    out = root
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
