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

import dataclasses
import json
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


def complete_state(kind: Kind, state: Mapping[str, Any]) -> State:
    """``state`` with every attribute and child collection it leaves out at its default (a
    state written with it makes the element exactly that: nothing of what was there stays)."""
    out: State = {a.name: a.default for a in kind.attrs}
    if kind.extensions:
        out["extensions"] = {}
    if kind is MESSAGE:
        out.update(versions=[], relations=[])
    elif kind is FLOW:
        out["steps"] = []
    out.update(state)
    return out


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


# ---------------------------------------------------------------------------------- merge
# Values a reader writes when the file does not say: an AsyncAPI document without bindings
# names no broker, and its reader records "other".
UNDECLARED: dict[str, Any] = {"broker": "other"}


def carried(attr: kinds.Attr, value: Any) -> bool:
    """Does a file carry ``value`` for ``attr``? A value equal to the attribute's default (an
    empty text, ``false``, no schema) is what a reader fills in when the file says nothing, so a
    merge never takes it: merging cannot clear a field (a replace import can)."""
    if attr.name in UNDECLARED and value == UNDECLARED[attr.name]:
        return False
    return value != attr.default and value not in ("", None)


def merge_attrs(kind: Kind, live: Mapping[str, Any], incoming: Mapping[str, Any]) -> State:
    """``live`` with the attributes ``incoming`` carries; extensions merged key by key."""
    out: State = dict(live)
    for attr in kind.attrs:
        value = incoming.get(attr.name, attr.default)
        if attr.type == kinds.JSON_VALUE and attr.name == "schema":
            out[attr.name] = merge_schema(live.get(attr.name), value)
        elif carried(attr, value):
            out[attr.name] = value
    if kind.extensions and (live.get("extensions") or incoming.get("extensions")):
        out["extensions"] = {**(live.get("extensions") or {}), **(incoming.get("extensions") or {})}
    return out


def merge_schema(live: Any, incoming: Any) -> Any:
    """A JSON Schema merged into another: objects key by key (so ``properties`` the incoming
    schema does not mention are kept), ``required`` lists united, other values the incoming one.

    >>> merge_schema({"required": ["a"], "properties": {"a": {}, "b": {"type": "string"}}},
    ...              {"required": ["c"], "properties": {"b": {"type": "integer"}, "c": {}}})
    {'required': ['a', 'c'], 'properties': {'a': {}, 'b': {'type': 'integer'}, 'c': {}}}
    """
    if incoming is None:
        return live
    if isinstance(live, dict) and isinstance(incoming, dict):
        out = dict(live)
        for key, value in incoming.items():
            if key == "required" and isinstance(value, list) and isinstance(live.get(key), list):
                out[key] = list(live[key]) + [v for v in value if v not in live[key]]
            else:
                out[key] = merge_schema(live.get(key), value) if key in live else value
        return out
    return incoming


def merge_state(kind: Kind, live: State, incoming: State) -> State:
    """An element of a file merged into the live one: its carried attributes set, its versions
    merged by version number (new ones added), its relations united (a relation of the same
    service and role takes the fields the file carries), its flow steps added after the live
    ones; nothing the file does not mention is removed."""
    out = merge_attrs(kind, live, incoming)
    if kind is MESSAGE:
        versions = [dict(v) for v in live.get("versions") or []]
        by_number = {v["version"]: i for i, v in enumerate(versions)}
        for v in incoming.get("versions") or []:
            if v["version"] in by_number:
                i = by_number[v["version"]]
                versions[i] = merge_attrs(VERSION, versions[i], v)
            else:
                by_number[v["version"]] = len(versions)
                versions.append(dict(v))
        out["versions"] = versions
        out["relations"] = relations_united(live.get("relations") or [], incoming.get("relations") or [])
    elif kind is FLOW:
        steps = [dict(s) for s in live.get("steps") or []]
        seen = {(s["service"], s["message"], s["action"]) for s in steps}
        steps += [dict(s) for s in incoming.get("steps") or [] if (s["service"], s["message"], s["action"]) not in seen]
        out["steps"] = steps
    return out


def relations_united(live: Iterable[State], incoming: Iterable[State]) -> list[State]:
    """Relations of both sides; one of the same service and role on both is merged field by field."""
    out = {(r["service"], r["role"]): dict(r) for r in live}
    for r in incoming:
        key = (r["service"], r["role"])
        out[key] = merge_attrs(RELATION, out[key], r) if key in out else dict(r)
    return relations_sorted(out.values())


# ---------------------------------------------------------------------------------- diffs
def diff_models(live: Model, target: Model, *, mode: str) -> ChangeSet:
    """What importing ``target`` into a team whose model is ``live`` changes.

    ``replace``: the team's model becomes ``target`` (elements it does not have are deleted).
    ``merge``: delete nothing (see ``merge_state``): an element of ``target`` sets only the
    fields it carries on the element of the same name; elements, versions, relations and steps
    it does not mention are kept. The team's name and description never come from a file.
    """
    if mode not in MODES:
        raise ValueError(f"Unknown import mode {mode!r}: use replace or merge.")
    before = model_states(live)
    after = model_states(target)
    if mode == "merge":
        for key, state in after.items():
            old = before.get(key)
            if old is not None:
                after[key] = merge_state(kinds.BY_KEY[key[0]], old, state)
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
        state["relations"] = relations_united(state["relations"], [_relation_state(rel)])


