"""Outages, for real: Redis and PostgreSQL refused, hanging or cut under a running uvicorn.

What needs Redis (imports, code bundles, ingest, websocket handshakes) answers 503 with the
reason in plain words and a Retry-After, within a few seconds; everything else keeps working;
open live sockets are told (closed with 1013, "try again later") and the service recovers
without a restart. PostgreSQL unreachable at start-up: one line on the log, a 503 naming the
database, and pages again once it is back. The server's Redis and database connections go
through :class:`~tests.security.outage_kit.Proxy`, a real TCP proxy the tests cut.

Runs in both suite modes: the server under test is always a production-mode uvicorn (a
temporary SQLite database, or a temporary PostgreSQL database for the PostgreSQL cases).
"""
from __future__ import annotations

import asyncio
import io
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.security.outage_kit import (
    Browser,
    Proxy,
    Server,
    free_port,
    manage,
    need_service,
    one_line,
    redis_target,
    server_env,
)
from tests.unit.traffic.builders import ce

SLUG = "demo-shop"
# Loose bounds: the clients give up after 2 s; a loaded CI machine gets the rest.
QUICK = 5.0


def _event(n: int = 1) -> bytes:
    return orjson.dumps(ce("com.acme-shop.order.placed.v1", {"orderId": f"o-{n}"}, id=f"outage-{uuid.uuid4()}",
                           source="order-service"))


def _ingest(site: Browser, token: str) -> Any:
    return site.http.post(f"/api/teams/{SLUG}/events", content=_event(),
                          headers={"Content-Type": "application/cloudevents+json", "Authorization": f"Bearer {token}"})


async def _handshake(server: Server, token: str) -> Any:
    return await websockets.connect(f"ws://127.0.0.1:{server.port}/ws/teams/{SLUG}/traffic/?token={token}",
                                    open_timeout=10)


