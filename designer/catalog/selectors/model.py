"""The team's whole model as a core snapshot, built from the rows through the kind registry.

One snapshot per team is kept in the process, keyed by the team's revision. When the revision
moves by a few element changes (an edit, a rename, a new version or relation, a new element),
the snapshot is *patched*: the change records (``Change``, one per revision) name the elements
written, only their rows (and children, and a message's relations) are read again, and
everything else is kept. References are by name, so a rename also re-reads the elements whose
rows point at the renamed one (found through the references the kind registry declares: a
message's channel, a relation's service, a flow step's message...). A delete, an import, team
settings or a gap in the records rebuilds it from all the rows. Rebuilding a 1,000-message team
reads ~5,000 rows (most of a findings page's time after a change); a patch reads a handful.
A test holds patched snapshots to rebuilt ones.
"""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from designer.catalog.kinds import KINDS
from designer.catalog.kinds.flow import STEP
from designer.catalog.kinds.message import RELATION
from designer.catalog.models import Change, Relation, Team
from designer.core import model as core
from designer.core.changeset import element_from_state

# Change records of these history kinds write nothing the model holds.
OUTSIDE_THE_MODEL = frozenset({"member", "token", "waiver"})
# More changes than this since the kept snapshot, or more elements to read again: rebuild
# (about as cheap by then, and simpler).
PATCH_LIMIT = 50
READ_AGAIN_LIMIT = 500
_PATCHABLE_ACTIONS = frozenset({"create", "update"})

Names = dict[str, dict[int, str]]  # kind key -> pk -> name


@dataclass(frozen=True)
class _Kept:
    key: tuple[int, Any]  # (revision, team creation time)
    model: core.Model
    names: Names


# The key holds the team's creation time too: a primary key can be used again (SQLite reuses
# the highest one after a delete, tests roll back), a (pk, created_at) pair is not.
_SNAPSHOTS: dict[int, _Kept] = {}
_LOCK = threading.Lock()


def team_model(team: Team, *, fresh: bool = False) -> core.Model:
    """The team's whole model as a frozen ``core.Model`` (cached per team revision)."""
    revision, created = Team.objects.filter(pk=team.pk).values_list("revision", "created_at").first() or (0, None)
    with _LOCK:
        hit = _SNAPSHOTS.get(team.pk)
    if hit and not fresh and hit.key[1] == created:
        if hit.key[0] == revision:
            return hit.model
        patched = _patched(team, hit, revision) if hit.key[0] < revision else None
        if patched is not None:
            with _LOCK:
                _SNAPSHOTS[team.pk] = _Kept((revision, created), *patched)
            return patched[0]
    model, names = _snapshot(team, revision)
    with _LOCK:
        _SNAPSHOTS[team.pk] = _Kept((revision, created), model, names)
    return model


def model_snapshot(team: Team, revision: int | None = None) -> core.Model:
    """The team's model as its rows say now, read without the cache (writes use this inside
    their transaction: the cache is keyed on a revision that moves only when they record)."""
    return _snapshot(team, revision)[0]


def _relation_order(r: core.Relation) -> tuple[str, str, str]:
    return (r.message, r.role, r.service)


def _elements(kind: Any, rows: list[Any], names: Names, *, subset: bool = False) -> list[Any]:
    children = kind.core_children(rows, names, subset=subset)
    return [element_from_state(kind.core, {**kind.row_state(r, names), **children.get(r.pk, {})})
            for r in rows]


def _relations(rows: Iterable[Relation], names: Names) -> list[core.Relation]:
    return [RELATION.core.build(RELATION.row_state(r, names)) for r in rows]


def _snapshot(team: Team, revision: int | None = None) -> tuple[core.Model, Names]:
    team = Team.objects.get(pk=team.pk)
    rows: dict[str, list[Any]] = {}
    names: Names = {}
    for kind in KINDS:
        rows[kind.key] = list(kind.model.objects.filter(team=team))
        names[kind.key] = {r.pk: r.name for r in rows[kind.key]}
    elements: dict[str, Any] = {}
    for kind in KINDS:
        elements[kind.coll] = tuple(sorted(_elements(kind, rows[kind.key], names), key=lambda e: e.name))
    # Sorted here rather than by the database, so that a patched snapshot sorts the same way
    # whatever the database's collation.
    relations = tuple(sorted(_relations(Relation.objects.filter(team=team), names), key=_relation_order))
    lint_cfg = team.lint_config or {}
    default_compat = dict(core.Model().default_compat)
    default_compat.update(team.default_compat or {})
    model = core.Model(
        name=team.name,
        description=team.description,
        relations=relations,
        envelope=core.Envelope(profile=team.envelope_profile, schema=team.envelope_schema),
        lint=core.LintConfig(severities=dict(lint_cfg.get("severities") or {}),
                             options=dict(lint_cfg.get("options") or {})),
        default_compat=default_compat,
        revision=str(team.revision if revision is None else revision),
        **elements,
    )
    return model, names


