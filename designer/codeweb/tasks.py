from __future__ import annotations

from celery import shared_task


@shared_task(name="codeweb.build_bundle", time_limit=300, soft_time_limit=270)
def build_bundle(bundle_id: int) -> None:
    """Build a team code bundle (idempotent: a ready bundle is left as it is)."""
    from .services import bundle_build

    bundle_build(bundle_id)
