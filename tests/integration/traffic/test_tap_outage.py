"""A broker tap holds events while the live stream (Redis) is unreachable, as a producer retries
after ingest's 503, and feeds them once it is back.

Real brokers: the tap reads a real Redis stream; the designer's own Redis (REDIS_URL) is a real
Redis behind a TCP proxy (tests/security/outage_kit.py) that stops answering, then comes back.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.db.models import Sum
from django.test import override_settings

from designer import outage
from designer.traffic.feed import run_tap
from designer.traffic.models import TrafficCounter
from designer.traffic.taps.redis_tap import RedisTap
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


def _counted(team_id: int) -> int:
    return int(TrafficCounter.objects.filter(team_id=team_id).aggregate(n=Sum("events"))["n"] or 0)


async def _until(pred: Any, what: str, lines: list[str], timeout: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not pred():
        assert loop.time() < deadline, f"timed out waiting for {what}: {lines}"
        await asyncio.sleep(0.05)


async def test_a_tap_holds_events_while_the_live_stream_is_down_and_feeds_them_once_back(
        ashop: Any, redis_proxy: tuple[Proxy, int]) -> None:
    proxy, db = redis_proxy
    host, port, _ = redis_target()
    broker = f"redis://{host}:{port}/{db}"
    stream = f"outage-tap-{uuid.uuid4().hex[:8]}"
    team, _, _ = await ashop()
    direct = aioredis.from_url(broker)
    try:
        with override_settings(REDIS_URL=f"redis://127.0.0.1:{proxy.port}/{db}"):
            proxy.hang()
            await direct.xadd(stream, {"event": orjson.dumps(ce(data=valid_order(), id="held-1"))})
            lines: list[str] = []
            stop = asyncio.Event()
            task = asyncio.ensure_future(run_tap(RedisTap(broker, stream=stream, start="0"), team.pk,
                                                 say=lines.append, stop=stop))
            await _until(lambda: any(": paused - " in line for line in lines), "the tap to pause", lines)
            await asyncio.sleep(1.5)  # a database batch would have counted a fed event by now
            assert await sync_to_async(_counted)(team.pk) == 0
            proxy.down().up()
            await _until(lambda: any("the live stream is back" in line for line in lines), "the tap to resume", lines)
            stop.set()
            result = await asyncio.wait_for(task, 15)
        assert result["received"] == 1
        assert await sync_to_async(_counted)(team.pk) == 1  # checked and kept once the stream was back
    finally:
        await direct.delete(stream)
        await direct.aclose()
