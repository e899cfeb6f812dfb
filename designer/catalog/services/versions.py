"""Writes of a message's schema versions: edit the draft or add a version; release, deprecate."""
from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from designer.catalog import kinds
from designer.catalog.kinds.message import VERSION
from designer.catalog.models import Message, MessageVersion, Team
from designer.core import model as core

from .changes import Touched, change_record
from .elements import check_team, check_versions
from .errors import Conflict, ValidationFailed


def version_save(
    *, team: Team, user: Any, message: Message, schema: Any, example: Any, version: str = "",
    compat: str = "", lock_version: int | None = None, **attrs: Any,
) -> MessageVersion:
    """Change the newest draft, or add a new version when the newest is released/deprecated.

    A released version is immutable: changing it makes a new (draft) version. ``attrs`` are the
    version's other attributes by column, as ``kinds.message.VERSION`` declares them.
    """
    others = {VERSION.column(a) for a in VERSION.core.attrs} - {"version", "status", "compat", "schema", "example"}
    unknown = set(attrs) - others
    if unknown:
        raise ValidationFailed(f"Unknown version attribute(s): {', '.join(sorted(unknown))}.")
    check_team(team, message, "message")
    check_versions([{"schema": schema, "example": example}])
    if compat and compat not in core.COMPAT_MODES:
        raise ValidationFailed({"compat": [f"Unknown compatibility mode {compat}."]})
    with transaction.atomic():
        Message.objects.select_for_update().get(pk=message.pk)
        touched = Touched()
        touched.take(kinds.of(message), message)
        latest = message.versions.order_by("-position").first()
        if latest is not None and latest.status == "draft":
            if lock_version is not None and latest.lock_version != lock_version:
                raise Conflict(VERSION.row_state(latest), VERSION.row_state(latest), ["schema"], "Someone")
            before = VERSION.row_state(latest)
            latest.schema, latest.example = schema, example
            if version:
                latest.version = version
            latest.compat = compat
            for column, value in attrs.items():
                setattr(latest, column, value)
            latest.lock_version += 1
            try:
                with transaction.atomic():
                    latest.save()
            except IntegrityError:
                raise ValidationFailed({"version": [f"Version {version} already exists."]}) from None
            v, action = latest, "update"
        else:
            before = None
            position = (latest.position + 1) if latest else 1
            new_version = version or next_minor(latest.version if latest else "")
            if message.versions.filter(version=new_version).exists():
                raise ValidationFailed({"version": [f"Version {new_version} already exists; choose a new number."]})
            v = MessageVersion.objects.create(message=message, position=position, version=new_version,
                                              schema=schema, example=example, compat=compat, **attrs)
            action = "create"
        change_record(team=team, user=user, action=action, kind="message", obj_id=message.pk, name=message.name,
                      before={"version": before} if before else None, after={"version": VERSION.row_state(v)},
                      summary=f"{'Changed draft' if action == 'update' else 'Added'} version {v.version} of {message.name}",
                      touched=touched)
    return v


def next_minor(version: str) -> str:
    """The version after ``version`` when the user gives none: the next minor, or 1.0.0."""
    parts = (version or "0.0.0").split(".")
    try:
        major, minor = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return "1.0.0"
    return f"{major}.{minor + 1}.0" if version else "1.0.0"


def version_set_status(
    *, team: Team, user: Any, version: MessageVersion, status: str, override_reason: str = "",
    compat_check: Any = None,
) -> MessageVersion:
    """Release or deprecate a version.

    ``compat_check(version) -> list[str]`` returns reasons the release breaks compatibility; when
    it returns any, the release is refused unless ``override_reason`` is given (it is recorded).
    """
    if version.message.team_id != team.pk:
        raise ValidationFailed("That version belongs to another team.")
    if status not in ("released", "deprecated", "draft"):
        raise ValidationFailed({"status": ["Status must be draft, released or deprecated."]})
    if status == "draft" and version.status != "draft":
        raise ValidationFailed("A released version is immutable and cannot go back to draft; add a new version.")
    with transaction.atomic():
        v = MessageVersion.objects.select_for_update().get(pk=version.pk)
        touched = Touched()
        touched.take(kinds.of(v.message), v.message)
        before = VERSION.row_state(v)
        if status == "released" and v.status == "draft":
            problems = compat_check(v) if compat_check else []
            if problems and not override_reason.strip():
                raise ValidationFailed({"compat": problems})
            v.override_reason = override_reason.strip() if problems else ""
        v.status = status
        v.lock_version += 1
        v.save()
        change_record(team=team, user=user, action="update", kind="message", obj_id=v.message_id, name=v.message.name,
                      before={"version": before},
                      after={"version": VERSION.row_state(v), "override_reason": v.override_reason}, touched=touched,
                      summary=f"Version {v.version} of {v.message.name} is now {status}"
                      + (" (incompatible, overridden)" if v.override_reason else ""))
    return v
