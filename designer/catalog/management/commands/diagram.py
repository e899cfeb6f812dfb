"""``manage.py diagram``: draw a team's model (or a design-as-code file) as SVG, PNG or DOT.

    manage.py diagram --team SLUG [--flow NAME | --focus KEY --hops N] --format svg -o FILE
    manage.py diagram --file model.yaml --format dot -o model.dot

Exit codes: 0 drawn; 2 unusable input (unknown team, flow or focus element, unreadable or
invalid file), one line on stderr; 1 graphviz could not draw it (not installed, or the graph is
too large even for the fallback layout; the line says what to do).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from designer.catalog import render as rd
from designer.catalog.management.modelfile import ModelFileError, read_model
from designer.core.diagram import (
    CLUSTERS,
    DEFAULT_LINK,
    DIRECTIONS,
    DiagramError,
    DiagramOptions,
    build_dot,
    element_url,
    findings_badges,
    resolve_focus,
)
from designer.core.model import Model


class Command(BaseCommand):
    help = "Draw a team's model (or a design-as-code file) as an SVG, PNG or DOT diagram."
    requires_system_checks: list[str] = []  # type: ignore[assignment]  # noqa: RUF012
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
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

    def _fail(self, line: str, code: int = 2) -> NoReturn:
        self.stderr.write("diagram: " + line.replace("\n", " "))
        sys.exit(code)

    def _model(self, options: dict[str, Any]) -> Model:
        if options["file"]:
            try:
                return read_model(Path(options["file"]))
            except ModelFileError as exc:
                self._fail(str(exc))
        # Imported here so --file works on a machine with no database configured.
        from designer.catalog.models import Team
        from designer.catalog.selectors import team_model

        try:
            team = Team.objects.get(slug=options["team"])
        except Team.DoesNotExist:
            self._fail(f"no team with slug {options['team']!r}")
        return team_model(team)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["flow"] and options["focus"]:
            self._fail("use either --flow or --focus, not both")
        if options["hops"] < 0:
            self._fail(f"--hops must be 0 or more, not {options['hops']}")
        try:
            element_url("services/x", options["link_base"])
        except (KeyError, IndexError, ValueError) as exc:
            self._fail(f"bad --link-base {options['link_base']!r}: use {{collection}}, {{name}} or {{key}} ({exc!r})")
        model = self._model(options)
        scope = "flow" if options["flow"] else "focus" if options["focus"] else "team"
        findings: dict[str, tuple[str, int, str]] = {}
        if options["findings"]:
            from designer.core.lint.engine import lint

            try:
                findings = findings_badges(lint(model), options["link_base"] + "#findings")
            except ValueError as exc:  # a bad lint config in the model
                self._fail(f"lint: {exc}")
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
            self._fail(str(exc))
        try:
            result = rd.render_diagram(dot, options["format"], options["engine"])
        except rd.RenderError as exc:
            self._fail(str(exc), code=1)
        data = result.data
        if options["format"] == "svg":
            data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + rd.sanitize_svg(data) + "\n").encode()
        if result.note:
            self.stderr.write(f"diagram: note: {result.note}")
        out = options["output"]
        if out == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            self._fail(f"{out}: cannot write ({exc.strerror or exc})")
