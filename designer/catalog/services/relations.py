"""Writes of relations: a service producing or consuming a message (recorded under the message)."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from designer.catalog import kinds
from designer.catalog.kinds.message import RELATION
from designer.catalog.models import Message, Relation, Service, Team
from designer.core.kinds import REF

from .changes import Touched, change_record
from .errors import ValidationFailed


def relation_add(*, team: Team, user: Any, service: Service, message: Message, role: str, **attrs: Any) -> Relation:
    """Add a relation, or change the one ``service`` already has with ``message`` in ``role``.

    ``attrs`` are the relation's other attributes by column (``channel``, ``idempotent``,
    ``dedup_key``, ``pinned_version``... as ``kinds.message.RELATION`` declares them); those not
    given take their defaults.
    """
    if role not in ("produces", "consumes"):
        raise ValidationFailed({"role": ["Role must be produces or consumes."]})
    columns = {RELATION.column(a): a for a in RELATION.core.attrs if a.name not in ("service", "message", "role")}
    unknown = set(attrs) - set(columns)
    if unknown:
        raise ValidationFailed(f"Unknown relation attribute(s): {', '.join(sorted(unknown))}.")
    values = {column: attrs.get(column, None if a.type == REF else a.default) for column, a in columns.items()}
    for el in (service, message, *(v for v in values.values() if hasattr(v, "team_id"))):
        if el.team_id != team.pk:
            raise ValidationFailed("That element belongs to another team.")
    with transaction.atomic():
        touched = Touched()
        touched.take(kinds.of(message), message)
        rel, created = Relation.objects.get_or_create(team=team, service=service, message=message, role=role,
                                                      defaults=values)
        before = None if created else RELATION.row_state(rel)
        if not created:
            for column, value in values.items():
                setattr(rel, column, value)
            rel.save()
        change_record(team=team, user=user, action="create" if created else "update", kind="message", obj_id=message.pk,
                      name=message.name, before={"relation": before} if before else None,
                      after={"relation": RELATION.row_state(rel)}, summary=f"{service.name} {role} {message.name}",
                      touched=touched)
    return rel


def relation_remove(*, team: Team, user: Any, relation: Relation) -> None:
    if relation.team_id != team.pk:
        raise ValidationFailed("That relation belongs to another team.")
    with transaction.atomic():
        touched = Touched()
        touched.take(kinds.of(relation.message), relation.message)
        before = RELATION.row_state(relation)
        relation.delete()
        change_record(team=team, user=user, action="delete", kind="message", obj_id=relation.message_id,
                      name=before["message"], before={"relation": before},
                      summary=f"{before['service']} no longer {before['role']} {before['message']}", touched=touched)
