"""A harness that runs a tap in the test's loop, collecting events and statuses."""
from __future__ import annotations

import asyncio
from typing import Any

import orjson

from designer.core.traffic import ObservedEvent
from designer.traffic.taps import Tap
from tests.unit.traffic.builders import ce


class Harness:
    def __init__(self, tap: Tap) -> None:
        self.tap = tap
        self.events: list[ObservedEvent] = []
        self.statuses: list[tuple[str, str]] = []
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Harness:
        async def feed(events: list[ObservedEvent]) -> None:
            self.events.extend(events)

        self.task = asyncio.get_running_loop().create_task(
            self.tap.run(feed, lambda s, d: self.statuses.append((s, d)), stop=self.stop))
        await self.wait(lambda: self.tap.state == "connected", "the tap to connect")
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.stop.set()
        assert self.task is not None
        await asyncio.wait_for(self.task, 15)

    async def wait(self, pred: Any, what: str, timeout: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not pred():
            if self.task is not None and self.task.done():
                self.task.result()
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}; statuses: {self.statuses}")
            await asyncio.sleep(0.05)

    async def got(self, event_id: str) -> ObservedEvent:
        await self.wait(lambda: any(e.id == event_id for e in self.events), f"event {event_id}")
        return next(e for e in self.events if e.id == event_id)

    def states(self) -> list[str]:
        return [s for s, _ in self.statuses]


def body(event_id: str, **attrs: Any) -> bytes:
    return orjson.dumps(ce(id=event_id, **attrs))
