"""Stopping the live pipeline never hangs: each step is bounded whatever Redis does.

A real Redis behind a TCP proxy (tests/security/outage_kit.py) carries the pipeline's id
allocation and recent-traffic store; the proxy then stops answering (connections stay open,
nothing comes back), and ``pipeline.shutdown()`` + ``fanout.shutdown()`` still end in seconds.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from django.test import override_settings

from designer import outage
from designer.core.traffic import parse_request
from designer.traffic import fanout, pipeline
from tests.security.outage_kit import Proxy, need_service, redis_target
from tests.unit.traffic.builders import ce, valid_order

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_proxy() -> Iterator[tuple[Proxy, int]]:
    host, port, db = redis_target()
    need_service(host, port, "Redis")
    proxy = Proxy((host, port)).up()
    outage.forget_health()
    yield proxy, db
    proxy.close()
    outage.forget_health()


def _events(n: int) -> list[Any]:
    body = orjson.dumps([ce(data=valid_order(), id=f"shutdown-{i}-{time.monotonic_ns()}") for i in range(n)])
    return list(parse_request(body, {"content-type": "application/cloudevents-batch+json"}).events)


async def test_the_pipeline_stops_within_seconds_when_redis_stops_answering(
        ashop: Any, redis_proxy: tuple[Proxy, int]) -> None:
    proxy, db = redis_proxy
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{proxy.port}/{db}"):
        team, _, _ = await ashop()
        p = pipeline.get_pipeline()
        await p.ingest(team.pk, _events(3))
        assert await p.send_frame(p.teams[team.pk])  # ids and the recent store went through Redis
        hub = await fanout.hub_for(team.pk)
        assert hub.task is not None and not hub.task.done()
        proxy.hang()
        outage.forget_health()
        await p.ingest(team.pk, _events(3))  # pending: the last frame will meet the hanging Redis
        started = time.monotonic()
        await pipeline.shutdown()
        await fanout.shutdown()
        took = time.monotonic() - started
    assert took < 8, f"shutdown took {took:.1f} s"
    assert hub.task.done()
