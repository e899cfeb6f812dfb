"""``manage.py simulate --team SLUG [--flow NAME] --rate N [--faults P] [--duration S | --count N]``.

Plays the team's model (a flow, or the whole topology) into the live traffic pipeline in this
process, at N events a second, for a bounded time or count (default 10 s). Prints what was sent,
the faults injected and the findings. Exit 0 on success, 2 for unusable arguments.
"""
from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.traffic.feed import team_id_for
from designer.traffic.pipeline import shutdown
from designer.traffic.simulation import MAX_RATE, simulate

# Without --duration or --count the run stops after this many seconds: it must end.
DEFAULT_SECONDS = 10.0


class Command(BaseCommand):
    help = "Simulate a team's traffic from its model into the live pipeline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True, help="team slug")
        parser.add_argument("--flow", help="flow to play (default: the whole topology)")
        parser.add_argument("--rate", type=float, required=True, help="events per second")
        parser.add_argument("--faults", type=float, default=0.0, help="probability of a fault per event (0..1)")
        parser.add_argument("--duration", type=float, help=f"seconds to run (default {DEFAULT_SECONDS:g})")
        parser.add_argument("--count", type=int, help="events to send")
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same events)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["rate"] <= MAX_RATE:
            raise CommandError(f"--rate must be between 0 and {MAX_RATE:g}", returncode=2)
        if not 0.0 <= opts["faults"] <= 1.0:
            raise CommandError("--faults must be a probability between 0 and 1", returncode=2)
        if opts["count"] is not None and opts["count"] < 1:
            raise CommandError("--count must be at least 1", returncode=2)
        if opts["duration"] is not None and opts["duration"] <= 0:
            raise CommandError("--duration must be positive", returncode=2)
        duration = opts["duration"]
        if duration is None and opts["count"] is None:
            duration = DEFAULT_SECONDS
        result = asyncio.run(self._run(opts, duration))
        self.stdout.write(f"sent {result.sent} events in {result.seconds:.1f}s "
                          f"({result.faults} with injected faults); {result.findings} findings")

    async def _run(self, opts: dict[str, Any], duration: float | None) -> Any:
        team_id = await team_id_for(opts["team"])
        if team_id is None:
            raise CommandError(f"no team with slug {opts['team']!r}", returncode=2)
        try:
            return await simulate(team_id, flow=opts["flow"], rate=opts["rate"], faults=opts["faults"],
                                  duration=duration, count=opts["count"], seed=opts["seed"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        finally:
            await shutdown()
