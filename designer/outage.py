"""Outages of Redis and PostgreSQL: say so plainly, keep everything else working.

Production mode leans on two services. When one is unreachable:

- Redis (cache, channel layer, Celery broker): what needs it — imports (the pending upload
  waits in the cache), code bundles and anything else enqueued for a worker, live websockets,
  ingest (events are streamed through it) — answers **503 with the reason** and a
  ``Retry-After``; pages that only read through the cache degrade (lint runs in-process).
  Every client gives up after ``REDIS_TIMEOUT_SECONDS`` (2 s, settings), and the last answer
  of a health check is reused for ``CHECK_SECONDS`` so a flood of requests during an outage
  costs one ping a second, not one each.
- PostgreSQL: every page answers 503 naming the database while it is down, and the next
  request after it is back works again (Django opens a new connection per request); the ASGI
  lifespan start-up prints one line when it cannot connect (``designer/asgi.py``).

:class:`OutageMiddleware` turns the exceptions below into those 503s wherever they surface in a
view; ``error_500`` (the last resort) does the same for one raised outside a view.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import kombu.exceptions
import redis
import redis.asyncio as aioredis
import redis.exceptions
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

# Seconds a producer, a tap or a browser is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5
# A health check's answer is reused this long (one ping a second per process at most).
CHECK_SECONDS = 1.0

# Exceptions that mean "Redis is unreachable" (redis-py's connection and timeout errors, and
# kombu's wrapper around them when enqueueing a task).
REDIS_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, kombu.exceptions.OperationalError,
)
# Exceptions that mean "the database is unreachable" (psycopg's connection failures arrive as
# Django's OperationalError/InterfaceError).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


class ServiceUnavailable(Exception):
    """A feature cannot work right now because a service it needs is unreachable."""

    def __init__(self, service: str, feature: str = "") -> None:
        self.service = service
        self.feature = feature
        super().__init__(reason(service, feature))


def _redis_label() -> str:
    return "Redis (the shared cache, task queue and live-update channel)"


def database_label() -> str:
    db = settings.DATABASES["default"]
    if "postgresql" in db.get("ENGINE", ""):
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        return f"the database (PostgreSQL at {where}, database {db.get('NAME')!s})"
    return "the database"


def reason(service: str, feature: str = "") -> str:
    """The plain-words reason shown on a 503 page and in a JSON error."""
    label = _redis_label() if service == "redis" else database_label() if service == "database" else service
    what = feature[:1].upper() + feature[1:] if feature else "This page"
    if service == "database":
        cannot = f"{what} is not possible right now" if feature else "This page cannot be shown right now"
        return (f"{cannot}: {label} is unreachable. Nothing was saved. "
                f"The designer reconnects by itself; try again in a few seconds.")
    return (f"{what} needs {label}, which is unreachable right now. Nothing was saved or queued. "
            f"The rest of the designer keeps working; try again in a few seconds.")


def classify(exc: BaseException) -> str | None:
    """"redis", "database" or None: which service an exception says is unreachable."""
    if isinstance(exc, ServiceUnavailable):
        return exc.service
    if isinstance(exc, REDIS_ERRORS):
        return "redis"
    if isinstance(exc, DATABASE_ERRORS):
        return "database"
    cause = exc.__cause__ or exc.__context__
    if cause is not None and isinstance(cause, (*REDIS_ERRORS, ServiceUnavailable)):
        return classify(cause)
    if isinstance(exc, DatabaseError) and isinstance(cause, DATABASE_ERRORS):
        return "database"
    return None


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def unavailable_response(request: HttpRequest, service: str, feature: str = "") -> HttpResponse:
    """503 with the reason: JSON for the API and JSON clients, an HTML page for browsers."""
    text = reason(service, feature)
    if wants_json(request):
        resp = HttpResponse(json.dumps({"error": text, "service": service}), status=503,
                            content_type="application/json")
    else:
        # No request context: the base template's context processors would query the database.
        html = render_to_string("errors/503.html", {"reason": text, "service": service})
        resp = HttpResponse(html, status=503)
    resp["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp


class OutageMiddleware:
    """A view that raised because Redis or the database is unreachable answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        service = classify(exception)
        if service is None:
            return None
        if service == "redis":
            note_redis_down(exception)
        log.warning("%s %s: 503, %s unreachable (%s: %s)", request.method, request.path, service,
                    type(exception).__name__, exception)
        feature = exception.feature if isinstance(exception, ServiceUnavailable) else ""
        return unavailable_response(request, service, feature)


