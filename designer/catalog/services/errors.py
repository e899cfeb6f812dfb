"""Why a write was refused: every service raises one of these, with a message for the user."""
from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class: a write that was refused; ``str()`` is a message for the user."""


class ValidationFailed(ServiceError):
    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in errors.items()))


class Conflict(ServiceError):
    """Someone saved the element after the copy the user edited was loaded."""

    def __init__(self, current: dict[str, Any], theirs: dict[str, Any], changed: list[str], by: str):
        self.current = current
        self.theirs = theirs
        self.changed = changed
        self.by = by
        fields = ", ".join(changed) or "the element"
        super().__init__(
            f"{by or 'Someone'} changed {fields} after you opened this form. "
            "Nothing was saved: review their version below and apply your edit again."
        )
