"""Reading and writing models: the native design-as-code format and AsyncAPI.

The one loader. ``load_any`` (one document) and ``load_files`` (an upload of several files, or
a zip unpacked by ``files_from_zip``: a document and the files its relative ``$ref``s name)
parse safely (see ``yamlsafe``) and hand the data to the reader its top-level keys call for;
``detect`` says which one that is. ``manage.py lint``, ``import_model`` and the web import all
read through these functions, so they accept and refuse the same documents with the same
reasons (including invalid JSON Schemas, see ``schemacheck``).
"""
from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from designer.core.model import Model

from . import yamlsafe
from .errors import FormatError

__all__ = ["FormatError", "UploadError", "detect", "files_from_zip", "load_any", "load_files", "main_document"]

Kind = Literal["native", "asyncapi"]

# An upload is a document and the few files it refers to; hundreds of files is a mistake (or a
# zip of a whole repository), and every file counts towards the document size limit.
MAX_UPLOAD_FILES = 200
# Files of an upload that can hold a document or a schema; others (README.md, images) are ignored.
READABLE_SUFFIXES = (".yaml", ".yml", ".json", ".avsc")


class UploadError(FormatError):
    """An upload that cannot be read as one model (no document in it, a broken zip...)."""


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

    Raises :class:`FormatError` with line and column for any problem. A document whose
    ``$ref``s name other files is refused with a reason that says to upload them together
    (``load_files``).
    """
    try:
        data, positions = yamlsafe.parse(text)
    except FormatError as exc:
        exc.source = source
        raise
    if _kind_of_data(data) == "asyncapi":
        from . import asyncapi  # here, not at the top: the native-only CLI paths start faster

        try:
            return asyncapi.load_data(data, positions, source)
        except FormatError as exc:
            exc.source = source
            raise
    from . import native

    return native.from_data(data, positions, source)


class _ParsedFiles(Mapping[str, tuple[Any, yamlsafe.Positions]]):
    """The files of an upload, parsed when a ``$ref`` first reaches them (a broken file that
    nothing refers to does not stop the import)."""

    def __init__(self, raw: Mapping[str, bytes | str]) -> None:
        self.raw = raw
        self.parsed: dict[str, tuple[Any, yamlsafe.Positions]] = {}

    def __getitem__(self, name: str) -> tuple[Any, yamlsafe.Positions]:
        if name not in self.parsed:
            try:
                self.parsed[name] = yamlsafe.parse(self.raw[name])
            except FormatError as exc:
                exc.reason = f"in {name}: {exc.reason}"
                exc.source = name
                raise
        return self.parsed[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def load_files(files: Mapping[str, bytes | str], main: str | None = None) -> Model:
    """Read an upload of several files into a Model: one document and the files it refers to.

    ``files`` maps each file's path inside the upload (``asyncapi.yaml``,
    ``common/messages.yaml``) to its content. ``main`` names the document; without it, the one
    AsyncAPI document that no other file refers to is taken (or the only file). Relative
    ``$ref``s resolve against the referring file's folder and only to files of the upload:
    nothing is ever fetched or read from anywhere else. Raises :class:`FormatError` (an
    :class:`UploadError` for a problem with the upload as a whole).
    """
    names = {_clean(n): n for n in files}
    if not names:
        raise UploadError("the upload is empty: choose a document (and the files it refers to)")
    if len(names) > MAX_UPLOAD_FILES:
        raise UploadError(f"the upload has {len(names)} files; the limit is {MAX_UPLOAD_FILES}")
    total = sum(len(v.encode("utf-8") if isinstance(v, str) else v) for v in files.values())
    if total > yamlsafe.DEFAULT_MAX_BYTES:
        raise UploadError(f"the upload is {total:,} bytes; the limit is {yamlsafe.DEFAULT_MAX_BYTES:,} bytes")
    raw = {clean: files[orig] for clean, orig in names.items()}
    chosen = _clean(main) if main else main_document(raw)
    if chosen not in raw:
        raise UploadError(f"{main!r} is not one of the uploaded files")
    if len(raw) == 1:
        return load_any(raw[chosen], chosen)
    parsed = _ParsedFiles(raw)
    data, positions = parsed[chosen]
    if _kind_of_data(data) != "asyncapi":
        from . import native

        return native.from_data(data, positions, chosen)  # a design file is always one file
    lazy = _LazyOthers(parsed, set(raw) - {chosen})
    try:
        from . import asyncapi

        model: Model = asyncapi.load_data(data, positions, chosen, files=lazy)
    except FormatError as exc:
        if exc.source == "<string>":
            exc.source = chosen
        raise
    return model


class _LazyOthers(Mapping[str, tuple[Any, yamlsafe.Positions]]):
    def __init__(self, parsed: _ParsedFiles, names: set[str]) -> None:
        self.parsed = parsed
        self.names = names

    def __getitem__(self, name: str) -> tuple[Any, yamlsafe.Positions]:
        if name not in self.names:
            raise KeyError(name)
        return self.parsed[name]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.names))

    def __len__(self) -> int:
        return len(self.names)


def _clean(name: str) -> str:
    """A file's path inside an upload, normalised: forward slashes, no leading ``./`` or ``/``."""
    clean = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    if clean in ("", ".") or clean == ".." or clean.startswith("../"):
        raise UploadError(f"{name!r} is not a file name inside the upload")
    return clean


