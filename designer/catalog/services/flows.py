"""Writes only flows have: their ordered steps."""
from __future__ import annotations

import copy
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


def relation_by_names(*, team: Team, user: Any, service: str, action: str, message: str, kind: str = "") -> dict[str, Any]:
    """``service`` sends or receives ``message``, by name: the service, the message (of ``kind``,
    else the kind its name suggests) and the relation are created when they do not exist yet.

    Call inside a transaction. Returns {"service", "message", "created": [what was created, in words]}.
    """
    from designer.catalog.kinds.message import NEW_SCHEMA
    from designer.catalog.models import Message, Relation, Service
    from designer.core.naming import suggest_wire_type
    from designer.core.steps import suggest_kind

    from .elements import clean_name, element_create
    from .relations import relation_add

    if action not in ("sends", "receives"):
        raise ValidationFailed({"action": ["A step sends or receives its message."]})
    if kind and kind not in ("event", "command", "query"):
        raise ValidationFailed({"kind": ["A message is an event, a command or a query."]})
    service = clean_name(service, "service")
    message = clean_name(message, "message")
    created: list[str] = []
    svc_row = Service.objects.filter(team=team, name=service).first()
    if svc_row is None:
        svc_row = element_create(team=team, user=user, kind="service", data={"name": service})
        created.append(f"service {service}")
    msg_row = Message.objects.filter(team=team, name=message).first()
    if msg_row is None:
        new_kind = kind or suggest_kind(message)
        # The wire type its name suggests, in the team's style (as the message form suggests it).
        existing = list(Message.objects.filter(team=team).exclude(wire_type="").values_list("wire_type", flat=True)[:200])
        wire = suggest_wire_type(message, new_kind, existing)
        # The schema a new message's form starts from (an empty object), so it is what the
        # form would have made: simulated and real events carry an object, not null.
        msg_row = element_create(team=team, user=user, kind="message", data={
            "name": message, "kind": new_kind, "wire_type": "" if wire in existing else wire,  # one type, one message
            "schema": copy.deepcopy(NEW_SCHEMA)})
        created.append(f"{new_kind} {message}")
    role = "produces" if action == "sends" else "consumes"
    if not Relation.objects.filter(team=team, service=svc_row, message=msg_row, role=role).exists():
        relation_add(team=team, user=user, service=svc_row, message=msg_row, role=role)
        created.append(f"“{service} {action} {message}” in the model")
    return {"service": svc_row, "message": msg_row, "created": created}


def flow_step_add(*, team: Team, user: Any, flow: Flow, service: str, action: str, message: str, kind: str = "",
                  note: str = "", lock_version: int | None = None) -> list[str]:
    """Append the step "``service`` ``action`` ``message``" to ``flow``, creating what it names
    (see ``relation_by_names``), all in one transaction. Returns what was created, in words."""
    if flow.team_id != team.pk:
        raise ValidationFailed("That flow belongs to another team.")
    with transaction.atomic():
        made = relation_by_names(team=team, user=user, service=service, action=action, message=message, kind=kind)
        steps = [{"service": s.service, "message": s.message, "action": s.action, "note": s.note}
                 for s in flow.steps.select_related("service", "message").order_by("position")]
        steps.append({"service": made["service"], "message": made["message"], "action": action, "note": note})
        flow_steps_set(team=team, user=user, flow=flow, steps=steps, lock_version=lock_version)
    return list(made["created"])
