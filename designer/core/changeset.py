"""A change to a team's model as a value: which elements go from which state to which.

Imports, restores and merged proposals are all "apply this change set atomically and record
before and after". This module computes change sets from core snapshots (pure, no database);
``designer.catalog.services.changesets`` applies one to the database in a transaction.

An element's *state* is plain JSON data: its own attributes (``kinds.Kind.state``) plus its
children — a message's ``versions`` and ``relations`` (the relations are written under their
message, as in the design file), a flow's ``steps``. ``element_from_state`` reads one back.

>>> from designer.core.model import Model, Service
>>> live = Model(services=(Service("orders"),))
>>> target = Model(services=(Service("orders", owner="team-a"), Service("billing")))
>>> [(c.kind, c.name, c.action) for c in diff_models(live, target, mode="merge").elements]
[('service', 'billing', 'create'), ('service', 'orders', 'update')]
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.core import kinds
from designer.core.kinds import FLOW, MESSAGE, RELATION, STEP, VERSION, Kind, State
from designer.core.model import Model, Relation

MODES = ("replace", "merge")
# The team settings a design file carries, as they are named in change sets.
SETTINGS = ("name", "description", "envelope", "lint", "default_compat")


@dataclass(frozen=True)
class ElementChange:
    """One element going from ``before`` to ``after`` (None: it does not exist on that side).

    ``name`` is the element's name in the live model (its new name when it is created): a
    rename is an update whose ``after["name"]`` differs.
    """

    kind: str
    name: str
    before: State | None
    after: State | None

    @property
    def action(self) -> str:
        """``create``, ``update`` or ``delete``."""
        if self.before is None:
            return "create"
        return "delete" if self.after is None else "update"


@dataclass(frozen=True)
class ChangeSet:
    """Element changes plus the team settings that change (name -> (before, after))."""

    elements: tuple[ElementChange, ...] = ()
    settings: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"created": {"services": 2}, "updated": {...}, "deleted": {...}}``."""
        out: dict[str, dict[str, int]] = {"created": {}, "updated": {}, "deleted": {}}
        for change in self.elements:
            section = kinds.BY_KEY[change.kind].section
            bucket = out[change.action + "d"]
            bucket[section] = bucket.get(section, 0) + 1
        return out

    def __bool__(self) -> bool:
        return bool(self.elements or self.settings)


# ---------------------------------------------------------------------------------- states
def _relation_state(r: Relation) -> State:
    state = RELATION.state(r)
    del state["message"]  # a relation is recorded under its message
    return state


def relations_sorted(states: Iterable[State]) -> list[State]:
    """Relations in one canonical order, so two states compare equal when they mean the same."""
    return sorted(states, key=lambda r: (r["role"], r["service"], r["channel"]))


def element_state(model: Model, kind: Kind, el: Any) -> State:
    """The whole state of element ``el`` of ``model``: attributes and children."""
    state = kind.state(el)
    if kind is MESSAGE:
        state["versions"] = [VERSION.state(v) for v in el.versions]
        rels = [r for r in (*model.producers(el.name), *model.consumers(el.name))]
        state["relations"] = relations_sorted(_relation_state(r) for r in rels)
    elif kind is FLOW:
        state["steps"] = [STEP.state(s) for s in el.steps]
    return state


def element_from_state(kind: Kind, state: Mapping[str, Any]) -> Any:
    """The core element a state describes (relations are the model's: see ``relations_of``)."""
    if kind is MESSAGE:
        return kind.build(state, versions=tuple(VERSION.build(v) for v in state.get("versions") or ()))
    if kind is FLOW:
        return kind.build(state, steps=tuple(STEP.build(s) for s in state.get("steps") or ()))
    return kind.build(state)


def relations_of(message: str, state: Mapping[str, Any]) -> tuple[Relation, ...]:
    """The core relations recorded in a message's state."""
    rel: tuple[Relation, ...] = tuple(RELATION.build({**r, "message": message}) for r in state.get("relations") or ())
    return rel


