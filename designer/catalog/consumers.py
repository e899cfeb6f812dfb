"""Websocket: tells a team's open pages that its model changed, so they refresh in place."""
from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .live import team_group
from .models import Membership


@database_sync_to_async
def _team_id_for(user: Any, slug: str) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(team__slug=slug, user=user).values_list("team_id", flat=True).first()


class ModelChangesConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/teams/<slug>/model/``: members only; pushes ``model.changed`` notices."""

    group: str | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        team_id = await _team_id_for(self.scope.get("user"), slug)
        if team_id is None:
            await self.close(code=4404)
            return
        self.group = team_group(team_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        return  # read-only stream

    async def model_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({k: v for k, v in event.items()})