def _services_named_only_by_relations(
    target: Model, before: dict[tuple[str, str], State], after: dict[tuple[str, str], State]
) -> None:
    """A service that only a relation names is created (and left alone when it exists)."""
    for rel in target.relations:
        key = ("service", rel.service)
        if key not in after:
            after[key] = before.get(key) or kinds.SERVICE.state(kinds.SERVICE.build({"name": rel.service}))


def _settings_diff(live: Model, target: Model, mode: str) -> dict[str, tuple[Any, Any]]:
    """The team settings a file changes. The team's name and description are the team's own:
    no import takes them. ``replace`` takes the file's envelope, lint settings and default
    compatibility; ``merge`` takes only what the file carries (a non-default envelope, its lint
    overrides and compatibility modes added to the team's)."""
    old, new = settings_of(live), settings_of(target)
    if mode == "merge":
        blank = settings_of(Model())
        new = dict(old)
        if settings_of(target)["envelope"] != blank["envelope"]:
            new["envelope"] = settings_of(target)["envelope"]
        lint = settings_of(target)["lint"]
        new["lint"] = {"severities": {**old["lint"]["severities"], **lint["severities"]},
                       "options": {**old["lint"]["options"], **lint["options"]}}
        carried_compat = {k: v for k, v in target.default_compat.items() if blank["default_compat"].get(k) != v}
        new["default_compat"] = {**old["default_compat"], **carried_compat}
    return {k: (old[k], new[k]) for k in ("envelope", "lint", "default_compat") if old[k] != new[k]}


# ---------------------------------------------------------------------------------- previews
@dataclass(frozen=True)
class FieldChange:
    """One line of a preview: ``what`` goes from ``before`` to ``after`` (text, "" for none).
    ``removes``: the line takes something away (a field cleared, a property, version,
    relation or step dropped) — a preview asks for confirmation before applying it."""

    what: str
    before: str
    after: str
    removes: bool


