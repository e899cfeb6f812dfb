"""Play the core simulator into the pipeline, paced at a rate, for a bounded time or count.

Used by the Play button (a background asyncio task in the server process) and by
``manage.py simulate`` (its own event loop, same pipeline code).
"""
from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async

from designer.core.simulate import Simulator
from designer.core.traffic import ParseError, event_from_dict

from .pipeline import background, get_pipeline

log = logging.getLogger(__name__)

# Events are emitted in small bursts this often, so a rate of N/s costs 20 wake-ups a second.
TICK_SECONDS = 0.05
# The Play button's bounds: a browser left open must not generate traffic forever.
PLAY_RATE = 20.0
PLAY_SECONDS = 60.0
# Faults are opt-in ("Inject faults" beside Play): a first Play must show the model working,
# not a feed full of made-up mistakes and "Add to model" buttons.
PLAY_FAULTS = 0.15
# The command's rate limit: beyond this the simulator, not the pipeline, is what is measured.
MAX_RATE = 50_000.0


@dataclass
class SimResult:
    """What a simulation run did."""

    sent: int = 0
    faults: int = 0
    findings: int = 0
    rejected: int = 0
    seconds: float = 0.0


async def _model(team_id: int) -> Any:
    from designer.catalog.models import Team
    from designer.catalog.selectors import team_model

    def load() -> Any:
        return team_model(Team.objects.get(pk=team_id))

    return await sync_to_async(load)()


async def simulate(team_id: int, *, flow: str | None = None, rate: float = 10.0, faults: float = 0.0,
                   duration: float | None = None, count: int | None = None, seed: int = 0,
                   source: str = "simulator") -> SimResult:
    """Generate events for ``team_id`` at ``rate`` per second until ``duration`` s or ``count``.

    Raises ValueError for an unknown flow, a model with nothing to simulate or a bad argument.
    """
    if rate <= 0 or rate > MAX_RATE:
        raise ValueError(f"rate must be between 0 and {MAX_RATE:g} events per second, got {rate:g}")
    if duration is None and count is None:
        raise ValueError("give a duration or a count: a simulation must end")
    model = await _model(team_id)
    sim = Simulator(model, flow=flow, seed=seed, faults=faults)
    pipeline = get_pipeline()
    await pipeline.state(team_id)
    pipeline.set_status(team_id, source, "running", f"{rate:g} events/s")
    result = SimResult()
    start = time.monotonic()
    owed = 0.0
    try:
        while True:
            elapsed = time.monotonic() - start
            if duration is not None and elapsed >= duration:
                break
            if count is not None and result.sent >= count:
                break
            owed = rate * elapsed - result.sent
            n = int(owed)
            if count is not None:
                n = min(n, count - result.sent)
            if n > 0:
                sims = sim.next_events(time.time(), n)
                events = []
                for s in sims:
                    try:
                        events.append(event_from_dict(s.event))
                    except ParseError:
                        result.rejected += 1
                    if s.fault:
                        result.faults += 1
                found = await pipeline.ingest(team_id, events)
                result.findings += sum(len(f) for f in found)
                result.sent += len(sims)
            await asyncio.sleep(TICK_SECONDS)
    finally:
        result.seconds = time.monotonic() - start
        pipeline.set_status(team_id, source, "stopped", f"{result.sent} events sent")
    return result


# ---- the Play button: one background run per team per server loop ---------------------------
_RUNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Task[SimResult]]] = (
    weakref.WeakKeyDictionary())


def running(team_id: int) -> bool:
    """Whether the Play button's simulation runs for the team in this loop."""
    task = _RUNS.get(asyncio.get_running_loop(), {}).get(team_id)
    return task is not None and not task.done()


def play(team_id: int, flow: str | None = None, *, faults: bool = False) -> bool:
    """Start the team's background simulation (bounded); False when one already runs.

    Clean by default: every event matches the model. ``faults`` injects ``PLAY_FAULTS`` of
    them with a mistake (a schema violation, an unknown type, a duplicate...).
    """
    runs = _RUNS.setdefault(asyncio.get_running_loop(), {})
    if running(team_id):
        return False

    async def go() -> SimResult:
        try:
            return await simulate(team_id, flow=flow, rate=PLAY_RATE, faults=PLAY_FAULTS if faults else 0.0,
                                  duration=PLAY_SECONDS, seed=int(time.time()), source="simulator")
        except Exception:
            log.exception("the simulation of team %s failed", team_id)
            get_pipeline().set_status(team_id, "simulator", "failed", "see the server log")
            raise

    runs[team_id] = background(go(), f"simulate-{team_id}")
    return True


def stop(team_id: int) -> bool:
    """Stop the team's background simulation; False when none ran."""
    task = _RUNS.get(asyncio.get_running_loop(), {}).get(team_id)
    if task is None or task.done():
        return False
    task.cancel()
    return True
