"""Writes of any element kind: create, update, delete — and ``element_write``, the one place a
state becomes a row (forms, imports and restores all go through it).

What a kind does differently (a message's first version, a flow's steps) is in its declaration
(``designer.catalog.kinds``); nothing here tests a kind's name.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from designer.catalog import kinds
from designer.catalog.kinds import ElementKind, Refs
from designer.catalog.models import Change, Team
from designer.catalog.schemas import example_errors, schema_errors
from designer.core.kinds import State

from .changes import Touched, change_record, user_label
from .errors import Conflict, ValidationFailed


# ---------------------------------------------------------------- checks
def clean_name(name: str, label: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": [f"A {label} needs a name."]})
    if len(name) > 200:
        raise ValidationFailed({"name": ["Names are at most 200 characters."]})
    if any(ord(ch) < 32 for ch in name):
        raise ValidationFailed({"name": ["Names cannot contain control characters or line breaks."]})
    return name


def check_team(team: Team, obj: Any, what: str = "element") -> None:
    if obj.team_id != team.pk:
        raise ValidationFailed(f"That {what} belongs to another team.")


def _check_references(team: Team, kind: ElementKind, data: Mapping[str, Any]) -> None:
    """Rows a form hands over for references must be the team's own."""
    for attr in kind.core.refs:
        value = data.get(kind.column(attr))
        if value is not None and getattr(value, "team_id", team.pk) != team.pk:
            raise ValidationFailed({kind.column(attr): ["That element belongs to another team."]})


def check_versions(versions: Any) -> None:
    """Every version's schema is a JSON Schema and its example matches it."""
    for v in versions or ():
        s_errs = schema_errors(v.get("schema"))
        if s_errs:
            raise ValidationFailed({"schema": s_errs})
        e_errs = example_errors(v.get("schema"), v.get("example"))
        if e_errs:
            raise ValidationFailed({"example": e_errs})


def locked_state(kind: ElementKind, obj: Any, lock_version: int | None) -> State:
    """Lock the row; refuse with Conflict when it moved on since ``lock_version`` was read."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = kind.row_state(current)
    if lock_version is not None and current.lock_version != lock_version:
        last = Change.objects.filter(element_kind=kind.key, element_id=current.pk).select_related("user").first()
        theirs = last.after if last and isinstance(last.after, dict) else before
        mine = last.before if last and isinstance(last.before, dict) else {}
        changed = sorted(k for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k))
        raise Conflict(before, theirs, changed, user_label(last.user) if last and last.user else "Someone")
    return before


# ---------------------------------------------------------------- the write
def element_write(*, team: Team, kind: ElementKind, row: Any, state: Mapping[str, Any], refs: Refs) -> Any:
    """Make ``row`` (None: a new element) what ``state`` says; call inside a transaction.

    Attributes ``state`` lacks are left as they are, and so are children it does not mention
    (a message's versions when it has no ``versions``). References are resolved by name in
    ``refs``, which learns the new or renamed row.
    """
    created = row is None
    if row is None:
        row = kind.model(team=team)
    old_name = row.name
    kind.set_attrs(row, state, refs)
    if not created:
        row.lock_version = F("lock_version") + 1
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationFailed({"name": [f"A {kind.label} named “{row.name}” already exists in this team."]}) from None
    if not created:
        row.refresh_from_db(fields=["lock_version"])
    kind.write_children(row, state, refs, created=created)
    refs.put(kind.key, row, old_name)
    return row


# ---------------------------------------------------------------- create, update, delete
def element_create(*, team: Team, user: Any, kind: str, data: dict[str, Any]) -> Any:
    """Create an element of ``kind`` (``"service"``...) from cleaned form data."""
    k = kinds.by_key(kind)
    data = dict(data)
    data["name"] = clean_name(data.get("name", ""), k.label)
    _check_references(team, k, data)
    state = k.creation_state(data)
    check_versions(state.get("versions"))
    with transaction.atomic():
        row = element_write(team=team, kind=k, row=None, state=state, refs=Refs(team))
        touched = Touched()
        touched.created(k, row)
        change_record(team=team, user=user, action="create", kind=k.key, obj_id=row.pk, name=row.name,
                      after=k.full_state(row), summary=f"Created {k.label} {row.name}", touched=touched)
    return row


def element_update(*, team: Team, user: Any, obj: Any, data: dict[str, Any], lock_version: int | None) -> Any:
    """Update an element from cleaned form data; refuses with Conflict when it changed since
    ``lock_version``."""
    k = kinds.of(obj)
    check_team(team, obj)
    data = dict(data)
    if "name" in data:
        data["name"] = clean_name(data["name"], k.label)
    _check_references(team, k, data)
    with transaction.atomic():
        before = locked_state(k, obj, lock_version)
        row = type(obj).objects.get(pk=obj.pk)
        after = {**before, **k.from_form(data)}
        if after == before:
            return row
        touched = Touched()
        touched.take(k, row, with_affected=after.get("name") != before.get("name"))
        row = element_write(team=team, kind=k, row=row, state=after, refs=Refs(team))
        after = k.row_state(row)
        changed = ", ".join(name for name in after if after[name] != before.get(name))
        change_record(team=team, user=user, action="update", kind=k.key, obj_id=row.pk, name=row.name,
                      before=before, after=after, summary=f"Changed {changed} of {k.label} {row.name}",
                      touched=touched)
    return row


def element_dependents(obj: Any) -> list[str]:
    """Human descriptions of what depends on ``obj`` (shown before a delete)."""
    return kinds.of(obj).dependents(obj)


def element_delete(*, team: Team, user: Any, obj: Any, lock_version: int | None = None) -> Change:
    """Delete an element with what depends on it. The record keeps the element's whole state
    and, under ``affected``, what the delete changed in other elements (relations, steps), so
    the element can be restored from its history (returned: the page offers to undo it)."""
    k = kinds.of(obj)
    check_team(team, obj)
    with transaction.atomic():
        locked_state(k, obj, lock_version)
        before = k.full_state(obj)
        touched = Touched()
        touched.take(k, obj, with_affected=True)
        others = [(kinds.of(row), row) for row in k.affected(obj)]
        was = [(ok, row, ok.full_state(row)) for ok, row in others]
        deps = k.dependents(obj)
        pk, name = obj.pk, obj.name
        obj.delete()
        affected = []
        for ok, row, old in was:
            new = ok.full_state(type(row).objects.get(pk=row.pk))
            diff = [key for key in old if old[key] != new.get(key)]
            if diff:
                affected.append({"kind": ok.key, "name": row.name,
                                 "before": {key: old[key] for key in diff}, "after": {key: new[key] for key in diff}})
        if affected:
            before["affected"] = affected
        return change_record(
            team=team, user=user, action="delete", kind=k.key, obj_id=pk, name=name, before=before, touched=touched,
            summary=f"Deleted {k.label} {name}" + (f" ({len(deps)} dependent link(s) removed)" if deps else ""))

