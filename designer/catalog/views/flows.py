"""What only a flow's page does: add, remove and reorder its steps."""
from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from designer.catalog import kinds
from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.forms import StepForm
from designer.catalog.selectors import element_get

from .common import back

FLOWS = kinds.by_coll("flows")


@team_view()
@require_POST
def flow_steps(request: HttpRequest, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    flow = element_get(team, FLOWS, pk)
    steps = [{"service": s.service, "message": s.message, "action": s.action, "note": s.note}
             for s in flow.steps.select_related("service", "message").order_by("position")]
    op = request.POST.get("op", "add")
    idx = request.POST.get("index", "")
    i = parse_id(idx) if parse_id(idx) is not None else -1
    url = reverse("element_detail", args=[team.slug, "flows", flow.pk]) + "#steps"
    unchanged = list(steps)
    if op == "add":
        form = StepForm(request.POST, team=team)
        if not form.is_valid():
            flash.error(request, "Choose a service, an action and a message for the step.")
        else:
            steps.append(dict(form.cleaned_data))
    elif op == "remove" and 0 <= i < len(steps):
        steps.pop(i)
    elif op in ("up", "down") and 0 <= i < len(steps):
        j = i - 1 if op == "up" else i + 1
        if 0 <= j < len(steps):
            steps[i], steps[j] = steps[j], steps[i]
    if steps == unchanged:  # a refused or empty request writes nothing, not even history
        return back(request, url)
    lock = request.POST.get("lock_version", "")
    try:
        svc.flow_steps_set(team=team, user=request.user, flow=flow, steps=steps, lock_version=parse_id(lock))
    except (svc.Conflict, svc.ValidationFailed) as exc:
        flash.error(request, str(exc))
    return back(request, url)
