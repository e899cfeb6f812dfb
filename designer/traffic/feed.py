"""Running a feed (a tap) into the pipeline from a command, with statuses printed and pushed."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async

from designer import outage
from designer.core.traffic import ObservedEvent

from .pipeline import get_pipeline, shutdown
from .taps import Tap


async def team_id_for(slug: str) -> int | None:
    from designer.catalog.models import Team

    return await sync_to_async(lambda: Team.objects.filter(slug=slug).values_list("pk", flat=True).first())()


async def run_tap(tap: Tap, team_id: int, *, say: Callable[[str], None], stop: asyncio.Event | None = None,
                  duration: float | None = None, max_events: int | None = None) -> dict[str, Any]:
    """Feed ``tap`` into the team's pipeline until stopped; returns its counters."""
    pipeline = get_pipeline()
    await pipeline.state(team_id)
    stop = stop or asyncio.Event()
    found = {"findings": 0}

    def status(state: str, detail: str) -> None:
        pipeline.set_status(team_id, f"tap {tap.name}", state, detail)
        say(f"{time.strftime('%H:%M:%S')} {tap.name}: {state}{' - ' + detail if detail else ''}")

    async def feed(events: list[ObservedEvent]) -> None:
        # The live stream (Redis) unreachable: hold this batch and stop reading from the broker
        # until it is back, as a producer retries after ingest's 503, so events wait on the
        # broker instead of being checked for nobody (streams and queues keep them meanwhile).
        wait = outage.RETRY_AFTER_SECONDS / 5
        while not await outage.aredis_available():
            if tap.state != "paused":
                tap.state = "paused"
                status("paused", "the live stream (Redis) is unreachable; holding events until it is back")
            try:
                await asyncio.wait_for(stop.wait(), wait)
                return  # stopping while paused: the held batch is not checked
            except TimeoutError:
                wait = min(wait * 2, outage.RETRY_AFTER_SECONDS * 2)
        if tap.state == "paused":
            tap.state = "connected"
            status("connected", "the live stream is back")
        results = await pipeline.ingest(team_id, events)
        found["findings"] += sum(len(r) for r in results)

    timer = None
    if duration is not None:
        timer = asyncio.get_running_loop().call_later(duration, stop.set)
    try:
        await tap.run(feed, status, stop=stop, max_events=max_events)
    finally:
        if timer is not None:
            timer.cancel()
        await shutdown()  # the last frame and the last database batch
    return {"received": tap.received, "rejected": tap.rejected, "reconnects": tap.reconnects,
            "findings": found["findings"]}
