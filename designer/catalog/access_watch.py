"""Websockets end when the access they were opened with ends.

A consumer that mixes in :class:`AccessWatch` calls :meth:`AccessWatch.watch_access` once it
knows who connected. It then belongs to the channel-layer groups of its principal (the user and
the login session, or the API token) and of its team, so a revocation in any process (removing
a member, changing a role, revoking a token, logging out, deleting the team: see
``designer.catalog.live.access_revoked``) closes it with code 4403 within moments. A re-check
every ``ACCESS_RECHECK_SECONDS`` is the backstop for a message lost on the way (or a revocation
made where the channel layer does not reach, such as a command run beside an embedded server).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async

from .live import (
    ACCESS_CLOSE_CODE,
    session_access_group,
    team_access_group,
    token_access_group,
    user_access_group,
)
from .models import ApiToken, Membership

log = logging.getLogger(__name__)

ACCESS_RECHECK_SECONDS = 15.0


@database_sync_to_async
def _still_allowed(team_id: int, user_id: int | None, token_id: int | None, role: str | None) -> bool:
    if token_id is not None:
        return ApiToken.objects.filter(pk=token_id, team_id=team_id, revoked_at__isnull=True).exists()
    if user_id is None:
        return False
    current = Membership.objects.filter(team_id=team_id, user_id=user_id).values_list("role", flat=True).first()
    return current is not None and (role is None or current == role)


class AccessWatch:
    """Mixin for channels consumers (needs ``channel_layer``, ``channel_name`` and ``close``)."""

    access_team_id: int | None = None
    access_groups: list[str]
    access_user_id: int | None = None
    access_token_id: int | None = None
    access_role: str | None = None
    access_task: asyncio.Task[None] | None = None

    async def watch_access(self, team_id: int, *, user: Any = None, session_key: str | None = None,
                           token_id: int | None = None, role: str | None = None) -> bool:
        """Join the principal's groups; False when the access ended meanwhile (then close).

        Access is checked again after joining: a revocation sent between the consumer's first
        check and its joining the groups would otherwise be missed until the re-check.
        """
        self.access_team_id = team_id
        self.access_groups = [team_access_group(team_id)]
        if token_id is not None:
            self.access_token_id = token_id
            self.access_groups.append(token_access_group(token_id))
        else:
            self.access_user_id = getattr(user, "pk", None)
            self.access_role = role
            if self.access_user_id is not None:
                self.access_groups.append(user_access_group(self.access_user_id))
            if session_key:
                self.access_groups.append(session_access_group(session_key))
        layer = self.channel_layer  # type: ignore[attr-defined]
        if layer is not None:
            for group in self.access_groups:
                await layer.group_add(group, self.channel_name)  # type: ignore[attr-defined]
        if not await _still_allowed(team_id, self.access_user_id, self.access_token_id, self.access_role):
            return False
        self.access_task = asyncio.get_running_loop().create_task(self._recheck())
        return True

    async def _recheck(self) -> None:
        assert self.access_team_id is not None
        while True:
            await asyncio.sleep(ACCESS_RECHECK_SECONDS)
            try:
                ok = await _still_allowed(self.access_team_id, self.access_user_id, self.access_token_id, self.access_role)
            except Exception:  # the database is away: keep the socket, ask again next time
                log.warning("access re-check failed", exc_info=True)
                continue
            if not ok:
                await self.close_for_access()
                return

    async def access_revoked(self, event: dict[str, Any]) -> None:
        """Channel-layer message ``access.revoked``: close if it concerns this socket's team."""
        team = event.get("team")
        if team is None or team == self.access_team_id:
            await self.close_for_access()

    async def close_for_access(self) -> None:
        """Close with 4403; a consumer that writes from other tasks stops them first (override)."""
        await self.close(code=ACCESS_CLOSE_CODE)  # type: ignore[attr-defined]

    async def forget_access(self) -> None:
        """Call from ``disconnect``: leave the groups, stop the re-check."""
        if self.access_task is not None:
            self.access_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.access_task
            self.access_task = None
        layer = self.channel_layer  # type: ignore[attr-defined]
        if layer is not None:
            for group in getattr(self, "access_groups", []):
                with contextlib.suppress(Exception):
                    await layer.group_discard(group, self.channel_name)  # type: ignore[attr-defined]
