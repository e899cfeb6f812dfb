"""RabbitMQ (AMQP 0-9-1) with aio-pika.

``--exchange NAME [--routing-key KEY]`` binds a private, exclusive, auto-deleted queue to the
exchange: the tap sees a copy of what passes and takes nothing from the real consumers (the
usual way to observe). ``--queue NAME`` consumes from an existing queue (it competes with other
consumers of that queue: use it for a queue of its own). CloudEvents binary mode uses the AMQP
binding's ``cloudEvents:`` / ``cloudEvents_`` headers.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aio_pika

from .base import Delivery, Tap, TapError

# Unacknowledged deliveries in flight: enough to keep the pipe full, bounded for memory.
PREFETCH = 500


class AmqpTap(Tap):
    scheme = "amqp"

    def __init__(self, url: str, *, queue: Sequence[str] | str | None = None, exchange: str | None = None,
                 routing_key: str = "#", connection_name: str = "designer-tap", **_: Any) -> None:
        queues = [queue] if isinstance(queue, str) else list(queue or [])
        if not queues and not exchange:
            raise TapError("an AMQP tap needs --queue NAME or --exchange NAME [--routing-key KEY]")
        super().__init__(url, queue=",".join(queues), exchange=exchange or "",
                         routing_key=routing_key if exchange else "")
        self.queues, self.exchange, self.routing_key = queues, exchange, routing_key
        self.connection_name = connection_name
        self.connection: Any = None

    async def deliveries(self) -> AsyncIterator[Delivery]:  # type: ignore[override]
        # connect (not connect_robust): reconnection is ours, so its status is visible.
        self.connection = await aio_pika.connect(self.url, timeout=5,
                                                 client_properties={"connection_name": self.connection_name})
        lost: asyncio.Queue[Delivery | Exception] = asyncio.Queue(maxsize=PREFETCH * 2)

        def on_close(_conn: Any, exc: Any = None) -> None:
            try:
                lost.put_nowait(ConnectionError(f"connection closed: {exc}"))
            except asyncio.QueueFull:  # the consumer is behind; it will see the closed channel
                pass

        self.connection.close_callbacks.add(on_close)
        channel = await self.connection.channel()
        await channel.set_qos(prefetch_count=PREFETCH)

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            headers = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in (message.headers or {}).items()}
            if message.content_type:
                headers.setdefault("content-type", message.content_type)
            await lost.put(Delivery(message.body, headers, message.routing_key or ""))
            await message.ack()

        where = []
        if self.exchange:
            q = await channel.declare_queue("", exclusive=True, auto_delete=True)
            await q.bind(self.exchange, routing_key=self.routing_key)
            await q.consume(on_message)
            where.append(f"exchange {self.exchange} ({self.routing_key})")
        for name in self.queues:
            q = await channel.declare_queue(name, passive=True)
            await q.consume(on_message)
            where.append(f"queue {name}")
        self.mark_connected(", ".join(where))
        while True:
            item = await lost.get()
            if isinstance(item, Exception):
                raise item
            yield item

    async def close(self) -> None:
        conn, self.connection = self.connection, None
        if conn is not None and not conn.is_closed:
            try:
                await conn.close()
            except Exception:
                pass
