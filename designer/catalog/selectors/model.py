"""The team's whole model as a core snapshot, built from the rows through the kind registry."""
from __future__ import annotations

import threading
from typing import Any

from designer.catalog.kinds import KINDS
from designer.catalog.kinds.message import RELATION
from designer.catalog.models import Relation, Team
from designer.core import model as core
from designer.core.changeset import element_from_state

# The snapshot is rebuilt only when the team's revision moves: one process-local entry per team.
# The key holds the team's creation time too: a primary key can be used again (SQLite reuses
# the highest one after a delete, tests roll back), a (pk, created_at) pair is not.
_SNAPSHOTS: dict[int, tuple[tuple[int, Any], core.Model]] = {}
_LOCK = threading.Lock()


def team_model(team: Team, *, fresh: bool = False) -> core.Model:
    """The team's whole model as a frozen ``core.Model`` (cached per team revision)."""
    revision, created = Team.objects.filter(pk=team.pk).values_list("revision", "created_at").first() or (0, None)
    with _LOCK:
        hit = _SNAPSHOTS.get(team.pk)
    if hit and hit[0] == (revision, created) and not fresh:
        return hit[1]
    model = model_snapshot(team, revision)
    with _LOCK:
        _SNAPSHOTS[team.pk] = ((revision, created), model)
    return model


def model_snapshot(team: Team, revision: int | None = None) -> core.Model:
    """The team's model as its rows say now, read without the cache (writes use this inside
    their transaction: the cache is keyed on a revision that moves only when they record)."""
    team = Team.objects.get(pk=team.pk)
    rows: dict[str, list[Any]] = {}
    names: dict[str, dict[int, str]] = {}
    for kind in KINDS:
        rows[kind.key] = list(kind.model.objects.filter(team=team))
        names[kind.key] = {r.pk: r.name for r in rows[kind.key]}
    elements: dict[str, tuple[Any, ...]] = {}
    for kind in KINDS:
        children = kind.core_children(rows[kind.key], names)
        states = [{**kind.row_state(r, names), **children.get(r.pk, {})} for r in rows[kind.key]]
        elements[kind.coll] = tuple(sorted((element_from_state(kind.core, s) for s in states),
                                           key=lambda e: e.name))
    relations = tuple(
        RELATION.core.build(RELATION.row_state(r, names))
        for r in Relation.objects.filter(team=team).order_by("message__name", "role", "service__name")
    )
    lint_cfg = team.lint_config or {}
    default_compat = dict(core.Model().default_compat)
    default_compat.update(team.default_compat or {})
    return core.Model(
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
