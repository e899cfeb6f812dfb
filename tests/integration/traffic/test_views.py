"""The live page, Play, kept findings and "add to model"."""
from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient
from django.utils import timezone

from designer.catalog import services as svc
from designer.catalog.models import Message
from designer.traffic.models import KeptFinding
from designer.traffic.views import message_name_for
from tests.integration.traffic.conftest import receive_until

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_viewer_sees_the_live_page_and_a_stranger_does_not(shop: Any, member_client: Any, client: Any,
                                                            make_user: Any) -> None:
    team, _, _ = shop()
    viewer = member_client(team, "viewer")
    r = viewer.get(f"/t/{team.slug}/live/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-ws="/ws/teams/{team.slug}/traffic/"' in html
    assert "com.shop.order.placed" in html  # the schemas beside the inspector
    assert "Play" not in html  # viewers cannot play traffic
    client.force_login(make_user())
    assert client.get(f"/t/{team.slug}/live/").status_code == 404


def test_the_team_navigation_links_the_live_page(shop: Any, member_client: Any) -> None:
    team, _, _ = shop()
    r = member_client(team, "viewer").get(f"/t/{team.slug}/")
    assert f'href="/t/{team.slug}/live/"' in r.content.decode()


async def test_play_streams_simulated_events_to_the_watchers(ashop: Any, ws: Any, make_user: Any) -> None:
    team, owner, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    await comm.receive_json_from(timeout=5)
    c = AsyncClient()
    await database_sync_to_async(c.force_login)(owner)
    r = await c.post(f"/t/{team.slug}/live/play/", {"action": "play"})
    assert r.status_code == 302
    seen = await receive_until(comm, lambda m: m["type"] == "event", timeout=10)
    statuses = [m for m in seen if m["type"] == "status" and m["source"] == "simulator"]
    assert statuses and statuses[0]["state"] == "running", [(m["type"], m.get("source")) for m in seen]
    r = await c.post(f"/t/{team.slug}/live/play/", {"action": "stop"})
    assert r.status_code == 302
    stopped = await receive_until(comm, lambda m: m["type"] == "status" and m["state"] == "stopped", timeout=5)
    assert "events sent" in stopped[-1]["detail"]
    await comm.disconnect()


async def test_a_viewer_may_not_press_play(ashop: Any, make_user: Any) -> None:
    team, owner, _ = await ashop()
    viewer = await database_sync_to_async(make_user)()
    await database_sync_to_async(svc.membership_set)(team=team, actor=owner, user=viewer, role="viewer")
    c = AsyncClient()
    await database_sync_to_async(c.force_login)(viewer)
    r = await c.post(f"/t/{team.slug}/live/play/", {"action": "play"})
    assert r.status_code == 403


def test_add_to_model_shows_the_inferred_schema_asks_then_creates_the_message(shop: Any, member_client: Any) -> None:
    team, _, _ = shop()
    schema = {"type": "object", "required": ["refundId"], "properties": {"refundId": {"type": "string"}}}
    now = timezone.now()
    KeptFinding.objects.create(team=team, kind="undeclared-type", message_type="com.shop.refund.issued",
                               detail="not declared", count=3, first_seen=now, last_seen=now, inferred_schema=schema)
    editor = member_client(team, "editor")
    page = editor.get(f"/t/{team.slug}/live/").content.decode()
    assert f'href="/t/{team.slug}/live/adopt/?type=com.shop.refund.issued"' in page  # a link, not a POST button
    # The link shows what would be added and asks; nothing is added until that is confirmed.
    r = editor.get(f"/t/{team.slug}/live/adopt/", {"type": "com.shop.refund.issued"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "&quot;refundId&quot;" in html and 'value="RefundIssued"' in html and "Add message" in html
    assert not Message.objects.filter(team=team, wire_type="com.shop.refund.issued").exists()
    assert member_client(team, "viewer").get(f"/t/{team.slug}/live/adopt/", {"type": "x"}).status_code == 403
    r = editor.post(f"/t/{team.slug}/live/adopt/", {"type": "com.shop.refund.issued"})
    assert r.status_code == 302
    msg = Message.objects.get(team=team, wire_type="com.shop.refund.issued")
    assert msg.name == "RefundIssued"
    assert msg.versions.get().schema == schema
    assert not KeptFinding.objects.filter(team=team, kind="undeclared-type").exists()


def test_add_to_model_is_for_editors(shop: Any, member_client: Any) -> None:
    team, _, _ = shop()
    r = member_client(team, "viewer").post(f"/t/{team.slug}/live/adopt/", {"type": "x"})
    assert r.status_code == 403


def test_kept_findings_refresh_as_a_partial(shop: Any, member_client: Any) -> None:
    team, _, _ = shop()
    now = timezone.now()
    KeptFinding.objects.create(team=team, kind="duplicate-id", message_type="com.shop.order.placed",
                               detail="seen twice", count=2, first_seen=now, last_seen=now)
    r = member_client(team, "viewer").get(f"/t/{team.slug}/live/findings/")
    html = r.content.decode()
    assert r.status_code == 200 and "seen twice" in html and "<html" not in html


@pytest.mark.parametrize(("wire", "name"), [
    ("com.shop.refund.issued", "RefundIssued"), ("order-placed", "OrderPlaced"), ("1.2", "Message12"),
])
def test_it_names_a_message_after_its_wire_type(wire: str, name: str) -> None:
    assert message_name_for(wire) == name


async def test_play_runs_clean_unless_faults_are_asked_for(ashop: Any, monkeypatch: Any) -> None:
    from designer.traffic import simulation

    team, owner, _ = await ashop()
    asked: list[bool] = []
    monkeypatch.setattr(simulation, "play", lambda team_id, flow=None, *, faults=False: asked.append(faults) or True)
    c = AsyncClient()
    await database_sync_to_async(c.force_login)(owner)
    await c.post(f"/t/{team.slug}/live/play/", {"action": "play"})
    await c.post(f"/t/{team.slug}/live/play/", {"action": "play", "faults": "1"})
    assert asked == [False, True]


async def test_the_demo_simulation_without_faults_finds_nothing(demo_team: Any) -> None:
    from designer.traffic import simulation

    for seed, flow in enumerate((None, "checkout"), start=1):  # as Play does: a new seed a run
        result = await simulation.simulate(demo_team.pk, flow=flow, rate=2000, count=300, faults=0.0, seed=seed)
        assert result.sent == 300 and result.findings == 0, flow
    with_faults = await simulation.simulate(demo_team.pk, rate=2000, count=300, faults=simulation.PLAY_FAULTS, seed=3)
    assert with_faults.faults > 0 and with_faults.findings > 0
