"""Fixtures for live traffic: a team holding the checkout model, its API token, clients."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from designer.catalog import services as svc
from tests.unit.traffic.builders import checkout_model

WS_HEADERS = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


@pytest.fixture(autouse=True)
async def _fresh_traffic_state() -> AsyncIterator[None]:
    """Every test gets its own pipeline, hubs, token cache and rate limits; all closed after."""
    from designer.traffic import fanout, ingest, pipeline, recent

    ingest.forget_tokens()
    ingest.LIMITER.buckets.clear()
    # Team ids come back after a rollback (and in a fresh test database), so what an earlier
    # test's team left in the live page's memory must not show up in this one's snapshot.
    await recent.get_recent().forget_all()
    yield
    await pipeline.shutdown()
    await fanout.shutdown()
    await recent.shutdown()


@pytest.fixture
def shop(make_user: Any, make_team: Any) -> Any:
    """``shop(profile="cloudevents", **team_fields)`` -> (team, owner, token secret)."""

    def make(profile: str = "cloudevents", lint_config: dict[str, Any] | None = None) -> Any:
        owner = make_user()
        team = make_team(owner=owner)
        svc.model_import(team=team, user=owner, model=checkout_model(profile), mode="replace",
                         replace_all=True)
        if lint_config is not None:
            team.refresh_from_db()
            svc.team_settings_update(team=team, actor=owner, lint_config=lint_config)
        team.refresh_from_db()
        _, secret = svc.token_create(team=team, actor=owner, name="test")
        return team, owner, secret

    return make


@pytest.fixture
async def ashop(shop: Any) -> Any:
    async def make(**kw: Any) -> Any:
        return await database_sync_to_async(shop)(**kw)

    return make


@pytest.fixture
def asgi_app() -> Any:
    from designer.asgi import application

    return application


@pytest.fixture
async def http(asgi_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
def ws(asgi_app: Any) -> Any:
    """``await ws(slug, user=None, token=None, last_id=None, headers=())`` -> connected communicator."""
    opened: list[WebsocketCommunicator] = []

    async def connect(slug: str, *, user: Any = None, token: str | None = None, last_id: int | None = None,
                      headers: tuple[tuple[bytes, bytes], ...] = ()) -> tuple[bool, WebsocketCommunicator]:
        query = []
        if token:
            query.append(f"token={token}")
        if last_id is not None:
            query.append(f"last_id={last_id}")
        path = f"/ws/teams/{slug}/traffic/" + ("?" + "&".join(query) if query else "")
        comm = WebsocketCommunicator(asgi_app, path, headers=WS_HEADERS + list(headers))
        if user is not None:
            comm.scope["user"] = user
        ok, _ = await comm.connect(timeout=5)
        opened.append(comm)
        return ok, comm

    return connect


async def receive_until(comm: WebsocketCommunicator, pred: Any, timeout: float = 5.0) -> list[dict[str, Any]]:
    """Messages received (flattened out of batches) until ``pred(message)`` holds for one."""
    import asyncio

    seen: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"nothing matched within {timeout}s; saw {[m.get('type') for m in seen]}")
        msg = await comm.receive_json_from(timeout=left)
        batch = msg["messages"] if msg.get("type") == "batch" else [msg]
        hit = False
        for m in batch:  # the whole batch is kept, even past the match
            m.setdefault("_batch", {k: v for k, v in msg.items() if k != "messages"})
            seen.append(m)
            hit = hit or bool(pred(m))
        if hit:
            return seen
