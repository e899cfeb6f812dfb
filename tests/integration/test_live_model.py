"""The model-change websocket: members hear about changes after commit; others are refused."""
from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from designer.asgi import application
from designer.catalog import services as svc
from designer.catalog.models import Change

pytestmark = [pytest.mark.django_db(transaction=True)]


async def _connect(user: Any, slug: str) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, f"/ws/teams/{slug}/model/", headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")])
    comm.scope["user"] = user
    return comm


async def test_it_pushes_a_change_to_a_member_after_commit(make_user: Any, make_team: Any) -> None:
    owner = await database_sync_to_async(make_user)()
    team = await database_sync_to_async(make_team)(owner=owner)
    comm = await _connect(owner, team.slug)
    connected, _ = await comm.connect()
    assert connected
    try:
        await database_sync_to_async(svc.element_create)(team=team, user=owner, kind="service", data={"name": "orders"})
        msg = await comm.receive_json_from(timeout=5)
        assert msg["type"] == "model.changed"
        assert msg["kind"] == "service" and msg["name"] == "orders" and msg["action"] == "create"
        published = await database_sync_to_async(lambda: Change.objects.filter(team=team, published_at__isnull=True).count())()
        assert published == 0
    finally:
        await comm.disconnect()


async def test_it_refuses_a_non_member_and_nobody(make_user: Any, make_team: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    team = await database_sync_to_async(make_team)()
    stranger = await database_sync_to_async(make_user)()
    for user in (stranger, AnonymousUser()):
        comm = await _connect(user, team.slug)
        connected, _ = await comm.connect()
        assert not connected
        await comm.disconnect()


async def test_it_sends_nothing_when_a_write_is_rolled_back(make_user: Any, make_team: Any) -> None:
    owner = await database_sync_to_async(make_user)()
    team = await database_sync_to_async(make_team)(owner=owner)
    comm = await _connect(owner, team.slug)
    await comm.connect()
    try:
        with pytest.raises(svc.ValidationFailed):
            await database_sync_to_async(svc.element_create)(team=team, user=owner, kind="service", data={"name": ""})
        assert await comm.receive_nothing(timeout=0.5)
    finally:
        await comm.disconnect()
