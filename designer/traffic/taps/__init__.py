"""Broker taps: subscribe to a real broker and feed what passes into the traffic pipeline.

One module per broker (``redis``, ``amqp``, ``nats``, ``mqtt``, ``kafka``), each exposing a
:class:`~designer.traffic.taps.base.Tap` subclass; :func:`tap_for` picks one by URL scheme.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any
from urllib.parse import urlparse

from .base import Tap, TapError

# URL scheme -> "module:Class"; modules are imported on use so a missing client library only
# matters for its own broker.
SCHEMES: dict[str, str] = {
    "redis": "redis_tap:RedisTap", "rediss": "redis_tap:RedisTap",
    "amqp": "amqp_tap:AmqpTap", "amqps": "amqp_tap:AmqpTap",
    "nats": "nats_tap:NatsTap", "tls": "nats_tap:NatsTap",
    "mqtt": "mqtt_tap:MqttTap", "mqtts": "mqtt_tap:MqttTap",
    "kafka": "kafka_tap:KafkaTap",
}


def tap_for(url: str, **options: Any) -> Tap:
    """A tap for ``url`` (by scheme) with its subscriptions in ``options``; TapError if unusable."""
    scheme = urlparse(url).scheme.lower()
    target = SCHEMES.get(scheme)
    if target is None:
        raise TapError(f"unsupported broker URL scheme {scheme or '(none)'!r}: use "
                       "redis://, amqp://, nats://, mqtt:// or kafka://")
    module, cls = target.split(":")
    tap_cls = getattr(import_module(f"{__name__}.{module}"), cls)
    tap: Tap = tap_cls(url, **options)
    return tap


__all__ = ["SCHEMES", "Tap", "TapError", "tap_for"]