def _touched(team: Team, since: int, revision: int) -> dict[str, set[int]] | None:
    """The elements written between the two revisions (kind key -> pks), or None when a change
    may reach beyond the elements it names (see the module docstring)."""
    if revision - since > PATCH_LIMIT:
        return None
    records = list(Change.objects.filter(team_id=team.pk, revision__gt=since, revision__lte=revision)
                   .values_list("action", "element_kind", "element_id"))
    if len(records) != revision - since:  # a revision without its record: do not guess
        return None
    keys = {kind.key for kind in KINDS}
    touched: dict[str, set[int]] = {}
    for action, kind_key, pk in records:
        if kind_key in OUTSIDE_THE_MODEL:
            continue
        if kind_key not in keys or action not in _PATCHABLE_ACTIONS or pk is None:
            return None
        touched.setdefault(kind_key, set()).add(pk)
    return touched


def _patched(team: Team, kept: _Kept, revision: int) -> tuple[core.Model, Names] | None:
    """``kept`` brought to ``revision`` by reading the written elements again, or None."""
    touched = _touched(team, kept.key[0], revision)
    if touched is None:
        return None
    names: Names = {key: dict(by_pk) for key, by_pk in kept.names.items()}
    rows: dict[str, list[Any]] = {}
    renamed: list[tuple[Any, int]] = []
    for kind in KINDS:
        pks = touched.get(kind.key)
        if not pks:
            continue
        rows[kind.key] = list(kind.model.objects.filter(team_id=team.pk, pk__in=pks))
        if len(rows[kind.key]) != len(pks):
            return None  # deleted since: its references went with it
        for r in rows[kind.key]:
            before = names[kind.key].get(r.pk)
            if before is not None and before != r.name:
                renamed.append((kind, r.pk))
    if renamed:
        touched = _naming(team, renamed, touched)
        if sum(map(len, touched.values())) > READ_AGAIN_LIMIT:
            return None
        for kind in KINDS:
            pks = touched.get(kind.key, set()) - {r.pk for r in rows.get(kind.key, ())}
            if pks:
                more = list(kind.model.objects.filter(team_id=team.pk, pk__in=pks))
                if len(more) != len(pks):
                    return None  # pragma: no cover - deleted meanwhile (a delete record follows)
                rows[kind.key] = [*rows.get(kind.key, ()), *more]
    old_names = {key: {pk: names[key].get(pk) for pk in touched.get(key, ())} for key in names}
    for kind in KINDS:
        for r in rows.get(kind.key, ()):
            names[kind.key][r.pk] = r.name
    changes: dict[str, Any] = {"revision": str(revision)}
    for kind in KINDS:
        if kind.key not in rows:
            continue
        written = {e.name: e for e in _elements(kind, rows[kind.key], names, subset=True)}
        gone = set(written) | {n for n in old_names[kind.key].values() if n is not None}
        kept_elements = [e for e in getattr(kept.model, kind.coll) if e.name not in gone]
        changes[kind.coll] = tuple(sorted([*kept_elements, *written.values()], key=lambda e: e.name))
    message_pks = touched.get("message")
    if message_pks:
        gone = {names["message"][pk] for pk in message_pks} | {
            n for n in old_names["message"].values() if n is not None}
        fresh = _relations(Relation.objects.filter(team_id=team.pk, message_id__in=message_pks), names)
        kept_relations = [r for r in kept.model.relations if r.message not in gone]
        changes["relations"] = tuple(sorted([*kept_relations, *fresh], key=_relation_order))
    return dataclasses.replace(kept.model, **changes), names


def _naming(team: Team, renamed: list[tuple[Any, int]], touched: dict[str, set[int]]) -> dict[str, set[int]]:
    """``touched`` plus every element whose state names a renamed one: elements that refer to
    it, messages whose relations do, flows whose steps do (references as the registry declares
    them: ``core.kinds`` ``ref`` attributes)."""
    out = {key: set(pks) for key, pks in touched.items()}
    # Parts name elements too; each belongs to an element (a relation to its message, a step
    # to its flow), which is read again with them.
    parts = ((RELATION, "message", "message_id"), (STEP, "flow", "flow_id"))
    for target, pk in renamed:
        out.setdefault(target.key, set()).add(pk)
        for kind in KINDS:
            for attr in kind.core.refs:
                if attr.ref == target.key:
                    out.setdefault(kind.key, set()).update(kind.model.objects.filter(
                        team_id=team.pk, **{kind.column(attr) + "_id": pk}).values_list("pk", flat=True))
        for spec, owner, owner_column in parts:
            for attr in spec.core.refs:
                if attr.ref == target.key:
                    out.setdefault(owner, set()).update(spec.model.objects.filter(
                        **{spec.column(attr) + "_id": pk}).values_list(owner_column, flat=True))
    return out
