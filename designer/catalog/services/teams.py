"""Writes of teams: create one, change its settings."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from designer.catalog.live import access_revoked, team_access_group
from designer.catalog.models import ROLE_OWNER, Membership, Team
from designer.catalog.schemas import schema_errors

from .changes import change_record
from .changesets import team_settings_state
from .errors import ValidationFailed

SETTINGS = ("name", "description", "envelope_profile", "envelope_schema", "lint_config", "default_compat")


def team_create(*, user: Any, name: str, slug: str = "", description: str = "") -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": ["A team needs a name."]})
    slug = slugify(slug or name)[:60]
    if not slug:
        raise ValidationFailed({"slug": ["Choose a slug with at least one letter or digit."]})
    with transaction.atomic():
        if Team.objects.filter(slug=slug).exists():
            raise ValidationFailed({"slug": [f"The slug “{slug}” is taken; choose another."]})
        team = Team.objects.create(name=name[:120], slug=slug, description=description)
        if user is not None:
            Membership.objects.create(team=team, user=user, role=ROLE_OWNER)
        change_record(team=team, user=user, action="create", kind="team", obj_id=team.pk, name=team.name,
                      after={"name": team.name, "slug": team.slug}, summary=f"Created team {team.name}")
    return team


def team_settings_update(*, team: Team, actor: Any, lock_version: int | None = None, **fields: Any) -> Team:
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise ValidationFailed(f"Unknown settings: {', '.join(sorted(unknown))}")
    if "envelope_schema" in fields:
        errs = schema_errors(fields["envelope_schema"])
        if errs:
            raise ValidationFailed({"envelope_schema": errs})
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        if lock_version is not None and current.lock_version != lock_version:
            raise ValidationFailed("Someone changed the team settings meanwhile; reload and apply your edit again.")
        before = {k: getattr(current, k) for k in fields}
        old_state = team_settings_state(current)
        for k, v in fields.items():
            setattr(current, k, v)
        current.lock_version += 1
        current.save()
        new_state = team_settings_state(current)
        change_record(team=current, user=actor, action="settings", kind="team", obj_id=current.pk, name=current.name,
                      before=before, after=fields, summary="Changed team settings",
                      states=[("settings", "team", old_state, new_state)] if old_state != new_state else ())
    team.refresh_from_db()
    return team


def team_delete(*, team: Team, actor: Any) -> None:
    """Delete a team and everything in it; its members' and tokens' open websockets close."""
    with transaction.atomic():
        team_id = team.pk
        Team.objects.filter(pk=team_id).delete()
        access_revoked(team_access_group(team_id), team_id=team_id, reason="team deleted")
