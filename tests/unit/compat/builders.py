"""A tiny builder of models with one message and a version history (for the evolution rules)."""
from __future__ import annotations

from typing import Any

from designer.core.model import Message, Model, Version


def obj(props: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """An object schema with ``props``; extra keywords (e.g. additionalProperties) passed through."""
    s: dict[str, Any] = {"type": "object", "properties": props, **extra}
    if required:
        s["required"] = list(required)
    return s


def model_with(*versions: tuple[str, Any], kind: str = "event", compat: str = "FORWARD", type: str = "",
               default_compat: dict[str, str] | None = None, name: str = "OrderPlaced") -> Model:
    """A model with one message whose versions are ``(number, schema)`` pairs, all in ``compat``."""
    msg = Message(name=name, kind=kind, type=type,
                  versions=tuple(Version(version=v, schema=s, compat=compat) for v, s in versions))
    if default_compat is None:
        return Model(messages=(msg,))
    return Model(messages=(msg,), default_compat=default_compat)
