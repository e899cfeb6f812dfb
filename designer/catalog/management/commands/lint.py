"""``manage.py lint PATH``: lint a design-as-code or AsyncAPI file, like a compiler would.

Exit codes: 0 clean (nothing at or above ``--fail-on``), 1 findings at or above it, 2 unusable
input (one line on stderr). Needs no database: it reads the file, calls the pure core, prints.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandParser

from designer.catalog.management.modelfile import ModelFileError, read_model
from designer.core.lint.engine import lint
from designer.core.lint.finding import SEVERITY_RANK, Finding
from designer.core.lint.sarif import to_sarif

FAIL_ON = ("error", "warning", "never")


def finding_dict(f: Finding, position: tuple[int, int] | None) -> dict[str, Any]:
    """A finding as a JSON object (the ``--format json`` shape)."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "kind": f.kind,
        "element": f.element,
        "key": f.key,
        "path": f.path,
        "message": f.message,
        "fix": None if f.fix is None else {
            "action": f.fix.action, "field": f.fix.field, "value": f.fix.value,
            "description": f.fix.description,
        },
        "line": position[0] if position else None,
        "column": position[1] if position else None,
    }


class Command(BaseCommand):
    help = "Lint a design-as-code file or an AsyncAPI document (no database needed)."
    # No system checks: they would import the URLconf and check the database config, and this
    # command must run in CI on a bare checkout with no database at all.
    requires_system_checks: ClassVar[list[str]] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="design-as-code (YAML/JSON) file or AsyncAPI 2.6/3.x document")
        parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
        parser.add_argument("--fail-on", choices=FAIL_ON, default="error",
                            help="lowest severity that makes the exit code 1 (default: error)")

    def _fail(self, line: str) -> None:
        self.stderr.write(line.replace("\n", " "))
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            model = read_model(path)
        except ModelFileError as exc:
            reason = str(exc)
            self._fail(reason if ": error: " in reason else f"lint: {reason}")
        try:
            findings = lint(model)
        except ValueError as exc:  # a bad lint config in the file (unknown severity)
            self._fail(f"{path}: error: {exc}")

        fmt = options["format"]
        if fmt == "json":
            out = [finding_dict(f, model.location(f.key)) for f in findings]
            self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
        elif fmt == "sarif":
            uri = quote(path.as_posix())
            log = to_sarif(findings, source_uri=uri, locations=model.locations)
            self.stdout.write(json.dumps(log, indent=2, ensure_ascii=False))
        else:
            for f in findings:
                position = model.location(f.key)
                where = f"{path}:{position[0]}:{position[1]}" if position else str(path)
                self.stdout.write(f"{where}: {f.severity} {f.rule} {f.message}")

        threshold = options["fail_on"]
        if threshold != "never" and any(
            SEVERITY_RANK.get(f.severity, 9) <= SEVERITY_RANK[threshold] for f in findings
        ):
            sys.exit(1)
