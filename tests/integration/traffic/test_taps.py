"""Each tap against the real broker on 127.0.0.1: it delivers, and it comes back after the
server drops its connection, saying so in its status."""
from __future__ import annotations

import asyncio
import subprocess
import uuid

import orjson
import pytest

from designer.traffic.taps import TapError, tap_for
from tests.integration.traffic.taps_kit import Harness, body
from tests.services_up import reachable

REDIS = "redis://127.0.0.1:6379/6"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
NATS = "nats://127.0.0.1:4222"
MQTT = "mqtt://127.0.0.1:1883"


def need(url: str, port: int) -> None:
    import os

    if not reachable(url, port):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{url} must run on CI")
        pytest.skip(f"{url} is not running on 127.0.0.1")


def uid() -> str:
    return uuid.uuid4().hex[:10]


# ---- Redis ----------------------------------------------------------------------------------
async def _kill_redis_client(name: str) -> None:
    import redis.asyncio as aioredis

    r = aioredis.from_url(REDIS)
    try:
        for c in await r.client_list():
            if c.get("name") == name:
                await r.client_kill_filter(_id=c["id"])
    finally:
        await r.aclose()


async def test_the_redis_stream_tap_resumes_after_its_connection_is_killed() -> None:
    import redis.asyncio as aioredis

    need(REDIS, 6379)
    stream, name = f"events-{uid()}", f"tap-{uid()}"
    r = aioredis.from_url(REDIS)
    try:
        async with Harness(tap_for(REDIS, stream=[stream], client_name=name)) as h:
            await r.xadd(stream, {"event": body("s1")})
            assert (await h.got("s1")).type == "com.shop.order.placed"
            await _kill_redis_client(name)
            await h.wait(lambda: "reconnecting" in h.states(), "reconnecting")
            await r.xadd(stream, {"event": body("s2")})  # published while the tap was away
            await h.wait(lambda: h.states().count("connected") >= 2, "connected again")
            await h.got("s2")
            await r.xadd(stream, {"ce_specversion": "1.0", "ce_id": "s3", "ce_type": "t.binary", "ce_source": "/x",
                                  "content-type": "application/json", "data": b'{"a": 1}'})
            binary = await h.got("s3")
            assert binary.type == "t.binary" and binary.data == {"a": 1}
        assert [e.id for e in h.events] == ["s1", "s2", "s3"]
        assert h.states()[-1] == "stopped"
    finally:
        await r.delete(stream)
        await r.aclose()


async def test_the_redis_pubsub_tap_resubscribes_after_its_connection_is_killed() -> None:
    import redis.asyncio as aioredis

    need(REDIS, 6379)
    channel, name = f"events.{uid()}", f"tap-{uid()}"
    r = aioredis.from_url(REDIS)
    try:
        async with Harness(tap_for(REDIS, channel=[channel.split(".")[0] + ".*"], client_name=name)) as h:
            await r.publish(channel, body("p1"))
            await h.got("p1")
            await _kill_redis_client(name)
            await h.wait(lambda: h.states().count("connected") >= 2, "connected again")
            await r.publish(channel, body("p2"))
            await h.got("p2")
        assert "reconnecting" in h.states()
    finally:
        await r.aclose()


# ---- RabbitMQ -------------------------------------------------------------------------------
def _close_amqp_connection(name: str) -> None:
    out = subprocess.run(["rabbitmqctl", "-q", "list_connections", "pid", "client_properties"],
                         capture_output=True, text=True, timeout=60).stdout
    pids = [line.split("\t")[0] for line in out.splitlines() if name in line]
    assert pids, f"no connection named {name}: {out}"
    for pid in pids:
        subprocess.run(["rabbitmqctl", "-q", "close_connection", pid, "test drop"], check=True, timeout=60)


async def test_the_amqp_tap_observes_an_exchange_and_reconnects_after_the_server_closes_it() -> None:
    import aio_pika

    need(AMQP, 5672)
    exchange, name = f"events-{uid()}", f"designer-tap-{uid()}"
    conn = await aio_pika.connect(AMQP)
    try:
        ch = await conn.channel()
        # Not auto-deleted: the exchange must outlive the tap's dropped binding.
        ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC)
        async with Harness(tap_for(AMQP, exchange=exchange, routing_key="orders.#", connection_name=name)) as h:
            await ex.publish(aio_pika.Message(body("a1"), content_type="application/cloudevents+json"),
                             routing_key="orders.placed")
            await h.got("a1")
            await asyncio.to_thread(_close_amqp_connection, name)
            await h.wait(lambda: h.states().count("connected") >= 2, "connected again", timeout=30)
            headers = {"cloudEvents:specversion": "1.0", "cloudEvents:id": "a2", "cloudEvents:type": "t.amqp",
                       "cloudEvents:source": "/orders"}
            await ex.publish(aio_pika.Message(b'{"n": 2}', headers=headers, content_type="application/json"),
                             routing_key="orders.placed")
            binary = await h.got("a2")
            assert binary.type == "t.amqp" and binary.data == {"n": 2}
        assert "reconnecting" in h.states()
        await ex.delete()
    finally:
        await conn.close()


