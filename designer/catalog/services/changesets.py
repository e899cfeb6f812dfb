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
from designer.core import model as core
from designer.core.changeset import ChangeSet, complete_state, model_states

from .changes import StateChange
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
    writes = [c for c in changes.elements if c.after is not None]
    replies = _reply_depths(writes)
    writes.sort(key=lambda c: (order[c.kind], replies.get(c.name, 0) if c.kind == "message" else 0))
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
        # Complete: an attribute a state leaves out (extensions when there are none) is cleared;
        # of an existing element only what differs is written (unchanged versions and relations
        # are not rewritten, which keeps a 1,000-element restore fast).
        after = complete_state(kind.core, change.after)
        if row is not None and change.before is not None:
            before = complete_state(kind.core, change.before)
            after = {k: v for k, v in after.items() if k == "name" or before.get(k) != v}
        element_write(team=team, kind=kind, row=row, state=after, refs=refs)
    if changes.settings:
        team_settings_write(team=team, settings={k: after for k, (_, after) in changes.settings.items()})


def _reply_depths(writes: list[Any]) -> dict[str, int]:
    """How many written messages each written message's reply chain goes through, so a reply
    is written before the query that names it (a message names another message)."""
    reply = {c.name: (c.after or {}).get("reply") or "" for c in writes if c.kind == "message"}
    depths: dict[str, int] = {}
    for name in reply:
        depth, seen, at = 0, {name}, reply[name]
        while at in reply and at not in seen:
            depth, at = depth + 1, reply[at]
            seen.add(at)
        depths[name] = depth
    return depths


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


def team_settings_state(team: Team) -> dict[str, Any]:
    """The team's design-file settings as ``designer.core.changeset.settings_of`` writes them
    (what ``team_settings_write`` takes back)."""
    lint = team.lint_config or {}
    return {
        "name": team.name,
        "description": team.description,
        "envelope": {"profile": team.envelope_profile, "schema": team.envelope_schema},
        "lint": {"severities": dict(lint.get("severities") or {}), "options": dict(lint.get("options") or {})},
        "default_compat": {**core.Model().default_compat, **(team.default_compat or {})},
    }


def changeset_record(team: Team, changes: ChangeSet) -> list[StateChange]:
    """What the history keeps of an applied change set (call after ``changeset_apply``, pass to
    ``change_record(states=...)``): each element it touched before and after — read back from
    the rows, so the record is what was written — and the team settings. The ``Change`` row
    itself keeps no copy (``ElementState`` rows are the record; the change page reads them)."""
    from designer.catalog.selectors.model import model_snapshot

    now = model_states(model_snapshot(team)) if changes.elements else {}
    states: list[StateChange] = []
    for c in changes.elements:
        name = (c.after or {}).get("name", c.name)
        after = now.get((c.kind, name))
        if name != c.name:
            states += [(c.kind, c.name, c.before, None), (c.kind, name, None, after)]
        else:
            states.append((c.kind, c.name, c.before, after))
    if changes.settings:
        new = team_settings_state(team)
        old = {**new, **{k: before for k, (before, _) in changes.settings.items()}}
        states.append(("settings", "team", old, new))
    return states
