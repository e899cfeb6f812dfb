"""An import upload: one document, several files (a document and the files its ``$ref``s name),
or a zip of them. The import page calls these; reading the model is the core's one loader
(``designer.core.formats.load_files``), so the page, ``import_model`` and ``lint`` accept and
refuse the same documents with the same reasons.

Nothing is fetched and nothing is written to disk: the files live in memory (and, between the
preview and the apply step, in the cache), and a ``$ref`` resolves only to another file of the
same upload.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from designer.core.formats import FormatError, UploadError, files_from_zip, load_files, main_document
from designer.core.model import Model

_ZIP_MAGIC = b"PK\x03\x04"


class ChooseDocument(Exception):
    """The upload holds several documents: the user picks the one to import."""

    def __init__(self, candidates: list[str]) -> None:
        super().__init__("choose the document to import")
        self.candidates = candidates


@dataclass
class Upload:
    """What was uploaded: the files by their path inside the upload, and the chosen document."""

    files: dict[str, bytes]
    main: str = ""
    names: list[str] = field(default_factory=list)  # the uploaded file names, for messages

    @property
    def label(self) -> str:
        """How to name the upload to its user: the document, or the file names."""
        return self.main or ", ".join(self.names)


def upload_read(*, uploaded: Iterable[UploadedFile], max_bytes: int) -> Upload:
    """Read uploaded files (several documents, or one zip) into memory.

    Raises ``FormatError`` with a sentence for the user: too large, not a zip, no file.
    """
    files: dict[str, bytes] = {}
    names: list[str] = []
    total = 0
    for item in uploaded:
        name = str(item.name or "upload")
        names.append(name)
        if item.size is not None and total + item.size > max_bytes:
            raise UploadError(f"The upload is over {max_bytes:,} bytes; the limit is {max_bytes:,}.")
        blob = item.read(max_bytes - total + 1)
        total += len(blob)
        if total > max_bytes:
            raise UploadError(f"The upload is over {max_bytes:,} bytes; the limit is {max_bytes:,}.")
        if blob.startswith(_ZIP_MAGIC) or name.lower().endswith(".zip"):
            for inner, content in files_from_zip(blob, max_bytes=max_bytes).items():
                files[inner] = content
        else:
            files[name.replace("\\", "/").rsplit("/", 1)[-1]] = blob  # browsers send base names only
    if not files:
        raise UploadError("Choose a file to import.")
    return Upload(files=files, names=names)


def upload_load(*, upload: Upload) -> Model:
    """The model of an upload (its chosen document, or the only one it can be).

    Raises ``ChooseDocument`` when the upload holds several documents and none was chosen yet,
    and ``FormatError`` (with the file, line and column) for anything unreadable.
    """
    if not upload.main:
        try:
            upload.main = main_document(upload.files)  # the same rule the loader applies
        except UploadError as exc:
            candidates = _documents(upload.files)
            if len(candidates) > 1:
                raise ChooseDocument(candidates) from exc
            raise
    return load_files(upload.files, main=upload.main)


def _documents(files: dict[str, bytes]) -> list[str]:
    out = []
    for name, blob in files.items():
        head = blob[:4096].decode("utf-8", "replace")
        if "asyncapi:" in head or '"asyncapi"' in head:
            out.append(name)
    return sorted(out)


def upload_error_text(exc: FormatError, upload: Upload) -> str:
    """``file: line 3, column 5: reason`` for the page (the file the problem is in)."""
    source = exc.source if exc.source and exc.source != "<string>" else upload.label
    text = str(exc)
    return text if text.startswith(f"{source}:") else f"{source}: {text}"


def upload_state(upload: Upload) -> dict[str, Any]:
    """The upload as a plain value for the cache between preview and apply."""
    return {"files": upload.files, "main": upload.main, "names": upload.names}


def upload_from_state(state: Any) -> Upload | None:
    """The upload back from ``upload_state`` (None for anything else, e.g. an old entry)."""
    if not isinstance(state, dict) or not isinstance(state.get("files"), dict):
        return None
    return Upload(files=dict(state["files"]), main=str(state.get("main") or ""),
                  names=list(state.get("names") or []))
