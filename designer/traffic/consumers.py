"""``/ws/teams/<slug>/traffic/``: the live traffic stream of one team.

Members only (viewers too) by session, or programs by the team's API token (an
``Authorization: Bearer`` header or a ``token`` query parameter); everyone else is refused
before the handshake completes. On connect the client gets ``{"type": "hello", ...}``; then
``{"type": "batch", "first_id", "last_id", "dropped", "messages": [...]}`` where each message is
typed (``event``, ``finding``, ``stats``, ``status``) and carries an increasing ``id``. A client
that reconnects with ``?last_id=N`` first receives what it missed from a bounded buffer
(``hello.gap`` is true when some of it is gone); one that connects without it first receives
the team's remembered events, findings and stats (``designer.traffic.recent``) as a batch
marked ``"snapshot": true``.
"""
from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

import orjson
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from designer.catalog.access_watch import AccessWatch
from designer.catalog.consumers import session_key_of
from designer.catalog.models import Membership

from . import recent
from .fanout import Client, TeamHub, hub_for
from .ingest import authenticate_token, bearer


@database_sync_to_async
def _membership(user: Any, slug: str) -> tuple[int, str] | None:
    if not getattr(user, "is_authenticated", False):
        return None
    row = Membership.objects.filter(team__slug=slug, user=user).values_list("team_id", "role").first()
    return (row[0], row[1]) if row else None


async def access_for_scope(scope: dict[str, Any], slug: str) -> tuple[int, str | None, int | None] | None:
    """(team id, member role or None, token id or None) when the connection may watch ``slug``
    (a member's session or the team's token); None otherwise."""
    member = await _membership(scope.get("user"), slug)
    if member is not None:
        return member[0], member[1], None
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    secret = (query.get("token") or [""])[0]
    for k, v in scope.get("headers", []):
        if k.lower() == b"authorization":
            secret = bearer(v.decode("latin-1")) or secret
    if not secret:
        return None
    token_team, token_slug, token_id = await authenticate_token(secret)
    if token_team is None or token_slug != slug:
        return None
    return token_team, None, token_id


class TrafficConsumer(AccessWatch, AsyncWebsocketConsumer):
    """Streams frames from this process's :class:`TeamHub` through a bounded per-client queue.

    Closed with 4403 when the access it was opened with ends (see ``catalog.access_watch``).
    """

    hub: TeamHub | None = None
    client: Client | None = None
    writer: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        access = await access_for_scope(self.scope, slug)
        if access is None:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        team_id, role, token_id = access
        if token_id is not None:
            allowed = await self.watch_access(team_id, token_id=token_id)
        else:
            allowed = await self.watch_access(team_id, user=self.scope.get("user"),
                                              session_key=session_key_of(self.scope), role=role)
        if not allowed:
            await self.close()
            return
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        try:
            last_id = int((query.get("last_id") or ["0"])[0])
        except ValueError:
            last_id = 0
        self.hub = await hub_for(team_id)
        self.client = Client()
        replayed, gap = self.hub.resume(self.client, last_id) if last_id else (0, False)
        # A page opened afresh first gets what the team's traffic looked like just now (the last
        # events, findings and stats, kept server-side), so a reload or a model edit does not
        # start it from zero. Read before joining: anything newer comes through the hub.
        kept = await recent.snapshot(team_id) if not last_id else []
        self.hub.join(self.client)
        await self.accept()
        await self.send(text_data=orjson.dumps({
            "type": "hello", "team": slug, "last_id": self.hub.last_id, "resumed": replayed, "gap": gap,
            "remembered": len(kept),
        }).decode())
        text = recent.snapshot_batch(kept)
        if text is not None:
            await self.send(text_data=text)
        self.writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        assert self.client is not None
        client = self.client
        while True:
            await client.ready.wait()
            text = client.take()
            if text is not None:
                await self.send(text_data=text)

    async def close_for_access(self) -> None:
        if self.writer is not None:  # nothing more is sent once the close is
            self.writer.cancel()
        await super().close_for_access()

    async def disconnect(self, code: int) -> None:
        await self.forget_access()
        if self.writer is not None:
            self.writer.cancel()
        if self.hub is not None and self.client is not None:
            self.hub.leave(self.client)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return  # read-only stream
