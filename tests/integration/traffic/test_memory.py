"""The live page remembers (issue 14): the last events, findings and counters survive a reload
(a new websocket gets them first) and a model edit (the checker keeps its counters)."""
from __future__ import annotations

import uuid
from typing import Any

import pytest
from channels.db import database_sync_to_async
from cloudevents.v1.conversion import to_structured
from cloudevents.v1.http import CloudEvent

from designer.catalog import services as svc
from designer.traffic import recent
from designer.traffic.pipeline import get_pipeline
from tests.integration.traffic.conftest import receive_until
from tests.unit.traffic.builders import valid_order

pytestmark = [pytest.mark.django_db(transaction=True)]


def order(data: Any = None, type_: str = "com.shop.order.placed") -> CloudEvent:
    return CloudEvent({"type": type_, "source": "/services/orders", "id": str(uuid.uuid4())},
                      valid_order() if data is None else data)


async def send(http: Any, slug: str, secret: str, event: CloudEvent) -> None:
    headers, body = to_structured(event)
    r = await http.post(f"/api/teams/{slug}/events", content=body,
                        headers={**headers, "Authorization": f"Bearer {secret}"})
    assert r.status_code == 202, r.text


async def test_a_page_opened_later_first_gets_the_last_events_findings_and_stats(
        ashop: Any, http: Any, ws: Any) -> None:
    team, owner, secret = await ashop()
    ok, first = await ws(team.slug, user=owner)
    assert ok
    await first.receive_json_from(timeout=5)  # hello
    clean, bad = order(), order({**valid_order(), "total": -1})
    await send(http, team.slug, secret, clean)
    await send(http, team.slug, secret, bad)
    await receive_until(first, lambda m: m["type"] == "stats" and m["events"] >= 2)

    # "Reload": a new connection without last_id.
    ok, second = await ws(team.slug, user=owner)
    assert ok
    hello = await second.receive_json_from(timeout=5)
    assert hello["remembered"] >= 3
    batch = await second.receive_json_from(timeout=5)
    assert batch["type"] == "batch" and batch["snapshot"] is True
    events = {m["event_id"]: m for m in batch["messages"] if m["type"] == "event"}
    assert set(events) >= {clean["id"], bad["id"]}
    assert events[bad["id"]]["findings"] == ["schema-violation"]
    assert any(m["type"] == "finding" and m["event_id"] == bad["id"] for m in batch["messages"])
    stats = [m for m in batch["messages"] if m["type"] == "stats"]
    assert stats and stats[-1]["events"] >= 2 and stats[-1]["rates"]["com.shop.order.placed"][-1] >= 2
    ids = [m["id"] for m in batch["messages"]]
    assert ids == sorted(ids)
    # A reconnect that resumes (last_id) gets the buffer instead, not the snapshot again.
    ok, third = await ws(team.slug, user=owner, last_id=max(ids))
    hello = await third.receive_json_from(timeout=5)
    assert hello["remembered"] == 0


async def test_the_counters_survive_a_model_edit(ashop: Any, http: Any, ws: Any) -> None:
    team, owner, secret = await ashop()
    for _ in range(3):
        await send(http, team.slug, secret, order())
    pipeline = get_pipeline()
    state = await pipeline.state(team.pk)
    assert state.checker.counts["events"] == 3
    old_checker = state.checker
    await database_sync_to_async(svc.element_create)(team=team, user=owner, kind="service",
                                                     data={"name": "memory-check-service"})
    await pipeline.refresh_revisions()
    assert state.checker is not old_checker  # rebuilt for the new revision...
    assert state.checker.counts["events"] == 3  # ...without forgetting what it counted
    duplicate = order()
    await send(http, team.slug, secret, duplicate)
    await send(http, team.slug, secret, duplicate)
    assert state.checker.counts["events"] == 5
    assert sum(state.checker.rates.series("com.shop.order.placed", pipeline.clock())) == 5


async def test_the_memory_is_bounded_per_team() -> None:
    store = recent.get_recent()
    events = [{"type": "event", "id": i, "event_id": f"e{i}"} for i in range(1, recent.RECENT_EVENTS + 51)]
    findings = [{"type": "finding", "id": 10_000 + i, "kind": "duplicate-id"} for i in range(recent.RECENT_FINDINGS + 7)]
    await store.record(987_654, events + findings + [{"type": "stats", "id": 20_000, "events": 1}])
    kept = await store.snapshot(987_654)
    kept_events = [m for m in kept if m["type"] == "event"]
    assert len(kept_events) == recent.RECENT_EVENTS and kept_events[-1]["id"] == recent.RECENT_EVENTS + 50
    assert len([m for m in kept if m["type"] == "finding"]) == recent.RECENT_FINDINGS
    assert [m for m in kept if m["type"] == "stats"] == [{"type": "stats", "id": 20_000, "events": 1}]
    await store.forget_all()
    assert await store.snapshot(987_654) == []
