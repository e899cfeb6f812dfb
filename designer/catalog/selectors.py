"""Reads of the catalog: access checks and the team's model as a core snapshot."""
from __future__ import annotations

import threading
from typing import Any

from django.http import Http404

from designer.core import model as core

from .models import Change, Channel, Flow, Membership, Message, MessageVersion, Relation, Service, Team

ROLE_RANK = {"viewer": 0, "editor": 1, "owner": 2}


def membership_for(user: Any, slug: str) -> Membership:
    """The user's membership of team ``slug``; 404 for non-members and unknown teams alike."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such team.")
    m = Membership.objects.select_related("team").filter(team__slug=slug, user=user).first()
    if m is None:
        raise Http404("No such team.")
    return m


def user_teams(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.select_related("team").filter(user=user).order_by("team__name"))


# The snapshot is rebuilt only when the team's revision moves: one process-local entry per team.
_SNAPSHOTS: dict[int, tuple[int, core.Model]] = {}
_LOCK = threading.Lock()


def team_model(team: Team, *, fresh: bool = False) -> core.Model:
    """The team's whole model as a frozen ``core.Model`` (cached per team revision)."""
    revision = Team.objects.filter(pk=team.pk).values_list("revision", flat=True).first() or 0
    with _LOCK:
        hit = _SNAPSHOTS.get(team.pk)
    if hit and hit[0] == revision and not fresh:
        return hit[1]
    model = _build(team, revision)
    with _LOCK:
        _SNAPSHOTS[team.pk] = (revision, model)
    return model


def _build(team: Team, revision: int) -> core.Model:
    team = Team.objects.get(pk=team.pk)
    channels = {c.pk: c for c in Channel.objects.filter(team=team)}
    services = {s.pk: s for s in Service.objects.filter(team=team)}
    versions: dict[int, list[MessageVersion]] = {}
    for v in MessageVersion.objects.filter(message__team=team).order_by("message_id", "position"):
        versions.setdefault(v.message_id, []).append(v)
    messages = list(Message.objects.filter(team=team))
    msg_by_id = {m.pk: m for m in messages}
    lint_cfg = team.lint_config or {}
    default_compat = {"event": "FORWARD", "command": "BACKWARD", "query": "BACKWARD"}
    default_compat.update(team.default_compat or {})
    flows = []
    for f in Flow.objects.filter(team=team).prefetch_related("steps"):
        flows.append(core.Flow(
            name=f.name, description=f.description, style=f.style,
            orchestrator=services[f.orchestrator_id].name if f.orchestrator_id in services else "",
            steps=tuple(
                core.FlowStep(service=services[s.service_id].name, message=msg_by_id[s.message_id].name,
                              action=s.action, note=s.note)
                for s in sorted(f.steps.all(), key=lambda s: s.position)
            ),
        ))
    return core.Model(
        name=team.name,
        description=team.description,
        services=tuple(
            core.Service(name=s.name, description=s.description, owner=s.owner, repository=s.repository,
                         language=s.language, writes_database=s.writes_database, outbox=s.outbox,
                         extensions=s.extensions or {})
            for s in sorted(services.values(), key=lambda s: s.name)
        ),
        channels=tuple(
            core.Channel(name=c.name, broker=c.broker, description=c.description, owner=c.owner,
                         partition_key=c.partition_key, ordered=c.ordered, delivery=c.delivery,
                         extensions=c.extensions or {})
            for c in sorted(channels.values(), key=lambda c: c.name)
        ),
        messages=tuple(
            core.Message(
                name=m.name, kind=m.kind, type=m.wire_type, description=m.description, owner=m.owner,
                channel=channels[m.channel_id].name if m.channel_id in channels else "",
                versions=tuple(
                    core.Version(version=v.version, schema=v.schema, status=v.status, example=v.example,
                                 compat=v.compat)
                    for v in versions.get(m.pk, [])
                ),
                extensions=m.extensions or {},
            )
            for m in sorted(messages, key=lambda m: m.name)
        ),
        relations=tuple(
            core.Relation(service=services[r.service_id].name, message=msg_by_id[r.message_id].name, role=r.role,
                          channel=channels[r.channel_id].name if r.channel_id in channels else "",
                          idempotent=r.idempotent, dedup_key=r.dedup_key, version=r.pinned_version)
            for r in Relation.objects.filter(team=team).order_by("message__name", "role", "service__name")
        ),
        flows=tuple(sorted(flows, key=lambda f: f.name)),
        envelope=core.Envelope(profile=team.envelope_profile, schema=team.envelope_schema),
        lint=core.LintConfig(severities=dict(lint_cfg.get("severities") or {}),
                             options=dict(lint_cfg.get("options") or {})),
        default_compat=default_compat,
        revision=str(revision),
    )


def recent_changes(team: Team, limit: int = 20) -> list[Change]:
    return list(Change.objects.filter(team=team).select_related("user")[:limit])


def element_changes(team: Team, kind: str, element_id: int, limit: int = 100) -> list[Change]:
    return list(Change.objects.filter(team=team, element_kind=kind, element_id=element_id).select_related("user")[:limit])
