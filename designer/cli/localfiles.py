"""The files next to a document that its relative ``$ref``s name (for the file-based commands).

``manage.py lint api.yaml`` on a document split over several files reads them from the disk,
as `asyncapi validate` does: only relative references, only YAML/JSON/Avro files, within the
same limits as an upload (``designer.core.formats.MAX_UPLOAD_FILES``, the document size limit).
The web import never does this: there, only uploaded files are read.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from designer.core.formats import MAX_UPLOAD_FILES, READABLE_SUFFIXES, UploadError, yamlsafe

# "$ref: ./common/messages.yaml#/UserLiked" in YAML or JSON; the location before the "#".
_REF = re.compile(r"""["']?\$ref["']?\s*:\s*["']?([^"'\s,}#]+)""")


def files_for(path: Path, data: bytes) -> tuple[dict[str, bytes], str]:
    """The document and every file it names, transitively, by path relative to the folder that
    holds them all; and the document's own path in that mapping."""
    found: dict[Path, bytes] = {path.resolve(): data}
    todo = [path.resolve()]
    total = len(data)
    while todo:
        current = todo.pop()
        text = found[current].decode("utf-8", "replace")
        for location in _REF.findall(text):
            if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", location) or location.startswith(("/", "\\")):
                continue  # a URL or an absolute path: never read (the reader refuses it)
            target = (current.parent / location).resolve()
            if target in found or not target.name.endswith(READABLE_SUFFIXES) or not target.is_file():
                continue
            if len(found) >= MAX_UPLOAD_FILES:
                raise UploadError(f"{path}: the document names more than {MAX_UPLOAD_FILES} files")
            blob = target.read_bytes()
            total += len(blob)
            if total > yamlsafe.DEFAULT_MAX_BYTES:
                raise UploadError(f"{path}: the document and its files are over "
                                  f"{yamlsafe.DEFAULT_MAX_BYTES:,} bytes")
            found[target] = blob
            todo.append(target)
    root = Path(os.path.commonpath([str(p.parent) for p in found]))
    files = {p.relative_to(root).as_posix(): blob for p, blob in found.items()}
    return files, path.resolve().relative_to(root).as_posix()
