"""JSON Schema checks used by forms and services: metaschema validity and example validation."""
from __future__ import annotations

from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

# Pure-Python jsonschema is fine here: one schema per form submission, and it gives the best
# error messages. The hot path (live traffic) uses a compiled validator instead.
_FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def schema_errors(schema: Any) -> list[str]:
    """Problems that make ``schema`` not a valid JSON Schema 2020-12 (empty when valid)."""
    if schema is None:
        return []
    if not isinstance(schema, (dict, bool)):
        return ["A JSON Schema must be an object (or true/false)."]
    validator = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    out = []
    for err in sorted(validator.iter_errors(schema), key=lambda e: list(e.absolute_path)):
        where = err.json_path.replace("$", "schema", 1) if err.absolute_path else "schema"
        out.append(f"{where}: {err.message}")
    if not out:
        try:
            Draft202012Validator(schema).is_valid(None)
        except jsonschema.exceptions.RefResolutionError as exc:  # pragma: no cover - rare
            out.append(f"schema: unresolvable $ref ({exc})")
        except Exception as exc:  # referencing.exceptions.Unresolvable and friends
            out.append(f"schema: {exc}")
    return out[:20]


def example_errors(schema: Any, example: Any) -> list[str]:
    """Where ``example`` does not match ``schema``, as 'JSON path: reason' lines."""
    if schema is None or example is None or schema_errors(schema):
        return []
    validator = Draft202012Validator(schema, format_checker=_FORMAT_CHECKER)
    out = []
    try:
        errors = sorted(validator.iter_errors(example), key=lambda e: list(e.absolute_path))
    except Exception as exc:  # an unresolvable $ref surfaces only while validating
        return [f"$: the schema cannot be used to validate ({exc})"]
    for err in errors:
        out.append(f"{err.json_path}: {err.message}")
    return out[:20]
