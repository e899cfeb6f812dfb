from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import Team


class Command(BaseCommand):
    help = "Give an existing user a role (owner, editor, viewer) in team SLUG."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True)
        parser.add_argument("--user", required=True, help="an existing username")
        parser.add_argument("--role", required=True, choices=["owner", "editor", "viewer"])

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}")
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user named {opts['user']!r}: they must sign up (or be created) first")
        try:
            svc.membership_set(team=team, actor=None, user=user, role=opts["role"])
        except svc.ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.username} is {opts['role']} of {team.slug}"))
