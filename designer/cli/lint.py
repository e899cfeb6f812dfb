"""``manage.py lint PATH``: lint a design-as-code or AsyncAPI file, like a compiler would.

Exit codes: 0 clean (nothing at or above ``--fail-on``), 1 findings at or above it, 2 unusable
input (one line on stderr). Needs no database and no Django: it reads the file, calls the pure
core, prints.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from designer.cli import Writer
from designer.cli.modelfile import ModelFileError, read_model
from designer.core.lint.finding import SEVERITY_RANK, Finding

HELP = "Lint a design-as-code file or an AsyncAPI document (no database needed)."
FAIL_ON = ("error", "warning", "never")
_CHUNK = 2000  # lines per write of the text format


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="design-as-code (YAML/JSON) file or AsyncAPI 2.6/3.x document")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="error",
                        help="lowest severity that makes the exit code 1 (default: error)")


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


def _write_json(findings: list[Finding], model: Any, out: Writer) -> None:
    """``json.dumps(rows, indent=2)`` of the findings, written a chunk of rows at a time.

    The same text as one call: each chunk is dumped as a list whose brackets are left out and
    whose items join the next chunk's with a comma. One call per chunk, not per row: with an
    indent, ``json`` encodes through nested functions that form a reference cycle per call,
    which the command line (cyclic collector off) would keep (~60 MB for 24,000 findings).
    """
    if not findings:
        out("[]")
        return
    out("[")
    for start in range(0, len(findings), _CHUNK):
        rows = [finding_dict(f, model.location(f.key)) for f in findings[start:start + _CHUNK]]
        text = json.dumps(rows, indent=2, ensure_ascii=False)
        more = start + _CHUNK < len(findings)
        out(text[2:-2] + ("," if more else ""))  # without "[\n" and "\n]"
    out("]")


_MARK = "@@designer-sarif-results@@"


def _write_sarif(findings: list[Finding], model: Any, uri: str, out: Writer) -> None:
    """``json.dumps(to_sarif(...), indent=2)``, its results written a chunk at a time (as
    ``_write_json`` writes rows): the log around them is dumped with a marker in their place."""
    from designer.core.lint.sarif import sarif_parts

    log, results = sarif_parts(findings, source_uri=uri, locations=model.locations)
    if not findings:
        out(json.dumps(log, indent=2, ensure_ascii=False))
        return
    log["runs"][0]["results"] = [_MARK]
    text = json.dumps(log, indent=2, ensure_ascii=False)
    at = text.index(f'"{_MARK}"')
    line_start = text.rindex("\n", 0, at) + 1
    pad = " " * (at - line_start - 2)  # a chunk's items are dumped two spaces in
    out(text[:line_start - 1])
    last = len(findings)
    done = 0
    while done < last:
        chunk = [next(results) for _ in range(min(_CHUNK, last - done))]
        done += len(chunk)
        body = json.dumps(chunk, indent=2, ensure_ascii=False)[2:-2]
        out(pad + body.replace("\n", "\n" + pad) + ("," if done < last else ""))
    out(text[text.index("\n", at):].lstrip("\n"))


def run(options: dict[str, Any], out: Writer, err: Writer) -> int:
    """Lint the file named in ``options``; print findings; return 0, 1 or 2."""
    from designer.core.lint.engine import lint

    path = Path(options["path"])
    try:
        model = read_model(path)
    except ModelFileError as exc:
        reason = str(exc).replace("\n", " ")
        err(reason if ": error: " in reason else f"lint: {reason}")
        return 2
    try:
        findings = lint(model)
    except ValueError as exc:  # a bad lint config in the file (unknown severity)
        err(f"{path}: error: {exc}".replace("\n", " "))
        return 2

    fmt = options["format"]
    if fmt == "json":
        _write_json(findings, model, out)
    elif fmt == "sarif":
        _write_sarif(findings, model, quote(path.as_posix()), out)
    elif findings:
        name = str(path)
        locations = model.locations
        lines = []
        for f in findings:
            position = locations.get(f.key)
            where = f"{name}:{position[0]}:{position[1]}" if position else name
            lines.append(f"{where}: {f.severity} {f.rule} {f.message}")
            if len(lines) == _CHUNK:  # written in pieces: the whole text is never held twice
                out("\n".join(lines))
                lines.clear()
        if lines:
            out("\n".join(lines))

    threshold = options["fail_on"]
    if threshold != "never" and any(
        SEVERITY_RANK.get(f.severity, 9) <= SEVERITY_RANK[threshold] for f in findings
    ):
        return 1
    return 0
