"""Form fields the catalog's forms and its element kinds share (no model imports here)."""
from __future__ import annotations

import json
from typing import Any

from django import forms

from designer.core.schema_compile import shape_problem, too_deep

MAX_JSON_CHARS = 1_000_000  # a schema or example bigger than 1 MB is certainly a mistake
MAX_TEXT_CHARS = 20_000  # descriptions: several pages of prose; more is a paste gone wrong


class JSONTextField(forms.CharField):
    """A textarea holding any JSON value (objects, lists and scalars alike); errors give line and column.

    Refused with a message, before anything else sees the value: text longer than
    ``MAX_JSON_CHARS``, NaN/Infinity (not JSON, and PostgreSQL cannot store them), NUL
    characters (PostgreSQL's jsonb cannot store them) and nesting deeper than
    ``schema_compile.MAX_DEPTH`` levels.
    """

    widget = forms.Textarea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # The length limit applies to the text, checked in to_python: the cleaned value may be a
        # number or a boolean, which CharField's max_length validator cannot measure.
        self.max_chars = kwargs.pop("max_length", MAX_JSON_CHARS)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        return json.dumps(value, indent=2, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text or not text.strip():
            return None
        if len(text) > self.max_chars:
            raise forms.ValidationError(
                f"This is {len(text):,} characters; the limit is {self.max_chars:,}. Split it up or trim it.")
        try:
            parsed = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
        except _NotJSON as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc} is not a JSON number; use null or a string.") from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise forms.ValidationError(f"Not accepted: {exc}.") from None
        except RecursionError:  # nested far beyond the limit below: the parser gave up first
            raise forms.ValidationError(f"Not accepted: {too_deep('the JSON')}.") from None
        problem = shape_problem(parsed, "the JSON")
        if problem:
            raise forms.ValidationError(f"Not accepted: {problem}.")
        if _has_nul(parsed):
            raise forms.ValidationError("Not accepted: the JSON contains a NUL character (\\u0000), which cannot be stored.")
        return parsed


class _NotJSON(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJSON(name)


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
