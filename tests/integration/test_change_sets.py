"""Imports apply a change set; deletes record what they take — the history can be read back."""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from designer.catalog import kinds, services
from designer.catalog.kinds import Refs
from designer.catalog.models import Change, Message, Service
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states
from designer.core.formats import native

pytestmark = pytest.mark.django_db


def run(*args: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_records_each_element_before_and_after_an_import(demo_team: Any, tmp_path: Path) -> None:
    path = tmp_path / "more.yaml"
    path.write_text("version: 1\nservices:\n  - name: audit-service\n    owner: team-audit\n")
    out = run("import_model", str(path), "--team", demo_team.slug, "--mode", "merge")
    assert "created 1 services" in out
    change = Change.objects.filter(team=demo_team, action="import").latest("id")
    [state] = change.states.all()
    assert (state.kind, state.name, state.before) == ("service", "audit-service", None)
    assert state.after["owner"] == "team-audit"
    assert state.after == model_states(model_snapshot(demo_team))[("service", "audit-service")]


def test_it_writes_nothing_when_the_file_is_the_model_already(demo_team: Any, tmp_path: Path) -> None:
    path = tmp_path / "same.yaml"
    path.write_text(run("export_model", "--team", demo_team.slug))
    locks = dict(Message.objects.filter(team=demo_team).values_list("name", "lock_version"))
    out = run("import_model", str(path), "--team", demo_team.slug, "--mode", "replace")
    assert "no changes" in out
    assert dict(Message.objects.filter(team=demo_team).values_list("name", "lock_version")) == locks


def test_it_keeps_a_version_row_that_an_import_does_not_change(demo_team: Any, tmp_path: Path) -> None:
    msg = Message.objects.get(team=demo_team, name="OrderPlaced")
    first = msg.versions.order_by("position").first()
    model = native.load(run("export_model", "--team", demo_team.slug))
    changed = tuple(dataclasses.replace(m, description="Changed by the file") if m.name == "OrderPlaced" else m
                    for m in model.messages)
    path = tmp_path / "changed.yaml"
    path.write_text(native.dump(dataclasses.replace(model, messages=changed)))
    run("import_model", str(path), "--team", demo_team.slug, "--mode", "replace")
    msg.refresh_from_db()
    assert msg.description == "Changed by the file"
    assert msg.versions.order_by("position").first().pk == first.pk


def test_it_records_what_a_delete_takes_from_other_elements(demo_team: Any, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    svc = Service.objects.get(team=demo_team, name="payment-service")
    related = set(Message.objects.filter(relations__service=svc).values_list("name", flat=True))
    assert editor.post(reverse("element_delete", args=[demo_team.slug, "services", svc.pk])).status_code == 302
    change = Change.objects.filter(team=demo_team, action="delete", element_kind="service").get()
    affected = {(a["kind"], a["name"]) for a in change.before["affected"]}
    assert {("message", name) for name in related} <= affected
    for a in change.before["affected"]:
        if a["kind"] == "message":
            assert any(r["service"] == "payment-service" for r in a["before"]["relations"])
            assert all(r["service"] != "payment-service" for r in a["after"]["relations"])


def test_it_restores_a_deleted_element_from_its_recorded_state(demo_team: Any, member_client: Any) -> None:
    """What issue 11's restore builds on: a recorded state written back through element_write."""
    editor = member_client(demo_team, "editor")
    msg = Message.objects.get(team=demo_team, name="OrderPlaced")
    before_export = native.dump(model_snapshot(demo_team))
    editor.post(reverse("element_delete", args=[demo_team.slug, "messages", msg.pk]))
    change = Change.objects.filter(team=demo_team, action="delete", element_kind="message").get()
    state = {k: v for k, v in change.before.items() if k != "affected"}
    kind = kinds.by_key("message")
    with_affected = change.before.get("affected", [])
    from django.db import transaction

    with transaction.atomic():
        refs = Refs(demo_team)
        services.element_write(team=demo_team, kind=kind, row=None, state=state, refs=refs)
        for a in with_affected:
            other = kinds.by_key(a["kind"])
            services.element_write(team=demo_team, kind=other, row=refs.row(other.key, a["name"]),
                                   state=a["before"], refs=refs)
    assert native.dump(model_snapshot(demo_team)) == before_export
