from __future__ import annotations

from celery import shared_task


@shared_task(name="lintreview.lint_team", time_limit=300, soft_time_limit=270)
def lint_team(team_id: int) -> str:
    """Lint the team's current revision in the background (idempotent); see ``relint``."""
    from .relint import lint_team as run

    return run(team_id)
