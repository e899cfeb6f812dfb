"""Writes of membership: roles, removals and one-time invitation links."""
from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.catalog.live import access_revoked, user_access_group
from designer.catalog.models import ROLE_OWNER, Invitation, Membership, Team

from .changes import change_record
from .errors import ValidationFailed
from .tokens import secret_hash

ROLES = ("owner", "editor", "viewer")


def membership_set(*, team: Team, actor: Any, user: Any, role: str) -> Membership:
    if role not in ROLES:
        raise ValidationFailed({"role": ["Role must be owner, editor or viewer."]})
    with transaction.atomic():
        m, created = Membership.objects.select_for_update().get_or_create(team=team, user=user, defaults={"role": role})
        before = None if created else {"role": m.role}
        if not created and m.role == ROLE_OWNER and role != ROLE_OWNER:
            _ensure_another_owner(team, user)
        changed = not created and m.role != role
        m.role = role
        m.save()
        if changed:  # open pages reconnect and get what the new role allows
            access_revoked(user_access_group(user.pk), team_id=team.pk, reason="role changed")
        change_record(team=team, user=actor, action="member", kind="member", obj_id=m.pk, name=user.username,
                      before=before, after={"role": role}, summary=f"{user.username} is now {role}")
    return m


def _ensure_another_owner(team: Team, user: Any) -> None:
    if not Membership.objects.filter(team=team, role=ROLE_OWNER).exclude(user=user).exists():
        raise ValidationFailed("A team needs at least one owner: make someone else owner first.")


def membership_remove(*, team: Team, actor: Any, user: Any) -> None:
    with transaction.atomic():
        m = Membership.objects.select_for_update().filter(team=team, user=user).first()
        if m is None:
            raise ValidationFailed(f"{user.username} is not a member of this team.")
        if m.role == ROLE_OWNER:
            _ensure_another_owner(team, user)
        m.delete()
        access_revoked(user_access_group(user.pk), team_id=team.pk, reason="removed from the team")
        change_record(team=team, user=actor, action="member", kind="member", obj_id=None, name=user.username,
                      before={"role": m.role}, after=None, summary=f"Removed {user.username}")


def invitation_create(*, team: Team, actor: Any, role: str) -> tuple[Invitation, str]:
    """Create a one-time invitation; returns it and the secret for the link (shown once)."""
    if role not in ROLES:
        raise ValidationFailed({"role": ["Role must be owner, editor or viewer."]})
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        inv = Invitation.objects.create(team=team, role=role, token_hash=secret_hash(secret), created_by=actor)
        change_record(team=team, user=actor, action="invite", kind="member", obj_id=inv.pk, name=role,
                      summary=f"Invitation link for a new {role}")
    return inv, secret


def invitation_accept(*, secret: str, user: Any) -> Team:
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().filter(token_hash=secret_hash(secret or "")).first()
        if inv is None or inv.used_at or inv.revoked_at:
            raise ValidationFailed("This invitation link is not valid any more (used, revoked or mistyped).")
        inv.used_at = timezone.now()
        inv.used_by = user
        inv.save()
        existing = Membership.objects.filter(team=inv.team, user=user).first()
        if existing is None:
            Membership.objects.create(team=inv.team, user=user, role=inv.role)
        change_record(team=inv.team, user=user, action="member", kind="member", obj_id=inv.pk, name=user.username,
                      after={"role": inv.role}, summary=f"{user.username} joined as {inv.role}")
    return inv.team


def invitation_revoke(*, team: Team, actor: Any, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        change_record(team=team, user=actor, action="revoke", kind="member", obj_id=invitation.pk, name="invitation",
                      summary="Revoked an invitation link")