def _handshake_refused(server: Server, token: str) -> InvalidStatus:
    async def attempt() -> InvalidStatus:
        try:
            sock = await _handshake(server, token)
        except InvalidStatus as exc:
            return exc
        await sock.close()
        raise AssertionError("the handshake was accepted while Redis is unreachable")

    return asyncio.run(attempt())


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: Any) -> tuple[Path, str]:
    """A migrated SQLite database with the demo team and an API token (made with Redis refused)."""
    tmp = tmp_path_factory.mktemp("outage-db")
    env = server_env(tmp, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")  # production mode serves the manifest's files
    token = manage(env, "create_token", "--team", SLUG).strip().splitlines()[-1]
    return tmp, token


@pytest.fixture(scope="module")
def refused(site_db: tuple[Path, str]) -> Iterator[tuple[Server, str]]:
    """The designer with REDIS_URL on a port nobody listens on."""
    tmp, token = site_db
    server = Server(server_env(tmp, redis_url=f"redis://127.0.0.1:{free_port()}/0"), tmp / "refused.log")
    yield server, token
    server.stop()


@pytest.fixture(scope="module")
def hanging(site_db: tuple[Path, str]) -> Iterator[tuple[Server, str]]:
    """The designer with REDIS_URL on a listener that accepts and never answers."""
    tmp, token = site_db
    proxy = Proxy(("127.0.0.1", 9)).hang()
    server = Server(server_env(tmp, redis_url=f"redis://127.0.0.1:{proxy.port}/0"), tmp / "hanging.log")
    yield server, token
    server.stop()
    proxy.close()


def _no_traceback(server: Server) -> None:
    text = server.text()
    at = text.find("Traceback")
    assert at < 0, text[max(0, at - 300):at + 1500]


def _assert_503(r: Any, *words: str) -> None:
    assert r.status_code == 503, (r.status_code, r.text[:300])
    assert r.headers["retry-after"].isdigit()
    for w in words:
        assert w in r.text, (w, r.text[:500])


@pytest.mark.parametrize("outage", ["refused", "hanging"])
def test_redis_down_an_import_and_a_code_bundle_answer_503_with_the_reason(outage: str, request: Any) -> None:
    server, _ = request.getfixturevalue(outage)
    site = Browser(server.url)
    site.login()
    started = time.monotonic()
    r = site.post(f"/t/{SLUG}/import/", files={"file": ("design.yaml", io.BytesIO(b"services: []\n"), "text/yaml")})
    _assert_503(r, "Importing a design file needs Redis", "unreachable", "Nothing was saved")
    r = site.post(f"/t/{SLUG}/code/bundles/", data={"lang": "python"})
    _assert_503(r, "Building a code bundle needs Redis")
    assert time.monotonic() - started < 2 * QUICK
    _no_traceback(server)
    # Nothing half-done: no bundle row waits forever for a worker.
    assert "queued" not in site.get(f"/t/{SLUG}/code/").text.lower()


@pytest.mark.parametrize("outage", ["refused", "hanging"])
def test_redis_down_other_pages_keep_working(outage: str, request: Any) -> None:
    server, _ = request.getfixturevalue(outage)
    site = Browser(server.url)
    site.login()
    for path in (f"/t/{SLUG}/", f"/t/{SLUG}/messages/", f"/t/{SLUG}/findings/", f"/t/{SLUG}/code/"):
        started = time.monotonic()
        r = site.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        assert time.monotonic() - started < QUICK, path
    # Lint ran in-process: the demo model's findings are on the page, not a spinner.
    assert "OrderPlaced" in site.get(f"/t/{SLUG}/messages/").text
    # The diagram is drawn in-process too, not left "rendering…" for a worker nobody can reach.
    started = time.monotonic()
    r = site.get(f"/t/{SLUG}/diagram/?direction=TB")
    assert r.status_code == 200 and time.monotonic() - started < QUICK
    assert "<svg" in r.text and 'id="diagram-pending"' not in r.text


@pytest.mark.parametrize("outage", ["refused", "hanging"])
def test_redis_down_ingest_answers_503_with_retry_after_and_never_202(outage: str, request: Any) -> None:
    server, token = request.getfixturevalue(outage)
    site = Browser(server.url)
    for _ in range(3):
        started = time.monotonic()
        r = _ingest(site, token)
        assert time.monotonic() - started < QUICK
        _assert_503(r, "Redis", "Nothing was accepted")
        assert r.json()["error"]


@pytest.mark.parametrize("outage", ["refused", "hanging"])
def test_redis_down_a_websocket_handshake_answers_503_with_the_reason(outage: str, request: Any) -> None:
    server, token = request.getfixturevalue(outage)
    started = time.monotonic()
    refused = _handshake_refused(server, token)
    assert time.monotonic() - started < QUICK
    assert refused.response.status_code == 503
    assert refused.response.headers["retry-after"].isdigit()
    assert b"needs Redis" in refused.response.body
    assert "Exception in ASGI application" not in server.text()


def test_start_up_with_redis_refused_says_so_in_one_line(refused: tuple[Server, str]) -> None:
    server, _ = refused
    lines = one_line(server.text(), r"Redis at 127\.0\.0\.1:\d+/0 is unreachable")
    assert len(lines) == 1, server.text()
    assert "answer 503 until it is back" in lines[0]


# ---- recovery: a real Redis behind a proxy the test cuts ------------------------------------
@pytest.fixture
def redis_proxy() -> Iterator[tuple[Proxy, int]]:
    host, port, db = redis_target()
    need_service(host, port, "Redis")
    proxy = Proxy((host, port)).up()
    yield proxy, db
    proxy.close()


def test_redis_comes_back_ingest_and_live_sockets_recover_without_a_restart(
        site_db: tuple[Path, str], redis_proxy: tuple[Proxy, int]) -> None:
    tmp, token = site_db
    proxy, db = redis_proxy
    server = Server(server_env(tmp, redis_url=f"redis://127.0.0.1:{proxy.port}/{db}"), tmp / "recover.log")
    try:
        site = Browser(server.url)
        assert _ingest(site, token).status_code == 202

        async def live_socket_is_closed_when_redis_hangs() -> int:
            sock = await _handshake(server, token)
            assert orjson.loads(await asyncio.wait_for(sock.recv(), 10))["type"] == "hello"
            proxy.hang()
            started = time.monotonic()
            try:
                while True:
                    await asyncio.wait_for(sock.recv(), 15)
            except ConnectionClosed as exc:
                assert time.monotonic() - started < 10
                assert exc.rcvd is not None
                return exc.rcvd.code

        assert asyncio.run(live_socket_is_closed_when_redis_hangs()) == 1013  # "try again later"
        _assert_503(_ingest(site, token), "Redis")
        proxy.down().up()
        deadline = time.monotonic() + QUICK
        while _ingest(site, token).status_code != 202:
            assert time.monotonic() < deadline, "ingest did not recover once Redis was back"
            time.sleep(0.3)

        async def socket_again() -> str:
            sock = await _handshake(server, token)
            try:
                return str(orjson.loads(await asyncio.wait_for(sock.recv(), 10))["type"])
            finally:
                await sock.close()

        assert asyncio.run(socket_again()) == "hello"
        _no_traceback(server)
    finally:
        server.stop()


# ---- PostgreSQL unreachable at start-up -----------------------------------------------------
PG_HOST, PG_PORT = "127.0.0.1", 5432


@pytest.fixture
def pg_database() -> Iterator[str]:
    need_service(PG_HOST, PG_PORT, "PostgreSQL")
    import psycopg

    name = f"designer_outage_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"postgres://postgres@{PG_HOST}:{PG_PORT}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(f"postgres://postgres@{PG_HOST}:{PG_PORT}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_refused_at_start_up_one_line_then_503_naming_it_then_pages_without_a_restart(
        tmp_path: Path, pg_database: str) -> None:
    direct = f"postgres://postgres@{PG_HOST}:{PG_PORT}/{pg_database}"
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    direct_env = server_env(tmp_path, redis_url=redis_url, database_url=direct)
    manage(direct_env, "migrate", "--noinput", "-v", "0")
    manage(direct_env, "seed_demo")
    token = manage(direct_env, "create_token", "--team", SLUG).strip().splitlines()[-1]
    proxy = Proxy((PG_HOST, PG_PORT))  # down: the port refuses
    env = server_env(tmp_path, redis_url=redis_url, database_url=f"postgres://postgres@127.0.0.1:{proxy.port}/{pg_database}")
    server = Server(env, tmp_path / "pg.log")
    try:
        lines = one_line(server.text(), r"PostgreSQL at 127\.0\.0\.1:\d+, database designer_outage_\w+\) is unreachable")
        assert len(lines) == 1, server.text()
        site = Browser(server.url)
        assert site.get("/accounts/login/").status_code == 200  # the form itself needs no database
        started = time.monotonic()
        r = site.post("/accounts/login/", data={"username": "demo", "password": "demo"})
        assert time.monotonic() - started < QUICK
        _assert_503(r, f"PostgreSQL at 127.0.0.1:{proxy.port}", "unreachable")
        assert "<h1>Temporarily unavailable</h1>" in r.text
        r = _ingest(site, token)  # producers are told to retry too, in JSON
        _assert_503(r, "PostgreSQL at", "unreachable")
        assert "Ingesting events" in r.json()["error"]
        proxy.up()
        site.login()
        r = site.get(f"/t/{SLUG}/")
        assert r.status_code == 200, r.text[:300]
        _no_traceback(server)
    finally:
        server.stop()
        proxy.close()


