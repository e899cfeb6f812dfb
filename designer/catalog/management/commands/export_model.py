"""Export a team's model as a native design file or an AsyncAPI 3.0 document."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog.models import Team
from designer.catalog.selectors import team_model
from designer.core.formats import native


class Command(BaseCommand):
    help = "Export team SLUG's model (--format native|asyncapi) to stdout or -o FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True)
        parser.add_argument("--format", choices=["native", "asyncapi"], default="native")
        parser.add_argument("--service", default="", help="asyncapi: one service's document")
        parser.add_argument("-o", "--output", default="", help="file to write (default: stdout)")

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}")
        model = team_model(team)
        if opts["format"] == "asyncapi":
            from designer.core.formats import asyncapi  # here: the native path starts faster without it

            if opts["service"] and opts["service"] not in model.services_by_name:
                raise CommandError(f"no service named {opts['service']!r} in team {team.slug}")
            text = asyncapi.dump_yaml(model, service=opts["service"] or None)
        else:
            text = native.dump(model)
        if opts["output"]:
            try:
                Path(opts["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {opts['output']}: {exc.strerror}") from None
            self.stderr.write(f"Wrote {opts['output']}")
        else:
            self.stdout.write(text, ending="")
