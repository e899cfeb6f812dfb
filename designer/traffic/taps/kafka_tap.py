"""Kafka with aiokafka (not tested against a broker here: none runs on this machine).

``--topic T`` (repeatable) is read by a consumer with no group (``group_id=None``): it
observes without joining the real consumers' groups or committing offsets, from the latest
offsets (``--start all``: from the earliest). CloudEvents binary mode uses the Kafka binding's
``ce_*`` headers and ``content-type``; structured mode is a JSON value.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import urlparse

from .base import Delivery, Tap, TapError


def record_delivery(topic: str, value: bytes | None, headers: Sequence[tuple[str, bytes]] | None) -> Delivery:
    """A Kafka record (value, headers) as a delivery: the mapping the tap uses."""
    hdrs = {k: (v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else str(v))
            for k, v in (headers or [])}
    return Delivery(value or b"", hdrs, topic)


class KafkaTap(Tap):
    scheme = "kafka"

    def __init__(self, url: str, *, topic: Sequence[str] | str | None = None, start: str = "latest",
                 **_: Any) -> None:
        topics = [topic] if isinstance(topic, str) else list(topic or [])
        if not topics:
            raise TapError("a Kafka tap needs --topic TOPIC")
        super().__init__(url, topic=",".join(topics))
        self.topics = topics
        u = urlparse(url)
        self.bootstrap = u.netloc or "127.0.0.1:9092"
        self.start = "earliest" if start == "all" else "latest"
        self.consumer: Any = None

    async def deliveries(self) -> AsyncIterator[Delivery]:  # type: ignore[override]
        from aiokafka import AIOKafkaConsumer

        self.consumer = AIOKafkaConsumer(*self.topics, bootstrap_servers=self.bootstrap, group_id=None,
                                         enable_auto_commit=False, auto_offset_reset=self.start,
                                         client_id="designer-tap")
        await self.consumer.start()
        self.mark_connected(", ".join(self.topics))
        async for record in self.consumer:
            yield record_delivery(record.topic, record.value, record.headers)

    async def close(self) -> None:
        consumer, self.consumer = self.consumer, None
        if consumer is not None:
            try:
                await consumer.stop()
            except Exception:
                pass