class QuietOutageLogs(logging.Filter):
    """Log filter: a Redis connection error is one warning line, not a traceback a second.

    Libraries log their own reconnect loops with ``logger.exception`` (channels-redis's receive
    task does every second while Redis is down). An outage is not a bug: the first such record
    per logger and message in ``QUIET_SECONDS`` becomes one line naming the error, the rest are
    dropped; other records pass untouched.
    """

    QUIET_SECONDS = 30.0

    def __init__(self) -> None:
        super().__init__()
        self._last: dict[tuple[str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or classify(exc) is None:
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        if now - self._last.get(key, -self.QUIET_SECONDS) < self.QUIET_SECONDS:
            return False
        if len(self._last) > 1000:
            self._last.clear()
        self._last[key] = now
        record.msg = f"{record.getMessage()}: {classify(exc)} unreachable ({type(exc).__name__}: {exc})"
        record.args = ()
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


# ---- is Redis there? -------------------------------------------------------------------------
class _Health:
    """The last answer about Redis, shared by the sync and async checks of this process."""

    def __init__(self) -> None:
        self.ok_until = 0.0
        self.down_until = 0.0
        self.detail = ""
        self.url = ""  # the Redis the answer is about: another REDIS_URL starts from unknown

    def fresh(self, now: float) -> bool | None:
        if self.url != getattr(settings, "REDIS_URL", ""):
            return None
        if now < self.ok_until:
            return True
        if now < self.down_until:
            return False
        return None

    def ok(self) -> None:
        self.ok_until, self.down_until, self.detail = time.monotonic() + CHECK_SECONDS, 0.0, ""
        self.url = getattr(settings, "REDIS_URL", "")

    def down(self, exc: BaseException) -> None:
        self.ok_until, self.down_until = 0.0, time.monotonic() + CHECK_SECONDS
        self.detail = f"{type(exc).__name__}: {exc}"
        self.url = getattr(settings, "REDIS_URL", "")


_HEALTH = _Health()
_SYNC_LOCK = threading.Lock()
_sync_client: tuple[str, redis.Redis] | None = None  # (url, client): a changed REDIS_URL gets a new one
_async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[str, Any]] = weakref.WeakKeyDictionary()
_inflight: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Future[bool]] = weakref.WeakKeyDictionary()


def redis_client_options() -> dict[str, Any]:
    """Options for any Redis client of the app: bounded connect and socket timeouts."""
    return dict(getattr(settings, "REDIS_CLIENT_OPTIONS", {"socket_connect_timeout": 2.0, "socket_timeout": 2.0}))


def note_redis_down(exc: BaseException) -> None:
    """Remember that Redis just failed (checks in the next second answer at once)."""
    _HEALTH.down(exc)


def redis_known_down() -> bool:
    """True when a check or a client failed within the last second (no I/O: for hot paths that
    would otherwise wait out a timeout on every frame)."""
    return _HEALTH.fresh(time.monotonic()) is False


def redis_down_detail() -> str:
    return _HEALTH.detail


def redis_available() -> bool:
    """True when Redis answers a PING (always True on the embedded default: no Redis)."""
    global _sync_client
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return True
    known = _HEALTH.fresh(time.monotonic())
    if known is not None:
        return known
    with _SYNC_LOCK:
        known = _HEALTH.fresh(time.monotonic())  # another thread may just have checked
        if known is not None:
            return known
        if _sync_client is None or _sync_client[0] != url:
            _sync_client = (url, redis.Redis.from_url(url, **redis_client_options()))
        try:
            _sync_client[1].ping()
        except (redis.exceptions.RedisError, OSError) as exc:
            _HEALTH.down(exc)
            return False
        _HEALTH.ok()
        return True


async def aredis_available() -> bool:
    """:func:`redis_available` for async code: one ping in flight per event loop at most."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return True
    known = _HEALTH.fresh(time.monotonic())
    if known is not None:
        return known
    loop = asyncio.get_running_loop()
    pending = _inflight.get(loop)
    if pending is not None:
        return await asyncio.shield(pending)
    fut: asyncio.Future[bool] = loop.create_future()
    _inflight[loop] = fut
    try:
        kept = _async_clients.get(loop)
        if kept is None or kept[0] != url:
            kept = _async_clients[loop] = (url, aioredis.Redis.from_url(url, **redis_client_options()))
        client = kept[1]
        try:
            # wait_for as well as the socket timeout: a connect that never completes is bounded too.
            await asyncio.wait_for(client.ping(), timeout=settings.REDIS_TIMEOUT_SECONDS + 0.5)
        except (redis.exceptions.RedisError, OSError, TimeoutError) as exc:
            _HEALTH.down(exc)
            result = False
        else:
            _HEALTH.ok()
            result = True
        fut.set_result(result)
        return result
    except BaseException as exc:
        if not fut.done():
            fut.set_exception(exc)
            fut.exception()  # retrieved: the waiters re-raise it
        raise
    finally:
        _inflight.pop(loop, None)


def require_redis(feature: str) -> None:
    """Raise :class:`ServiceUnavailable` (503) before ``feature`` writes anything, if Redis is down."""
    if not redis_available():
        raise ServiceUnavailable("redis", feature)


def require_task_queue(feature: str) -> None:
    """:func:`require_redis` for work handed to a Celery worker (nothing to check when eager)."""
    from designer.celery import app

    if not app.conf.task_always_eager and app.conf.broker_url.startswith(("redis", "rediss", "unix")):
        require_redis(feature)


async def close_async_client() -> None:
    """Close this event loop's health-check client (server shutdown, tests)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    kept = _async_clients.pop(loop, None)
    if kept is not None:
        try:
            await asyncio.wait_for(kept[1].aclose(), timeout=settings.REDIS_TIMEOUT_SECONDS)
        except Exception:  # closing a dead connection may fail; it is gone either way
            pass


