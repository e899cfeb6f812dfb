"""Restore: an element, the elements one change touched, or the whole model, back to how the
history says it was — computed as a change set (``designer.core.changeset``), previewed, and
applied as one new recorded change.

The history keeps, for every change, the whole state of each element it touched before and
after (``ElementState``). The model right after change C is, per element, the ``after`` of its
last record up to C, or the ``before`` of its first record after C; an element no change ever
touched is as it is now.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from designer.catalog.models import Change, ElementState, Team
from designer.catalog.selectors.model import model_snapshot
from designer.core import kinds as core_kinds
from designer.core.changeset import SETTINGS, ChangeSet, ElementChange, dangling, model_states

from .changes import change_record
from .changesets import changeset_apply, changeset_record, team_settings_state
from .errors import ValidationFailed

Key = tuple[str, str]  # (kind key, name); kind "settings" name "team" for the team's settings
SCOPES = ("model", "element", "undo")


@dataclass(frozen=True)
class Restore:
    """What a restore would do: the change set, and why it cannot be applied (empty: it can)."""

    change: Change
    scope: str
    element: Key | None
    changes: ChangeSet
    conflicts: tuple[str, ...]

    @property
    def title(self) -> str:
        if self.scope == "undo":
            return f"Undo change #{self.change.pk} ({self.change.summary})"
        if self.scope == "element" and self.element:
            return f"Restore {self.element[0]} {self.element[1]} to right after change #{self.change.pk}"
        return f"Restore the model to right after change #{self.change.pk}"


def element_key(text: str) -> Key:
    """``messages/OrderPlaced`` (the element keys lint and the design file use) or
    ``message:OrderPlaced`` -> ``("message", "OrderPlaced")``."""
    section, sep, name = text.partition("/")
    if sep and section in core_kinds.BY_SECTION and name:
        return core_kinds.BY_SECTION[section].key, name
    key, sep, name = text.partition(":")
    if sep and key in core_kinds.BY_KEY and name:
        return key, name
    raise ValidationFailed(f"Unknown element {text!r}: write it as messages/NAME, services/NAME, channels/NAME "
                           "or flows/NAME.")


def team_change(team: Team, change_id: Any) -> Change:
    """One change of the team's history, or a clear refusal (another team's change is not found)."""
    try:
        cid = int(change_id)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{change_id!r} is not a change number.") from None
    change = Change.objects.filter(team=team, pk=cid).first()
    if change is None:
        raise ValidationFailed(f"Change #{cid} is not in the history of team {team.slug}.")
    return change


def states_at(team: Team, upto: int, keys: Collection[Key] | None = None) -> dict[Key, Any]:
    """Each recorded element's state right after change ``upto`` (None: it did not exist)."""
    rows = ElementState.objects.filter(team=team)
    if keys is not None:
        q = Q(pk__in=[])
        for kind, name in keys:
            q |= Q(kind=kind, name=name)
        rows = rows.filter(q)
    out: dict[Key, Any] = {}
    later: dict[Key, Any] = {}
    for cid, kind, name, before, after in rows.order_by("change_id", "id").values_list(
            "change_id", "kind", "name", "before", "after").iterator():
        key = (kind, name)
        if cid <= upto:
            out[key] = after
        elif key not in out and key not in later:
            later[key] = before
    return {**later, **out}


def restore_plan(*, team: Team, change: Change, scope: str = "model", element: Key | None = None) -> Restore:
    """What restoring would change. ``model``: the whole model to right after ``change``;
    ``element``: one element to right after it; ``undo``: every element ``change`` touched back to
    how it was before it."""
    if scope not in SCOPES:
        raise ValidationFailed(f"Unknown restore {scope!r}: use model, element or undo.")
    if scope == "element" and element is None:
        raise ValidationFailed("Say which element to restore.")
    if scope == "undo":
        keys: list[Key] | None = list(change.states.values_list("kind", "name"))
        if not keys:
            raise ValidationFailed(f"Change #{change.pk} changed no element of the model"
                                   " (or was recorded before restores were kept); there is nothing to undo.")
        targets = states_at(team, change.pk - 1, keys)
    else:
        keys = [element] if scope == "element" and element else None
        targets = states_at(team, change.pk, keys)
        if scope == "element" and element not in targets:
            raise ValidationFailed(f"No change of the history touched {element[0]} {element[1]}"  # type: ignore[index]
                                   " (it is as it always was, or was recorded before restores were kept).")
    current: dict[Key, Any] = model_states(model_snapshot(team))
    elements = []
    settings: dict[str, tuple[Any, Any]] = {}
    for key, target in sorted(targets.items()):
        if key[0] == "settings":
            now = team_settings_state(team)
            settings = {k: (now[k], target[k]) for k in SETTINGS if target and k in target and now[k] != target[k]}
            continue
        if current.get(key) != target:
            elements.append(ElementChange(key[0], key[1], current.get(key), target))
    order = {k.key: i for i, k in enumerate(core_kinds.ELEMENT_KINDS)}
    elements.sort(key=lambda c: (order[c.kind], c.name))
    changes = ChangeSet(elements=tuple(elements), settings=settings)
    result = {**current, **{(c.kind, c.name): c.after for c in elements}}
    deleting = {(c.kind, c.name) for c in elements if c.after is None}
    conflicts = tuple(_conflict(team, deleting, *d) for d in dangling(result))
    return Restore(change=change, scope=scope, element=element, changes=changes, conflicts=conflicts)


def _conflict(team: Team, deleting: set[Key], kind: str, name: str, other_kind: str, other: str) -> str:
    """Why a restore cannot be applied, in words: what would name something that is gone."""
    if other_kind == "version":
        return (f"A consumer of message {name} is pinned to version {other}, which the restore removes; "
                "unpin it or restore that version first.")
    if (other_kind, other) in deleting:
        last = ElementState.objects.filter(team=team, kind=kind, name=name).order_by("-change_id").first()
        why = f" (since change #{last.change_id})" if last else ""
        return (f"The restore would delete {other_kind} {other}, but {kind} {name} names it{why}; "
                f"remove that first, or restore {kind} {name} too (the whole model).")
    last = ElementState.objects.filter(team=team, kind=other_kind, name=other).order_by("-change_id").first()
    why = f" (deleted by change #{last.change_id})" if last and last.after is None else ""
    return (f"{kind} {name} would name {other_kind} {other}, which does not exist{why}; "
            f"restore {other_kind} {other} first, or restore the whole model.")


def restore_apply(*, team: Team, user: Any, change: Change, scope: str = "model", element: Key | None = None,
                  revision: int | None = None) -> Change:
    """Apply a restore as one new recorded change. ``revision``: the team revision the preview
    was computed at; refused when the model moved since (the preview would be stale)."""
    with transaction.atomic():
        locked = Team.objects.select_for_update().get(pk=team.pk)
        if revision is not None and locked.revision != revision:
            raise ValidationFailed("The model changed since this preview was made; nothing was restored. "
                                   "Look at the new preview and apply it again.")
        plan = restore_plan(team=team, change=change, scope=scope, element=element)
        if plan.conflicts:
            raise ValidationFailed("Cannot restore: " + " ".join(plan.conflicts) + " Nothing was changed.")
        if not plan.changes:
            raise ValidationFailed("Nothing to restore: it is already that way.")
        changeset_apply(team=team, changes=plan.changes)
        name = f"{element[0]} {element[1]}" if element else team.name
        return change_record(team=team, user=user, action="restore", kind="team", obj_id=team.pk, name=name,
                             summary=plan.title, states=changeset_record(team, plan.changes))
