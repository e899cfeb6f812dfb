"""Websocket: tells a team's open pages that its model changed, so they refresh in place."""
from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .access_watch import AccessWatch
from .live import team_group
from .models import Membership


@database_sync_to_async
def _membership_for(user: Any, slug: str) -> tuple[int, str] | None:
    if not getattr(user, "is_authenticated", False):
        return None
    row = Membership.objects.filter(team__slug=slug, user=user).values_list("team_id", "role").first()
    return (row[0], row[1]) if row else None


def session_key_of(scope: dict[str, Any]) -> str | None:
    session = scope.get("session")
    return getattr(session, "session_key", None) if session is not None else None


class ModelChangesConsumer(AccessWatch, AsyncJsonWebsocketConsumer):
    """``/ws/teams/<slug>/model/``: members only; pushes ``model.changed`` notices.

    Closed with 4403 when the member's access ends (see ``access_watch``).
    """

    group: str | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        member = await _membership_for(self.scope.get("user"), slug)
        if member is None:
            await self.close(code=4404)
            return
        team_id, role = member
        self.group = team_group(team_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if not await self.watch_access(team_id, user=self.scope.get("user"), session_key=session_key_of(self.scope), role=role):
            await self.close(code=4404)
            return
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.forget_access()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        return  # read-only stream

    async def model_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({k: v for k, v in event.items()})


class UnknownPathConsumer(AsyncJsonWebsocketConsumer):
    """The last websocket route: any other path is accepted and closed at once with 4404, so a
    typo or a probe gets a clear code instead of a server error."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=4404)
