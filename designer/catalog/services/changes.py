"""The change record (the outbox): one ``Change`` row per write, in the write's transaction.

Every service of the project records its write here — the catalog's and other features' (the
lint review's waivers) alike — so the history, the team revision that caches key on, and the
live refresh of open pages see every change.
"""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from designer.catalog import live
from designer.catalog.models import Change, Team


def change_record(
    *, team: Team, user: Any, action: str, kind: str, obj_id: int | None, name: str,
    before: Any = None, after: Any = None, summary: str = "",
) -> Change:
    """Record a write (call inside its transaction): bumps the team revision, publishes after
    commit. ``kind`` is the history key (an element kind's, or ``team``, ``member``...)."""
    Team.objects.filter(pk=team.pk).update(revision=F("revision") + 1)
    team.refresh_from_db(fields=["revision"])
    change = Change.objects.create(
        team=team, user=user if getattr(user, "is_authenticated", False) else None,
        revision=team.revision, action=action, element_kind=kind, element_id=obj_id,
        element_name=name[:200], before=before, after=after, summary=summary[:300],
    )
    transaction.on_commit(lambda: live.publish_changes(team.pk))
    return change


def user_label(user: Any) -> str:
    return getattr(user, "username", "") or "someone"
