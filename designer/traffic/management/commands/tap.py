"""``manage.py tap URL --team SLUG [--stream/--channel/--queue/--exchange/--subject/--topic ...]``.

Subscribes to a real broker and feeds what passes into the team's live traffic pipeline,
printing its status (connecting, connected, reconnecting, stopped) as it changes. Runs until
interrupted, or for ``--duration`` seconds / ``--count`` events. Exit 0 on a normal end, 2 for
unusable arguments (one line on stderr).
"""
from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.traffic.feed import run_tap, team_id_for
from designer.traffic.taps import TapError, tap_for


class Command(BaseCommand):
    help = "Tap a broker (redis://, amqp://, nats://, mqtt://, kafka://) into a team's live traffic."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="broker URL, e.g. redis://127.0.0.1:6379/0")
        parser.add_argument("--team", required=True, help="team slug")
        parser.add_argument("--stream", action="append", help="Redis stream or NATS JetStream stream")
        parser.add_argument("--channel", action="append", help="Redis pub/sub channel or pattern")
        parser.add_argument("--queue", action="append", help="AMQP queue to consume")
        parser.add_argument("--exchange", help="AMQP exchange to observe through a private queue")
        parser.add_argument("--routing-key", default="#", help="AMQP binding key (default #)")
        parser.add_argument("--subject", action="append", help="NATS subject (wildcards allowed)")
        parser.add_argument("--topic", action="append", help="MQTT or Kafka topic")
        parser.add_argument("--start", choices=["new", "all"], default="new",
                            help="streams: only new messages (default) or all kept ones")
        parser.add_argument("--duration", type=float, help="stop after this many seconds")
        parser.add_argument("--count", type=int, help="stop after this many events")

    def handle(self, *args: Any, **opts: Any) -> None:
        options: dict[str, Any] = {}
        for key in ("stream", "channel", "queue", "subject", "topic"):
            if opts[key]:
                options[key] = opts[key]
        if opts["exchange"]:
            options["exchange"] = opts["exchange"]
            options["routing_key"] = opts["routing_key"]
        scheme = opts["url"].split(":", 1)[0].lower()
        if scheme.startswith("redis"):
            options["start"] = "0" if opts["start"] == "all" else "$"
        elif opts["start"] == "all":
            options["start"] = "all"
        if scheme.startswith("nats") and "stream" in options:
            options["stream"] = options["stream"][0]
        try:
            tap = tap_for(opts["url"], **options)
        except (TapError, TypeError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        if opts["duration"] is not None and opts["duration"] <= 0:
            raise CommandError("--duration must be positive", returncode=2)
        result = asyncio.run(self._run(tap, opts))
        self.stdout.write(f"received {result['received']} events ({result['rejected']} rejected, "
                          f"{result['findings']} findings, {result['reconnects']} reconnects)")

    async def _run(self, tap: Any, opts: dict[str, Any]) -> dict[str, Any]:
        team_id = await team_id_for(opts["team"])
        if team_id is None:
            raise CommandError(f"no team with slug {opts['team']!r}", returncode=2)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)

        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        return await run_tap(tap, team_id, say=say, stop=stop, duration=opts["duration"],
                             max_events=opts["count"])
