"""Reads of teams and membership: who may see which team."""
from __future__ import annotations

from typing import Any

from django.http import Http404

from designer.catalog.kinds import KINDS
from designer.catalog.models import Membership, Team

ROLE_RANK = {"viewer": 0, "editor": 1, "owner": 2}


def membership_for(user: Any, slug: str) -> Membership:
    """The user's membership of team ``slug``; 404 for non-members and unknown teams alike."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such team.")
    m = Membership.objects.select_related("team").filter(team__slug=slug, user=user).first()
    if m is None:
        raise Http404("No such team.")
    return m


def user_teams(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.select_related("team").filter(user=user).order_by("team__name"))


def team_counts(team: Team) -> dict[str, int]:
    """How many elements of each kind the team has, and of each value of a list filter
    (``{"services": 4, "messages": 9, "events": 6, ...}``)."""
    counts: dict[str, int] = {}
    for kind in KINDS:
        qs = kind.model.objects.filter(team=team)
        counts[kind.coll] = qs.count()
        for flt in kind.filters:
            for value, label in flt.options:
                counts[label] = qs.filter(**{kind.column(flt.attr): value}).count()
    return counts
