"""Issue 11: proposals — a change reviewed before it lands, on the demo team: edited with the
element form without touching the live model, reviewed (diff, lint delta, compatibility,
affected services and their code diff), commented, approved, merged as one change; conflicts
shown side by side; one of two merges wins; and `propose` for CI through a subprocess."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from designer.catalog import services as svc
from designer.catalog.models import Change, Message, Service, Team
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states
from designer.core.formats import native
from designer.core.model import Version
from designer.proposals import services as proposals
from designer.proposals.models import Proposal

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ONLY_ID = ROOT / "tests" / "fixtures" / "imports" / "order-placed-only-id.asyncapi.yaml"


def _open(client: Any, team: Team, title: str = "Describe OrderPlaced better") -> Proposal:
    resp = client.post(reverse("proposal_list", args=[team.slug]), {"title": title})
    assert resp.status_code == 302
    return Proposal.objects.filter(team=team).latest("id")


def _edit(client: Any, team: Team, proposal: Proposal, coll: str, name: str, **changes: Any) -> Any:
    kind_model = {"messages": Message, "services": Service}[coll]
    obj = kind_model.objects.get(team=team, name=name)
    url = reverse("proposal_element_edit", args=[team.slug, proposal.pk, coll, obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in ((n, form[n].value()) for n in form.fields) if v is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data.update(changes)
    return client.post(url, data)


def test_it_reviews_and_merges_a_proposal_without_touching_the_live_model_before(
        demo_team: Team, member_client: Any) -> None:
    author, reviewer, viewer = (member_client(demo_team, r) for r in ("editor", "editor", "viewer"))
    proposal = _open(author, demo_team)
    live = model_states(model_snapshot(demo_team))
    revision = Team.objects.get(pk=demo_team.pk).revision
    resp = _edit(author, demo_team, proposal, "messages", "OrderPlaced", description="A proposed description.",
                 wire_type="order.was-placed")
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert model_states(model_snapshot(demo_team)) == live  # nothing live moved
    assert Team.objects.get(pk=demo_team.pk).revision == revision

    page = viewer.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert 'data-element="message/OrderPlaced"' in page and "A proposed description." in page
    assert "finding(s) introduced" in page
    assert "payment-service (consumes OrderPlaced)" in page and "regenerated code diff" in page
    code = viewer.get(reverse("proposal_code", args=[demo_team.slug, proposal.pk]),
                      {"service": "payment-service", "lang": "python"}).content.decode()
    assert "order.was-placed" in code and 'class="add"' in code

    # Viewers read and comment (on the proposal and on one element), but do not approve.
    assert viewer.post(reverse("proposal_comment", args=[demo_team.slug, proposal.pk]),
                       {"text": "Why the new wire type?", "element": "messages/OrderPlaced"}).status_code == 302
    assert viewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "approve"])).status_code == 403
    # The proposer cannot merge by default, and one approval is needed.
    resp = author.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]))
    assert resp.status_code == 422 and "the proposer does not merge" in resp.content.decode()
    resp = reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]))
    assert resp.status_code == 422 and "needs 1 approval(s); it has 0" in resp.content.decode()
    assert author.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "approve"])).status_code == 422
    assert reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "approve"])).status_code == 302
    assert reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"])).status_code == 302

    now = model_states(model_snapshot(demo_team))[("message", "OrderPlaced")]
    assert (now["description"], now["type"]) == ("A proposed description.", "order.was-placed")
    merged = Change.objects.filter(team=demo_team).latest("id")
    assert merged.action == "merge" and Team.objects.get(pk=demo_team.pk).revision == revision + 1
    assert merged.states.get(kind="message", name="OrderPlaced").before == live[("message", "OrderPlaced")]
    page = viewer.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert "Why the new wire type?" in page and "messages/OrderPlaced" in page and ">merged<" in page
    resp = reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]))
    assert resp.status_code == 422 and "This proposal is merged" in resp.content.decode()


def test_it_rebases_unrelated_changes_and_shows_conflicts_side_by_side(demo_team: Team, member_client: Any) -> None:
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    proposal = _open(author, demo_team)
    _edit(author, demo_team, proposal, "messages", "OrderPlaced", description="Mine.")
    order_placed = Message.objects.get(team=demo_team, name="OrderPlaced")
    svc.element_update(team=demo_team, user=None, obj=order_placed, data={"description": "Theirs.", "owner": "team-x"},
                       lock_version=None)
    proposals.proposal_approve(proposal=proposal, user=reviewer.user)
    revision = Team.objects.get(pk=demo_team.pk).revision
    resp = reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]))
    page = resp.content.decode()
    assert resp.status_code == 422 and 'id="conflicts"' in page
    assert "Mine." in page and "Theirs." in page and "resolve|message|OrderPlaced|description" in page
    assert Team.objects.get(pk=demo_team.pk).revision == revision
    resp = reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]),
                         {"resolve|message|OrderPlaced|description": "mine"})
    assert resp.status_code == 302
    now = model_states(model_snapshot(demo_team))[("message", "OrderPlaced")]
    assert (now["description"], now["owner"]) == ("Mine.", "team-x")  # the live owner change rebased silently


def test_it_shows_a_conflict_when_the_proposals_element_was_deleted(demo_team: Team, member_client: Any) -> None:
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    proposal = _open(author, demo_team)
    _edit(author, demo_team, proposal, "services", "email-service", owner="team-mail")
    svc.element_delete(team=demo_team, user=None, obj=Service.objects.get(team=demo_team, name="email-service"))
    proposals.proposal_approve(proposal=proposal, user=reviewer.user)
    resp = reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]))
    assert resp.status_code == 422 and "service email-service ((the whole element))" in resp.content.decode()
    assert not Service.objects.filter(team=demo_team, name="email-service").exists()


def test_it_keeps_proposals_to_their_team(demo_team: Team, make_team: Any, member_client: Any) -> None:
    proposal = _open(member_client(demo_team, "editor"), demo_team)
    outsider = member_client(make_team(), "owner")
    for url in (reverse("proposal_detail", args=[demo_team.slug, proposal.pk]),
                reverse("proposal_code", args=[demo_team.slug, proposal.pk])):
        assert outsider.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_merges_of_one_proposal_at_once_one_wins(demo_team: Team, member_client: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL's row locks; SQLite serialises writers (covered by the sequential test)")
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    proposal = _open(author, demo_team)
    _edit(author, demo_team, proposal, "messages", "OrderPlaced", description="Once.")
    proposals.proposal_approve(proposal=proposal, user=reviewer.user)
    results: list[str] = []

    def merge() -> None:
        try:
            proposals.proposal_merge(proposal=proposal, user=reviewer.user)
            results.append("merged")
        except svc.ValidationFailed as exc:
            results.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=merge) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("merged") == 1
    assert [r for r in results if r != "merged"][0].startswith("This proposal is merged")
    assert Change.objects.filter(team=demo_team, action="merge").count() == 1


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.django_db(transaction=True)
def test_propose_prints_the_url_and_fails_on_an_incompatible_change(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DESIGNER_SQLITE_PATH=str(tmp_path / "db.sqlite3"), DESIGNER_SECRET_FILE=str(tmp_path / "key"),
               DESIGNER_BASE_URL="https://designer.example")
    assert _cli(env, "migrate", "--noinput").returncode == 0
    assert _cli(env, "seed_demo").returncode == 0
    original = _cli(env, "export_model", "--team", "demo-shop").stdout

    ok = _cli(env, "propose", str(ONLY_ID), "--team", "demo-shop", "--title", "Order id at the top")
    assert re.search(r"Proposal #\d+: https://designer\.example/t/demo-shop/proposals/\d+/", ok.stdout), ok.stderr
    assert "compatibility: 1 changed schema(s), 0 incompatible" in ok.stdout
    assert ok.returncode == (1 if "(0 error(s))" not in ok.stdout else 0)

    model = native.load(original)
    paid = next(m for m in model.messages if m.name == "PaymentSucceeded")
    released = paid.versions[-1]
    props = dict(released.schema["properties"])
    first = next(iter(props))
    props[first] = {"type": "boolean"}  # a type no reader of the released version accepts
    breaking = dataclasses.replace(paid, versions=(*paid.versions, Version(
        "2.0.0", schema={**released.schema, "properties": props}, example=None)))
    path = tmp_path / "breaking.yaml"
    path.write_text(native.dump(dataclasses.replace(
        model, messages=tuple(breaking if m.name == "PaymentSucceeded" else m for m in model.messages))))
    bad = _cli(env, "propose", str(path), "--team", "demo-shop", "--title", "Break payments")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "PaymentSucceeded 2.0.0" in bad.stdout and "Fix:" in bad.stdout
    assert _cli(env, "export_model", "--team", "demo-shop").stdout == original  # proposals touch nothing live
    missing = _cli(env, "propose", str(tmp_path / "nope.yaml"), "--team", "demo-shop", "--title", "x")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


@pytest.mark.django_db(transaction=True)
async def test_open_pages_hear_about_a_merge(make_user: Any, make_team: Any) -> None:
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from designer.asgi import application

    owner, reviewer = await database_sync_to_async(make_user)(), await database_sync_to_async(make_user)()
    team = await database_sync_to_async(make_team)(owner=owner)

    def prepare() -> Proposal:
        svc.membership_set(team=team, actor=None, user=reviewer, role="editor")
        svc.element_create(team=team, user=owner, kind="service", data={"name": "orders"})
        proposal = proposals.proposal_open(team=team, user=owner, title="Own the orders service")
        proposals.proposal_element_set(proposal=proposal, kind="service", name="orders",
                                       state={**model_states(model_snapshot(team))[("service", "orders")],
                                              "owner": "team-orders"})
        proposals.proposal_approve(proposal=proposal, user=reviewer)
        return proposal

    proposal = await database_sync_to_async(prepare)()
    comm = WebsocketCommunicator(application, f"/ws/teams/{team.slug}/model/",
                                 headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")])
    comm.scope["user"] = owner
    connected, _ = await comm.connect()
    assert connected
    try:
        await database_sync_to_async(proposals.proposal_merge)(proposal=proposal, user=reviewer)
        msg = await comm.receive_json_from(timeout=5)
        assert msg["type"] == "model.changed" and msg["action"] == "merge"
    finally:
        await comm.disconnect()


def test_a_schema_edited_in_a_proposal_gets_its_compatibility_verdict(demo_team: Team, member_client: Any) -> None:
    import json

    author = member_client(demo_team, "editor")
    proposal = _open(author, demo_team, "Payments carry a boolean")
    paid = Message.objects.get(team=demo_team, name="PaymentSucceeded")
    live = model_states(model_snapshot(demo_team))
    released = live[("message", "PaymentSucceeded")]["versions"][-1]
    assert released["status"] == "released"
    schema = json.loads(json.dumps(released["schema"]))
    first = next(iter(schema["properties"]))
    schema["properties"][first] = {"type": "boolean"}
    url = reverse("proposal_version_edit", args=[demo_team.slug, proposal.pk, paid.pk])
    assert "Adds a new draft version" in author.get(url).content.decode()
    resp = author.post(url, {"schema": json.dumps(schema), "example": "", "version": "", "compat": ""})
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert model_states(model_snapshot(demo_team)) == live
    page = author.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert "PaymentSucceeded 1.1.0" in page and "incompatible" in page and "Fix:" in page
