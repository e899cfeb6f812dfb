from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import Team


class Command(BaseCommand):
    help = "Create an API token for team SLUG and print it once (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True)
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}")
        _, secret = svc.token_create(team=team, actor=None, name=opts["name"] or "CLI")
        self.stdout.write(secret)
