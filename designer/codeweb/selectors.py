"""Reads of code bundles for the code pages (views read through here, never the ORM)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404

from designer.catalog.models import Team

from .models import CodeBundle


def bundles_recent(team: Team, n: int = 5) -> list[CodeBundle]:
    """The team's last ``n`` bundle builds, without their zip bytes."""
    return list(CodeBundle.objects.filter(team=team).defer("data")[:n])


def bundle_get(team: Team, bid: int, *, ready: bool = False) -> CodeBundle:
    """One bundle of the team (with its zip only when ``ready`` is asked); 404 for another team's."""
    if ready:
        return get_object_or_404(CodeBundle, pk=bid, team=team, status="ready")
    return get_object_or_404(CodeBundle.objects.defer("data"), pk=bid, team=team)
