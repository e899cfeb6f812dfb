"""Redis: streams (``XREAD``, resuming after the last id seen) and pub/sub channels.

``--stream NAME`` reads a stream without a consumer group, so it observes without taking
messages from the real consumers; after a reconnect it continues after the last id it saw, so
nothing published meanwhile is missed. ``--channel NAME`` subscribes to pub/sub (a name with
``*`` or ``?`` is a pattern); pub/sub keeps nothing, so what is published during an outage is
lost, as for any subscriber.

A stream entry's event is its ``event`` field (or ``data``, ``body``, ``payload``, or its only
field); fields named ``ce_*`` / ``ce-*`` make it a binary-mode CloudEvent.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from .base import Delivery, Tap, TapError

# Entries read per XREAD call; blocks at most BLOCK_MS waiting for new ones.
COUNT = 500
BLOCK_MS = 1000
BODY_FIELDS = ("event", "data", "body", "payload")


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def entry_delivery(stream: str, fields: dict[bytes, bytes]) -> Delivery:
    """A stream entry as a delivery (see the module docstring for the field conventions)."""
    decoded = {k.decode("utf-8", "replace"): v for k, v in fields.items()}
    headers = {k: v.decode("utf-8", "replace") for k, v in decoded.items()
               if k.lower().startswith(("ce_", "ce-")) or k.lower() in ("content-type", "datacontenttype")}
    body = next((decoded[f] for f in BODY_FIELDS if f in decoded), None)
    if body is None and len(decoded) == 1:
        body = next(iter(decoded.values()))
    return Delivery(body or b"", headers, stream)


class RedisTap(Tap):
    scheme = "redis"

    def __init__(self, url: str, *, stream: Sequence[str] | str | None = None,
                 channel: Sequence[str] | str | None = None, start: str = "$",
                 client_name: str = "designer-tap", **_: Any) -> None:
        streams, channels = _as_list(stream), _as_list(channel)
        if not streams and not channels:
            raise TapError("a Redis tap needs --stream NAME and/or --channel NAME")
        if streams and channels:
            raise TapError("run one Redis tap for streams and another for pub/sub channels")
        super().__init__(url, stream=",".join(streams), channel=",".join(channels))
        self.streams, self.channels = streams, channels
        # "$": only entries added after the first connect; "0": the whole stream.
        self.last_ids: dict[str, str] = {s: start for s in streams}
        self.client_name = client_name
        self.client: aioredis.Redis | None = None
        self.pubsub: Any = None

    async def deliveries(self) -> AsyncIterator[Delivery]:  # type: ignore[override]
        # No silent retries inside redis-py: a lost connection must surface here so the tap
        # reports "reconnecting" and resumes the streams itself.
        self.client = aioredis.from_url(self.url, socket_connect_timeout=5, client_name=self.client_name,
                                        retry=Retry(NoBackoff(), 0))
        await self.client.ping()
        if self.streams:
            for s in self.streams:
                if self.last_ids[s] == "$":  # pin "$" to a real id so a reconnect resumes there
                    info = await self.client.xinfo_stream(s) if await self.client.exists(s) else None
                    last = info["last-generated-id"] if info else "0-0"
                    self.last_ids[s] = last.decode() if isinstance(last, bytes) else str(last)
            self.mark_connected(", ".join(self.streams))
            while True:
                reply: Any = await self.client.xread(self.last_ids, count=COUNT, block=BLOCK_MS)  # type: ignore[arg-type]
                for name, entries in reply or []:
                    stream = name.decode() if isinstance(name, bytes) else name
                    for entry_id, fields in entries:
                        self.last_ids[stream] = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
                        yield entry_delivery(stream, fields)
        else:
            self.pubsub = self.client.pubsub()
            plain = [c for c in self.channels if not any(ch in c for ch in "*?[")]
            patterns = [c for c in self.channels if c not in plain]
            if plain:
                await self.pubsub.subscribe(*plain)
            if patterns:
                await self.pubsub.psubscribe(*patterns)
            self.mark_connected(", ".join(self.channels))
            while True:
                msg = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if msg is None or msg["type"] not in ("message", "pmessage"):
                    continue
                channel = msg["channel"].decode() if isinstance(msg["channel"], bytes) else msg["channel"]
                data = msg["data"] if isinstance(msg["data"], bytes) else str(msg["data"]).encode()
                yield Delivery(data, {}, channel)

    async def close(self) -> None:
        try:
            if self.pubsub is not None:
                await self.pubsub.aclose()
            if self.client is not None:
                await self.client.aclose()
        except Exception:  # closing a broken connection may fail; it is gone either way
            pass
        self.pubsub = self.client = None
