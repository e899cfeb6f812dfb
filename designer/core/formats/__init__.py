"""Reading and writing models: the native design-as-code format and AsyncAPI.

``load_any`` parses a document once (safely, see ``yamlsafe``) and hands it to the reader its
top-level keys call for; ``detect`` says which one that is.
"""
from __future__ import annotations

import importlib
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

    Raises :class:`FormatError` with line and column for any problem, including
    "AsyncAPI import is not available" when the AsyncAPI reader is not installed.
    """
    try:
        data, positions = yamlsafe.parse(text)
    except FormatError as exc:
        exc.source = source
        raise
    if _kind_of_data(data) == "asyncapi":
        try:
            # Lazy: the AsyncAPI reader is a separate, heavier module that may not be installed.
            asyncapi = importlib.import_module(f"{__name__}.asyncapi")
            load_data = asyncapi.load_data
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.asyncapi":
                raise  # a missing dependency of the reader is a real bug, not "unavailable"
            raise FormatError("AsyncAPI import is not available", source=source) from exc
        except AttributeError as exc:
            raise FormatError("AsyncAPI import is not available", source=source) from exc
        model: Model = load_data(data, positions, source)
        return model
    from . import native

    return native.from_data(data, positions, source)
