"""Open a proposal from a design file (for CI): print its URL and the lint/compatibility summary."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from designer.catalog import services as catalog
from designer.catalog.models import Team
from designer.cli.modelfile import ModelFileError, read_model
from designer.proposals import selectors, services


class Command(BaseCommand):
    help = ("Open a proposal in team SLUG holding what PATH (a design file or AsyncAPI document) would "
            "change (--mode merge, the default, or replace); the live model is not touched. Prints the "
            "proposal's URL (DESIGNER_BASE_URL + path) and its lint and compatibility summary; exits 1 when "
            "it would introduce lint errors or incompatible schema changes, 2 for unusable input.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--team", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--mode", choices=["merge", "replace"], default="merge")
        parser.add_argument("--user", default="", help="the proposer's username (default: none, shown as —)")

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}", returncode=2)
        path = Path(opts["path"])
        if path.is_file() and path.stat().st_size > settings.DESIGNER_MAX_MODEL_BYTES:
            raise CommandError(f"{path}: larger than {settings.DESIGNER_MAX_MODEL_BYTES:,} bytes", returncode=2)
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"no user named {opts['user']!r}", returncode=2)
        try:
            model = read_model(path)
            proposal = services.proposal_from_model(team=team, user=user, title=opts["title"], model=model,
                                                    mode=opts["mode"])
        except ModelFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except catalog.ValidationFailed as exc:
            raise CommandError(str(exc), returncode=2) from None
        review = selectors.review(proposal)
        url = os.environ.get("DESIGNER_BASE_URL", "").rstrip("/") + reverse("proposal_detail", args=[team.slug, proposal.pk])
        errors = [f for f in review.introduced if f.severity == "error"]
        incompatible = [v for v in review.verdicts if not v["compatible"]]
        counts = review.plan.changes.counts()
        changed = ", ".join(f"{label} {n} {section}" for label, by in counts.items() for section, n in sorted(by.items()))
        self.stdout.write(f"Proposal #{proposal.pk}: {url}")
        self.stdout.write(f"changes: {changed or 'none'}")
        self.stdout.write(f"lint: {len(review.introduced)} finding(s) introduced ({len(errors)} error(s)), "
                          f"{len(review.fixed)} fixed")
        for f in errors:
            self.stdout.write(f"  error {f.rule} {f.key}: {f.message}")
        self.stdout.write(f"compatibility: {len(review.verdicts)} changed schema(s), {len(incompatible)} incompatible")
        for v in incompatible:
            for b in v["breaks"]:
                self.stdout.write(f"  {v['message']} {v['version']} ({v['mode']}) {b['where']}: {b['why']} Fix: {b['fix']}")
        if errors or incompatible:
            raise CommandError("the proposal would introduce lint errors or incompatible changes", returncode=1)
