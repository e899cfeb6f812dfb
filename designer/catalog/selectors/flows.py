"""Reads a flow's page needs while a step is typed."""
from __future__ import annotations

from typing import Any

from designer.catalog.models import Flow, Message, Relation, Service, Team


def flow_last_message(flow: Flow) -> str:
    """The message of the flow's last step ("it" in the next step's sentence), or ""."""
    last = flow.steps.select_related("message").order_by("-position").first()
    return last.message.name if last else ""


def step_facts(team: Team, service: str, message: str, role: str) -> dict[str, Any]:
    """What exists of a step's names: {"service": row or None, "message": row or None,
    "relation": whether the service already has that role for the message}."""
    svc = Service.objects.filter(team=team, name=service).first()
    msg = Message.objects.filter(team=team, name=message).first()
    rel = bool(svc and msg and Relation.objects.filter(team=team, service=svc, message=msg, role=role).exists())
    return {"service": svc, "message": msg, "relation": rel}