# ---- shutdown never hangs -------------------------------------------------------------------
def test_stopping_the_server_while_redis_hangs_ends_within_seconds(
        site_db: tuple[Path, str], redis_proxy: tuple[Proxy, int]) -> None:
    """The live pipeline runs (frames, a hub for an open socket) when Redis stops answering:
    uvicorn's graceful shutdown (the lifespan stops the pipeline) still ends within seconds."""
    tmp, token = site_db
    proxy, db = redis_proxy
    server = Server(server_env(tmp, redis_url=f"redis://127.0.0.1:{proxy.port}/{db}"), tmp / "shutdown.log")
    try:
        site = Browser(server.url)

        async def live_then_hang() -> None:
            sock = await _handshake(server, token)
            assert orjson.loads(await asyncio.wait_for(sock.recv(), 10))["type"] == "hello"
            for _ in range(5):
                assert (await asyncio.to_thread(_ingest, site, token)).status_code == 202
            await asyncio.sleep(0.3)  # a few frames go out through Redis
            proxy.hang()
            await asyncio.sleep(0.5)

        asyncio.run(live_then_hang())
        took = server.stop(timeout=30)
        assert took < 10, f"graceful shutdown took {took:.1f} s"
        assert "Application shutdown complete" in server.text()
        _no_traceback(server)
    finally:
        server.stop()
