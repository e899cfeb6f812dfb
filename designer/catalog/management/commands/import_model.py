"""Import a design-as-code file or an AsyncAPI document into a team."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import Team
from designer.cli.modelfile import ModelFileError, read_model


class Command(BaseCommand):
    help = (
        "Import PATH (a native design file, an AsyncAPI 2.x/3.x document -- with the files its $refs "
        "name next to it -- or a zip of them) into team SLUG, "
        "creating the team if it does not exist. --mode replace (default) makes the team's model "
        "exactly the file: elements not in the file are deleted. --mode merge sets only what the file carries and "
        "deletes nothing (docs/model-format.md). The import is all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--team", required=True, help="team slug (created when missing)")
        parser.add_argument("--mode", choices=["replace", "merge"], default="replace",
                            help="replace (default): the team's model becomes the file; merge: set what the file carries, delete nothing")
        parser.add_argument("--replace-all", action="store_true",
                            help="with --mode replace: allow a file that shares no element with the team")
        parser.add_argument("--name", default="", help="team name when the team is created (default: the file's name, else the slug)")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        if path.is_file() and path.stat().st_size > settings.DESIGNER_MAX_MODEL_BYTES:
            raise CommandError(f"{path}: larger than {settings.DESIGNER_MAX_MODEL_BYTES:,} bytes")
        try:
            # The same reader as `lint` (and the web import): the same documents, the same words.
            model = read_model(path)
        except ModelFileError as exc:
            raise CommandError(str(exc)) from None
        team = Team.objects.filter(slug=opts["team"]).first()
        try:
            if team is None:
                # A new team is named after the file (an import never renames an existing team).
                team = svc.team_create(user=None, name=opts["name"] or model.name or opts["team"], slug=opts["team"],
                                       description=model.description)
                self.stdout.write(f"Created team {team.slug}.")
            report = svc.model_import(team=team, user=None, model=model, mode=opts["mode"],
                                          replace_all=opts["replace_all"])
        except svc.ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {path} into {team.slug} ({opts['mode']}): {report.summary()}"))
