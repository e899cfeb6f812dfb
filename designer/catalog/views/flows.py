"""What only a flow's page does: design its steps beside its diagram — add a step as a sentence
("order-service sends OrderPlaced", creating what it names), remove and reorder in place."""
from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.catalog import kinds
from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.forms import StepForm
from designer.catalog.selectors import element_get, flow_last_message, step_facts, team_model
from designer.core.steps import StepSyntaxError, parse_step, step_findings, step_suggestions, suggest_kind

from .common import back

FLOWS = kinds.by_coll("flows")
MESSAGES = kinds.by_coll("messages")
MAX_SENTENCE = 500  # two names of 200 characters and a verb


def steps_context(request: HttpRequest, flow: Any, **extra: Any) -> dict[str, Any]:
    """What the steps block of a flow's page needs (the page and its htmx swaps)."""
    team = request.team  # type: ignore[attr-defined]
    return {"obj": flow, "steps": list(flow.steps.select_related("service", "message").order_by("position")),
            "step_form": StepForm(team=team), "step_suggestions": step_suggestions(team_model(team), flow.name),
            **extra}


def _steps_block(request: HttpRequest, flow: Any, *, status: int = 200, **extra: Any) -> HttpResponse:
    flow.refresh_from_db()
    resp = render(request, "elements/kinds/flow.html#steps", steps_context(request, flow, **extra), status=status)
    if status == 200:
        resp["HX-Trigger"] = "model-changed"  # the flow's diagram beside the steps redraws now
    return resp


def _previous_message(flow: Any) -> str:
    return flow_last_message(flow)


@team_view()
@require_POST
def flow_steps(request: HttpRequest, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    flow = element_get(team, FLOWS, pk)
    htmx = request.htmx  # type: ignore[attr-defined]
    url = reverse("element_detail", args=[team.slug, "flows", flow.pk]) + "#steps"
    op = request.POST.get("op", "add")
    lock = parse_id(request.POST.get("lock_version", ""))
    if op == "add" and "sentence" in request.POST:
        return _add_sentence(request, flow, lock)
    steps = [{"service": s.service, "message": s.message, "action": s.action, "note": s.note}
             for s in flow.steps.select_related("service", "message").order_by("position")]
    parsed = parse_id(request.POST.get("index", ""))
    i = -1 if parsed is None else parsed
    unchanged = list(steps)
    focus = -1
    error = ""
    if op == "add":
        form = StepForm(request.POST, team=team)
        if not form.is_valid():
            error = "Choose a service, an action and a message for the step."
            if not htmx:
                flash.error(request, error)
        else:
            steps.append(dict(form.cleaned_data))
    elif op == "remove" and 0 <= i < len(steps):
        steps.pop(i)
        focus = min(i, len(steps) - 1)
    elif op in ("up", "down") and 0 <= i < len(steps):
        j = i - 1 if op == "up" else i + 1
        if 0 <= j < len(steps):
            steps[i], steps[j] = steps[j], steps[i]
            focus = j
    if steps == unchanged:  # a refused or empty request writes nothing, not even history
        return _steps_block(request, flow, status=422, focus=i, focus_op=op, step_error=error) if htmx else back(request, url)
    try:
        svc.flow_steps_set(team=team, user=request.user, flow=flow, steps=steps, lock_version=lock)
    except (svc.Conflict, svc.ValidationFailed) as exc:
        if htmx:
            return _steps_block(request, flow, status=409, step_error=str(exc))
        flash.error(request, str(exc))
    if htmx:
        return _steps_block(request, flow, focus=focus, focus_op=op)
    return back(request, url)


def _add_sentence(request: HttpRequest, flow: Any, lock: int | None) -> HttpResponse:
    """Add the step the sentence says; on htmx answer the steps block, else go back to the page."""
    team = request.team  # type: ignore[attr-defined]
    htmx = request.htmx  # type: ignore[attr-defined]
    text = request.POST.get("sentence", "")[:MAX_SENTENCE]
    try:
        step = parse_step(text, _previous_message(flow))
        created = svc.flow_step_add(team=team, user=request.user, flow=flow, service=step.service,
                                    action=step.action, message=step.message, kind=step.kind,
                                    note=request.POST.get("note", "")[:300], lock_version=lock)
    except (StepSyntaxError, svc.Conflict, svc.ValidationFailed) as exc:
        error = str(exc) if not isinstance(exc, svc.ValidationFailed) else "; ".join(
            str(m) for msgs in exc.errors.values() for m in msgs) or str(exc)
        if htmx:
            return _steps_block(request, flow, status=422, step_error=error, sentence=text)
        flash.error(request, error)
        return back(request, reverse("element_detail", args=[team.slug, "flows", flow.pk]) + "#steps")
    new = [c for c in created if not c.startswith("“")]  # the elements made, not the relation
    done = f"Added “{step.service} {step.action} {step.message}”" + (
        f"; created {' and '.join(new)}." if new else ".")
    if htmx:
        return _steps_block(request, flow, step_done=done)
    flash.success(request, done)
    return back(request, reverse("element_detail", args=[team.slug, "flows", flow.pk]) + "#steps")


@team_view()
@require_GET
def flow_step_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """As you type a step: what it will add, what it will create, and the lint hints on new names."""
    team = request.team  # type: ignore[attr-defined]
    flow = element_get(team, FLOWS, pk)
    text = request.GET.get("sentence", "")[:MAX_SENTENCE]
    ctx: dict[str, Any] = {"text": text.strip()}
    if text.strip():
        try:
            step = parse_step(text, _previous_message(flow))
        except StepSyntaxError as exc:
            ctx["error"] = str(exc)
        else:
            role = "produces" if step.action == "sends" else "consumes"
            facts = step_facts(team, step.service, step.message, role)
            message = facts["message"]
            kind = message.kind if message else (step.kind or suggest_kind(step.message))
            ctx.update({
                "step": step, "kind": kind, "new_service": facts["service"] is None, "new_message": message is None,
                "new_relation": not facts["relation"],
                "hints": MESSAGES.name_hints(step.message, {"kind": kind}) if message is None else [],
                "kind_mismatch": bool(message and step.kind and step.kind != message.kind),
                "findings": step_findings(team_model(team), flow.name, step, kind),
            })
    return render(request, "elements/kinds/flow.html#step-preview", ctx)
