"""Reads of the traffic kept for a team's live page."""
from __future__ import annotations

from typing import Any

from designer.catalog.models import Team
from designer.core.infer import infer_schema

from .models import KeptFinding, TrafficSample

FINDINGS_SHOWN = 100  # kept findings listed on the page (the newest groups); the rest stay stored
SAMPLES_SHOWN = 50


def kept_findings(team: Team, limit: int = FINDINGS_SHOWN) -> Any:
    return KeptFinding.objects.filter(team=team)[:limit]


def recent_samples(team: Team, limit: int = SAMPLES_SHOWN) -> list[dict[str, Any]]:
    return list(TrafficSample.objects.filter(team=team).values("message_type", "at", "event")[:limit])


def undeclared_type_preview(team: Team, wire_type: str) -> tuple[dict[str, Any] | None, int]:
    """(the schema "Add to model" would give ``wire_type``, how many kept payloads it saw).

    The same inference as ``services.undeclared_type_adopt``: the schema kept with the
    finding, else one inferred from the kept samples; None when nothing of that type is kept.
    """
    whole = team.envelope_profile == "brief"  # brief-profile schemas describe the whole envelope
    payloads = [s.event if whole or not isinstance(s.event, dict) else s.event.get("data")
                for s in TrafficSample.objects.filter(team=team, message_type=wire_type)]
    kept = KeptFinding.objects.filter(team=team, kind="undeclared-type", message_type=wire_type).first()
    if kept is not None and kept.inferred_schema is not None:
        return kept.inferred_schema, max(len(payloads), 1)
    return (infer_schema(payloads) if payloads else None), len(payloads)
