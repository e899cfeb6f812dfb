"""Flows: the ordered steps of one business process, choreographed or orchestrated."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Count

from designer.core import kinds
from designer.core.kinds import State

from .base import Column, ElementKind, Field, Refs, Spec

STEP = Spec(kinds.STEP, "FlowStep", {
    "action": Field(max_length=10),
    "note": Field(max_length=300),
})


class FlowKind(ElementKind):
    def children_state(self, row: Any) -> State:
        return {"steps": [STEP.row_state(s) for s in row.steps.select_related("service", "message").order_by("position")]}

    def core_children(self, rows: list[Any], names: Mapping[str, Mapping[int, str]], *,
                      subset: bool = False) -> dict[int, State]:
        from designer.catalog.models import FlowStep

        out: dict[int, State] = {r.pk: {"steps": []} for r in rows}
        which = {"flow_id__in": list(out)} if subset else {"flow__team_id__in": {r.team_id for r in rows}}
        for s in FlowStep.objects.filter(**which).order_by("flow_id", "position"):
            out[s.flow_id]["steps"].append(STEP.row_state(s, names))
        return out

    def creation_state(self, data: Mapping[str, Any]) -> State:
        return {**self.from_form(data), "steps": []}

    def write_children(self, row: Any, state: Mapping[str, Any], refs: Refs, *, created: bool) -> None:
        from designer.catalog.models import FlowStep

        if "steps" not in state:
            return
        if not created:
            row.steps.all().delete()
        steps = []
        for position, step in enumerate(state["steps"], start=1):
            obj = FlowStep(flow=row, position=position)
            STEP.set_attrs(obj, step, refs)
            steps.append(obj)
        FlowStep.objects.bulk_create(steps)

    def clean_form(self, form: forms.Form, data: dict[str, Any]) -> None:
        if data.get("style") == "orchestration" and not data.get("orchestrator"):
            form.add_error("orchestrator", "An orchestrated flow needs its orchestrator service.")
        if data.get("style") == "choreography":
            data["orchestrator"] = None

    def annotate(self, qs: Any) -> Any:
        return qs.annotate(n_steps=Count("steps")).select_related("orchestrator")

    def detail_context(self, request: Any, obj: Any) -> dict[str, Any]:
        from designer.catalog.forms import StepForm
        from designer.catalog.selectors import team_model
        from designer.core.steps import step_suggestions

        return {"steps": list(obj.steps.select_related("service", "message").order_by("position")),
                "step_form": StepForm(team=request.team),
                "step_suggestions": step_suggestions(team_model(request.team), obj.name)}

    def dependents(self, obj: Any) -> list[str]:
        return [f"{obj.steps.count()} step(s)"]


KIND = FlowKind(
    kinds.FLOW, "Flow", label="flow",
    fields={
        "description": Field(long=True),
        "style": Field(max_length=14, options=(("choreography", "choreography — services react to events"),
                                               ("orchestration", "orchestration — one coordinator"))),
        "owner": Field(max_length=120),
    },
    list_columns=(Column("Style", "style"), Column("Orchestrator", "orchestrator", "ref"), Column("Steps", "n_steps")),
    template="elements/kinds/flow.html",
)
