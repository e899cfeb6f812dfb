"""The one write path of the catalog (HackSoft style: ``<entity>_<action>(*, ...)``).

Every function here runs in one transaction that also records a ``Change`` row (who, when,
which element, before and after) and bumps the team's revision — the outbox pattern the product
teaches. After commit, ``live.publish_changes`` relays the change to open browsers.
Views, forms, commands and tasks call these functions and never write the ORM themselves.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from designer.core import model as core

from . import live
from .models import (
    ROLE_OWNER,
    ApiToken,
    Change,
    Channel,
    Flow,
    FlowStep,
    Invitation,
    Membership,
    Message,
    MessageVersion,
    Relation,
    Service,
    Team,
)
from .schemas import example_errors, schema_errors


class ServiceError(Exception):
    """Base class: a write that was refused; ``str()`` is a message for the user."""


class ValidationFailed(ServiceError):
    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in errors.items()))


class Conflict(ServiceError):
    """Someone saved the element after the copy the user edited was loaded."""

    def __init__(self, current: dict[str, Any], theirs: dict[str, Any], changed: list[str], by: str):
        self.current = current
        self.theirs = theirs
        self.changed = changed
        self.by = by
        fields = ", ".join(changed) or "the element"
        super().__init__(
            f"{by or 'Someone'} changed {fields} after you opened this form. "
            "Nothing was saved: review their version below and apply your edit again."
        )


# ---------------------------------------------------------------- state snapshots (before/after)
def service_state(s: Service) -> dict[str, Any]:
    return {
        "name": s.name, "description": s.description, "owner": s.owner, "repository": s.repository,
        "language": s.language, "writes_database": s.writes_database, "outbox": s.outbox,
    }


def channel_state(c: Channel) -> dict[str, Any]:
    return {
        "name": c.name, "broker": c.broker, "description": c.description, "owner": c.owner,
        "partition_key": c.partition_key, "ordered": c.ordered, "delivery": c.delivery,
    }


def version_state(v: MessageVersion) -> dict[str, Any]:
    return {"version": v.version, "status": v.status, "compat": v.compat, "schema": v.schema, "example": v.example}


def message_state(m: Message) -> dict[str, Any]:
    return {
        "name": m.name, "kind": m.kind, "type": m.wire_type, "description": m.description,
        "owner": m.owner, "channel": m.channel.name if m.channel_id else "",
    }


def relation_state(r: Relation) -> dict[str, Any]:
    return {
        "service": r.service.name, "message": r.message.name, "role": r.role,
        "channel": r.channel.name if r.channel_id else "", "idempotent": r.idempotent,
        "dedup_key": r.dedup_key, "version": r.pinned_version,
    }


def flow_state(f: Flow) -> dict[str, Any]:
    return {
        "name": f.name, "description": f.description, "style": f.style, "owner": f.owner,
        "orchestrator": f.orchestrator.name if f.orchestrator_id else "",
        "steps": [
            {"service": s.service.name, "message": s.message.name, "action": s.action, "note": s.note}
            for s in f.steps.select_related("service", "message").order_by("position")
        ],
    }


STATE = {"service": service_state, "channel": channel_state, "message": message_state, "flow": flow_state}


# ---------------------------------------------------------------- the change record (outbox)
def _record(
    *, team: Team, user: Any, action: str, kind: str, obj_id: int | None, name: str,
    before: Any = None, after: Any = None, summary: str = "",
) -> Change:
    Team.objects.filter(pk=team.pk).update(revision=F("revision") + 1)
    team.refresh_from_db(fields=["revision"])
    change = Change.objects.create(
        team=team, user=user if getattr(user, "is_authenticated", False) else None,
        revision=team.revision, action=action, element_kind=kind, element_id=obj_id,
        element_name=name[:200], before=before, after=after, summary=summary[:300],
    )
    transaction.on_commit(lambda: live.publish_changes(team.pk))
    return change


def _who(user: Any) -> str:
    return getattr(user, "username", "") or "someone"


def _locked_update(obj: Any, lock_version: int | None, state_fn: Any, user_label: str = "") -> dict[str, Any]:
    """Lock the row; refuse with Conflict when it moved on since ``lock_version`` was read."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = state_fn(current)
    if lock_version is not None and current.lock_version != lock_version:
        last = (
            Change.objects.filter(element_kind=state_kind(current), element_id=current.pk)
            .select_related("user").first()
        )
        theirs = last.after if last and isinstance(last.after, dict) else before
        mine = last.before if last and isinstance(last.before, dict) else {}
        changed = sorted(k for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k))
        raise Conflict(before, theirs, changed, _who(last.user) if last and last.user else "Someone")
    return before


