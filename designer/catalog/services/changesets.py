"""Apply a change set (``designer.core.changeset``) to a team's rows, in one transaction.

Imports apply one today; restoring the model to an earlier point and merging a proposal are
the same operation on another change set. The caller records the change (``change_record``)
in the same transaction, with the before and after it wants to keep.
"""
from __future__ import annotations

from typing import Any

from designer.catalog import kinds
from designer.catalog.kinds import Refs
from designer.catalog.models import Team
from designer.core.changeset import ChangeSet

from .elements import element_write
from .errors import ValidationFailed


def changeset_apply(*, team: Team, changes: ChangeSet, expect_before: bool = False) -> None:
    """Write ``changes`` (inside the caller's transaction).

    Deletes go first, from what names others to what is named (flows before services); then
    creates and updates the other way round, so every name a state uses exists when it is
    written. ``expect_before``: refuse when an element is no longer in its ``before`` state
    (someone changed it since the change set was computed).
    """
    refs = Refs(team)
    order = {k.key: i for i, k in enumerate(kinds.KINDS)}
    deletes = sorted((c for c in changes.elements if c.after is None), key=lambda c: -order[c.kind])
    writes = sorted((c for c in changes.elements if c.after is not None), key=lambda c: order[c.kind])
    for change in [*deletes, *writes]:
        kind = kinds.by_key(change.kind)
        row = refs.find(kind.key, change.name)
        if expect_before:
            current = kind.full_state(row) if row is not None else None
            if current != change.before:
                raise ValidationFailed(f"The {kind.label} “{change.name}” changed meanwhile; nothing was saved.")
        if change.after is None:
            if row is not None:
                row.delete()
                refs.drop(kind.key, change.name)
            continue
        element_write(team=team, kind=kind, row=row, state=change.after, refs=refs)
    if changes.settings:
        team_settings_write(team=team, settings={k: after for k, (_, after) in changes.settings.items()})


def team_settings_write(*, team: Team, settings: dict[str, Any]) -> None:
    """Store design-file settings (``designer.core.changeset.SETTINGS``) in the team's columns."""
    fields: dict[str, Any] = {}
    if "name" in settings:
        fields["name"] = settings["name"][:120]
    if "description" in settings:
        fields["description"] = settings["description"]
    if "envelope" in settings:
        fields["envelope_profile"] = settings["envelope"]["profile"]
        fields["envelope_schema"] = settings["envelope"]["schema"]
    if "lint" in settings:
        fields["lint_config"] = settings["lint"]
    if "default_compat" in settings:
        fields["default_compat"] = settings["default_compat"]
    Team.objects.filter(pk=team.pk).update(**fields)
    team.refresh_from_db()
