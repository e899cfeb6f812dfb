"""``manage.py check_compat OLD NEW --mode MODE``: is a new JSON Schema compatible with the old one?

Exit 0 when compatible, 1 when not (each break printed with why and fix), 2 for unusable input.
Needs no database and no Django.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from designer.cli import Writer
from designer.core.model import COMPAT_MODES

HELP = "Check that NEW (a JSON Schema file) is compatible with OLD under a compatibility mode."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", help="the previous schema (JSON or YAML file)")
    parser.add_argument("new", help="the new schema (JSON or YAML file)")
    parser.add_argument("--mode", default="BACKWARD", type=str.upper, choices=COMPAT_MODES,
                        help="compatibility mode (default BACKWARD, as schema registries)")


def run(options: dict[str, Any], out: Writer, err: Writer) -> int:
    """Compare the two schema files; print the breaks; return 0, 1 or 2."""
    from designer.core import compat

    try:
        old = read_schema(options["old"])
        new = read_schema(options["new"])
    except ValueError as exc:
        err(f"check_compat: {exc}")
        return 2
    mode = options["mode"]
    result = compat.check(old, new, mode)
    if result.compatible:
        out(f"compatible ({mode}).")
        return 0
    out(f"NOT compatible ({mode}): {len(result.breaks)} break(s)")
    for brk in result.breaks:
        out(f"- {brk.path or '(root)'}: {brk.kind} [{brk.direction}]")
        out(f"    why: {brk.why}")
        out(f"    fix: {brk.fix}")
    return 1


def read_schema(name: str) -> Any:
    """A JSON Schema (object or boolean) read from a JSON or YAML file; ``ValueError`` says why not."""
    from designer.core.formats import yamlsafe
    from designer.core.formats.errors import FormatError

    path = Path(name)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {name}: {exc.strerror or exc}") from exc
    try:
        data, _ = yamlsafe.parse(text)
    except FormatError as exc:
        raise ValueError(f"{name}: {exc}") from exc
    if not isinstance(data, (dict, bool)):
        raise ValueError(  # noqa: TRY004 - one error type for "unusable input" keeps run() simple
            f"{name}: a JSON Schema must be an object or a boolean, not {type(data).__name__}")
    return data
