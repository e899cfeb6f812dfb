"""Create (once) the demo user and the demo shop team. Idempotent: a second run changes nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import Membership, Team
from designer.core.formats import native

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "shop.yaml"
DEMO_USER, DEMO_PASSWORD, DEMO_TEAM = "demo", "demo", "demo-shop"


class Command(BaseCommand):
    help = "Create the demo user (demo / demo) and the demo shop team if missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="re-import the demo model even if the team exists")

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USER).first()
        if user is None:
            user = User.objects.create_user(DEMO_USER, password=DEMO_PASSWORD)
        team = Team.objects.filter(slug=DEMO_TEAM).first()
        created = team is None
        if created:
            team = svc.team_create(user=user, name="Demo shop", slug=DEMO_TEAM,
                                   description="An online shop: orders, payments, inventory, shipping and email.")
        elif not Membership.objects.filter(team=team, user=user).exists():
            svc.membership_set(team=team, actor=None, user=user, role="owner")
        if created or opts["reset"]:
            model = native.load(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
            svc.model_import(team=team, user=user, model=model, mode="replace")
        self.stdout.write(f"demo team: {team.slug} ({'created' if created else 'present'}); login {DEMO_USER} / {DEMO_PASSWORD}")
