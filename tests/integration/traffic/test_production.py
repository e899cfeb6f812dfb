"""Production mode: two real uvicorn processes on PostgreSQL and the Redis channel layer.

An event POSTed to one process reaches a websocket held by the other.
"""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import pytest
import websockets

from tests.services_up import reachable
from tests.unit.traffic.builders import ce

ROOT = Path(__file__).resolve().parents[3]
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/5"

pytestmark = [pytest.mark.production]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"uvicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)
    pytest.fail(f"uvicorn did not listen on {port} within 30 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: Any) -> Iterator[tuple[str, str, str, str]]:
    if not (reachable(PG, 5432) and reachable(REDIS, 6379)):
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL and Redis must run on 127.0.0.1 on CI")
        pytest.skip("PostgreSQL or Redis is not running on 127.0.0.1 (needed for production mode)")
    name = f"designer_traffic_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    tmp = tmp_path_factory.mktemp("prod")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update({"DATABASE_URL": f"{PG}/{name}", "REDIS_URL": REDIS, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
                "SECRET_KEY": "test-only-" + uuid.uuid4().hex * 2, "DJANGO_SETTINGS_MODULE": "designer.settings",
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"})
    procs: list[subprocess.Popen[bytes]] = []
    try:
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([py, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        secret = subprocess.run([py, "manage.py", "create_token", "--team", "demo-shop"], cwd=ROOT, env=env,
                                check=True, capture_output=True, text=True).stdout.strip()
        urls = []
        for i in range(2):
            port = _free_port()
            log = tmp / f"uvicorn{i}.log"
            p = subprocess.Popen([py, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1",
                                  "--port", str(port), "--log-level", "warning"],
                                 cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
            procs.append(p)
            _wait_port(port, p, log)
            urls.append(f"127.0.0.1:{port}")
        yield urls[0], urls[1], secret, "demo-shop"
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_an_event_posted_to_one_process_reaches_a_websocket_on_the_other(two_servers: Any) -> None:
    a, b, secret, slug = two_servers
    event_id = f"prod-{uuid.uuid4()}"
    async with websockets.connect(f"ws://{b}/ws/teams/{slug}/traffic/?token={secret}",
                                  origin="http://127.0.0.1") as sock:  # type: ignore[arg-type]
        hello = orjson.loads(await asyncio.wait_for(sock.recv(), 10))
        assert hello["type"] == "hello"
        event = ce("com.acme-shop.order.placed.v1", {"orderId": "o-1"}, id=event_id, source="order-service")
        async with httpx.AsyncClient(base_url=f"http://{a}") as client:
            r = await client.post(f"/api/teams/{slug}/events", content=orjson.dumps(event),
                                  headers={"Content-Type": "application/cloudevents+json",
                                           "Authorization": f"Bearer {secret}"})
        assert r.status_code == 202, r.text
        deadline = time.monotonic() + 10
        found: dict[str, Any] | None = None
        while found is None and time.monotonic() < deadline:
            msg = orjson.loads(await asyncio.wait_for(sock.recv(), deadline - time.monotonic()))
            for m in msg.get("messages", []):
                if m["type"] == "event" and m["event_id"] == event_id:
                    found = m
        assert found is not None, "the event never reached the other process's websocket"
        assert found["source"] == "order-service"
