"""Background work: eager in-process on the embedded default, a real Celery worker in production."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from designer.catalog.models import Change
from designer.catalog.tasks import relay_changes

ROOT = Path(__file__).resolve().parents[2]


def _unpublished(team: Any) -> Change:
    return Change.objects.create(team=team, revision=999, action="update", element_kind="service", element_name="x")


@pytest.mark.django_db
def test_it_relays_unpublished_changes_in_process_on_the_embedded_default(make_team: Any) -> None:
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("production mode runs the worker test below instead")
    team = make_team()
    change = _unpublished(team)
    assert relay_changes.delay(team.pk).get(timeout=10) >= 1
    change.refresh_from_db()
    assert change.published_at is not None


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_it_relays_changes_through_a_real_celery_worker_in_production_mode(make_team: Any, celery_worker: Any) -> None:
    team = make_team()
    change = _unpublished(team)
    result = relay_changes.apply_async((team.pk,), ignore_result=False)  # results are off by default
    assert result.get(timeout=60) >= 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        change.refresh_from_db()
        if change.published_at:
            break
        time.sleep(0.2)
    assert change.published_at is not None
