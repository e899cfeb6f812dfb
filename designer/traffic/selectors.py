"""Reads of the traffic kept for a team's live page."""
from __future__ import annotations

from typing import Any

from designer.catalog.models import Team

from .models import KeptFinding, TrafficSample

FINDINGS_SHOWN = 100  # kept findings listed on the page (the newest groups); the rest stay stored
SAMPLES_SHOWN = 50


def kept_findings(team: Team, limit: int = FINDINGS_SHOWN) -> Any:
    return KeptFinding.objects.filter(team=team)[:limit]


def recent_samples(team: Team, limit: int = SAMPLES_SHOWN) -> list[dict[str, Any]]:
    return list(TrafficSample.objects.filter(team=team).values("message_type", "at", "event")[:limit])