def _show(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def schema_properties(schema: Any, prefix: str = "") -> dict[str, Any]:
    """A JSON Schema's properties by path (``data.items[].price``), each without its own
    nested properties; the root's other keywords under ``(schema)``."""
    out: dict[str, Any] = {}
    if not isinstance(schema, dict):
        return out if schema is None else {prefix or "(schema)": schema}
    own = {k: v for k, v in schema.items() if k not in ("properties", "items")}
    if not isinstance(schema.get("items"), dict):
        if "items" in schema:
            own["items"] = schema["items"]
    if own or not prefix:
        out[prefix or "(schema)"] = own
    for name, sub in (schema.get("properties") or {}).items():
        out.update(schema_properties(sub, f"{prefix}.{name}" if prefix else str(name)))
    if isinstance(schema.get("items"), dict):
        out.update(schema_properties(schema["items"], f"{prefix}[]" if prefix else "[]"))
    return out


def _attrs_diff(kind: Kind, before: Mapping[str, Any], after: Mapping[str, Any], label: str = "") -> list[FieldChange]:
    out: list[FieldChange] = []
    names = [a.name for a in kind.attrs] + (["extensions"] if kind.extensions else [])
    for name in names:
        old, new = before.get(name), after.get(name)
        if name == "extensions":
            old, new = old or {}, new or {}
        if old == new:
            continue
        what = f"{label}{name}"
        if name == "schema":
            out += _schema_diff(old, new, what)
        else:
            out.append(FieldChange(what, _show(old), _show(new), removes=_show(old) != "" and _show(new) == ""))
    return out


def _schema_diff(old: Any, new: Any, what: str) -> list[FieldChange]:
    a, b = schema_properties(old), schema_properties(new)
    out = []
    for path in sorted(set(a) | set(b), key=lambda p: (p != "(schema)", p)):
        if a.get(path) != b.get(path):
            out.append(FieldChange(f"{what} {path}", _show(a.get(path)) if path in a else "",
                                   _show(b.get(path)) if path in b else "", removes=path not in b))
    return out


def element_diff(kind_key: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    """What changes in one element, field by field: its attributes, each schema property of each
    version, its versions, relations and steps added and removed."""
    kind = kinds.BY_KEY[kind_key]
    before, after = before or {}, after or {}
    out = _attrs_diff(kind, before, after)
    if kind is MESSAGE:
        old_v = {v["version"]: v for v in before.get("versions") or []}
        new_v = {v["version"]: v for v in after.get("versions") or []}
        for number in list(old_v) + [n for n in new_v if n not in old_v]:
            if number not in new_v:
                out.append(FieldChange(f"version {number}", "present", "", removes=True))
            elif number not in old_v:
                out.append(FieldChange(f"version {number}", "", "added", removes=False))
            else:
                out += _attrs_diff(VERSION, old_v[number], new_v[number], f"version {number} ")
        old_r = {(r["service"], r["role"]): r for r in before.get("relations") or []}
        new_r = {(r["service"], r["role"]): r for r in after.get("relations") or []}
        for key in sorted(set(old_r) | set(new_r)):
            what = f"relation: {key[0]} {key[1]}"
            if key not in new_r:
                out.append(FieldChange(what, "present", "", removes=True))
            elif key not in old_r:
                out.append(FieldChange(what, "", "added", removes=False))
            elif old_r[key] != new_r[key]:
                out += _attrs_diff(RELATION, old_r[key], new_r[key], f"{what} ")
    elif kind is FLOW:
        def line(s: Mapping[str, Any]) -> str:
            return f"{s['service']} {s['action']} {s['message']}" + (f" ({s['note']})" if s.get("note") else "")
        old_s = [line(s) for s in before.get("steps") or []]
        new_s = [line(s) for s in after.get("steps") or []]
        if old_s != new_s:
            out.append(FieldChange("steps", "; ".join(old_s), "; ".join(new_s),
                                   removes=any(s not in new_s for s in old_s)))
    return out


# ---------------------------------------------------------------------------------- checks
def dangling(states: Mapping[tuple[str, str], State | None]) -> list[tuple[str, str, str, str]]:
    """Names that point nowhere in a model given as element states (None: absent):
    ``(kind, name, kind named, name named)`` for each attribute, relation or step that names an
    element the states do not have, and each consumer pinned to a version its message lacks.

    >>> dangling({("message", "M"): {"name": "M", "channel": "c", "versions": [], "relations": []}})
    [('message', 'M', 'channel', 'c')]
    """
    present = {key for key, state in states.items() if state is not None}
    out: list[tuple[str, str, str, str]] = []

    def check(kind: Kind, owner: tuple[str, str], state: Mapping[str, Any], part: bool = False) -> None:
        for attr in kind.refs:
            value = state.get(attr.name)
            if value and not (part and attr.ref == owner[0]) and (attr.ref, value) not in present:
                out.append((*owner, attr.ref, value))

    for (key, name), state in states.items():
        if state is None or key not in kinds.BY_KEY:
            continue
        kind = kinds.BY_KEY[key]
        check(kind, (key, name), state)
        for rel in state.get("relations") or () if kind is MESSAGE else ():
            check(RELATION, (key, name), rel, part=True)
            numbers = {v["version"] for v in state.get("versions") or ()}
            if rel.get("version") and rel["version"] not in numbers:
                out.append((key, name, "version", rel["version"]))
        for step in state.get("steps") or () if kind is FLOW else ():
            check(STEP, (key, name), step, part=True)
    return sorted(set(out))


# ---------------------------------------------------------------------------------- proposals
def model_with(model: Model, overrides: Mapping[tuple[str, str], State | None]) -> Model:
    """``model`` with some elements replaced by states (None: removed); settings kept.

    >>> from designer.core.model import Service
    >>> m = model_with(Model(services=(Service("a"),)), {("service", "b"): {"name": "b"}})
    >>> [s.name for s in m.services]
    ['a', 'b']
    """
    states: dict[tuple[str, str], State | None] = {**model_states(model), **overrides}
    sections: dict[str, Any] = {}
    relations: list[Relation] = []
    for kind in kinds.ELEMENT_KINDS:
        found = sorted(((n, s) for (k, n), s in states.items() if k == kind.key and s is not None), key=lambda p: p[0])
        sections[kind.section] = tuple(element_from_state(kind, s) for _, s in found)
        if kind is MESSAGE:
            for name, s in found:
                relations += relations_of(name, s)
    return dataclasses.replace(model, relations=tuple(relations), **sections)


def rebase(base: State | None, mine: State | None, live: State | None) -> tuple[State | None, list[str]]:
    """Three-way merge of one element: ``mine`` was made from ``base``; the live model has
    ``live`` now. Fields only one side changed take that side's value (unrelated changes rebase
    silently); fields both changed differently are conflicts, left at ``mine`` in the result.

    >>> rebase({"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 1, "b": 3})
    ({'a': 2, 'b': 3}, [])
    >>> rebase({"a": 1}, {"a": 2}, {"a": 3})
    ({'a': 2}, ['a'])
    """
    if live == base or mine == live:
        return mine, []
    if mine == base:
        return live, []
    if mine is None or live is None or base is None:
        return mine, ["(the whole element)"]
    out: State = {}
    conflicts: list[str] = []
    for key in list(dict.fromkeys([*base, *mine, *live])):
        b, m, lv = base.get(key), mine.get(key), live.get(key)
        if m == b:
            if key in live:
                out[key] = lv
        else:
            if lv != b and lv != m:
                conflicts.append(key)
            if key in mine:
                out[key] = m
    return out, conflicts
