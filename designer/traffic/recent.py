"""What the live page shows again after a reload: each team's last events, findings and stats.

The pipeline records every frame it sends (after its messages got their ids); a browser that
opens the live page (a websocket without ``last_id``) first receives this snapshot as one
ordinary batch, then the stream. Bounded per team: the last ``RECENT_EVENTS`` events, the last
``RECENT_FINDINGS`` findings and the latest stats message. Kept in Redis in production (shared
by every web process, and surviving their restarts) and in this process's memory on the
embedded default (one process serves everything there).
"""
from __future__ import annotations

import asyncio
import logging
import weakref
from collections import OrderedDict, deque
from typing import Any

import orjson
from django.conf import settings

from designer import outage

log = logging.getLogger(__name__)

# The stream shows 200 rows, so 200 events fill it again after a reload.
RECENT_EVENTS = 200
# The live findings feed groups what it gets; 100 recent findings rebuild its groups.
RECENT_FINDINGS = 100
# Teams remembered in memory (embedded default); the least recently active are forgotten.
MAX_TEAMS = 1_000
# Redis keys of a team that sends nothing for a day expire.
KEY_TTL_SECONDS = 24 * 3600


def _key(team_id: int, part: str) -> str:
    return f"designer:traffic:{team_id}:recent:{part}"


def _split(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
    events = [m for m in messages if m.get("type") == "event"]
    findings = [m for m in messages if m.get("type") == "finding"]
    stats = next((m for m in reversed(messages) if m.get("type") == "stats"), None)
    return events[-RECENT_EVENTS:], findings[-RECENT_FINDINGS:], stats


def snapshot_batch(snapshot: list[dict[str, Any]]) -> str | None:
    """The snapshot as one websocket ``batch`` text (None when there is nothing to show)."""
    if not snapshot:
        return None
    messages = sorted(snapshot, key=lambda m: int(m.get("id", 0)))
    payload = b",".join(orjson.dumps(m) for m in messages).decode()
    return (f'{{"type":"batch","snapshot":true,"first_id":{int(messages[0].get("id", 0))},'
            f'"last_id":{int(messages[-1].get("id", 0))},"dropped":0,"messages":[{payload}]}}')


class MemoryRecent:
    """The embedded default's store: bounded deques per team, in this process."""

    def __init__(self) -> None:
        self._teams: OrderedDict[int, tuple[deque[dict[str, Any]], deque[dict[str, Any]], list[Any]]] = OrderedDict()

    async def record(self, team_id: int, messages: list[dict[str, Any]]) -> None:
        events, findings, stats = _split(messages)
        slot = self._teams.get(team_id)
        if slot is None:
            slot = self._teams[team_id] = (deque(maxlen=RECENT_EVENTS), deque(maxlen=RECENT_FINDINGS), [None])
            while len(self._teams) > MAX_TEAMS:
                self._teams.popitem(last=False)
        self._teams.move_to_end(team_id)
        slot[0].extend(events)
        slot[1].extend(findings)
        if stats is not None:
            slot[2][0] = stats

    async def snapshot(self, team_id: int) -> list[dict[str, Any]]:
        slot = self._teams.get(team_id)
        if slot is None:
            return []
        return [*slot[0], *slot[1], *([slot[2][0]] if slot[2][0] is not None else [])]

    async def forget_all(self) -> None:
        self._teams.clear()

    async def close(self) -> None:
        return None


class RedisRecent:
    """Production's store: capped Redis lists and a key per team, one round trip per frame."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as aioredis

        self._redis = aioredis.from_url(url, **outage.redis_client_options())

    async def record(self, team_id: int, messages: list[dict[str, Any]]) -> None:
        events, findings, stats = _split(messages)
        if not (events or findings or stats):
            return
        pipe = self._redis.pipeline(transaction=False)
        for part, items, cap in (("events", events, RECENT_EVENTS), ("findings", findings, RECENT_FINDINGS)):
            if items:
                key = _key(team_id, part)
                pipe.rpush(key, *(orjson.dumps(m) for m in items))
                pipe.ltrim(key, -cap, -1)
                pipe.expire(key, KEY_TTL_SECONDS)
        if stats is not None:
            pipe.set(_key(team_id, "stats"), orjson.dumps(stats), ex=KEY_TTL_SECONDS)
        await pipe.execute()

    async def snapshot(self, team_id: int) -> list[dict[str, Any]]:
        pipe = self._redis.pipeline(transaction=False)
        pipe.lrange(_key(team_id, "events"), 0, -1)
        pipe.lrange(_key(team_id, "findings"), 0, -1)
        pipe.get(_key(team_id, "stats"))
        events, findings, stats = await pipe.execute()
        out = [orjson.loads(raw) for raw in (*events, *findings)]
        if stats:
            out.append(orjson.loads(stats))
        return out

    async def forget_all(self) -> None:
        async for key in self._redis.scan_iter(match="designer:traffic:*:recent:*", count=500):
            await self._redis.delete(key)

    async def close(self) -> None:
        await self._redis.aclose()


_MEMORY = MemoryRecent()
# A Redis client belongs to one event loop (uvicorn has one; tests and commands make their own).
_REDIS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RedisRecent] = weakref.WeakKeyDictionary()


def get_recent() -> MemoryRecent | RedisRecent:
    """This process's store: Redis when ``REDIS_URL`` is set, else memory."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return _MEMORY
    loop = asyncio.get_running_loop()
    store = _REDIS.get(loop)
    if store is None:
        store = _REDIS[loop] = RedisRecent(url)
    return store


async def record(team_id: int, messages: list[dict[str, Any]]) -> None:
    """Remember a frame's messages; a Redis outage costs the snapshot, never the stream."""
    store = get_recent()
    if isinstance(store, RedisRecent) and outage.redis_known_down():
        return  # lost for the snapshot either way; the frame must not wait out a timeout
    try:
        await store.record(team_id, messages)
    except outage.REDIS_ERRORS as exc:
        outage.note_redis_down(exc)
        log.warning("keeping the live page's recent traffic failed: Redis is unreachable (%s)", exc)
    except Exception:
        log.exception("keeping the live page's recent traffic failed")


async def snapshot(team_id: int) -> list[dict[str, Any]]:
    """The team's remembered events, findings and stats (empty when unavailable)."""
    try:
        return await get_recent().snapshot(team_id)
    except Exception:
        log.exception("reading the live page's recent traffic failed")
        return []


async def shutdown() -> None:
    """Close this event loop's Redis client (tests; commands)."""
    store = _REDIS.pop(asyncio.get_running_loop(), None)
    if store is not None:
        await store.close()
