"""The live page draws traffic counts onto the diagram: its edge ids are the diagram's."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_lists_for_each_wire_type_the_diagram_edges_that_carry_it(
    demo_team: Any, member_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    viewer = member_client(demo_team, "viewer")
    page = viewer.get(reverse("traffic_live", args=[demo_team.slug])).content.decode()
    edges = json.loads(re.search(r'<script id="live-edges" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert len(edges["order.placed"]) == 3  # order-service sends it; payment and inventory receive it
    svg = ""
    for _ in range(2):  # the first visit queues the render (on commit); the second shows it
        with django_capture_on_commit_callbacks(execute=True):
            svg = viewer.get(reverse("diagram", args=[demo_team.slug])).content.decode()
    assert "<svg" in svg
    for edge in edges["order.placed"]:
        assert f'id="{edge}"' in svg


@pytest.mark.django_db(transaction=True)
async def test_a_program_without_an_origin_header_may_connect_but_a_foreign_site_may_not(ashop: Any) -> None:
    from channels.testing import WebsocketCommunicator

    from designer.asgi import application

    team, _owner, token = await ashop()
    program = WebsocketCommunicator(application, f"/ws/teams/{team.slug}/traffic/",
                                    headers=[(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())])
    connected, _ = await program.connect(timeout=5)
    assert connected
    await program.disconnect()
    foreign = WebsocketCommunicator(application, f"/ws/teams/{team.slug}/traffic/",
                                    headers=[(b"origin", b"http://evil.example"), (b"host", b"127.0.0.1"),
                                             (b"authorization", f"Bearer {token}".encode())])
    connected, _ = await foreign.connect(timeout=5)
    assert not connected
    await foreign.disconnect()
