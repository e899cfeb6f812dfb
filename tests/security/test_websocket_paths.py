"""An unknown websocket path is accepted and closed with 4404 — never a 500 and a traceback
(the real uvicorn case is in test_live_site.py)."""
from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from designer.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/ws/nothing/", "/ws/teams/demo-shop/unknown/", "/ws/teams/not a slug/model/",
                                  "/", "/ws/teams/demo-shop/model/extra", "/api/teams/demo-shop/events"])
async def test_an_unknown_path_closes_with_4404(path: str, caplog: pytest.LogCaptureFixture) -> None:
    comm = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")])
    connected, code = await comm.connect(timeout=5)
    assert connected
    assert await comm.receive_output(timeout=2) == {"type": "websocket.close", "code": 4404}
    await comm.disconnect()
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


async def test_a_known_path_still_routes_to_its_consumer() -> None:
    from django.contrib.auth.models import AnonymousUser

    comm = WebsocketCommunicator(application, "/ws/teams/demo-shop/model/", headers=[(b"host", b"127.0.0.1")])
    comm.scope["user"] = AnonymousUser()
    connected, code = await comm.connect(timeout=5)
    assert not connected and code == 4404  # the model consumer refused the anonymous visitor itself
