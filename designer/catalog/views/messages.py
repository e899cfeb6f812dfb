"""What only a message's page does: save a version, release or deprecate it, add and remove
the services that produce and consume it."""
from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from designer.catalog import evolution, kinds
from designer.catalog import services as svc
from designer.catalog.access import team_view
from designer.catalog.forms import RelationForm, VersionForm
from designer.catalog.selectors import element_get, message_relation, message_version

from .common import back, errors_to_form, go_to, next_url
from .elements import detail_context

MESSAGES = kinds.by_coll("messages")
SECTIONS = MESSAGES.template  # the partials below live in the message kind's sections


@team_view()
@require_POST
def version_save(request: HttpRequest, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    msg = element_get(team, MESSAGES, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        d = dict(form.cleaned_data)
        try:
            v = svc.version_save(team=team, user=request.user, message=msg, **d)
        except svc.ValidationFailed as exc:
            errors_to_form(form, exc)
        except svc.Conflict as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, f"Saved version {v.version} of {msg.name}.")
            url = reverse("element_detail", args=[team.slug, "messages", msg.pk])
            # Opened from elsewhere (a finding's "Fix in the editor"): back there, else this page.
            nxt = next_url(request)
            return go_to(request, nxt) if nxt else back(request, url + "#versions")
    ctx = detail_context(request, MESSAGES, msg)
    ctx["version_form"] = form
    tpl = f"{SECTIONS}#version-editor" if request.htmx else "elements/detail.html"  # type: ignore[attr-defined]
    return render(request, tpl, ctx, status=422)


@team_view()
@require_POST
def version_status(request: HttpRequest, pk: int, vid: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    msg = element_get(team, MESSAGES, pk)
    version = message_version(msg, vid)
    if version is None:
        raise Http404("No such version of this message.")
    status = request.POST.get("status", "")
    try:
        svc.version_set_status(team=team, user=request.user, version=version, status=status,
                               override_reason=request.POST.get("override_reason", ""),
                               compat_check=evolution.release_problems)
    except svc.ValidationFailed as exc:
        ctx = detail_context(request, MESSAGES, msg)
        ctx["release_problems"] = exc.errors.get("compat") or [str(exc)]
        ctx["release_overridable"] = getattr(exc, "overridable", True)
        ctx["release_version"] = version
        tpl = f"{SECTIONS}#release" if request.htmx else "elements/detail.html"  # type: ignore[attr-defined]
        return render(request, tpl, ctx, status=422)
    flash.success(request, f"Version {version.version} is now {status}.")
    return back(request, reverse("element_detail", args=[team.slug, "messages", msg.pk]) + "#versions")


@team_view()
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    msg = element_get(team, MESSAGES, pk)
    form = RelationForm(request.POST, team=team)
    if form.is_valid():
        try:
            svc.relation_add(team=team, user=request.user, message=msg, **form.cleaned_data)
        except svc.ValidationFailed as exc:
            flash.error(request, str(exc))
    else:
        flash.error(request, "Choose a service and a role.")
    return back(request, reverse("element_detail", args=[team.slug, "messages", msg.pk]) + "#relations")


@team_view()
@require_POST
def relation_remove(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    msg = element_get(team, MESSAGES, pk)
    rel = message_relation(msg, rid)
    svc.relation_remove(team=team, user=request.user, relation=rel)
    return back(request, reverse("element_detail", args=[team.slug, "messages", msg.pk]) + "#relations")
