"""Is a message schema usable? One answer for every model reader, from the one schema compiler.

The native reader and the AsyncAPI reader both ask this, so ``manage.py lint``, ``import_model``
and the web import refuse the same documents with the same reason (``type: int`` is refused
everywhere, with the JSON path of the mistake and its line). The check itself is
``designer.core.schema_compile.schema_problems`` (the meta-schema of the declared draft,
references inside the document only, bounded patterns); this module only finds where in the
document the first problem is, so the reader can point at its line.
"""
from __future__ import annotations

import json
import re
from typing import Any

from designer.core.schema_compile import schema_problems

JSON = Any
SchemaPath = tuple[str | int, ...]

# One step of a path as schema_compile.json_path writes it: .name, [3] or ["any key"].
_STEP = re.compile(r'\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def schema_problem(schema: JSON) -> tuple[SchemaPath, str] | None:
    """Where ``schema`` first fails and why (``schema.properties.total.type: 'int' is not a JSON
    Schema type ...``), with the path as a tuple to locate it; None when the schema is usable."""
    problems = schema_problems(schema)
    if not problems:
        return None
    line = problems[0]
    path: list[str | int] = []
    rest = line
    if line.startswith("schema"):
        rest = line[len("schema"):]
        while True:
            step = _STEP.match(rest)
            if step is None:
                break
            name, index, quoted = step.groups()
            path.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
            rest = rest[step.end():]
    if not rest.startswith(": "):  # not a path-first line after all: keep it whole
        return (), line
    return tuple(path), line


def reworded(line: str, root: str) -> str:
    """The problem line with its root named as the document names it (``payload.properties...``)."""
    return root + line[len("schema"):] if line.startswith("schema") else line