def main_document(raw: Mapping[str, bytes | str]) -> str:
    """The document of an upload: the only file, else the AsyncAPI document no other file
    refers to (found by its text, without parsing every file)."""
    if len(raw) == 1:
        return next(iter(raw))
    documents = []
    for name, content in raw.items():
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        head = text[:4096]
        if ("asyncapi:" in head or '"asyncapi"' in head) and name.endswith(READABLE_SUFFIXES):
            documents.append(name)
    if not documents:
        raise UploadError("no AsyncAPI document in the upload (a file with a top-level 'asyncapi' key)")
    if len(documents) == 1:
        return documents[0]
    referenced = set()
    for name, content in raw.items():
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        for other in documents:
            if other != name and posixpath.basename(other) in text:
                rel = posixpath.relpath(other, posixpath.dirname(name) or ".")
                if rel in text:
                    referenced.add(other)
    roots = [d for d in documents if d not in referenced]
    if len(roots) == 1:
        return roots[0]
    raise UploadError(f"the upload holds several AsyncAPI documents ({', '.join(sorted(roots or documents))}); "
                      "choose which one to import")


def files_from_zip(data: bytes, *, max_bytes: int = yamlsafe.DEFAULT_MAX_BYTES) -> dict[str, bytes]:
    """The readable files (YAML, JSON, Avro) of a zip archive, by their path inside it.

    Refused with :class:`UploadError`: a file that is not a zip, an encrypted archive, more
    than ``MAX_UPLOAD_FILES`` files, more than ``max_bytes`` once uncompressed (checked while
    reading, so a zip bomb stops at the limit), or a path that climbs out of the archive.
    """
    import zipfile  # here: ~10 ms of imports that reading one document never needs

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadError(f"not a readable zip archive ({exc})") from None
    out: dict[str, bytes] = {}
    total = 0
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir()
                   and not i.filename.startswith("__MACOSX/") and i.filename.endswith(READABLE_SUFFIXES)]
        if len(entries) > MAX_UPLOAD_FILES:
            raise UploadError(f"the zip holds {len(entries)} documents; the limit is {MAX_UPLOAD_FILES}")
        for info in entries:
            if info.flag_bits & 0x1:
                raise UploadError(f"{info.filename}: encrypted zip entries cannot be read")
            name = _clean(info.filename)
            try:
                with archive.open(info) as fh:
                    blob = fh.read(max_bytes - total + 1)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
                raise UploadError(f"{info.filename}: cannot be read from the zip ({exc})") from None
            total += len(blob)
            if total > max_bytes:
                raise UploadError(f"the zip holds more than {max_bytes:,} bytes of documents once unpacked")
            out[name] = blob
    if not out:
        raise UploadError("the zip holds no YAML or JSON document")
    return out
