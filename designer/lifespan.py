"""The ASGI lifespan: say at start-up what is unreachable, stop the live pipeline at shutdown.

- Start-up: one line on the server's log for each unreachable service (PostgreSQL, Redis), so
  a server started while the database is down does not start silently; it serves anyway and
  every page answers 503 naming the database until it is back (``designer/outage.py``), then
  works again without a restart.
- Shutdown: the live traffic pipeline and the fan-out hubs are stopped within
  ``SHUTDOWN_SECONDS`` whatever Redis does, so uvicorn's graceful shutdown (and every deploy)
  never hangs on them.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.conf import settings

from designer import outage

log = logging.getLogger("designer.startup")

# The whole live shutdown (last frame, last database batch, closing Redis clients) is bounded by
# this; each part gets its own smaller bound inside (see traffic.pipeline.shutdown).
SHUTDOWN_SECONDS = 5.0


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


async def stop_live() -> None:
    """Stop this event loop's live pipeline and hubs within ``SHUTDOWN_SECONDS``."""
    from designer.traffic import fanout, pipeline

    async def everything() -> None:
        await pipeline.shutdown()
        await fanout.shutdown()
        await outage.close_async_client()
        # The channel layer's Redis connections (channels-redis would otherwise close them when
        # the loop closes, unbounded): the server is stopping, nothing subscribes any more.
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None and hasattr(layer, "flush") and settings.REDIS_URL:
            await pipeline.finish_within(layer.flush(), 1.0, "closing the channel layer")

    try:
        await asyncio.wait_for(everything(), timeout=SHUTDOWN_SECONDS)
    except TimeoutError:
        log.warning("stopping the live pipeline took over %.0f s; left the rest behind", SHUTDOWN_SECONDS)
    except Exception:
        log.exception("stopping the live pipeline failed")


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
            await stop_live()
            await send({"type": "lifespan.shutdown.complete"})
            return
