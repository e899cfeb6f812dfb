"""python manage.py codegen PATH --lang python|typescript|java|go --out DIR [--service NAME]

Loads a design-as-code file (or an AsyncAPI document), generates stubs and writes them under
DIR. Exit 0 on success, 2 with one line on stderr for unusable input. No database needed.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from designer.core.codegen import LANGUAGES, CodegenError, generate


class Command(BaseCommand):
    help = "Generate handler and publisher stubs for a service (or every service) of a model file."
    requires_system_checks = ()  # a file in, files out: no database, no checks needed

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="design-as-code file or AsyncAPI document")
        parser.add_argument("--lang", required=True, help=f"one of {', '.join(LANGUAGES)}")
        parser.add_argument("--out", required=True, help="directory to write the project(s) into")
        parser.add_argument("--service", default=None, help="one service (default: every service)")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"codegen: {message}")
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        from designer.core.formats import load_any
        from designer.core.formats.errors import FormatError

        lang = options["lang"]
        if lang not in LANGUAGES:
            self._fail(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}")
        try:
            model = load_any(text, str(path))
        except FormatError as exc:
            self._fail(str(exc).splitlines()[0] if str(exc) else f"{path}: unusable model")
        try:
            files = generate(model, lang, options["service"])
        except CodegenError as exc:
            self._fail(str(exc))
        out = Path(options["out"])
        try:
            for rel, content in files.items():
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
        except OSError as exc:
            self._fail(f"cannot write to {out}: {exc.strerror or exc}")
        services = sorted({rel.split("/", 1)[0] for rel in files}) if options["service"] is None \
            else [options["service"]]
        self.stdout.write(f"wrote {len(files)} files for {len(services)} service(s) in {lang} to {out}")
