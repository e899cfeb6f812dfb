"""Reads of the change history."""
from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from designer.catalog.models import Change, Team


def recent_changes(team: Team, limit: int = 20) -> list[Change]:
    return list(Change.objects.filter(team=team).select_related("user")[:limit])


def element_changes(team: Team, kind: str, element_id: int, limit: int = 100) -> list[Change]:
    return list(Change.objects.filter(team=team, element_kind=kind, element_id=element_id).select_related("user")[:limit])


def changes_of_element(team: Team, kind: str, name: str, element_id: int | None = None,
                       limit: int | None = 100) -> list[Change]:
    """Every change that touched the element called ``name`` (through the states the history
    keeps, so a deleted and restored element keeps its history), newest first."""
    q = Q(states__kind=kind, states__name=name)
    if element_id is not None:
        q |= Q(element_kind=kind, element_id=element_id)
    qs = Change.objects.filter(q, team=team).distinct().select_related("user")
    return list(qs[:limit] if limit else qs)


def team_changes(team: Team, limit: int | None = None) -> list[Change]:
    """The team's history, newest first (all of it without ``limit``)."""
    qs = Change.objects.filter(team=team).select_related("user")
    return list(qs[:limit] if limit else qs)


def change_get(team: Team, cid: int) -> Change:
    """One change of the team; 404 for another team's."""
    return get_object_or_404(Change, pk=cid, team=team)
