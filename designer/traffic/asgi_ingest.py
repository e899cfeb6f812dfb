"""The ingest route as a raw ASGI app mounted in front of Django (``designer/asgi.py``).

Django's request path costs about 1 ms a request on the development machine
(docs: PERF_ANCHORS); a raw ASGI handler sharing the same :func:`designer.traffic.ingest.ingest`
answers ``POST /api/teams/<slug>/events`` tens of times faster. Everything else goes to Django.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings

from designer import outage

from .ingest import Answer, authenticate_for, bearer, error, ingest, too_large, unavailable

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ROUTE = re.compile(r"^/api/teams/(?P<slug>[-a-zA-Z0-9_]+)/events/?$")


async def _answer(send: Send, answer: Answer) -> None:
    body = answer.content()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def ingest_app(scope: Scope, receive: Receive, send: Send, slug: str) -> None:
    """Serve one ingest request (see the module docstring)."""
    if scope["method"] != "POST":
        await _answer(send, error(405, "use POST", [("allow", "POST")]))
        return
    headers: dict[str, str] = {}
    for k, v in scope["headers"]:
        name = k.decode("latin-1").lower()
        value = v.decode("latin-1")
        # Repeated headers are joined, as HTTP says they may be.
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    secret = bearer(headers.get("authorization"))
    try:
        first, _ = await authenticate_for(slug, secret)
        if isinstance(first, Answer):
            await _answer(send, first)
            return
        limit = settings.TRAFFIC_MAX_BODY_BYTES
        try:
            declared = int(headers.get("content-length") or 0)
        except ValueError:
            await _answer(send, error(400, "Content-Length is not a number"))
            return
        if declared > limit:
            await _answer(send, too_large(declared))
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:  # chunked uploads have no Content-Length: stop reading at the limit
                await _answer(send, too_large(size))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        answer = await ingest(slug, headers, b"".join(chunks), secret)
    except Exception as exc:  # never a traceback to the client; the log keeps it
        service = outage.classify(exc)
        if service is not None:  # Redis or the database unreachable: 503, retry later
            log.warning("ingest for %s: 503, %s unreachable (%s: %s)", slug, service, type(exc).__name__, exc)
            answer = unavailable(service)
        else:
            log.exception("ingest failed")
            answer = error(500, "internal error while ingesting; the event was not checked")
    await _answer(send, answer)


def wrap_http(django_app: ASGIApp) -> ASGIApp:
    """HTTP: the ingest route here, everything else to ``django_app``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            m = ROUTE.match(scope["path"])
            if m is not None:
                await ingest_app(scope, receive, send, m["slug"])
                return
        await django_app(scope, receive, send)

    return app
