from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import ApiToken, Team


class Command(BaseCommand):
    help = ("Revoke an API token of team SLUG, given the secret create_token printed or the prefix the "
            "Tokens page shows (efd_…). Its open streams close and ingest refuses it within a second.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True)
        parser.add_argument("--token", required=True, help="the token's secret, or its 12-character prefix")

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}")
        given = (opts["token"] or "").strip()
        tokens = ApiToken.objects.filter(team=team)
        token = tokens.filter(token_hash=svc.secret_hash(given)).first()
        if token is None and given:
            by_prefix = list(tokens.filter(prefix=given[:12])) if len(given) == 12 else []
            if len(by_prefix) > 1:
                raise CommandError(f"{len(by_prefix)} tokens of {team.slug} start with {given!r}: give the whole secret")
            token = by_prefix[0] if by_prefix else None
        if token is None:
            # Never echo a whole secret back (it may be another team's): its first characters suffice.
            raise CommandError(f"team {team.slug} has no token {given[:12]!r}… (give the secret create_token "
                               "printed, or the prefix shown on the team's Tokens page)")
        if token.revoked_at is not None:
            self.stdout.write(f"{token.prefix}… of {team.slug} was already revoked at {token.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
            return
        svc.token_revoke(team=team, actor=None, token=token)
        self.stdout.write(self.style.SUCCESS(f"revoked {token.prefix}… of {team.slug}"))
