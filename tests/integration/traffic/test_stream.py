"""The websocket stream: who may watch, what arrives, resuming, and frames instead of events."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

import orjson
import pytest
from channels.db import database_sync_to_async
from cloudevents.v1.conversion import to_binary, to_structured
from cloudevents.v1.http import CloudEvent

from designer.catalog import services as svc
from designer.traffic.pipeline import get_pipeline
from tests.integration.traffic.conftest import receive_until
from tests.unit.traffic.builders import ce, valid_order

pytestmark = [pytest.mark.django_db(transaction=True)]


def sdk_event(type_: str = "com.shop.order.placed", data: Any = None, **attrs: Any) -> CloudEvent:
    attributes = {"type": type_, "source": "/services/orders", "id": str(uuid.uuid4()), **attrs}
    return CloudEvent(attributes, valid_order() if data is None else data)


async def post(http: Any, slug: str, secret: str, headers: dict[str, str], body: bytes) -> Any:
    r = await http.post(f"/api/teams/{slug}/events", content=body,
                        headers={**headers, "Authorization": f"Bearer {secret}"})
    assert r.status_code == 202, r.text
    return r.json()


async def test_a_viewer_receives_sdk_events_with_their_findings(ashop: Any, http: Any, ws: Any, make_user: Any) -> None:
    team, owner, secret = await ashop()
    viewer = await database_sync_to_async(make_user)()
    await database_sync_to_async(svc.membership_set)(team=team, actor=owner, user=viewer, role="viewer")
    ok, comm = await ws(team.slug, user=viewer)
    assert ok
    hello = await comm.receive_json_from(timeout=5)
    assert hello["type"] == "hello" and hello["gap"] is False

    clean = sdk_event()
    await post(http, team.slug, secret, *to_structured(clean))
    bad = sdk_event(data={**valid_order(), "total": -1})
    await post(http, team.slug, secret, *to_binary(bad))
    unknown = sdk_event("com.shop.refund.issued", {"refundId": "r-1"})
    await post(http, team.slug, secret, *to_structured(unknown))

    seen = await receive_until(comm, lambda m: m["type"] == "finding" and m["kind"] == "undeclared-type")
    events = {m["event_id"]: m for m in seen if m["type"] == "event"}
    assert events[clean["id"]]["findings"] == []
    assert events[clean["id"]]["message"] == "OrderPlaced"
    assert events[clean["id"]]["data"]["orderId"] == valid_order()["orderId"]
    assert events[bad["id"]]["findings"] == ["schema-violation"]
    violation = next(m for m in seen if m["type"] == "finding" and m["event_id"] == bad["id"])
    assert violation["path"] == "$.total" and violation["severity"] == "error"
    undeclared = next(m for m in seen if m["type"] == "finding" and m["kind"] == "undeclared-type")
    assert undeclared["inferred_schema"]["properties"]["refundId"]["type"] == "string"
    ids = [m["id"] for m in seen]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    await comm.disconnect()


async def test_a_program_watches_with_the_token_in_a_header_or_the_query(ashop: Any, ws: Any) -> None:
    team, _, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    assert ok
    await comm.disconnect()
    ok, comm = await ws(team.slug, headers=((b"authorization", f"Bearer {secret}".encode()),))
    assert ok
    await comm.disconnect()


async def test_everyone_else_is_refused(ashop: Any, ws: Any, make_user: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    team, _, _ = await ashop()
    other, _, other_secret = await ashop()
    stranger = await database_sync_to_async(make_user)()
    for kw in ({"user": stranger}, {"user": AnonymousUser()}, {"token": other_secret}, {"token": "efd_wrong"}):
        ok, comm = await ws(team.slug, **kw)
        assert not ok, kw
    ok, _ = await ws("no-such-team", token=other_secret)
    assert not ok


async def test_a_client_that_reconnects_with_its_last_id_gets_what_it_missed(ashop: Any, http: Any, ws: Any) -> None:
    team, _, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    await comm.receive_json_from(timeout=5)  # hello
    await post(http, team.slug, secret, {"Content-Type": "application/cloudevents+json"}, orjson.dumps(ce(id="e1")))
    seen = await receive_until(comm, lambda m: m["type"] == "event" and m["event_id"] == "e1")
    last_id = max(m["id"] for m in seen)
    await comm.disconnect()

    for i in (2, 3):  # sent while nobody watched
        await post(http, team.slug, secret, {"Content-Type": "application/cloudevents+json"},
                   orjson.dumps(ce(id=f"e{i}", time=f"2024-05-01T10:00:0{i}Z")))
    await asyncio.sleep(0.3)  # let the frames go out
    ok, comm = await ws(team.slug, token=secret, last_id=last_id)
    hello = await comm.receive_json_from(timeout=5)
    assert hello["resumed"] >= 2 and hello["gap"] is False
    seen = await receive_until(comm, lambda m: m["type"] == "event" and m["event_id"] == "e3")
    got = [m["event_id"] for m in seen if m["type"] == "event"]
    assert got == ["e2", "e3"]
    assert all(m["id"] > last_id for m in seen)
    await comm.disconnect()


async def test_a_burst_goes_out_in_a_few_frames_not_one_push_per_event(ashop: Any, http: Any, ws: Any) -> None:
    team, _, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    await comm.receive_json_from(timeout=5)
    pipeline = get_pipeline()
    before = pipeline.frames_sent
    batch = [ce(id=f"b{i}", time=f"2024-05-01T10:00:{i % 60:02d}Z") for i in range(150)]
    for _ in range(2):
        await post(http, team.slug, secret, {"Content-Type": "application/cloudevents-batch+json"},
                   orjson.dumps(batch[:75] if _ == 0 else batch[75:]))
    seen = await receive_until(comm, lambda m: m["type"] == "event" and m["event_id"] == "b149")
    assert len([m for m in seen if m["type"] == "event"]) == 150
    assert pipeline.frames_sent - before <= 4
    await comm.disconnect()


async def test_a_tap_status_reaches_the_watchers(ashop: Any, http: Any, ws: Any) -> None:
    team, _, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    await comm.receive_json_from(timeout=5)
    pipeline = get_pipeline()
    await pipeline.state(team.pk)
    pipeline.set_status(team.pk, "redis://127.0.0.1:6379 orders", "reconnecting", "connection lost")
    seen = await receive_until(comm, lambda m: m["type"] == "status")
    assert seen[-1]["state"] == "reconnecting" and seen[-1]["source"].startswith("redis://")
    await comm.disconnect()


async def test_stats_carry_per_type_rates(ashop: Any, http: Any, ws: Any) -> None:
    team, _, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    await comm.receive_json_from(timeout=5)
    await post(http, team.slug, secret, {"Content-Type": "application/cloudevents+json"}, orjson.dumps(ce()))
    seen = await receive_until(comm, lambda m: m["type"] == "stats", timeout=4)
    stats = seen[-1]
    assert stats["events"] == 1
    assert stats["rates"]["com.shop.order.placed"][-1] == 1
    await comm.disconnect()


async def test_a_huge_payload_is_streamed_as_a_stub(ashop: Any, http: Any, ws: Any) -> None:
    team, _, secret = await ashop()
    ok, comm = await ws(team.slug, token=secret)
    await comm.receive_json_from(timeout=5)
    big = ce("com.shop.blob.stored", {"blob": "x" * 40_000}, id="big")
    await post(http, team.slug, secret, {"Content-Type": "application/cloudevents+json"}, orjson.dumps(big))
    seen = await receive_until(comm, lambda m: m["type"] == "event" and m["event_id"] == "big")
    event = next(m for m in seen if m["type"] == "event" and m["event_id"] == "big")
    assert event["data"]["_omitted"].startswith("payload of 40")
    await comm.disconnect()
