"""JSON Schema checks for forms and services, through the one compiler in the core.

``designer.core.schema_compile`` does the work (references inside the document only, nothing
fetched, bounded patterns, depth and size limits); this module keeps the two names the forms
and services call.
"""
from __future__ import annotations

from typing import Any

from designer.core.schema_compile import instance_problems, schema_problems


def schema_errors(schema: Any) -> list[str]:
    """Problems that make ``schema`` not a usable JSON Schema (empty when valid)."""
    return schema_problems(schema)


def example_errors(schema: Any, example: Any) -> list[str]:
    """Where ``example`` does not match ``schema``, as 'JSON path: reason' lines."""
    if schema is None or example is None or schema_problems(schema):
        return []
    return instance_problems(schema, example)
