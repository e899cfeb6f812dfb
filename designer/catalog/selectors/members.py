"""Reads of members, invitations and tokens."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from designer.catalog.models import ApiToken, Invitation, Membership, Team


def team_memberships(team: Team) -> Any:
    return Membership.objects.filter(team=team).select_related("user")


def membership_get(team: Team, pk: Any) -> Membership:
    return get_object_or_404(Membership, pk=pk, team=team)


def user_by_username(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def open_invitations(team: Team) -> Any:
    return Invitation.objects.filter(team=team, used_at__isnull=True, revoked_at__isnull=True)


def invitation_get(team: Team, pk: Any) -> Invitation:
    return get_object_or_404(Invitation, pk=pk, team=team)


def invitation_for_secret(secret: str) -> Invitation | None:
    """The invitation a link's secret opens, if it is still usable (compares hashes only)."""
    from designer.catalog.services.tokens import secret_hash

    inv = Invitation.objects.select_related("team").filter(token_hash=secret_hash(secret)).first()
    return inv if inv is not None and not inv.used_at and not inv.revoked_at else None


def team_tokens(team: Team) -> Any:
    return ApiToken.objects.filter(team=team)


def token_get(team: Team, pk: Any) -> ApiToken:
    return get_object_or_404(ApiToken, pk=pk, team=team)
