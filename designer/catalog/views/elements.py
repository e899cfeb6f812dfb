"""The pages of every element kind: list, new, detail, edit, delete, checks as you type.

One set of views serves all kinds: ``coll`` in the URL picks the kind's declaration from the
registry (``designer.catalog.kinds``), which says what differs.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from designer.catalog import kinds
from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.forms import ElementForm, VersionForm
from designer.catalog.kinds import ElementKind
from designer.catalog.selectors import element_get, element_name_taken
from designer.catalog.selectors import element_list as select_elements

from .common import came_from, errors_to_form, go_to, next_url, team_lint


def _form(kind: ElementKind, request: HttpRequest, *args: Any, creating: bool = True, **kwargs: Any) -> ElementForm:
    return ElementForm(*args, kind=kind, team=request.team, creating=creating, **kwargs)  # type: ignore[attr-defined]


@team_view()
def element_list(request: HttpRequest, coll: str) -> HttpResponse:
    kind = kinds.by_coll(coll)
    ctx = list_context(request, kind, request.GET.get("q", ""), request.GET)
    htmx = request.htmx  # type: ignore[attr-defined]
    tpl = "elements/list.html#table" if htmx and htmx.target == "element-table" else "elements/list.html"
    return render(request, tpl, ctx)


def list_context(request: HttpRequest, kind: ElementKind, q: str, params: Any) -> dict[str, Any]:
    filters = {f.attr: params.get(f.attr, "") for f in kind.filters}
    filters = {k: v for k, v in filters.items() if v}
    q = q.strip()[:200]
    items = select_elements(request.team, kind, q=q, filters=filters)  # type: ignore[attr-defined]
    return {"coll": kind.coll, "spec": kind, "items": items, "q": q, "filters": filters,
            "filter_query": urlencode(filters), "badges": team_lint(request).badges}


@team_view()
@require_http_methods(["GET", "POST"])
def element_new(request: HttpRequest, coll: str) -> HttpResponse:
    kind = kinds.by_coll(coll)
    team = request.team  # type: ignore[attr-defined]
    htmx = request.htmx  # type: ignore[attr-defined]
    if request.membership.role == "viewer":  # type: ignore[attr-defined]
        raise PermissionDenied(f"Viewers cannot add a {kind.label}; ask an owner of the team for the editor role.")
    form = _form(kind, request, request.POST or None, initial=kind.new_initial(request.GET))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("lock_version", None)
        try:
            obj = svc.element_create(team=team, user=request.user, kind=kind.key, data=data)
        except svc.ValidationFailed as exc:
            errors_to_form(form, exc)
        else:
            url = reverse("element_detail", args=[team.slug, coll, obj.pk])
            if htmx and request.POST.get("_inline") == "1":
                # Created from the list page: refresh the table in place and say so, no reload.
                ctx = list_context(request, kind, "", {})
                ctx["created"] = obj
                resp = render(request, "elements/list.html#created", ctx)
                resp["HX-Retarget"] = "#element-table"
                resp["HX-Reswap"] = "innerHTML"
                return resp
            flash.success(request, f"Created {kind.label} {obj.name}.")
            return HttpResponseClientRedirect(url) if htmx else redirect(url)
    status = 422 if request.method == "POST" else 200
    tpl = "elements/form.html#form" if htmx else "elements/form.html"
    inline = htmx is not None and bool(htmx) and (htmx.target == "new-form" or request.POST.get("_inline") == "1")
    return render(request, tpl, {"coll": coll, "spec": kind, "form": form, "creating": True, "inline": inline},
                  status=status)


@team_view()
def element_detail(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    kind = kinds.by_coll(coll)
    obj = element_get(request.team, kind, pk)  # type: ignore[attr-defined]
    htmx = request.htmx  # type: ignore[attr-defined]
    tpl = "elements/detail.html#card" if htmx and htmx.target == "element-card" else "elements/detail.html"
    return render(request, tpl, detail_context(request, kind, obj))


def detail_context(request: HttpRequest, kind: ElementKind, obj: Any) -> dict[str, Any]:
    lint = team_lint(request)
    return {
        "coll": kind.coll, "spec": kind, "obj": obj, "lint": lint,
        "findings": lint.by_element.get(f"{kind.coll}/{obj.name}", []),
        "badge": getattr(obj, kind.column(kind.badge)) if kind.badge else "",
        "detail_rows": kind.detail_rows(obj),
        **kind.detail_context(request, obj),
    }


@team_view()
@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    kind = kinds.by_coll(coll)
    team = request.team  # type: ignore[attr-defined]
    obj = element_get(team, kind, pk)
    if request.method == "GET" and request.membership.role == "viewer":  # type: ignore[attr-defined]
        raise PermissionDenied("Viewers cannot edit.")
    form = _form(kind, request, request.POST or None, creating=False, initial=kind.initial(obj))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lock_version = data.pop("lock_version", None)
        try:
            obj = svc.element_update(team=team, user=request.user, obj=obj, data=data, lock_version=lock_version)
        except svc.Conflict as exc:
            conflict = exc
            obj.refresh_from_db()
        except svc.ValidationFailed as exc:
            errors_to_form(form, exc)
        else:
            back = next_url(request)
            if request.htmx and not back and request.POST.get("_standalone") != "1":  # type: ignore[attr-defined]
                # Edited in place on the element's page: the card comes back, saying so.
                return render(request, "elements/detail.html#card", {**detail_context(request, kind, obj), "saved": True})
            # The edit page: back to where the user came from (the element's page by default).
            flash.success(request, f"Saved {kind.label} {obj.name}.")
            return go_to(request, back or reverse("element_detail", args=[team.slug, coll, obj.pk]))
    status = 409 if conflict else (422 if request.method == "POST" else 200)
    standalone = not request.htmx or request.POST.get("_standalone") == "1"  # type: ignore[attr-defined]
    ctx = {"coll": coll, "spec": kind, "form": form, "obj": obj, "creating": False, "conflict": conflict,
           "standalone": standalone, "next": came_from(request) if request.method == "GET" else next_url(request)}
    tpl = "elements/form.html#form" if request.htmx else "elements/form.html"  # type: ignore[attr-defined]
    return render(request, tpl, ctx, status=status)


@team_view()
@require_http_methods(["GET", "POST"])
def element_delete(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    kind = kinds.by_coll(coll)
    team = request.team  # type: ignore[attr-defined]
    obj = element_get(team, kind, pk)
    if request.membership.role == "viewer":  # type: ignore[attr-defined]
        raise PermissionDenied("Viewers cannot delete.")
    htmx = request.htmx  # type: ignore[attr-defined]
    if request.method == "POST":
        lock = request.POST.get("lock_version")
        try:
            change = svc.element_delete(team=team, user=request.user, obj=obj,
                                        lock_version=parse_id(lock))
        except svc.Conflict as exc:
            flash.error(request, str(exc))
            return redirect("element_detail", slug=team.slug, coll=coll, pk=obj.pk)
        # base.html shows an Undo button beside this message (the change to undo in its tags).
        flash.success(request, f"Deleted {kind.label} {obj.name}.", extra_tags=f"undo:{change.pk}")
        url = reverse("element_list", args=[team.slug, coll])
        return HttpResponseClientRedirect(url) if htmx else redirect(url)
    ctx = {"coll": coll, "spec": kind, "obj": obj, "dependents": svc.element_dependents(obj)}
    tpl = "elements/confirm_delete.html#confirm" if htmx else "elements/confirm_delete.html"
    return render(request, tpl, ctx)


@team_view()
@require_POST
def validate_field(request: HttpRequest, coll: str) -> HttpResponse:
    """As-you-type checks: a name already taken, a schema or example that is not valid."""
    kind = kinds.by_coll(coll)
    field = request.POST.get("_field", "")
    pk = request.POST.get("_pk", "")
    msgs: list[str] = []
    hints: list[dict[str, str]] = []
    suggested: dict[str, str] = {}
    if field == "name":
        name = request.POST.get("name", "").strip()
        if "\x00" in name:  # PostgreSQL cannot even compare it: say so (the form refuses it on save)
            msgs.append("Null characters are not allowed.")
        elif element_name_taken(request.team, kind, name, exclude_pk=parse_id(pk)):  # type: ignore[attr-defined]
            msgs.append(f"A {kind.label} named “{name}” already exists.")
        if name and not msgs:
            hints = kind.name_hints(name, request.POST)
            suggested = kind.name_suggestions(request.team, name, request.POST)  # type: ignore[attr-defined]
    elif field in ("schema", "example"):
        form = VersionForm(request.POST)
        form.is_valid()
        msgs.extend(str(e) for e in form.errors.get(field, []))
    return render(request, "elements/form.html#field-feedback",
                  {"messages": msgs, "hints": hints, "field": field, "suggested": suggested})
