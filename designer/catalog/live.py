"""The one chokepoint for live push: the only module that sends to the channel layer.

Writes record ``Change`` rows (the outbox) in their transaction; after commit this relay
publishes every unpublished change of the team to the team's group and marks it published.
Traffic frames use ``publish_frame``. Payloads are typed dicts with a ``type`` key.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from designer import outage

log = logging.getLogger(__name__)


def team_group(team_id: int, topic: str = "model") -> str:
    """Per-team channel-layer group names: ``team.<id>.model`` and ``team.<id>.traffic``."""
    return f"team.{team_id}.{topic}"


# ---- access ends when it is revoked ----------------------------------------------------------
# Every open websocket joins the groups of the principal it was opened by (its user, its login
# session, or its API token) and of its team. A revocation sends ``access.revoked`` to one of
# them after commit; every process's consumers in that group close at once (code 4403). The
# message names the team it is about (None: every team, as at log-out).
ACCESS_CLOSE_CODE = 4403


def user_access_group(user_id: int) -> str:
    return f"access.user.{user_id}"


def session_access_group(session_key: str) -> str:
    # A hash: the session key itself is a credential and must not travel through Redis.
    return "access.session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def token_access_group(token_id: int) -> str:
    return f"access.token.{token_id}"


def team_access_group(team_id: int) -> str:
    return f"access.team.{team_id}"


def access_revoked(group: str, *, team_id: int | None, reason: str) -> None:
    """After the current transaction commits, close every websocket in ``group`` (for ``team_id``).

    Outside a transaction it is sent at once. Nothing is sent when the transaction rolls back.
    """
    payload = {"type": "access.revoked", "team": team_id, "reason": reason}
    transaction.on_commit(lambda: _send(group, payload))


def _send(group: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, payload)
    except outage.REDIS_ERRORS as exc:  # an outage must never break a write that already committed
        outage.note_redis_down(exc)
        log.warning("live push to %s failed: Redis is unreachable (%s)", group, exc)
    except Exception:  # a broken channel layer must never break a write that already committed
        log.exception("live push to %s failed", group)


def publish_changes(team_id: int) -> int:
    """Relay this team's unpublished change records; returns how many were sent."""
    from .models import Change

    if not outage.redis_available():
        # Left unpublished: the periodic relay sends them once Redis is back (a row marked
        # published now would never reach the browsers).
        return 0
    with transaction.atomic():
        rows = list(
            Change.objects.select_for_update(skip_locked=True)
            .filter(team_id=team_id, published_at__isnull=True)
            .order_by("id")[:200]
        )
        if not rows:
            return 0
        Change.objects.filter(pk__in=[r.pk for r in rows]).update(published_at=timezone.now())
    for row in rows:
        _send(team_group(team_id), {
            "type": "model.changed",  # dispatched to the consumer's model_changed handler
            "id": row.pk,
            "revision": row.revision,
            "action": row.action,
            "kind": row.element_kind,
            "element_id": row.element_id,
            "name": row.element_name,
            "summary": row.summary,
        })
    return len(rows)


def publish_frame(team_id: int, frame: dict[str, Any]) -> None:
    """Send one batched traffic frame to the team's traffic group."""
    _send(team_group(team_id, "traffic"), {"type": "traffic.frame", **frame})


async def apublish_frame(team_id: int, frame: dict[str, Any]) -> None:
    """Async variant of ``publish_frame`` for the ingest pipeline."""
    layer = get_channel_layer()
    if layer is None or outage.redis_known_down():  # this frame is lost either way; do not wait 2 s
        return
    try:
        await layer.group_send(team_group(team_id, "traffic"), {"type": "traffic.frame", **frame})
    except outage.REDIS_ERRORS as exc:
        outage.note_redis_down(exc)
        log.warning("traffic push for team %s failed: Redis is unreachable (%s)", team_id, exc)
    except Exception:
        log.exception("traffic push for team %s failed", team_id)
