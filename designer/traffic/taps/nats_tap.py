"""NATS core subjects and JetStream streams with nats-py.

``--subject S`` (wildcards ``*`` and ``>`` allowed) subscribes on core NATS. ``--stream NAME``
reads a JetStream stream through an ephemeral ordered consumer that starts with new messages
(``--start all`` from the beginning); it acknowledges nothing and takes nothing from durable
consumers. Reconnection is ours (nats-py's own is switched off) so the status is visible and a
JetStream consumer is recreated after the last sequence seen. CloudEvents binary mode uses
``ce-*`` message headers.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy

from .base import Delivery, Tap, TapError

# Messages buffered between the NATS client and the pipeline; the client is slowed past it.
PENDING = 10_000


class NatsTap(Tap):
    scheme = "nats"

    def __init__(self, url: str, *, subject: Sequence[str] | str | None = None, stream: str | None = None,
                 start: str = "new", **_: Any) -> None:
        subjects = [subject] if isinstance(subject, str) else list(subject or [])
        if not subjects and not stream:
            raise TapError("a NATS tap needs --subject SUBJECT and/or --stream NAME (JetStream)")
        super().__init__(url, subject=",".join(subjects), stream=stream or "")
        self.subjects, self.stream, self.start = subjects, stream, start
        self.nc: Any = None
        self.last_seq = 0  # last JetStream stream sequence seen, to resume after a reconnect

    async def deliveries(self) -> AsyncIterator[Delivery]:  # type: ignore[override]
        queue: asyncio.Queue[Delivery | Exception] = asyncio.Queue(maxsize=PENDING)

        async def on_gone(*_: Any) -> None:
            await queue.put(ConnectionError("NATS connection lost"))

        async def on_error(exc: Exception) -> None:
            if isinstance(exc, (ConnectionError, OSError, nats.errors.UnexpectedEOF, nats.errors.StaleConnectionError)):
                await queue.put(ConnectionError(f"NATS: {exc!r}"))

        self.nc = await nats.connect(self.url, allow_reconnect=False, connect_timeout=5, name="designer-tap",
                                     disconnected_cb=on_gone, closed_cb=on_gone, error_cb=on_error)

        async def on_msg(msg: Any) -> None:
            if _is_js(msg):
                self.last_seq = msg.metadata.sequence.stream
            await queue.put(Delivery(msg.data, dict(msg.headers or {}), msg.subject))

        where = []
        for s in self.subjects:
            await self.nc.subscribe(s, cb=on_msg, pending_msgs_limit=PENDING)
            where.append(s)
        if self.stream:
            js = self.nc.jetstream()
            if self.last_seq:
                cfg = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=self.last_seq + 1)
            elif self.start == "all":
                cfg = ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
            else:
                cfg = ConsumerConfig(deliver_policy=DeliverPolicy.NEW)
            info = await js.stream_info(self.stream)
            subject = info.config.subjects[0] if info.config.subjects else ">"
            await js.subscribe(subject, stream=self.stream, cb=on_msg, ordered_consumer=True, config=cfg,
                               pending_msgs_limit=PENDING)
            where.append(f"stream {self.stream}")
        self.mark_connected(", ".join(where))
        while True:
            item = await queue.get()
            if isinstance(item, Exception):
                raise item
            yield item

    async def close(self) -> None:
        nc, self.nc = self.nc, None
        if nc is not None and not nc.is_closed:
            try:
                await asyncio.wait_for(nc.close(), 5)
            except Exception:
                pass


def _is_js(msg: Any) -> bool:
    return bool(msg.reply) and str(msg.reply).startswith("$JS.ACK")
