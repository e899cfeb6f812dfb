"""Retention: old rows go, recent ones stay, and a team's kept findings are capped."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from designer.traffic import pipeline
from designer.traffic.models import KeptFinding, TrafficCounter, TrafficSample
from designer.traffic.tasks import prune

pytestmark = [pytest.mark.django_db]


@override_settings(TRAFFIC_RETENTION_MINUTES=60)
def test_it_prunes_rows_older_than_the_retention(make_team: Any) -> None:
    team = make_team()
    now = timezone.now()
    old, recent = now - timedelta(minutes=61), now - timedelta(minutes=5)
    for at, name in ((old, "old"), (recent, "new")):
        KeptFinding.objects.create(team=team, kind="duplicate-id", message_type=name, detail="d", count=1,
                                   first_seen=at, last_seen=at)
        TrafficCounter.objects.create(team=team, minute=at, message_type=name, events=1)
        TrafficSample.objects.create(team=team, message_type=name, slot=0, at=at, event={})
    assert prune() == 3
    assert list(KeptFinding.objects.values_list("message_type", flat=True)) == ["new"]
    assert list(TrafficCounter.objects.values_list("message_type", flat=True)) == ["new"]
    assert list(TrafficSample.objects.values_list("message_type", flat=True)) == ["new"]


def test_it_caps_the_kept_findings_of_a_team(make_team: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "MAX_KEPT_FINDINGS", 3)
    team = make_team()
    now = timezone.now()
    for i in range(5):
        at = now - timedelta(seconds=10 - i)
        KeptFinding.objects.create(team=team, kind="out-of-order", message_type=f"t{i}", detail="d", count=1,
                                   first_seen=at, last_seen=at)
    pipeline.prune_old()
    assert sorted(KeptFinding.objects.values_list("message_type", flat=True)) == ["t2", "t3", "t4"]