# ---- NATS -----------------------------------------------------------------------------------
def _drop_nats(tap: object) -> None:
    """Cut the tap's TCP connection under it (no monitoring endpoint here to kick it)."""
    transport = tap.nc._transport  # type: ignore[attr-defined]
    transport._io_writer.transport.abort()  # an abrupt drop, as a server crash would look


async def test_the_nats_tap_reads_core_subjects_and_reconnects() -> None:
    import nats

    need(NATS, 4222)
    subject = f"events.{uid()}"
    nc = await nats.connect(NATS)
    try:
        tap = tap_for(NATS, subject=[subject.split(".")[0] + ".>"])
        async with Harness(tap) as h:
            await nc.publish(subject, body("n1"))
            await h.got("n1")
            _drop_nats(tap)
            await h.wait(lambda: h.states().count("connected") >= 2, "connected again")
            await nc.publish(subject, body("n2"), headers={})
            await nc.publish(subject, b'{"k": 1}', headers={"ce-specversion": "1.0", "ce-id": "n3", "ce-type": "t.nats",
                                                            "ce-source": "/x", "content-type": "application/json"})
            await h.got("n2")
            assert (await h.got("n3")).data == {"k": 1}
        assert "reconnecting" in h.states()
    finally:
        await nc.close()


async def test_the_nats_jetstream_tap_resumes_after_the_last_sequence() -> None:
    import nats

    need(NATS, 4222)
    stream = f"TAP{uid()}".upper()
    subject = f"js.{stream.lower()}.orders"
    nc = await nats.connect(NATS)
    js = nc.jetstream()
    await js.add_stream(name=stream, subjects=[f"js.{stream.lower()}.>"])
    try:
        tap = tap_for(NATS, stream=stream)
        async with Harness(tap) as h:
            await js.publish(subject, body("j1"))
            await h.got("j1")
            _drop_nats(tap)
            await h.wait(lambda: "reconnecting" in h.states(), "reconnecting")
            await js.publish(subject, body("j2"))  # kept by the stream while the tap was away
            await h.wait(lambda: h.states().count("connected") >= 2, "connected again")
            await h.got("j2")
        assert [e.id for e in h.events] == ["j1", "j2"]
    finally:
        await js.delete_stream(stream)
        await nc.close()


# ---- MQTT -----------------------------------------------------------------------------------
async def test_the_mqtt_tap_reconnects_after_the_broker_drops_it() -> None:
    import aiomqtt

    need(MQTT, 1883)
    topic, client_id = f"shop/{uid()}/orders", f"designer-tap-{uid()}"
    async with aiomqtt.Client("127.0.0.1", 1883) as pub:
        async with Harness(tap_for(MQTT, topic=[topic.rsplit("/", 1)[0] + "/#"], client_id=client_id)) as h:
            await pub.publish(topic, body("m1"), qos=1)
            await h.got("m1")
            # A second client with the same id makes Mosquitto drop the tap's connection.
            async with aiomqtt.Client("127.0.0.1", 1883, identifier=client_id):
                await h.wait(lambda: "reconnecting" in h.states(), "reconnecting")
            await h.wait(lambda: h.states().count("connected") >= 2, "connected again")
            await pub.publish(topic, body("m2"), qos=1)
            await h.got("m2")


# ---- Kafka (mapping only: no broker runs here) ----------------------------------------------
def test_the_kafka_mapping_reads_binary_mode_headers_and_structured_values() -> None:
    from designer.traffic.taps.base import decode
    from designer.traffic.taps.kafka_tap import record_delivery

    binary = record_delivery("orders", b'{"orderId": "o-1"}', [
        ("ce_specversion", b"1.0"), ("ce_id", b"k1"), ("ce_type", b"com.shop.order.placed"),
        ("ce_source", b"/orders"), ("content-type", b"application/json")])
    [event] = decode(binary)
    assert (event.id, event.type, event.data) == ("k1", "com.shop.order.placed", {"orderId": "o-1"})
    [event] = decode(record_delivery("orders", body("k2"), None))
    assert event.id == "k2" and event.envelope == "cloudevents"
    [bad] = decode(record_delivery("orders", b"not json", None))
    assert "malformed JSON" in bad.reason  # type: ignore[union-attr]


def test_a_tap_needs_a_subscription_and_a_known_scheme() -> None:
    with pytest.raises(TapError, match="--stream"):
        tap_for(REDIS)
    with pytest.raises(TapError, match="unsupported broker URL scheme 'ftp'"):
        tap_for("ftp://x")
    with pytest.raises(TapError, match="--topic"):
        tap_for("kafka://127.0.0.1:9092")


def test_a_status_line_never_shows_the_password() -> None:
    tap = tap_for("amqp://guest:secret@127.0.0.1:5672/", queue=["q"])
    assert "secret" not in tap.name and "***" in tap.name


def test_broker_headers_map_to_the_http_binding() -> None:
    from designer.traffic.taps.base import http_headers

    assert http_headers({"cloudEvents:id": "1", "cloudEvents_type": "t", "ce_source": b"/s", "x": "y"}) == {
        "ce-id": "1", "ce-type": "t", "ce-source": "/s"}
    assert orjson.loads(body("x"))["id"] == "x"
