"""What every tap shares: decoding broker messages into events, and the reconnect loop.

A tap yields :class:`Delivery` values (body bytes and headers). :func:`decode` turns one into
an :class:`~designer.core.traffic.ObservedEvent`: a JSON body is a structured CloudEvent or the
brief's envelope (an array is a batch); CloudEvents attributes in the message headers (the
broker bindings' binary mode: ``ce-``/``ce_`` for HTTP, NATS and Kafka, ``cloudEvents:`` /
``cloudEvents_`` for AMQP) make it a binary-mode event. :meth:`Tap.run` connects, feeds the
pipeline, and on any connection loss reports ``reconnecting`` and tries again with backoff.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse, urlunparse

from designer.core.traffic import ObservedEvent, ParseError, parse_request

log = logging.getLogger(__name__)

# Reconnect backoff: first retry quickly (a broker restart takes a second or two), then back
# off to at most 10 s so a long outage costs little.
BACKOFF_FIRST = 0.2
BACKOFF_MAX = 10.0
# Deliveries fed to the pipeline in one call at most: keeps each check burst short.
BATCH = 500

# Header prefixes of the CloudEvents protocol bindings, normalised to the HTTP one.
CE_PREFIXES = ("ce-", "ce_", "cloudevents:", "cloudevents_")


class TapError(Exception):
    """A tap cannot be set up as asked (bad URL, missing subscription...)."""


@dataclass
class Delivery:
    """One message as the broker delivered it."""

    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    where: str = ""  # subject / topic / queue / stream, for the status line


def http_headers(headers: Mapping[str, Any]) -> dict[str, str]:
    """Broker headers as HTTP-binding headers (``ce_type``, ``cloudEvents:type`` -> ``ce-type``)."""
    out: dict[str, str] = {}
    for k, v in headers.items():
        if v is None:
            continue
        value = v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else str(v)
        lk = k.lower()
        for prefix in CE_PREFIXES:
            if lk.startswith(prefix):
                out["ce-" + lk[len(prefix):]] = value
                break
        else:
            if lk in ("content-type", "content_type", "contenttype", "datacontenttype"):
                out["content-type"] = value
    return out


def decode(delivery: Delivery) -> list[ObservedEvent | ParseError]:
    """The events one delivery carries (a ParseError entry for each malformed one)."""
    headers = http_headers(delivery.headers)
    if "ce-specversion" not in headers:
        headers["content-type"] = "application/json"  # structured CloudEvent or brief envelope
    elif "content-type" not in headers:
        headers["content-type"] = "application/json"
    try:
        return list(parse_request(delivery.body, headers).items)
    except ParseError as exc:
        return [exc]


def redact(url: str) -> str:
    """The URL without its password, for status lines and logs."""
    u = urlparse(url)
    if u.password:
        netloc = f"{u.username}:***@{u.hostname}" + (f":{u.port}" if u.port else "")
        return urlunparse(u._replace(netloc=netloc))
    return url


StatusFn = Callable[[str, str], None]


class Tap:
    """A subscription to one broker; subclasses implement :meth:`deliveries`."""

    scheme = ""

    def __init__(self, url: str, **options: Any) -> None:
        self.url = url
        self.options = options
        self.state = "idle"
        self.received = 0
        self.rejected = 0
        self.reconnects = 0
        self._backoff = BACKOFF_FIRST
        self._status: StatusFn = lambda state, detail: None

    def mark_connected(self, detail: str = "") -> None:
        """Subclasses call this once subscribed: reports ``connected`` and resets the backoff."""
        if self.state != "connected":
            self.state = "connected"
            self._backoff = BACKOFF_FIRST
            self._status("connected", detail)

    @property
    def name(self) -> str:
        """How the tap shows in statuses: its URL (no password) and subscriptions."""
        subs = " ".join(f"{k}={v}" for k, v in self.options.items() if v)
        return f"{redact(self.url)} {subs}".strip()

    def deliveries(self) -> AsyncIterator[Delivery]:
        """Connect and yield deliveries until the connection is lost (then raise)."""
        raise NotImplementedError

    async def close(self) -> None:
        """Release the connection (called between attempts and at the end)."""

    async def run(self, feed: Callable[[list[ObservedEvent]], Any], status: StatusFn,
                  *, stop: asyncio.Event | None = None, max_events: int | None = None) -> None:
        """Feed the pipeline until ``stop`` is set or ``max_events`` were received, reconnecting."""
        self._status = status
        stop = stop or asyncio.Event()
        while not stop.is_set():
            self.state = "connecting"
            status("connecting", "")
            try:
                async for delivery in self._until(self.deliveries(), stop):
                    if delivery is None:
                        continue
                    events = []
                    for item in decode(delivery):
                        if isinstance(item, ParseError):
                            self.rejected += 1
                            log.warning("tap %s: rejected a message on %s: %s", self.name, delivery.where, item.reason)
                        else:
                            events.append(item)
                    self.received += len(events)
                    if events:
                        await feed(events)
                    if max_events is not None and self.received >= max_events:
                        stop.set()
                        break
                if stop.is_set():
                    break
                raise ConnectionError("the subscription ended")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any broker or network failure: report and reconnect
                if stop.is_set():
                    break
                self.reconnects += 1
                self.state = "reconnecting"
                backoff = self._backoff
                status("reconnecting", f"{type(exc).__name__}: {exc}"[:300] + f"; retrying in {backoff:.1f}s")
                await self.close()
                try:
                    await asyncio.wait_for(stop.wait(), backoff)
                except TimeoutError:
                    pass
                self._backoff = min(BACKOFF_MAX, backoff * 2)
            finally:
                if stop.is_set():
                    await self.close()
        self.state = "stopped"
        status("stopped", f"{self.received} events, {self.rejected} rejected, {self.reconnects} reconnects")

    @staticmethod
    async def _until(source: AsyncIterator[Delivery], stop: asyncio.Event) -> AsyncIterator[Delivery | None]:
        """``source``'s items until ``stop`` is set; None every half second when idle."""
        it = source.__aiter__()
        nxt: asyncio.Task[Delivery] | None = None
        try:
            while not stop.is_set():
                if nxt is None:
                    nxt = asyncio.ensure_future(it.__anext__())
                done, _ = await asyncio.wait({nxt}, timeout=0.5)
                if not done:
                    yield None
                    continue
                task, nxt = nxt, None
                try:
                    item = task.result()
                except StopAsyncIteration:
                    return
                yield item
        finally:
            if nxt is not None:
                nxt.cancel()
                await asyncio.gather(nxt, return_exceptions=True)


def now() -> float:
    return time.time()
