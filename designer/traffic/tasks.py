"""Celery tasks of the traffic app: pruning what is kept past the retention setting.

Each server process also prunes once a minute while it ingests; this task covers deployments
where ingest is quiet (schedule it with celery beat, e.g. every 10 minutes).
"""
from __future__ import annotations

from celery import shared_task

from .pipeline import prune_old


@shared_task(name="traffic.prune", time_limit=300, soft_time_limit=280)
def prune() -> int:
    """Delete traffic findings, counters and samples older than TRAFFIC_RETENTION_MINUTES."""
    return prune_old()
