"""Reading a model file for the commands that work without a database (lint, diagram, codegen)."""
from __future__ import annotations

from pathlib import Path

from designer.core.formats import files_from_zip, load_any, load_files
from designer.core.formats.errors import ExternalReferenceError, FormatError
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
        return _load(path, data)
    except FormatError as exc:
        where = f"{path}:{exc.line}:{exc.column or 1}" if exc.line else str(path)
        raise ModelFileError(f"{where}: error: {exc.reason}") from None


def _load(path: Path, data: bytes) -> Model:
    """One document, a zip of a document and its files, or a document whose ``$ref``s name
    files next to it (read from the disk, see ``localfiles``)."""
    if data.startswith(b"PK\x03\x04"):
        return load_files(files_from_zip(data))
    try:
        return load_any(data, str(path))
    except ExternalReferenceError:
        from .localfiles import files_for

        files, main = files_for(path, data)
        return load_files(files, main=main)
