"""MQTT (3.1.1 / 5) with aiomqtt.

``--topic T`` (``+`` and ``#`` wildcards allowed) subscribes at QoS 1. The body is the event
(a structured CloudEvent or the brief's envelope in JSON); with MQTT 5, ``ce-*`` user
properties make it a binary-mode CloudEvent.
"""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import urlparse

import aiomqtt

from .base import Delivery, Tap, TapError


class MqttTap(Tap):
    scheme = "mqtt"

    def __init__(self, url: str, *, topic: Sequence[str] | str | None = None, client_id: str | None = None,
                 **_: Any) -> None:
        topics = [topic] if isinstance(topic, str) else list(topic or [])
        if not topics:
            raise TapError("an MQTT tap needs --topic TOPIC")
        super().__init__(url, topic=",".join(topics))
        self.topics = topics
        self.client_id = client_id or f"designer-tap-{uuid.uuid4().hex[:8]}"
        u = urlparse(url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or (8883 if u.scheme == "mqtts" else 1883)
        self.username, self.password = u.username, u.password
        self.tls = u.scheme == "mqtts"

    async def deliveries(self) -> AsyncIterator[Delivery]:  # type: ignore[override]
        client = aiomqtt.Client(self.host, self.port, identifier=self.client_id, username=self.username,
                                password=self.password, timeout=5,
                                tls_params=aiomqtt.TLSParameters() if self.tls else None)
        async with client:
            for t in self.topics:
                await client.subscribe(t, qos=1)
            self.mark_connected(", ".join(self.topics))
            async for message in client.messages:
                headers: dict[str, str] = {}
                props = getattr(message, "properties", None)
                for k, v in getattr(props, "UserProperty", None) or []:
                    headers[k] = v
                payload = message.payload
                body = payload if isinstance(payload, (bytes, bytearray)) else str(payload).encode()
                yield Delivery(bytes(body), headers, str(message.topic))
