"""Reads of the change history."""
from __future__ import annotations

from django.shortcuts import get_object_or_404

from designer.catalog.models import Change, Team


def recent_changes(team: Team, limit: int = 20) -> list[Change]:
    return list(Change.objects.filter(team=team).select_related("user")[:limit])


def element_changes(team: Team, kind: str, element_id: int, limit: int = 100) -> list[Change]:
    return list(Change.objects.filter(team=team, element_kind=kind, element_id=element_id).select_related("user")[:limit])


def change_get(team: Team, cid: int) -> Change:
    """One change of the team; 404 for another team's."""
    return get_object_or_404(Change, pk=cid, team=team)
