"""Form fields the catalog's forms and its element kinds share (no model imports here)."""
from __future__ import annotations

import json
from typing import Any

from django import forms

MAX_JSON_CHARS = 1_000_000  # a schema or example bigger than 1 MB is certainly a mistake


class JSONTextField(forms.CharField):
    """A textarea holding JSON; errors give line and column."""

    widget = forms.Textarea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_JSON_CHARS)
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
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
