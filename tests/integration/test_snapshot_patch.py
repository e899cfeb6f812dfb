"""The team snapshot after a change: patched from the changed rows, equal to a rebuild.

``team_model`` keeps one snapshot per team and, when the revision moves by a few element
writes, reads only the written elements again. These tests make real writes through the
services on the demo team and hold each patched snapshot to one rebuilt from all the rows.
"""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from designer.catalog import services as catalog
from designer.catalog.models import Channel, Flow, Message, Relation, Service, Team
from designer.catalog.selectors import model as snapshots
from designer.catalog.selectors import team_model
from designer.core.lint.engine import lint
from designer.lintreview import services as review

pytestmark = pytest.mark.django_db
REBUILD = snapshots._snapshot  # the snapshot from all the rows (the fixture below counts its other uses)


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the snapshots built from all the rows."""
    calls: list[int] = []
    original = snapshots._snapshot

    def counting(team: Team, revision: int | None = None) -> Any:
        calls.append(team.pk)
        return original(team, revision)

    monkeypatch.setattr(snapshots, "_snapshot", counting)
    return calls


def _same_as_rebuilt(team: Team) -> None:
    patched = team_model(team)
    rebuilt = REBUILD(team)[0]
    assert patched == rebuilt
    assert patched.revision == rebuilt.revision == str(Team.objects.get(pk=team.pk).revision)


def test_element_writes_patch_the_snapshot_and_equal_a_rebuild(demo_team: Team, rebuilds: list[int]) -> None:
    user = get_user_model().objects.get(username="demo")
    team_model(demo_team)
    assert rebuilds == [demo_team.pk]
    rebuilds.clear()

    msg = Message.objects.get(team=demo_team, name="OrderPlaced")
    catalog.element_update(team=demo_team, user=user, obj=msg, data={"description": ""},
                           lock_version=msg.lock_version)
    assert team_model(demo_team).messages_by_name["OrderPlaced"].description == ""
    _same_as_rebuilt(demo_team)

    # A new version, a relation added and changed, a new service, channel and message, a
    # service's and a channel's attributes, a flow's steps: each patched, each equal.
    msg = Message.objects.get(team=demo_team, name="OrderPlaced")
    schema = {"type": "object", "properties": {"orderId": {"type": "string"}, "note": {"type": "string"}}}
    catalog.version_save(team=demo_team, user=user, message=msg, schema=schema, example=None)
    _same_as_rebuilt(demo_team)
    service = catalog.element_create(team=demo_team, user=user, kind="service", data={"name": "audit-service"})
    channel = catalog.element_create(team=demo_team, user=user, kind="channel", data={"name": "audit.events"})
    catalog.relation_add(team=demo_team, user=user, service=service, message=msg, role="consumes")
    catalog.relation_add(team=demo_team, user=user, service=service, message=msg, role="consumes",
                         idempotent=True, dedup_key="orderId")
    created = catalog.element_create(team=demo_team, user=user, kind="message",
                                     data={"name": "AuditRecorded", "kind": "event", "channel": channel})
    _same_as_rebuilt(demo_team)
    model = team_model(demo_team)
    assert "AuditRecorded" in model.messages_by_name and model.messages_by_name["AuditRecorded"].channel == "audit.events"
    assert any(r.service == "audit-service" and r.idempotent for r in model.consumers("OrderPlaced"))
    other = Service.objects.filter(team=demo_team).exclude(pk=service.pk).order_by("name").first()
    assert other is not None
    catalog.element_update(team=demo_team, user=user, obj=other, data={"owner": "team-x"},
                           lock_version=other.lock_version)
    ch = Channel.objects.filter(team=demo_team).order_by("name").first()
    assert ch is not None
    catalog.element_update(team=demo_team, user=user, obj=ch, data={"description": "changed"},
                           lock_version=ch.lock_version)
    flow = Flow.objects.filter(team=demo_team).first()
    assert flow is not None
    catalog.flow_steps_set(team=demo_team, user=user, flow=flow, lock_version=flow.lock_version, steps=[
        {"service": service, "message": created, "action": "sends", "note": "audit"}])
    _same_as_rebuilt(demo_team)
    assert {f.name: f for f in team_model(demo_team).flows}[flow.name].steps[0].message == "AuditRecorded"
    # A waiver writes nothing the model holds.
    finding = lint(team_model(demo_team))[0]
    review.waiver_create(team=demo_team, user=user, finding=finding, reason="known")
    _same_as_rebuilt(demo_team)
    assert rebuilds == [], "every one of these writes was patched in, none rebuilt"
    assert created.pk


def test_renames_patch_every_element_that_names_the_renamed_one(demo_team: Team, rebuilds: list[int]) -> None:
    user = get_user_model().objects.get(username="demo")
    team_model(demo_team)
    rebuilds.clear()
    # A service named by relations, flow steps and a flow's orchestrator; a channel named by
    # messages and relations; a message named by relations and steps.
    flow = Flow.objects.filter(team=demo_team).exclude(orchestrator=None).first() or Flow.objects.filter(
        team=demo_team).first()
    assert flow is not None
    step = flow.steps.order_by("position").first()
    assert step is not None
    targets = [step.service, step.message, Channel.objects.filter(team=demo_team, messages__isnull=False).first()]
    if flow.orchestrator is not None:
        targets.append(flow.orchestrator)
    for i, obj in enumerate(targets):
        assert obj is not None
        obj = type(obj).objects.get(pk=obj.pk)
        old = obj.name
        new = f"{old}-renamed{i}" if "-" in old or "." in old else f"{old}Renamed{i}"
        catalog.element_update(team=demo_team, user=user, obj=obj, data={"name": new}, lock_version=obj.lock_version)
        model = team_model(demo_team)
        names = {e.name for e in (*model.services, *model.channels, *model.messages, *model.flows)}
        assert new in names and old not in names
        assert all(old not in (r.service, r.message, r.channel) for r in model.relations)
        _same_as_rebuilt(demo_team)
    assert rebuilds == [], "renames are patched too"


def test_a_delete_or_settings_rebuild_it(demo_team: Team, rebuilds: list[int]) -> None:
    user = get_user_model().objects.get(username="demo")
    team_model(demo_team)
    rebuilds.clear()
    relation = Relation.objects.filter(team=demo_team).first()
    assert relation is not None
    catalog.relation_remove(team=demo_team, user=user, relation=relation)
    _same_as_rebuilt(demo_team)
    victim = Message.objects.filter(team=demo_team).order_by("name").last()
    assert victim is not None
    catalog.element_delete(team=demo_team, user=user, obj=victim)
    assert victim.name not in team_model(demo_team).messages_by_name
    _same_as_rebuilt(demo_team)
    service = Service.objects.filter(team=demo_team).order_by("name").first()
    assert service is not None
    catalog.element_delete(team=demo_team, user=user, obj=service)
    assert all(r.service != service.name for r in team_model(demo_team).relations)
    _same_as_rebuilt(demo_team)
    team = Team.objects.get(pk=demo_team.pk)
    catalog.team_settings_update(team=team, actor=user, envelope_profile="cloudevents")
    assert team_model(demo_team).envelope.profile == "cloudevents"
    _same_as_rebuilt(demo_team)
    assert len(rebuilds) == 4
