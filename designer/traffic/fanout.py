"""Per-process fan-out of traffic frames to the websockets held by this process.

One channel-layer subscription per team per process (a :class:`TeamHub`) receives each frame
once, serialises its messages once, keeps them in a bounded resume buffer and offers them to
every local client's bounded queue. A slow client's queue drops its oldest frames (counted and
reported to it); nobody else waits for it, and ingest never does.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson
from channels.layers import get_channel_layer

from designer.catalog.live import team_group

log = logging.getLogger(__name__)

# Messages kept for clients that reconnect with the last id they saw (about 10 s at 1,000
# events/s); a client further behind is told it missed some ("gap").
RESUME_BUFFER = 10_000
# Frames queued per client: 100 frames is 5 s at 20 frames/s; beyond that the client is stuck
# and its oldest frames are dropped.
CLIENT_QUEUE_FRAMES = 100
# A hub with no client keeps listening this long, so a browser reconnecting can resume.
HUB_LINGER_SECONDS = 120.0
# Leaving the team's group at the end is given up after this long (Redis may be hanging), and
# shutdown waits at most SHUTDOWN_SECONDS for all hubs.
DISCARD_SECONDS = 1.0
SHUTDOWN_SECONDS = 2.0


@dataclass
class Chunk:
    """One frame's messages, serialised once for every client."""

    first_id: int
    last_id: int
    count: int
    payload: str  # the messages, comma-separated JSON objects (no brackets)
    # Whole websocket texts by "dropped" value: most clients share one, built once per frame.
    texts: dict[int, str] = field(default_factory=dict)

    def text(self, dropped: int) -> str:
        """This chunk alone as a websocket message for a client that dropped ``dropped``."""
        t = self.texts.get(dropped)
        if t is None:
            t = self.texts[dropped] = _batch_text(self.first_id, self.last_id, dropped, self.payload)
        return t


def _batch_text(first_id: int, last_id: int, dropped: int, payloads: str) -> str:
    return (f'{{"type":"batch","first_id":{first_id},"last_id":{last_id},"dropped":{dropped},'
            f'"messages":[{payloads}]}}')


@dataclass(eq=False)  # identity: clients live in a set
class Client:
    """One websocket's bounded queue."""

    max_frames: int = CLIENT_QUEUE_FRAMES
    queue: deque[Chunk] = field(default_factory=deque)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: int = 0

    def offer(self, chunk: Chunk) -> None:
        """Queue a chunk, dropping (and counting) the oldest when full."""
        if len(self.queue) >= self.max_frames:
            old = self.queue.popleft()
            self.dropped += old.count
        self.queue.append(chunk)
        self.ready.set()

    def take(self) -> str | None:
        """Everything queued as one websocket text message (None when empty)."""
        if not self.queue:
            return None
        chunks = list(self.queue)
        self.queue.clear()
        self.ready.clear()
        if len(chunks) == 1:  # the usual case: shared with every other up-to-date client
            return chunks[0].text(self.dropped)
        return _batch_text(chunks[0].first_id, chunks[-1].last_id, self.dropped,
                           ",".join(c.payload for c in chunks))


class TeamHub:
    """This process's subscription to one team's traffic group."""

    def __init__(self, team_id: int) -> None:
        self.team_id = team_id
        self.clients: set[Client] = set()
        self.buffer: deque[tuple[int, str]] = deque(maxlen=RESUME_BUFFER)
        self.last_id = 0
        self.task: asyncio.Task[None] | None = None
        self.idle_since: float | None = None
        self.ready = asyncio.Event()

    async def start(self) -> None:
        if self.task is None or self.task.done():
            self.ready.clear()
            self.task = asyncio.get_running_loop().create_task(
                self._listen(), name=f"traffic-hub-{self.team_id}", context=contextvars.Context())
        await self.ready.wait()

    async def _listen(self) -> None:
        layer = get_channel_layer()
        if layer is None:
            self.ready.set()
            return
        channel = await layer.new_channel()
        group = team_group(self.team_id, "traffic")
        await layer.group_add(group, channel)
        self.ready.set()
        loop = asyncio.get_running_loop()
        try:
            while True:
                message = await layer.receive(channel)
                if message.get("type") == "traffic.frame":
                    self.dispatch(message.get("messages") or [])
                if not self.clients and self.idle_since and loop.time() - self.idle_since > HUB_LINGER_SECONDS:
                    break
        finally:
            try:
                # Bounded: with Redis hanging, a cancelled hub must still end (shutdown waits for it).
                await asyncio.wait_for(layer.group_discard(group, channel), DISCARD_SECONDS)
            except (Exception, asyncio.CancelledError):  # the layer may be gone or Redis down
                pass

    def dispatch(self, messages: list[dict[str, Any]]) -> None:
        """Buffer a frame's messages and offer them to every client."""
        if not messages:
            return
        parts = []
        for m in messages:
            mid = int(m.get("id", 0))
            if mid <= self.last_id:
                continue  # already seen (a frame delivered twice)
            raw = orjson.dumps(m).decode()
            self.buffer.append((mid, raw))
            parts.append((mid, raw))
            self.last_id = mid
        if not parts:
            return
        chunk = Chunk(parts[0][0], parts[-1][0], len(parts), ",".join(p[1] for p in parts))
        for c in self.clients:
            c.offer(chunk)

    def resume(self, client: Client, last_id: int) -> tuple[int, bool]:
        """Queue what came after ``last_id``; returns (messages replayed, whether some are lost)."""
        missed = [(i, raw) for i, raw in self.buffer if i > last_id]
        gap = bool(last_id) and (not self.buffer or self.buffer[0][0] > last_id + 1) and self.last_id > last_id
        if missed:
            client.offer(Chunk(missed[0][0], missed[-1][0], len(missed), ",".join(r for _, r in missed)))
        return len(missed), gap

    def join(self, client: Client) -> None:
        self.clients.add(client)
        self.idle_since = None

    def leave(self, client: Client) -> None:
        self.clients.discard(client)
        if not self.clients:
            self.idle_since = asyncio.get_running_loop().time()


_HUBS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, TeamHub]] = weakref.WeakKeyDictionary()


async def hub_for(team_id: int) -> TeamHub:
    """This event loop's hub for the team, listening before it is returned."""
    loop = asyncio.get_running_loop()
    hubs = _HUBS.setdefault(loop, {})
    hub = hubs.get(team_id)
    if hub is None or (hub.task is not None and hub.task.done()):
        hub = hubs[team_id] = TeamHub(team_id)
    await hub.start()
    return hub


async def shutdown() -> None:
    """Stop this event loop's hubs within ``SHUTDOWN_SECONDS`` whatever Redis does (tests; server
    shutdown): a hub still stuck after that is left behind with a warning, never waited on."""
    hubs = _HUBS.pop(asyncio.get_running_loop(), {})
    tasks = [h.task for h in hubs.values() if h.task is not None and not h.task.done()]
    for t in tasks:
        t.cancel()
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
    if pending:
        log.warning("%d traffic hub(s) did not stop within %.1f s; left behind", len(pending), SHUTDOWN_SECONDS)
