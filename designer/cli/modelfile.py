"""Reading a model file for the commands that work without a database (lint, diagram, codegen)."""
from __future__ import annotations

from pathlib import Path

from designer.core.formats import load_any
from designer.core.formats.errors import FormatError
from designer.core.model import Model


class ModelFileError(Exception):
    """A one-line reason the file cannot be used, ready for stderr."""


def read_model(path: Path) -> Model:
    """Load a native design file or an AsyncAPI document; ``ModelFileError`` says why not.

    Messages look like a compiler's: ``PATH: no such file``, ``PATH:LINE:COL: error: reason``.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a directory, not a model file") from None
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return load_any(data, str(path))
    except FormatError as exc:
        where = f"{path}:{exc.line}:{exc.column or 1}" if exc.line else str(path)
        raise ModelFileError(f"{where}: error: {exc.reason}") from None
