"""Print a team's history (or one element's), one change per line, newest first."""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import Team
from designer.catalog.selectors import changes_of_element, team_changes


class Command(BaseCommand):
    help = ("Print team SLUG's history, newest first, one change per line beginning with its id "
            "(the id `restore --to` takes). --element messages/NAME: only the changes of that element.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True)
        parser.add_argument("--element", default="", help="an element key: messages/NAME, services/NAME...")
        parser.add_argument("--limit", type=int, default=0, help="at most this many changes (default: all)")

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}")
        if opts["element"]:
            try:
                kind, name = svc.element_key(opts["element"])
            except svc.ValidationFailed as exc:
                raise CommandError(str(exc)) from None
            changes = changes_of_element(team, kind, name, limit=opts["limit"] or None)
        else:
            changes = team_changes(team, opts["limit"] or None)
        for c in changes:
            who = c.user.username if c.user else "system"
            summary = " ".join((c.summary or c.action).split())  # one line, whatever the summary holds
            self.stdout.write(f"{c.pk}\t{c.at:%Y-%m-%d %H:%M:%S}\t{who}\t{c.action}\t{summary}")
