"""The ASGI lifespan: say at start-up what is unreachable.

- Start-up: one line on the server's log for each unreachable service (PostgreSQL, Redis), so
  a server started while the database is down does not start silently; it serves anyway and
  every page answers 503 naming the database until it is back (``designer/outage.py``), then
  works again without a restart.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.conf import settings

from designer import outage

log = logging.getLogger("designer.startup")


def startup_report() -> list[str]:
    """One line per unreachable service (empty when all answer). Runs in a worker thread."""
    from django.db import connection

    lines = []
    ok, why = outage.database_reachable()
    connection.close()  # this thread's connection: requests open their own
    if not ok:
        label = outage.database_label()
        lines.append(f"{label[:1].upper()}{label[1:]} is unreachable ({why}); pages answer 503 until it is "
                     "back, no restart needed.")
    if settings.REDIS_URL and not outage.redis_available():
        lines.append(f"Redis at {_redis_where()} is unreachable ({outage.redis_down_detail()}); imports, code bundles, "
                     "live updates and ingest answer 503 until it is back, no restart needed.")
    return lines


def _redis_where() -> str:
    from urllib.parse import urlparse

    u = urlparse(settings.REDIS_URL)
    return f"{u.hostname or ''}:{u.port or 6379}{u.path or ''}"


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The ASGI lifespan protocol (uvicorn sends startup, later shutdown)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                for line in await asyncio.to_thread(startup_report):
                    log.error("%s", line)
            except Exception:  # a check must never keep the server from starting
                log.exception("start-up checks failed")
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
