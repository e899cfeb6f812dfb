"""Writes only flows have: their ordered steps."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from designer.catalog import kinds
from designer.catalog.kinds import Refs
from designer.catalog.models import Flow, Team

from .changes import Touched, change_record
from .elements import element_write, locked_state
from .errors import ValidationFailed


def flow_steps_set(*, team: Team, user: Any, flow: Flow, steps: list[dict[str, Any]], lock_version: int | None) -> Flow:
    """Replace a flow's ordered steps: each {service: Service, message: Message, action, note}."""
    for st in steps:
        if st["service"].team_id != team.pk or st["message"].team_id != team.pk:
            raise ValidationFailed("A step refers to another team's element.")
        if st.get("action", "sends") not in ("sends", "receives"):
            raise ValidationFailed({"steps": ["Step action must be sends or receives."]})
    kind = kinds.of(flow)
    new = [{"service": st["service"].name, "message": st["message"].name, "action": st.get("action", "sends"),
            "note": (st.get("note") or "")[:300]} for st in steps]
    with transaction.atomic():
        locked_state(kind, flow, lock_version)
        before = kind.full_state(flow)
        touched = Touched()
        touched.take(kind, flow)
        flow = element_write(team=team, kind=kind, row=Flow.objects.get(pk=flow.pk), state={"steps": new},
                             refs=Refs(team))
        change_record(team=team, user=user, action="update", kind=kind.key, obj_id=flow.pk, name=flow.name,
                      before=before, after=kind.full_state(flow), summary=f"Changed the steps of flow {flow.name}",
                      touched=touched)
    return flow