def forget_health() -> None:
    """Forget the last answers (tests that bring Redis back)."""
    _HEALTH.ok_until = _HEALTH.down_until = 0.0


def database_reachable() -> tuple[bool, str]:
    """(True, "") when the default database accepts a connection, else (False, why)."""
    from django.db import connection

    try:
        connection.ensure_connection()
    except DATABASE_ERRORS as exc:
        return False, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return True, ""


# ---- websockets ------------------------------------------------------------------------------
# How often open live sockets are checked: a page learns of an outage within this (plus the
# 2 s timeout) and shows "live updates paused — reconnecting".
WATCH_SECONDS = 2.0
# Close code for "try again later" (RFC 6455 registry): the browser reconnects with backoff.
CLOSE_TRY_AGAIN = 1013


class _Watch:
    """This event loop's open websockets, closed together when Redis stops answering."""

    def __init__(self) -> None:
        self.closers: dict[int, Callable[[str], Any]] = {}
        self.task: asyncio.Task[None] | None = None

    def add(self, key: int, close: Callable[[str], Any]) -> None:
        self.closers[key] = close
        if self.task is None or self.task.done():
            import contextvars

            self.task = asyncio.get_running_loop().create_task(
                self._run(), name="redis-watch", context=contextvars.Context())

    async def _run(self) -> None:
        while self.closers:
            await asyncio.sleep(WATCH_SECONDS)
            if not self.closers:
                break
            if not await aredis_available():
                why = "live updates paused: Redis is unreachable"
                closers, self.closers = list(self.closers.values()), {}
                log.warning("closing %d live socket(s): Redis is unreachable (%s)", len(closers), redis_down_detail())
                for close in closers:
                    try:
                        await close(why)
                    except Exception:  # the socket may be gone already
                        pass


_WATCHES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Watch] = weakref.WeakKeyDictionary()


class WebsocketOutageGuard:
    """ASGI middleware for websockets in production mode.

    - While Redis is unreachable a handshake answers HTTP 503 with the reason and a
      ``Retry-After`` (ASGI's websocket denial response; a server without it gets a close with
      1013, "try again later"), never a 500 and a traceback.
    - The same when the database is unreachable during the handshake (the session, the team).
    - Open sockets are closed with 1013 when Redis stops answering, so the page shows "live
      updates paused — reconnecting" and reconnects (with backoff) once it is back.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "websocket" or not getattr(settings, "REDIS_URL", ""):
            return await self.app(scope, receive, send)
        state = {"answered": False, "closed": False}

        async def guarded_send(message: dict[str, Any]) -> None:
            if state["closed"]:
                return  # closed by the watch: the consumer's late messages go nowhere
            if message["type"] in ("websocket.accept", "websocket.close", "websocket.http.response.start"):
                state["answered"] = True
            if message["type"] == "websocket.close":
                state["closed"] = True
            await send(message)

        if not await aredis_available():
            message = await receive()  # the handshake request
            if message["type"] == "websocket.connect":
                await self._deny(scope, send, "redis")
            return
        loop = asyncio.get_running_loop()
        watch = _WATCHES.get(loop)
        if watch is None:
            watch = _WATCHES[loop] = _Watch()
        key = id(state)

        async def close(why: str) -> None:
            if state["answered"] and not state["closed"]:
                await guarded_send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN, "reason": why})

        watch.add(key, close)
        try:
            await self.app(scope, receive, guarded_send)
        except Exception as exc:
            service = classify(exc)
            if service is None:
                raise
            if service == "redis":
                note_redis_down(exc)
            log.warning("websocket %s: %s unreachable (%s: %s)", scope.get("path"), service, type(exc).__name__, exc)
            if not state["answered"]:
                await self._deny(scope, send, service)
            elif not state["closed"]:
                await guarded_send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})
        finally:
            watch.closers.pop(key, None)

    @staticmethod
    async def _deny(scope: dict[str, Any], send: Any, service: str) -> None:
        text = reason(service, "the live view")
        if "websocket.http.response" in (scope.get("extensions") or {}):
            body = text.encode()
            await send({"type": "websocket.http.response.start", "status": 503, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode())]})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})
