"""Reading and writing models: the native design-as-code format and AsyncAPI.

``load_any`` parses a document once (safely, see ``yamlsafe``) and hands it to the reader its
top-level keys call for; ``detect`` says which one that is.
"""
from __future__ import annotations

from typing import Any, Literal

from designer.core.model import Model

from . import yamlsafe
from .errors import FormatError

__all__ = ["FormatError", "detect", "load_any"]

Kind = Literal["native", "asyncapi"]


def _kind_of_data(data: Any) -> Kind:
    return "asyncapi" if isinstance(data, dict) and "asyncapi" in data else "native"


def detect(text: str | bytes) -> Kind:
    """``"asyncapi"`` if the document has a top-level ``asyncapi`` key, else ``"native"``.

    Raises :class:`FormatError` when the text is not a readable YAML/JSON document.
    """
    data, _ = yamlsafe.parse(text)
    return _kind_of_data(data)


def load_any(text: str | bytes, source: str = "<string>") -> Model:
    """Read a native or AsyncAPI document (detected from its content) into a Model.

    Raises :class:`FormatError` with line and column for any problem.
    """
    try:
        data, positions = yamlsafe.parse(text)
    except FormatError as exc:
        exc.source = source
        raise
    if _kind_of_data(data) == "asyncapi":
        from . import asyncapi  # here, not at the top: the native-only CLI paths start faster

        return asyncapi.load_data(data, positions, source)
    from . import native

    return native.from_data(data, positions, source)