def state_kind(obj: Any) -> str:
    return {Service: "service", Channel: "channel", Message: "message", Flow: "flow"}[type(obj)]


def _unique_error(kind: str, name: str) -> ValidationFailed:
    return ValidationFailed({"name": [f"A {kind} named “{name}” already exists in this team."]})


def _save(obj: Any, kind: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise _unique_error(kind, obj.name) from None


def _clean_name(name: str, kind: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": [f"A {kind} needs a name."]})
    if len(name) > 200:
        raise ValidationFailed({"name": ["Names are at most 200 characters."]})
    if any(ord(ch) < 32 for ch in name):
        raise ValidationFailed({"name": ["Names cannot contain control characters or line breaks."]})
    return name


# ---------------------------------------------------------------- teams and members
def team_create(*, user: Any, name: str, slug: str = "", description: str = "") -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": ["A team needs a name."]})
    slug = slugify(slug or name)[:60]
    if not slug:
        raise ValidationFailed({"slug": ["Choose a slug with at least one letter or digit."]})
    with transaction.atomic():
        if Team.objects.filter(slug=slug).exists():
            raise ValidationFailed({"slug": [f"The slug “{slug}” is taken; choose another."]})
        team = Team.objects.create(name=name[:120], slug=slug, description=description)
        if user is not None:
            Membership.objects.create(team=team, user=user, role=ROLE_OWNER)
        _record(team=team, user=user, action="create", kind="team", obj_id=team.pk, name=team.name,
                after={"name": team.name, "slug": team.slug}, summary=f"Created team {team.name}")
    return team


def membership_set(*, team: Team, actor: Any, user: Any, role: str) -> Membership:
    if role not in ("owner", "editor", "viewer"):
        raise ValidationFailed({"role": ["Role must be owner, editor or viewer."]})
    with transaction.atomic():
        m, created = Membership.objects.select_for_update().get_or_create(team=team, user=user, defaults={"role": role})
        before = None if created else {"role": m.role}
        if not created and m.role == ROLE_OWNER and role != ROLE_OWNER:
            _ensure_another_owner(team, user)
        m.role = role
        m.save()
        _record(team=team, user=actor, action="member", kind="member", obj_id=m.pk, name=user.username,
                before=before, after={"role": role}, summary=f"{user.username} is now {role}")
    return m


def _ensure_another_owner(team: Team, user: Any) -> None:
    if not Membership.objects.filter(team=team, role=ROLE_OWNER).exclude(user=user).exists():
        raise ValidationFailed("A team needs at least one owner: make someone else owner first.")


def membership_remove(*, team: Team, actor: Any, user: Any) -> None:
    with transaction.atomic():
        m = Membership.objects.select_for_update().filter(team=team, user=user).first()
        if m is None:
            raise ValidationFailed(f"{user.username} is not a member of this team.")
        if m.role == ROLE_OWNER:
            _ensure_another_owner(team, user)
        m.delete()
        _record(team=team, user=actor, action="member", kind="member", obj_id=None, name=user.username,
                before={"role": m.role}, after=None, summary=f"Removed {user.username}")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invitation_create(*, team: Team, actor: Any, role: str) -> tuple[Invitation, str]:
    """Create a one-time invitation; returns it and the secret for the link (shown once)."""
    if role not in ("owner", "editor", "viewer"):
        raise ValidationFailed({"role": ["Role must be owner, editor or viewer."]})
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        inv = Invitation.objects.create(team=team, role=role, token_hash=_hash(secret), created_by=actor)
        _record(team=team, user=actor, action="invite", kind="member", obj_id=inv.pk, name=role,
                summary=f"Invitation link for a new {role}")
    return inv, secret


def invitation_accept(*, secret: str, user: Any) -> Team:
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().filter(token_hash=_hash(secret or "")).first()
        if inv is None or inv.used_at or inv.revoked_at:
            raise ValidationFailed("This invitation link is not valid any more (used, revoked or mistyped).")
        inv.used_at = timezone.now()
        inv.used_by = user
        inv.save()
        existing = Membership.objects.filter(team=inv.team, user=user).first()
        if existing is None:
            Membership.objects.create(team=inv.team, user=user, role=inv.role)
        _record(team=inv.team, user=user, action="member", kind="member", obj_id=inv.pk, name=user.username,
                after={"role": inv.role}, summary=f"{user.username} joined as {inv.role}")
    return inv.team


def invitation_revoke(*, team: Team, actor: Any, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _record(team=team, user=actor, action="revoke", kind="member", obj_id=invitation.pk, name="invitation",
                summary="Revoked an invitation link")


TOKEN_PREFIX = "efd_"  # lets secret scanners recognise our tokens


def token_create(*, team: Team, actor: Any, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token; returns the row and the secret, which is never stored in clear."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        tok = ApiToken.objects.create(team=team, name=(name or "")[:80], prefix=secret[:12],
                                      token_hash=_hash(secret), created_by=actor)
        _record(team=team, user=actor, action="token", kind="token", obj_id=tok.pk, name=tok.name or tok.prefix,
                summary=f"Created API token {tok.prefix}…")
    return tok, secret


def token_revoke(*, team: Team, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _record(team=team, user=actor, action="revoke", kind="token", obj_id=token.pk, name=token.prefix,
                summary=f"Revoked API token {token.prefix}…")


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token matching ``secret``, or None. Compares hashes only."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    return ApiToken.objects.select_related("team").filter(token_hash=_hash(secret), revoked_at__isnull=True).first()


def team_settings_update(*, team: Team, actor: Any, lock_version: int | None = None, **fields: Any) -> Team:
    allowed = {"name", "description", "envelope_profile", "envelope_schema", "lint_config", "default_compat"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"Unknown settings: {', '.join(sorted(unknown))}")
    if "envelope_schema" in fields:
        errs = schema_errors(fields["envelope_schema"])
        if errs:
            raise ValidationFailed({"envelope_schema": errs})
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        if lock_version is not None and current.lock_version != lock_version:
            raise ValidationFailed("Someone changed the team settings meanwhile; reload and apply your edit again.")
        before = {k: getattr(current, k) for k in fields}
        for k, v in fields.items():
            setattr(current, k, v)
        current.lock_version += 1
        current.save()
        _record(team=current, user=actor, action="settings", kind="team", obj_id=current.pk, name=current.name,
                before=before, after=fields, summary="Changed team settings")
    team.refresh_from_db()
    return team


# ---------------------------------------------------------------- services
SERVICE_FIELDS = ("name", "description", "owner", "repository", "language", "writes_database", "outbox")
CHANNEL_FIELDS = ("name", "description", "owner", "broker", "partition_key", "ordered", "delivery")
MESSAGE_FIELDS = ("name", "description", "owner", "kind", "wire_type", "channel")
FLOW_FIELDS = ("name", "description", "owner", "style", "orchestrator")


def _apply(obj: Any, data: dict[str, Any], allowed: Iterable[str]) -> None:
    for key in allowed:
        if key in data:
            setattr(obj, key, data[key])


def _check_team_fk(team: Team, data: dict[str, Any], *keys: str) -> None:
    for key in keys:
        value = data.get(key)
        if value is not None and getattr(value, "team_id", team.pk) != team.pk:
            raise ValidationFailed({key: ["That element belongs to another team."]})


def element_create(*, team: Team, user: Any, kind: str, data: dict[str, Any]) -> Any:
    """Create a service, channel, message or flow from cleaned form data."""
    cls, fields = {"service": (Service, SERVICE_FIELDS), "channel": (Channel, CHANNEL_FIELDS),
                   "message": (Message, MESSAGE_FIELDS), "flow": (Flow, FLOW_FIELDS)}[kind]
    data = dict(data)
    data["name"] = _clean_name(data.get("name", ""), kind)
    _check_team_fk(team, data, "channel", "orchestrator")
    with transaction.atomic():
        obj = cls(team=team)
        _apply(obj, data, fields)
        _save(obj, kind)
        if kind == "message":
            schema = data.get("schema")
            example = data.get("example")
            _validate_version(schema, example)
            MessageVersion.objects.create(message=obj, position=1, version=data.get("version") or "1.0.0",
                                          schema=schema, example=example)
        after = STATE[kind](obj)
        if kind == "message":
            after["versions"] = [version_state(v) for v in obj.versions.all()]
        _record(team=team, user=user, action="create", kind=kind, obj_id=obj.pk, name=obj.name,
                after=after, summary=f"Created {kind} {obj.name}")
    return obj


def element_update(*, team: Team, user: Any, obj: Any, data: dict[str, Any], lock_version: int | None) -> Any:
    """Update an element; refuses with Conflict when it changed since ``lock_version``."""
    kind = state_kind(obj)
    fields = {"service": SERVICE_FIELDS, "channel": CHANNEL_FIELDS, "message": MESSAGE_FIELDS, "flow": FLOW_FIELDS}[kind]
    if obj.team_id != team.pk:
        raise ValidationFailed("That element belongs to another team.")
    data = dict(data)
    if "name" in data:
        data["name"] = _clean_name(data["name"], kind)
    _check_team_fk(team, data, "channel", "orchestrator")
    with transaction.atomic():
        before = _locked_update(obj, lock_version, STATE[kind])
        obj = type(obj).objects.get(pk=obj.pk)
        _apply(obj, data, fields)
        obj.lock_version = F("lock_version") + 1
        _save(obj, kind)
        obj.refresh_from_db()
        after = STATE[kind](obj)
        if after == before:
            return obj
        changed = ", ".join(k for k in after if after[k] != before.get(k))
        _record(team=team, user=user, action="update", kind=kind, obj_id=obj.pk, name=obj.name,
                before=before, after=after, summary=f"Changed {changed} of {kind} {obj.name}")
    return obj


def dependents(obj: Any) -> list[str]:
    """Human descriptions of what depends on ``obj`` (shown before a delete)."""
    kind = state_kind(obj)
    out: list[str] = []
    if kind == "service":
        for r in obj.relations.select_related("message"):
            out.append(f"{'produces' if r.role == 'produces' else 'consumes'} {r.message.kind} {r.message.name}")
        for step in FlowStep.objects.filter(service=obj).select_related("flow"):
            out.append(f"step {step.position} of flow {step.flow.name}")
        for f in Flow.objects.filter(orchestrator=obj):
            out.append(f"orchestrates flow {f.name}")
    elif kind == "message":
        for r in obj.relations.select_related("service"):
            out.append(f"{r.service.name} {r.role} it")
        for step in FlowStep.objects.filter(message=obj).select_related("flow"):
            out.append(f"step {step.position} of flow {step.flow.name}")
        out.append(f"{obj.versions.count()} schema version(s)")
    elif kind == "channel":
        for m in obj.messages.all():
            out.append(f"default channel of {m.kind} {m.name}")
        for r in obj.relations.select_related("service", "message"):
            out.append(f"{r.service.name} {r.role} {r.message.name} on it")
    elif kind == "flow":
        out.append(f"{obj.steps.count()} step(s)")
    return out


def element_delete(*, team: Team, user: Any, obj: Any, lock_version: int | None = None) -> None:
    kind = state_kind(obj)
    if obj.team_id != team.pk:
        raise ValidationFailed("That element belongs to another team.")
    with transaction.atomic():
        before = _locked_update(obj, lock_version, STATE[kind])
        if kind == "message":
            before["versions"] = [version_state(v) for v in obj.versions.all()]
        deps = dependents(obj)
        pk, name = obj.pk, obj.name
        obj.delete()
        _record(team=team, user=user, action="delete", kind=kind, obj_id=pk, name=name, before=before,
                summary=f"Deleted {kind} {name}" + (f" ({len(deps)} dependent link(s) removed)" if deps else ""))


# ---------------------------------------------------------------- message versions
def _validate_version(schema: Any, example: Any) -> None:
    errs: dict[str, list[str]] = {}
    s_errs = schema_errors(schema)
    if s_errs:
        errs["schema"] = s_errs
    else:
        e_errs = example_errors(schema, example)
        if e_errs:
            errs["example"] = e_errs
    if errs:
        raise ValidationFailed(errs)


def version_save(
    *, team: Team, user: Any, message: Message, schema: Any, example: Any, version: str = "",
    compat: str = "", lock_version: int | None = None,
) -> MessageVersion:
    """Change the newest draft, or add a new version when the newest is released/deprecated.

    A released version is immutable: changing it makes a new (draft) version.
    """
    if message.team_id != team.pk:
        raise ValidationFailed("That message belongs to another team.")
    _validate_version(schema, example)
    if compat and compat not in core.COMPAT_MODES:
        raise ValidationFailed({"compat": [f"Unknown compatibility mode {compat}."]})
    with transaction.atomic():
        Message.objects.select_for_update().get(pk=message.pk)
        latest = message.versions.order_by("-position").first()
        if latest is not None and latest.status == "draft":
            if lock_version is not None and latest.lock_version != lock_version:
                raise Conflict(version_state(latest), version_state(latest), ["schema"], "Someone")
            before = version_state(latest)
            latest.schema, latest.example = schema, example
            if version:
                latest.version = version
            latest.compat = compat
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
            new_version = version or _next_minor(latest.version if latest else "")
            if message.versions.filter(version=new_version).exists():
                raise ValidationFailed({"version": [f"Version {new_version} already exists; choose a new number."]})
            v = MessageVersion.objects.create(message=message, position=position, version=new_version,
                                              schema=schema, example=example, compat=compat)
            action = "create"
        _record(team=team, user=user, action=action, kind="message", obj_id=message.pk, name=message.name,
                before={"version": before} if before else None, after={"version": version_state(v)},
                summary=f"{'Changed draft' if action == 'update' else 'Added'} version {v.version} of {message.name}")
    return v


def _next_minor(version: str) -> str:
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
        before = version_state(v)
        if status == "released" and v.status == "draft":
            problems = compat_check(v) if compat_check else []
            if problems and not override_reason.strip():
                raise ValidationFailed({"compat": problems})
            v.override_reason = override_reason.strip() if problems else ""
        v.status = status
        v.lock_version += 1
        v.save()
        _record(team=team, user=user, action="update", kind="message", obj_id=v.message_id, name=v.message.name,
                before={"version": before}, after={"version": version_state(v), "override_reason": v.override_reason},
                summary=f"Version {v.version} of {v.message.name} is now {status}"
                + (" (incompatible, overridden)" if v.override_reason else ""))
    return v


# ---------------------------------------------------------------- relations and flow steps
def relation_add(
    *, team: Team, user: Any, service: Service, message: Message, role: str, channel: Channel | None = None,
    idempotent: bool = False, dedup_key: str = "", pinned_version: str = "",
) -> Relation:
    if role not in ("produces", "consumes"):
        raise ValidationFailed({"role": ["Role must be produces or consumes."]})
    for el in (service, message, channel):
        if el is not None and el.team_id != team.pk:
            raise ValidationFailed("That element belongs to another team.")
    with transaction.atomic():
        rel, created = Relation.objects.get_or_create(
            team=team, service=service, message=message, role=role,
            defaults={"channel": channel, "idempotent": idempotent, "dedup_key": dedup_key, "pinned_version": pinned_version},
        )
        before = None if created else relation_state(rel)
        if not created:
            rel.channel, rel.idempotent, rel.dedup_key, rel.pinned_version = channel, idempotent, dedup_key, pinned_version
            rel.save()
        _record(team=team, user=user, action="create" if created else "update", kind="message", obj_id=message.pk,
                name=message.name, before={"relation": before} if before else None,
                after={"relation": relation_state(rel)}, summary=f"{service.name} {role} {message.name}")
    return rel


def relation_remove(*, team: Team, user: Any, relation: Relation) -> None:
    if relation.team_id != team.pk:
        raise ValidationFailed("That relation belongs to another team.")
    with transaction.atomic():
        before = relation_state(relation)
        relation.delete()
        _record(team=team, user=user, action="delete", kind="message", obj_id=relation.message_id,
                name=before["message"], before={"relation": before},
                summary=f"{before['service']} no longer {before['role']} {before['message']}")


def flow_steps_set(*, team: Team, user: Any, flow: Flow, steps: list[dict[str, Any]], lock_version: int | None) -> Flow:
    """Replace a flow's ordered steps: each {service: Service, message: Message, action, note}."""
    for st in steps:
        if st["service"].team_id != team.pk or st["message"].team_id != team.pk:
            raise ValidationFailed("A step refers to another team's element.")
        if st.get("action", "sends") not in ("sends", "receives"):
            raise ValidationFailed({"steps": ["Step action must be sends or receives."]})
    with transaction.atomic():
        before = _locked_update(flow, lock_version, flow_state)
        flow.steps.all().delete()
        FlowStep.objects.bulk_create([
            FlowStep(flow=flow, position=i + 1, service=st["service"], message=st["message"],
                     action=st.get("action", "sends"), note=(st.get("note") or "")[:300])
            for i, st in enumerate(steps)
        ])
        Flow.objects.filter(pk=flow.pk).update(lock_version=F("lock_version") + 1)
        flow.refresh_from_db()
        _record(team=team, user=user, action="update", kind="flow", obj_id=flow.pk, name=flow.name,
                before=before, after=flow_state(flow), summary=f"Changed the steps of flow {flow.name}")
    return flow


# ---------------------------------------------------------------- import a whole model
@dataclass
class ImportReport:
    created: dict[str, int]
    updated: dict[str, int]
    deleted: dict[str, int]

    def summary(self) -> str:
        parts = []
        for label, counts in (("created", self.created), ("updated", self.updated), ("deleted", self.deleted)):
            items = [f"{n} {k}" for k, n in sorted(counts.items()) if n]
            if items:
                parts.append(f"{label} " + ", ".join(items))
        return "; ".join(parts) or "no changes"


def model_import(*, team: Team, user: Any, model: core.Model, mode: str = "replace") -> ImportReport:
    """Write a whole core Model into the team, in one transaction.

    ``replace``: the team's model becomes exactly ``model`` (elements not in it are deleted).
    ``merge``: elements are created or updated by name; nothing is deleted.
    Either everything is written or nothing is (a failure rolls the whole import back).
    """
    if mode not in ("replace", "merge"):
        raise ValidationFailed(f"Unknown import mode {mode!r}: use replace or merge.")
    for msg in model.messages:
        for v in msg.versions:
            # The loader already refused invalid schemas; this guards callers that build a model
            # themselves. An example that does not match is kept: lint reports it
            # (schema-examples-valid), as the AsyncAPI tools accept such documents.
            errs = schema_errors(v.schema)
            if errs:
                raise ValidationFailed({f"messages/{msg.name} version {v.version}": errs})
    rep = ImportReport(created={}, updated={}, deleted={})

    def bump(counter: dict[str, int], key: str) -> None:
        counter[key] = counter.get(key, 0) + 1

    with transaction.atomic():
        before_export = None
        from designer.core.formats import native

        from .selectors import team_model  # local: selectors import services' siblings only

        before_export = native.dump(team_model(team))
        if mode == "replace":
            for cls, key in ((Flow, "flows"), (Relation, "relations"), (Message, "messages"),
                             (Channel, "channels"), (Service, "services")):
                keep = {
                    Flow: {f.name for f in model.flows}, Message: {m.name for m in model.messages},
                    Channel: {c.name for c in model.channels}, Service: {s.name for s in model.services},
                }.get(cls)
                qs = cls.objects.filter(team=team)
                if keep is not None:
                    qs = qs.exclude(name__in=keep)
                n = qs.count()
                if n and cls is not Relation:
                    rep.deleted[key] = n
                qs.delete()
        services: dict[str, Service] = {}
        for s in model.services:
            obj, created = Service.objects.get_or_create(team=team, name=s.name)
            _apply(obj, {"description": s.description, "owner": s.owner, "repository": s.repository,
                         "language": s.language, "writes_database": s.writes_database, "outbox": s.outbox,
                         "extensions": dict(s.extensions)}, SERVICE_FIELDS + ("extensions",))
            obj.lock_version += 0 if created else 1
            obj.save()
            bump(rep.created if created else rep.updated, "services")
            services[s.name] = obj
        channels: dict[str, Channel] = {}
        for c in model.channels:
            obj, created = Channel.objects.get_or_create(team=team, name=c.name)
            _apply(obj, {"description": c.description, "owner": c.owner, "broker": c.broker,
                         "partition_key": c.partition_key, "ordered": c.ordered, "delivery": c.delivery,
                         "extensions": dict(c.extensions)}, CHANNEL_FIELDS + ("extensions",))
            obj.lock_version += 0 if created else 1
            obj.save()
            bump(rep.created if created else rep.updated, "channels")
            channels[c.name] = obj
        for name in {r.service for r in model.relations} - set(services):
            services[name], created = Service.objects.get_or_create(team=team, name=name)
            if created:
                bump(rep.created, "services")
        messages: dict[str, Message] = {}
        for m in model.messages:
            obj, created = Message.objects.get_or_create(team=team, name=m.name)
            _apply(obj, {"description": m.description, "owner": m.owner, "kind": m.kind, "wire_type": m.type,
                         "channel": channels.get(m.channel) or (
                             Channel.objects.filter(team=team, name=m.channel).first() if m.channel else None),
                         "extensions": dict(m.extensions)}, MESSAGE_FIELDS + ("extensions",))
            obj.lock_version += 0 if created else 1
            obj.save()
            obj.versions.all().delete()
            MessageVersion.objects.bulk_create([
                MessageVersion(message=obj, position=i + 1, version=v.version, schema=v.schema, example=v.example,
                               status=v.status, compat=v.compat)
                for i, v in enumerate(m.versions)
            ])
            if mode == "replace" or m.name in {r.message for r in model.relations}:
                Relation.objects.filter(message=obj).delete()
            bump(rep.created if created else rep.updated, "messages")
            messages[m.name] = obj
        for r in model.relations:
            svc = services.get(r.service) or Service.objects.get(team=team, name=r.service)
            msg = messages.get(r.message) or Message.objects.filter(team=team, name=r.message).first()
            if msg is None:
                raise ValidationFailed(f"A relation names the unknown message {r.message!r}.")
            ch = channels.get(r.channel) or (Channel.objects.filter(team=team, name=r.channel).first() if r.channel else None)
            Relation.objects.update_or_create(
                team=team, service=svc, message=msg, role=r.role,
                defaults={"channel": ch, "idempotent": r.idempotent, "dedup_key": r.dedup_key,
                          "pinned_version": r.version},
            )
        for f in model.flows:
            obj, created = Flow.objects.get_or_create(team=team, name=f.name)
            orch = services.get(f.orchestrator) or (
                Service.objects.filter(team=team, name=f.orchestrator).first() if f.orchestrator else None)
            _apply(obj, {"description": f.description, "style": f.style, "orchestrator": orch}, FLOW_FIELDS)
            obj.lock_version += 0 if created else 1
            obj.save()
            obj.steps.all().delete()
            FlowStep.objects.bulk_create([
                FlowStep(flow=obj, position=i + 1,
                         service=services.get(st.service) or Service.objects.get(team=team, name=st.service),
                         message=messages.get(st.message) or Message.objects.get(team=team, name=st.message),
                         action=st.action, note=st.note)
                for i, st in enumerate(f.steps)
            ])
            bump(rep.created if created else rep.updated, "flows")
        settings_fields: dict[str, Any] = {"envelope_profile": model.envelope.profile,
                                           "envelope_schema": model.envelope.schema}
        if mode == "replace" or model.lint.severities or model.lint.options:
            settings_fields["lint_config"] = {"severities": dict(model.lint.severities),
                                              "options": {k: dict(v) for k, v in model.lint.options.items()}}
        settings_fields["default_compat"] = dict(model.default_compat)
        # The file describes the team: its name and description travel with it.
        if model.name:
            settings_fields["name"] = model.name[:120]
        if model.description or mode == "replace":
            settings_fields["description"] = model.description
        Team.objects.filter(pk=team.pk).update(**settings_fields)
        team.refresh_from_db()
        after_export = native.dump(team_model(team))
        _record(team=team, user=user, action="import", kind="team", obj_id=team.pk, name=team.name,
                before={"document": before_export}, after={"document": after_export},
                summary=f"Imported a model ({mode}): {rep.summary()}")
    return rep
