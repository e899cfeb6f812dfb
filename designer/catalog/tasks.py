"""Celery tasks of the catalog. Tasks take ids, are idempotent and have time limits."""
from __future__ import annotations

from celery import shared_task

from . import live


@shared_task(name="catalog.relay_changes", time_limit=60, soft_time_limit=50)
def relay_changes(team_id: int | None = None) -> int:
    """Publish change records that were not relayed after commit (e.g. a process died).

    Idempotent: a change is published once, marked under a row lock.
    """
    from .models import Change

    team_ids = [team_id] if team_id else list(
        Change.objects.filter(published_at__isnull=True).values_list("team_id", flat=True).distinct()[:1000]
    )
    return sum(live.publish_changes(tid) for tid in team_ids)
