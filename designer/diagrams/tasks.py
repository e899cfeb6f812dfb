"""Celery tasks of the diagrams app: take ids and plain options, idempotent, time-limited."""
from __future__ import annotations

from typing import Any

from celery import shared_task


# graphviz is time-boxed inside (dot 5 s, then sfdp 20 s; see catalog.render); the limits only
# catch a stuck process. services.STALE_PENDING is longer than the hard limit.
@shared_task(name="diagrams.render_diagram", time_limit=90, soft_time_limit=75)
def render_diagram(team_id: int, revision: int, options: dict[str, Any]) -> str:
    """Draw one view of a team's model for ``revision`` and store it in the render cache.

    Idempotent: a render that is already finished (ready or failed) is left as it is, and a
    team that is gone or has moved to a newer revision is skipped. Returns the row's status.
    """
    from designer.catalog.models import Team

    from . import services
    from .options import ViewOptions

    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return "gone"
    row = services.draw(team=team, revision=revision, view=ViewOptions.from_dict(options))
    return row.status if row is not None else "stale"
