"""The change record (the outbox): one ``Change`` row per write, in the write's transaction.

Every service of the project records its write here — the catalog's and other features' (the
lint review's waivers) alike — so the history, the team revision that caches key on, and the
live refresh of open pages see every change.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F

from designer.catalog import kinds, live
from designer.catalog.kinds import ElementKind
from designer.catalog.models import Change, ElementState, Team

# (kind key, name, whole state before, whole state after): what a change did to one element.
StateChange = tuple[str, str, Any, Any]


class Touched:
    """The elements a write touches, their whole states taken before the write and read again
    after it: what the history keeps so that any change can be restored.

    >>> touched = Touched(); touched.take(kind, row)   # before the write
    >>> change_record(..., touched=touched)           # after it, in the same transaction
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, int], tuple[ElementKind, str | None, Any]] = {}

    def take(self, kind: ElementKind, row: Any, *, with_affected: bool = False) -> None:
        """Note ``row``'s state now; ``with_affected``: and of the elements whose state names it
        (a rename or a delete changes their relations and steps)."""
        if (kind.key, row.pk) not in self._rows:
            self._rows[(kind.key, row.pk)] = (kind, row.name, kind.full_state(row))
        if with_affected:
            for other in kind.affected(row):
                self.take(kinds.of(other), other)

    def created(self, kind: ElementKind, row: Any) -> None:
        """Note a row the write created."""
        self._rows.setdefault((kind.key, row.pk), (kind, None, None))

    def states(self) -> list[StateChange]:
        out: list[StateChange] = []
        for (key, pk), (kind, name, before) in self._rows.items():
            row = kind.model.objects.filter(pk=pk).first()
            after = kind.full_state(row) if row is not None else None
            new_name = row.name if row is not None else name
            assert new_name is not None
            if name is not None and new_name != name:  # a rename: one name goes, another comes
                out += [(key, name, before, None), (key, new_name, None, after)]
            elif before != after:
                out.append((key, new_name, before, after))
        return out


def change_record(
    *, team: Team, user: Any, action: str, kind: str, obj_id: int | None, name: str,
    before: Any = None, after: Any = None, summary: str = "",
    touched: Touched | None = None, states: Iterable[StateChange] = (),
) -> Change:
    """Record a write (call inside its transaction): bumps the team revision, publishes after
    commit. ``kind`` is the history key (an element kind's, or ``team``, ``member``...).
    ``touched`` / ``states``: the whole states of the elements the write changed, before and
    after, kept for restores (``ElementState``)."""
    Team.objects.filter(pk=team.pk).update(revision=F("revision") + 1)
    team.refresh_from_db(fields=["revision"])
    change = Change.objects.create(
        team=team, user=user if getattr(user, "is_authenticated", False) else None,
        revision=team.revision, action=action, element_kind=kind, element_id=obj_id,
        element_name=name[:200], before=before, after=after, summary=summary[:300],
    )
    rows = [*(touched.states() if touched is not None else ()), *states]
    ElementState.objects.bulk_create(
        ElementState(team=team, change=change, kind=k, name=n[:200], before=b, after=a) for k, n, b, a in rows)
    transaction.on_commit(lambda: live.publish_changes(team.pk))
    return change


def user_label(user: Any) -> str:
    return getattr(user, "username", "") or "someone"
