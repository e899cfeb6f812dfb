"""Writes of API tokens. The secret is shown once; only its SHA-256 is stored."""
from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.catalog.live import access_revoked, token_access_group
from designer.catalog.models import ApiToken, Team

from .changes import change_record

TOKEN_PREFIX = "efd_"  # lets secret scanners recognise our tokens


def secret_hash(secret: str) -> str:
    """How a token or invitation secret is stored and looked up: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, team: Team, actor: Any, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token; returns the row and the secret, which is never stored in clear."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        tok = ApiToken.objects.create(team=team, name=(name or "")[:80], prefix=secret[:12],
                                      token_hash=secret_hash(secret), created_by=actor)
        change_record(team=team, user=actor, action="token", kind="token", obj_id=tok.pk, name=tok.name or tok.prefix,
                      summary=f"Created API token {tok.prefix}…")
    return tok, secret


def token_revoke(*, team: Team, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        access_revoked(token_access_group(token.pk), team_id=team.pk, reason="token revoked")
        change_record(team=team, user=actor, action="revoke", kind="token", obj_id=token.pk, name=token.prefix,
                      summary=f"Revoked API token {token.prefix}…")


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token matching ``secret``, or None. Compares hashes only."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    return ApiToken.objects.select_related("team").filter(token_hash=secret_hash(secret), revoked_at__isnull=True).first()
