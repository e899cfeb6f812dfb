"""The live page, its Play button, the kept findings and "add to model" for undeclared types."""
from __future__ import annotations

import re
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from designer.catalog import services as svc
from designer.catalog.access import team_view
from designer.catalog.selectors import ROLE_RANK, membership_for, team_model

from . import services, simulation
from .selectors import kept_findings, recent_samples


def _page_context(request: HttpRequest) -> dict[str, Any]:
    team = request.team  # type: ignore[attr-defined]
    model = team_model(team)
    from designer.core.diagram import edge_id, node_id

    schemas = {}
    # Diagram hook: the edges that carry each wire type (producer -> message -> consumer), by
    # their stable SVG ids, so the page can write live counts onto the drawn diagram.
    edges: dict[str, list[str]] = {}
    for m in model.messages:
        msg_node = node_id(f"messages/{m.name}")
        ids = [edge_id(node_id(f"services/{r.service}"), msg_node) for r in model.producers(m.name)]
        ids += [edge_id(msg_node, node_id(f"services/{r.service}")) for r in model.consumers(m.name)]
        edges[m.type or m.name] = ids
    for m in model.messages:
        latest = m.versions[-1] if m.versions else None
        schemas[m.type or m.name] = {"name": m.name, "version": latest.version if latest else "",
                                     "schema": latest.schema if latest else None}
    return {
        "schemas": schemas,
        "edges": edges,
        "flows": [f.name for f in model.flows],
        "findings": kept_findings(team),
        "samples": recent_samples(team),
        "ws_path": f"/ws/teams/{team.slug}/traffic/",
    }


@team_view("viewer")
def live(request: HttpRequest) -> HttpResponse:
    """The live page (stream, inspector, rates, findings, Play)."""
    ctx = _page_context(request)
    return render(request, "traffic/live.html", ctx)


@team_view("viewer")
def findings(request: HttpRequest) -> HttpResponse:
    """The kept findings (an htmx partial of the live page)."""
    ctx = {"findings": kept_findings(request.team)}  # type: ignore[attr-defined]
    return render(request, "traffic/live.html#kept-findings", ctx)


async def play(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or stop, with ``action=stop``) the team's in-process simulation. Editors only.

    Async so it runs on the server's event loop, where the background task lives.
    """
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    user = await request.auser()
    membership = await sync_to_async(membership_for)(user, slug)
    if ROLE_RANK[membership.role] < ROLE_RANK["editor"]:
        raise PermissionDenied(f"Your role in this team is {membership.role}; playing traffic needs editor.")
    flow = request.POST.get("flow") or None
    if request.POST.get("action") == "stop":
        simulation.stop(membership.team_id)
        state = "stopped"
    else:
        simulation.play(membership.team_id, flow)
        state = "running"
    if request.headers.get("HX-Request"):
        return HttpResponse(f'<span id="play-state" data-state="{state}">{state}</span>')
    return HttpResponseRedirect(reverse("traffic_live", args=[slug]))


def message_name_for(wire_type: str) -> str:
    """A message name from a wire type: ``com.shop.refund.issued`` -> ``RefundIssued``."""
    tokens = [t for t in re.split(r"[^A-Za-z0-9]+", wire_type) if t]
    if len(tokens) > 2 and tokens[0].lower() in ("com", "org", "io", "net", "dev", "de", "fr", "uk"):
        tokens = tokens[2:]  # reverse-DNS prefix: com.<company>.
    while len(tokens) > 2 and tokens[0].lower() in ("v1", "v2", "events", "event"):
        tokens = tokens[1:]
    name = "".join(t[:1].upper() + t[1:] for t in tokens[-3:])
    if not name or not name[0].isalpha():
        name = "Message" + name
    return name[:120]


@require_POST
@team_view("editor")
def adopt(request: HttpRequest) -> HttpResponse:
    """Add an undeclared type to the model as a message, with the schema inferred from traffic."""
    team = request.team  # type: ignore[attr-defined]
    wire_type = (request.POST.get("type") or "").strip()
    name = (request.POST.get("name") or "").strip() or message_name_for(wire_type)
    try:
        services.undeclared_type_adopt(team=team, user=request.user, wire_type=wire_type, name=name)
    except svc.ServiceError as exc:
        flash.error(request, f"Could not add {name}: {exc}")
        return HttpResponseRedirect(reverse("traffic_live", args=[team.slug]))
    flash.success(request, f"Added message {name} for type {wire_type}; declare its producer next.")
    return HttpResponseRedirect(reverse("traffic_live", args=[team.slug]))