def model_states(model: Model) -> dict[tuple[str, str], State]:
    """Every element's state, keyed by (kind key, name)."""
    out: dict[tuple[str, str], State] = {}
    for kind in kinds.ELEMENT_KINDS:
        for el in kind.elements(model):
            out[(kind.key, el.name)] = element_state(model, kind, el)
    return out


def settings_of(model: Model) -> dict[str, Any]:
    """The team settings a model carries, as plain data."""
    return {
        "name": model.name,
        "description": model.description,
        "envelope": {"profile": model.envelope.profile, "schema": model.envelope.schema},
        "lint": {"severities": dict(model.lint.severities),
                 "options": {k: dict(v) for k, v in model.lint.options.items()}},
        "default_compat": dict(model.default_compat),
    }


# ---------------------------------------------------------------------------------- diffs
def diff_models(live: Model, target: Model, *, mode: str) -> ChangeSet:
    """What importing ``target`` into a team whose model is ``live`` changes.

    ``replace``: the team's model becomes ``target`` (elements it does not have are deleted).
    ``merge``: each element of ``target`` replaces the element of the same name; elements it
    does not name are kept, and so are the relations of a message when ``target`` declares
    none for it.
    """
    if mode not in MODES:
        raise ValueError(f"Unknown import mode {mode!r}: use replace or merge.")
    before = model_states(live)
    after = model_states(target)
    if mode == "merge":
        declared = {r.message for r in target.relations}
        for (key, name), state in after.items():
            old = before.get((key, name))
            if key == MESSAGE.key and name not in declared and old is not None:
                state["relations"] = old["relations"]
    _relations_of_messages_not_in_target(live, target, before, after)
    _services_named_only_by_relations(target, before, after)
    if mode == "merge":
        after = {**before, **after}
    changes: list[ElementChange] = []
    for kind in kinds.ELEMENT_KINDS:
        names = sorted({n for k, n in before if k == kind.key} | {n for k, n in after if k == kind.key})
        for name in names:
            old, new = before.get((kind.key, name)), after.get((kind.key, name))
            if old != new:
                changes.append(ElementChange(kind.key, name, old, new))
    return ChangeSet(elements=tuple(changes), settings=_settings_diff(live, target, mode))


def _relations_of_messages_not_in_target(
    live: Model, target: Model, before: dict[tuple[str, str], State], after: dict[tuple[str, str], State]
) -> None:
    """A relation to a message the target does not declare joins the live message's relations."""
    for rel in target.relations:
        key = (MESSAGE.key, rel.message)
        if key in after and rel.message in target.messages_by_name:
            continue
        if key not in before:
            raise ValueError(f"A relation names the unknown message {rel.message!r}.")
        state = after.setdefault(key, {**before[key], "relations": list(before[key]["relations"])})
        new = _relation_state(rel)
        same = [r for r in state["relations"] if (r["service"], r["role"]) == (new["service"], new["role"])]
        state["relations"] = relations_sorted([r for r in state["relations"] if r not in same] + [new])


def _services_named_only_by_relations(
    target: Model, before: dict[tuple[str, str], State], after: dict[tuple[str, str], State]
) -> None:
    """A service that only a relation names is created (and left alone when it exists)."""
    for rel in target.relations:
        key = ("service", rel.service)
        if key not in after:
            after[key] = before.get(key) or kinds.SERVICE.state(kinds.SERVICE.build({"name": rel.service}))


def _settings_diff(live: Model, target: Model, mode: str) -> dict[str, tuple[Any, Any]]:
    old, new = settings_of(live), settings_of(target)
    take = {"envelope", "default_compat"}  # a design file always says these (defaults included)
    if mode == "replace" or target.lint.severities or target.lint.options:
        take.add("lint")
    if target.name:  # the file describes the team: its name and description travel with it
        take.add("name")
    if target.description or mode == "replace":
        take.add("description")
    return {k: (old[k], new[k]) for k in SETTINGS if k in take and old[k] != new[k]}
