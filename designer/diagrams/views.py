"""The diagram page, its downloads and the by-name element resolver: thin views over services.

``request.htmx`` decides between the whole page and its ``#area`` partial (the drawing, the
placeholder that polls until the render is ready, or the error), so the page, the form's
swap, the poll and the model-changed refresh all render the same fragment.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.catalog import kinds
from designer.catalog import render as rd
from designer.catalog import services as catalog_services
from designer.catalog.access import can_edit, team_view
from designer.catalog.models import Team
from designer.catalog.selectors import element_pks, team_model
from designer.core.diagram import CLUSTERS, DiagramError, focus_choices, resolve_focus

from . import services
from .models import DiagramRender
from .options import MAX_HOPS, OptionsError, ViewOptions, parse

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "dot": "text/vnd.graphviz; charset=utf-8"}
_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def _context(request: HttpRequest, team: Team, view: ViewOptions | None, error: str) -> dict[str, Any]:
    model = team_model(team)
    base = reverse("diagram", args=[team.slug])
    query = view.query() if view else request.GET.urlencode()
    thumb = request.GET.get("thumb") == "1"
    self_query = "&".join(q for q in (query, "thumb=1" if thumb else "") if q)
    choices = focus_choices(model)
    # The picker offers bare names ("OrderPlaced"); a name two kinds share is offered qualified.
    names = [name for _, name, _ in choices]
    elements = [(name if names.count(name) == 1 else key, kind) for key, name, kind in choices]
    return {
        "empty": not (model.services or model.messages),
        "view": view or ViewOptions(), "error": error, "thumb": thumb,
        "self_url": base + ("?" + self_query if self_query else ""),
        "query": query, "flows": [f.name for f in model.flows], "elements": elements,
        "clusters": CLUSTERS, "max_hops": MAX_HOPS,
        "downloads": [(fmt.upper(), reverse("diagram_download", args=[team.slug, fmt])
                       + ("?" + query if query else "")) for fmt in FORMATS],
        "flow_links": [(name, base + "?" + ViewOptions(flow=name).query()) for name in (f.name for f in model.flows)],
    }


def _view_or_error(request: HttpRequest, team: Team) -> tuple[ViewOptions | None, str]:
    try:
        view = parse(request.GET)
        if view.focus:
            view = replace(view, focus=resolve_focus(team_model(team), view.focus))
        # Checking a flow or focus name builds the DOT once; a view already cached was checked
        # for this revision when it was first asked for, which keeps polls and hits cheap.
        if not services.cached(team, view):
            services.check(team_model(team), team, view)
    except (OptionsError, DiagramError) as exc:
        return None, str(exc)
    return view, ""


@team_view()
@require_GET
def diagram(request: HttpRequest) -> HttpResponse:
    """The diagram of the whole team, one flow or one element's neighbourhood."""
    team = request.team  # type: ignore[attr-defined]
    view, error = _view_or_error(request, team)
    ctx = _context(request, team, view, error)
    ctx["row"] = services.diagram_request(team=team, view=view) if view else None
    tpl = "diagram/page.html#area" if request.htmx else "diagram/page.html"  # type: ignore[attr-defined]
    # A bad option is the user's input: 422 tells htmx to swap the message in (base.html).
    resp = render(request, tpl, ctx, status=422 if error else 200)
    if request.htmx and request.htmx.trigger == "diagram-options" and view:  # type: ignore[attr-defined]
        # The address bar gets the short canonical query, not every field of the form.
        resp["HX-Push-Url"] = ctx["self_url"]
    return resp


@team_view()
@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current view as an SVG, PNG or DOT file (drawn now when no render is cached yet)."""
    team = request.team  # type: ignore[attr-defined]
    if fmt not in FORMATS:
        raise Http404("Diagrams download as svg, png or dot.")
    view, error = _view_or_error(request, team)
    if view is None:
        return HttpResponse(error + "\n", status=422, content_type="text/plain; charset=utf-8")
    row = services.ensure_ready(team=team, view=view)
    if row.status != DiagramRender.READY:
        return HttpResponse((row.error or "The diagram is still being drawn; try again.") + "\n",
                            status=422 if row.status == DiagramRender.FAILED else 503,
                            content_type="text/plain; charset=utf-8")
    if fmt == "svg":
        data: bytes = ('<?xml version="1.0" encoding="UTF-8"?>\n' + row.svg + "\n").encode("utf-8")
    elif fmt == "dot":
        data = row.dot.encode("utf-8")
    else:
        try:
            data = services.png_of(row)
        except rd.RenderError as exc:
            return HttpResponse(f"{exc}\n", status=422, content_type="text/plain; charset=utf-8")
    name = "-".join(p for p in (team.slug, "diagram", view.flow or view.focus.partition("/")[2]) if p)
    name = _FILENAME.sub("_", name)[:80].strip("_") or "diagram"
    resp = HttpResponse(data, content_type=FORMATS[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@team_view()
@require_GET
def go(request: HttpRequest, coll: str, name: str) -> HttpResponse:
    """Redirect from an element's name (as the core links it) to its page."""
    team = request.team  # type: ignore[attr-defined]
    kind = kinds.by_coll(coll)  # 404 for anything else
    pk = element_pks(team).get(f"{coll}/{name}")
    if pk is None:
        raise Http404(f"There is no {kind.label} with that name in this team.")
    return redirect("element_detail", team.slug, coll, pk)


@team_view()
@require_GET
def node(request: HttpRequest) -> HttpResponse:
    """The side panel of one diagram node (``?id=<node id>``): relations and actions."""
    team = request.team  # type: ignore[attr-defined]
    panel = services.node_panel(team, (request.GET.get("id") or "")[:200])
    if panel is None:
        raise Http404("That element is not in the model any more; the diagram redraws itself.")
    return render(request, "diagram/_node_panel.html", {"p": panel, "can_edit": can_edit(request)})


@team_view()
@require_POST
def node_relation(request: HttpRequest) -> HttpResponse:
    """The panel's "add sends / receives": the picked service sends or receives a message (or the
    picked message is sent or received by a service), created on the fly when the name is new."""
    team = request.team  # type: ignore[attr-defined]
    node_key = (request.POST.get("id") or "")[:200]
    panel = services.node_panel(team, node_key)
    if panel is None or panel["collection"] not in ("services", "messages") or not panel["declared"]:
        raise Http404("That element is not in the model any more; the diagram redraws itself.")
    action = request.POST.get("action", "")
    other = (request.POST.get("other") or "").strip()[:200]
    service, message = (panel["name"], other) if panel["collection"] == "services" else (other, panel["name"])
    try:
        with transaction.atomic():
            made = catalog_services.relation_by_names(team=team, user=request.user, service=service,
                                                      action=action, message=message)
    except catalog_services.ValidationFailed as exc:
        error = "; ".join(str(m) for msgs in exc.errors.values() for m in msgs) or str(exc)
        return render(request, "diagram/_node_panel.html", {"p": panel, "can_edit": True, "panel_error": error,
                                                            "other": other}, status=422)
    new = [c for c in made["created"] if not c.startswith("“")]  # the elements, not the relation
    done = f"{service} {action} {message}" + (f" (created {', '.join(new)})" if new else "")
    resp = render(request, "diagram/_node_panel.html", {"p": services.node_panel(team, node_key), "can_edit": True,
                                                        "panel_done": done})
    resp["HX-Trigger"] = "model-changed"  # the drawing redraws now; diagram.js reopens this panel
    return resp
