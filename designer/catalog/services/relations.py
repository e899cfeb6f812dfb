"""Writes of relations: a service producing or consuming a message (recorded under the message)."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from designer.catalog.kinds.message import RELATION
from designer.catalog.models import Channel, Message, Relation, Service, Team

from .changes import change_record
from .errors import ValidationFailed


def relation_add(
    *, team: Team, user: Any, service: Service, message: Message, role: str, channel: Channel | None = None,
    idempotent: bool = False, dedup_key: str = "", pinned_version: str = "",
) -> Relation:
    """Add a relation, or change the one ``service`` already has with ``message`` in ``role``."""
    if role not in ("produces", "consumes"):
        raise ValidationFailed({"role": ["Role must be produces or consumes."]})
    for el in (service, message, channel):
        if el is not None and el.team_id != team.pk:
            raise ValidationFailed("That element belongs to another team.")
    with transaction.atomic():
        rel, created = Relation.objects.get_or_create(
            team=team, service=service, message=message, role=role,
            defaults={"channel": channel, "idempotent": idempotent, "dedup_key": dedup_key, "pinned_version": pinned_version},
        )
        before = None if created else RELATION.row_state(rel)
        if not created:
            rel.channel, rel.idempotent, rel.dedup_key, rel.pinned_version = channel, idempotent, dedup_key, pinned_version
            rel.save()
        change_record(team=team, user=user, action="create" if created else "update", kind="message", obj_id=message.pk,
                      name=message.name, before={"relation": before} if before else None,
                      after={"relation": RELATION.row_state(rel)}, summary=f"{service.name} {role} {message.name}")
    return rel


def relation_remove(*, team: Team, user: Any, relation: Relation) -> None:
    if relation.team_id != team.pk:
        raise ValidationFailed("That relation belongs to another team.")
    with transaction.atomic():
        before = RELATION.row_state(relation)
        relation.delete()
        change_record(team=team, user=user, action="delete", kind="message", obj_id=relation.message_id,
                      name=before["message"], before={"relation": before},
                      summary=f"{before['service']} no longer {before['role']} {before['message']}")
