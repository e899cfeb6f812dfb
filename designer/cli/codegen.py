"""``manage.py codegen PATH --lang python|typescript|java|go --out DIR [--service NAME]``.

Loads a design-as-code file (or an AsyncAPI document), generates stubs and writes them under
DIR. Files created once (handler implementations, see ``designer.core.codegen.gap``) are not
overwritten when they exist; every other file is. Exit 0 on success, 2 with one line on stderr for unusable input. No database, no Django.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from designer.cli import Writer

HELP = "Generate handler and publisher stubs for a service (or every service) of a model file."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from designer.core.codegen import LANGUAGES

    parser.add_argument("path", help="design-as-code file or AsyncAPI document")
    parser.add_argument("--lang", required=True, help=f"one of {', '.join(LANGUAGES)}")
    parser.add_argument("--out", required=True, help="directory to write the project(s) into")
    parser.add_argument("--service", default=None, help="one service (default: every service)")


def run(options: dict[str, Any], out: Writer, err: Writer) -> int:
    """Generate the stubs named in ``options``; return 0 or 2."""
    from designer.core.codegen import LANGUAGES, CodegenError, generate, is_executable
    from designer.core.codegen.gap import is_created_once
    from designer.core.formats import load_any
    from designer.core.formats.errors import FormatError

    def fail(message: str) -> int:
        err(f"codegen: {message}")
        return 2

    lang = options["lang"]
    if lang not in LANGUAGES:
        return fail(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    path = Path(options["path"])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}")
    try:
        model = load_any(text, str(path))
    except FormatError as exc:
        return fail(str(exc).splitlines()[0] if str(exc) else f"{path}: unusable model")
    try:
        files = generate(model, lang, options["service"])
    except CodegenError as exc:
        return fail(str(exc))
    target_dir = Path(options["out"])
    kept = 0
    try:
        for rel, content in files.items():
            target = target_dir / rel
            if is_created_once(content) and target.exists():
                kept += 1  # the developer's handler file: created once, never overwritten
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            if is_executable(rel):
                target.chmod(0o755)
    except OSError as exc:
        return fail(f"cannot write to {target_dir}: {exc.strerror or exc}")
    services = sorted({rel.split("/", 1)[0] for rel in files}) if options["service"] is None \
        else [options["service"]]
    note = f" (kept {kept} existing file(s) of yours)" if kept else ""
    out(f"wrote {len(files) - kept} files for {len(services)} service(s) in {lang} to {target_dir}{note}")
    return 0
