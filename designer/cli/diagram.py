"""``manage.py diagram``: draw a team's model (or a design-as-code file) as SVG, PNG or DOT.

    manage.py diagram --team SLUG [--flow NAME | --focus KEY --hops N] --format svg -o FILE
    manage.py diagram --file model.yaml --format dot -o model.dot

Exit codes: 0 drawn; 2 unusable input (unknown team, flow or focus element, unreadable or
invalid file), one line on stderr; 1 graphviz could not draw it (not installed, or the graph is
too large even for the fallback layout; the line says what to do). With ``--file`` this runs
without Django; ``--team`` passes a ``team_model`` loader from the Django command.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from designer.cli import Writer
from designer.cli.modelfile import ModelFileError, read_model
from designer.core.diagram import CLUSTERS, DEFAULT_LINK, DIRECTIONS
from designer.core.model import Model

HELP = "Draw a team's model (or a design-as-code file) as an SVG, PNG or DOT diagram."


class Unusable(Exception):
    """A one-line reason the input cannot be drawn (exit code 2)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--team", metavar="SLUG", help="the team whose model to draw (database)")
    source.add_argument("--file", metavar="PATH", help="a design-as-code or AsyncAPI file")
    parser.add_argument("--flow", metavar="NAME", help="draw one flow (with its step order)")
    parser.add_argument("--focus", metavar="KEY",
                        help="draw one element's neighbourhood: NAME, or services/NAME, messages/NAME, channels/NAME")
    parser.add_argument("--hops", type=int, default=1, help="steps from the focus element (default 1)")
    parser.add_argument("--format", choices=("svg", "png", "dot"), default="svg")
    parser.add_argument("-o", "--output", metavar="FILE", default="-", help="output file (default stdout)")
    parser.add_argument("--direction", choices=DIRECTIONS, default="LR")
    parser.add_argument("--channels", action="store_true", help="show channels")
    parser.add_argument("--no-queries", action="store_true", help="hide queries")
    parser.add_argument("--cluster", choices=CLUSTERS, default="none")
    parser.add_argument("--findings", action="store_true", help="draw lint findings on the nodes")
    parser.add_argument("--engine", choices=("dot", "sfdp"), default="dot",
                        help="layout engine (dot falls back to sfdp on large tangled graphs)")
    parser.add_argument("--link-base", default=DEFAULT_LINK,
                        help="URL pattern of element pages with {collection}, {name}, {key} "
                             f"(default {DEFAULT_LINK!r})")


def run(options: dict[str, Any], out: Writer, err: Writer,
        team_model: Callable[[str], Model] | None = None) -> int:
    """Draw the model named in ``options``; ``team_model`` loads ``--team`` (raises ``Unusable``)."""
    from designer.catalog import render as rd
    from designer.core.diagram import (
        DiagramError,
        DiagramOptions,
        build_dot,
        element_url,
        findings_badges,
        resolve_focus,
    )

    def fail(line: str, code: int = 2) -> int:
        err("diagram: " + line.replace("\n", " "))
        return code

    if options["flow"] and options["focus"]:
        return fail("use either --flow or --focus, not both")
    if options["hops"] < 0:
        return fail(f"--hops must be 0 or more, not {options['hops']}")
    try:
        element_url("services/x", options["link_base"])
    except (KeyError, IndexError, ValueError) as exc:
        return fail(f"bad --link-base {options['link_base']!r}: use {{collection}}, {{name}} or {{key}} ({exc!r})")
    try:
        if options.get("file"):
            model = read_model(Path(options["file"]))
        elif team_model is not None:
            model = team_model(options["team"])
        else:
            return fail("--team reads the database: run it through manage.py with Django set up")
    except (ModelFileError, Unusable) as exc:
        return fail(str(exc))
    scope = "flow" if options["flow"] else "focus" if options["focus"] else "team"
    findings: dict[str, tuple[str, int, str]] = {}
    if options["findings"]:
        from designer.core.lint.engine import lint

        try:
            findings = findings_badges(lint(model), options["link_base"] + "#findings")
        except ValueError as exc:  # a bad lint config in the model
            return fail(f"lint: {exc}")
    try:
        # --focus takes a bare name too (OrderPlaced), like the diagram page.
        focus = resolve_focus(model, options["focus"]) if options["focus"] else ""
        dot = build_dot(model, DiagramOptions(
            scope=scope, flow=options["flow"] or "", focus=focus,
            hops=options["hops"], direction=options["direction"],
            show_channels=options["channels"], show_queries=not options["no_queries"],
            cluster=options["cluster"], findings=findings, link_base=options["link_base"],
        ))
    except DiagramError as exc:
        return fail(str(exc))
    try:
        result = rd.render_diagram(dot, options["format"], options["engine"])
    except rd.RenderError as exc:
        return fail(str(exc), code=1)
    data = result.data
    if options["format"] == "svg":
        data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + rd.sanitize_svg(data) + "\n").encode()
    if result.note:
        err(f"diagram: note: {result.note}")
    target = options["output"]
    if target == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(target).write_bytes(data)
    except OSError as exc:
        return fail(f"{target}: cannot write ({exc.strerror or exc})")
    return 0
