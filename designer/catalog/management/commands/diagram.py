"""``manage.py diagram``: see ``designer.cli.diagram``; this adds ``--team`` (the database)."""
from __future__ import annotations

from typing import Any

from designer.catalog.management.filecommand import FileCommand
from designer.core.model import Model


def _team_model(slug: str) -> Model:
    from designer.catalog.models import Team
    from designer.catalog.selectors import team_model
    from designer.cli.diagram import Unusable

    try:
        team = Team.objects.get(slug=slug)
    except Team.DoesNotExist:
        raise Unusable(f"no team with slug {slug!r}") from None
    return team_model(team)


class Command(FileCommand):
    cli_name = "diagram"

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_cli(options, team_model=_team_model)
