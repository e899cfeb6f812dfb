"""Writes of the traffic feature that change the model, through the catalog's services."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from designer.catalog import services as catalog
from designer.catalog.models import Message, Team
from designer.core.infer import infer_schema

from .models import KeptFinding, TrafficSample


def undeclared_type_adopt(*, team: Team, user: Any, wire_type: str, name: str) -> Message:
    """Add an undeclared wire type to the model as an event, with the schema inferred from the
    kept traffic, and drop its "undeclared type" finding — both or neither.

    Raises ``catalog.ValidationFailed`` when no traffic of that type is kept or the name is taken.
    """
    kept = KeptFinding.objects.filter(team=team, kind="undeclared-type", message_type=wire_type)
    finding = kept.first()
    schema = finding.inferred_schema if finding else None
    if schema is None:
        whole = team.envelope_profile == "brief"  # brief-profile schemas describe the whole envelope
        payloads = [s.event if whole or not isinstance(s.event, dict) else s.event.get("data")
                    for s in TrafficSample.objects.filter(team=team, message_type=wire_type)]
        schema = infer_schema(payloads) if payloads else None
    if not wire_type or schema is None:
        raise catalog.ValidationFailed(f"No traffic of type {wire_type!r} is kept; nothing to add.")
    with transaction.atomic():
        message = catalog.element_create(team=team, user=user, kind="message", data={
            "name": name, "kind": "event", "wire_type": wire_type, "schema": schema,
            "description": "Added from live traffic (schema inferred from the payloads seen).",
        })
        kept.delete()
    return message
