"""`manage.py check_compat OLD NEW --mode MODE`: is a new JSON Schema compatible with the old one?

Exit 0 when compatible, 1 when not (each break printed with why and fix), 2 for unusable input.
Needs no database.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandParser

from designer.core import compat
from designer.core.formats import yamlsafe
from designer.core.formats.errors import FormatError
from designer.core.model import COMPAT_MODES


class Command(BaseCommand):
    help = "Check that NEW (a JSON Schema file) is compatible with OLD under a compatibility mode."
    requires_system_checks: ClassVar[list[str]] = []  # no database, no settings checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="the previous schema (JSON or YAML file)")
        parser.add_argument("new", help="the new schema (JSON or YAML file)")
        parser.add_argument("--mode", default="BACKWARD", type=str.upper, choices=COMPAT_MODES,
                            help="compatibility mode (default BACKWARD, as schema registries)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            old = _read_schema(options["old"])
            new = _read_schema(options["new"])
        except ValueError as exc:
            self.stderr.write(f"check_compat: {exc}")
            sys.exit(2)
        mode = options["mode"]
        result = compat.check(old, new, mode)
        if result.compatible:
            self.stdout.write(f"compatible ({mode}).")
            return
        self.stdout.write(f"NOT compatible ({mode}): {len(result.breaks)} break(s)")
        for brk in result.breaks:
            self.stdout.write(f"- {brk.path or '(root)'}: {brk.kind} [{brk.direction}]")
            self.stdout.write(f"    why: {brk.why}")
            self.stdout.write(f"    fix: {brk.fix}")
        sys.exit(1)


def _read_schema(name: str) -> Any:
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
        raise ValueError(  # noqa: TRY004 - one error type for "unusable input" keeps handle() simple
            f"{name}: a JSON Schema must be an object or a boolean, not {type(data).__name__}")
    return data
