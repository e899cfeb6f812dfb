"""Web interface of the catalog: thin function views over services and selectors.

``request.htmx`` decides between the whole page and the partial of the same template.
"""
from __future__ import annotations

import json
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from designer.core.formats import FormatError, native

from . import services as svc
from .access import parse_id, team_view
from .forms import (
    ChannelForm,
    FlowForm,
    ImportForm,
    InviteForm,
    MemberForm,
    MessageForm,
    RelationForm,
    ServiceForm,
    StepForm,
    TeamForm,
    TeamSettingsForm,
    TokenForm,
    VersionForm,
)
from .models import (
    ApiToken,
    Change,
    Channel,
    Flow,
    Invitation,
    Membership,
    Message,
    MessageVersion,
    Relation,
    Service,
)
from .selectors import element_changes, recent_changes, team_model, user_teams

ELEMENTS: dict[str, dict[str, Any]] = {
    "services": {"model": Service, "form": ServiceForm, "kind": "service", "label": "service"},
    "messages": {"model": Message, "form": MessageForm, "kind": "message", "label": "message"},
    "channels": {"model": Channel, "form": ChannelForm, "kind": "channel", "label": "channel"},
    "flows": {"model": Flow, "form": FlowForm, "kind": "flow", "label": "flow"},
}


def _spec(coll: str) -> dict[str, Any]:
    if coll not in ELEMENTS:
        raise Http404("No such page.")
    return ELEMENTS[coll]


def _form(coll: str, request: HttpRequest, *args: Any, creating: bool = True, **kwargs: Any) -> Any:
    cls = _spec(coll)["form"]
    if cls is MessageForm:
        return cls(*args, team=request.team, creating=creating, **kwargs)
    if cls is FlowForm:
        return cls(*args, team=request.team, **kwargs)
    return cls(*args, **kwargs)


def _element(request: HttpRequest, coll: str, pk: int) -> Any:
    return get_object_or_404(_spec(coll)["model"], pk=pk, team=request.team)


def _initial(obj: Any) -> dict[str, Any]:
    state = svc.STATE[svc.state_kind(obj)](obj)
    if isinstance(obj, Message):
        state["wire_type"] = state.pop("type")
        state["channel"] = obj.channel_id
    if isinstance(obj, Flow):
        state["orchestrator"] = obj.orchestrator_id
        state.pop("steps", None)
    state["lock_version"] = obj.lock_version
    return state


def _back(request: HttpRequest, url: str) -> HttpResponse:
    """After a write on the page the user is on: htmx refreshes it in place, plain forms redirect."""
    return HttpResponseClientRefresh() if request.htmx else redirect(url)


def _lint(request: HttpRequest) -> Any:
    """The team's lint findings for the current revision (empty when lint is unavailable)."""
    from . import linting

    return linting.team_findings(request.team)


# ------------------------------------------------------------------ accounts and teams
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        nxt = request.GET.get("next", "")
        if nxt.startswith("/") and not nxt.startswith("//"):
            return redirect(nxt)
        return redirect("teams")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    teams = user_teams(request.user)
    last = request.session.get("last_team")
    for m in teams:
        if m.team.slug == last:
            return redirect("team_home", slug=m.team.slug)
    if len(teams) >= 1:
        return redirect("team_home", slug=teams[0].team.slug)
    return redirect("teams")


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = svc.team_create(user=request.user, **form.cleaned_data)
        except svc.ValidationFailed as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("team_home", slug=team.slug)
    return render(request, "teams.html", {"form": form, "teams": user_teams(request.user)})


def _errors_to_form(form: Any, exc: svc.ValidationFailed) -> None:
    for field, errs in exc.errors.items():
        form.add_error(field if field in form.fields else None, errs)


@team_view()
def team_home(request: HttpRequest) -> HttpResponse:
    team = request.team
    counts = {
        "services": Service.objects.filter(team=team).count(),
        "events": Message.objects.filter(team=team, kind="event").count(),
        "commands": Message.objects.filter(team=team, kind="command").count(),
        "queries": Message.objects.filter(team=team, kind="query").count(),
        "channels": Channel.objects.filter(team=team).count(),
        "flows": Flow.objects.filter(team=team).count(),
    }
    ctx = {"counts": counts, "changes": recent_changes(team, 15), "lint": _lint(request)}
    tpl = "team_home.html#recent" if request.htmx else "team_home.html"
    return render(request, tpl, ctx)


# ------------------------------------------------------------------ catalog lists
@team_view()
def element_list(request: HttpRequest, coll: str) -> HttpResponse:
    ctx = _list_context(request, coll, request.GET.get("q", ""), request.GET.get("kind", ""))
    tpl = "elements/list.html#table" if request.htmx and request.htmx.target == "element-table" else "elements/list.html"
    return render(request, tpl, ctx)


def _list_context(request: HttpRequest, coll: str, q: str, kind: str) -> dict[str, Any]:
    spec = _spec(coll)
    qs = spec["model"].objects.filter(team=request.team)
    q = q.strip()[:200]
    if coll == "messages":
        qs = qs.annotate(
            n_producers=Count("relations", filter=Q(relations__role="produces")),
            n_consumers=Count("relations", filter=Q(relations__role="consumes")),
        ).select_related("channel")
        if kind in ("event", "command", "query"):
            qs = qs.filter(kind=kind)
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(wire_type__icontains=q) | Q(description__icontains=q))
    elif q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(owner__icontains=q))
    if coll == "services":
        qs = qs.annotate(
            n_produces=Count("relations", filter=Q(relations__role="produces")),
            n_consumes=Count("relations", filter=Q(relations__role="consumes")),
        )
    if coll == "flows":
        qs = qs.annotate(n_steps=Count("steps")).select_related("orchestrator")
    lint = _lint(request)
    return {"coll": coll, "spec": spec, "items": list(qs.order_by("name")), "q": q, "kind": kind,
            "badges": lint.badges if lint else {}}


@team_view()
@require_http_methods(["GET", "POST"])
def element_new(request: HttpRequest, coll: str) -> HttpResponse:
    spec = _spec(coll)
    initial: dict[str, Any] = {}
    if coll == "messages":
        initial = {"kind": request.GET.get("kind", "event") if request.GET.get("kind") in ("event", "command", "query") else "event",
                   "schema": {"type": "object", "properties": {}, "required": []}}
    if coll == "channels":
        initial = {"delivery": "at-least-once", "broker": "kafka"}
    form = _form(coll, request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("lock_version", None)
        try:
            obj = svc.element_create(team=request.team, user=request.user, kind=spec["kind"], data=data)
        except svc.ValidationFailed as exc:
            _errors_to_form(form, exc)
        else:
            url = reverse("element_detail", args=[request.team.slug, coll, obj.pk])
            if request.htmx and request.POST.get("_inline") == "1":
                # Created from the list page: refresh the table in place and say so, no reload.
                ctx = _list_context(request, coll, "", "")
                ctx["created"] = obj
                resp = render(request, "elements/list.html#created", ctx)
                resp["HX-Retarget"] = "#element-table"
                resp["HX-Reswap"] = "innerHTML"
                return resp
            flash.success(request, f"Created {spec['label']} {obj.name}.")
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    status = 422 if request.method == "POST" else 200
    tpl = "elements/form.html#form" if request.htmx else "elements/form.html"
    inline = request.htmx is not None and bool(request.htmx) and (
        request.htmx.target == "new-form" or request.POST.get("_inline") == "1")
    return render(request, tpl, {"coll": coll, "spec": spec, "form": form, "creating": True, "inline": inline},
                  status=status)


@team_view()
def element_detail(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    obj = _element(request, coll, pk)
    ctx = _detail_context(request, coll, obj)
    tpl = "elements/detail.html#card" if request.htmx and request.htmx.target == "element-card" else "elements/detail.html"
    return render(request, tpl, ctx)


def _detail_context(request: HttpRequest, coll: str, obj: Any) -> dict[str, Any]:
    spec = _spec(coll)
    ctx: dict[str, Any] = {"coll": coll, "spec": spec, "obj": obj, "lint": _lint(request)}
    lint = ctx["lint"]
    key = f"{'messages' if coll == 'messages' else coll}/{obj.name}"
    ctx["findings"] = lint.by_element.get(key, []) if lint else []
    if isinstance(obj, Service):
        rels = list(obj.relations.select_related("message", "channel"))
        ctx["produces"] = [r for r in rels if r.role == "produces"]
        ctx["consumes"] = [r for r in rels if r.role == "consumes"]
        ctx["flows"] = Flow.objects.filter(Q(steps__service=obj) | Q(orchestrator=obj)).distinct()
    elif isinstance(obj, Message):
        rels = list(obj.relations.select_related("service", "channel"))
        ctx["producers"] = [r for r in rels if r.role == "produces"]
        ctx["consumers"] = [r for r in rels if r.role == "consumes"]
        ctx["versions"] = list(obj.versions.order_by("-position"))
        ctx["latest"] = ctx["versions"][0] if ctx["versions"] else None
        ctx["relation_form"] = RelationForm(team=request.team)
        latest = ctx["latest"]
        ctx["version_form"] = VersionForm(initial={
            "schema": latest.schema if latest else None, "example": latest.example if latest else None,
            "lock_version": latest.lock_version if latest and latest.status == "draft" else None,
            "version": "" , "compat": latest.compat if latest else "",
        })
        ctx["fields_table"] = _schema_fields(latest.schema if latest else None)
        ctx["flows"] = Flow.objects.filter(steps__message=obj).distinct()
    elif isinstance(obj, Channel):
        ctx["messages"] = list(obj.messages.all())
        ctx["relations"] = list(obj.relations.select_related("service", "message"))
    elif isinstance(obj, Flow):
        ctx["steps"] = list(obj.steps.select_related("service", "message").order_by("position"))
        ctx["step_form"] = StepForm(team=request.team)
    return ctx


def _schema_fields(schema: Any, prefix: str = "", depth: int = 0) -> list[dict[str, Any]]:
    """Flatten an object schema into rows (path, type, required, format, description)."""
    rows: list[dict[str, Any]] = []
    if not isinstance(schema, dict) or depth > 8:  # deep enough for real payloads, bounded for hostile ones
        return rows
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    if not isinstance(props, dict):
        return rows
    for name, sub in props.items():
        sub = sub if isinstance(sub, dict) else {}
        typ = sub.get("type", "")
        if isinstance(typ, list):
            typ = " | ".join(map(str, typ))
        rows.append({
            "path": f"{prefix}{name}", "type": typ or ("ref" if "$ref" in sub else "any"),
            "required": name in required, "format": sub.get("format", ""),
            "enum": ", ".join(map(str, sub.get("enum", []))) if isinstance(sub.get("enum"), list) else "",
            "description": sub.get("description", ""), "depth": depth,
        })
        if sub.get("type") == "object":
            rows.extend(_schema_fields(sub, f"{prefix}{name}.", depth + 1))
        elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
            rows.extend(_schema_fields(sub["items"], f"{prefix}{name}[].", depth + 1))
    return rows


@team_view()
@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    obj = _element(request, coll, pk)
    if request.method == "GET" and request.membership.role == "viewer":
        raise PermissionDenied("Viewers cannot edit.")
    form = _form(coll, request, request.POST or None, creating=False, initial=_initial(obj))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lock_version = data.pop("lock_version", None)
        try:
            obj = svc.element_update(team=request.team, user=request.user, obj=obj, data=data, lock_version=lock_version)
        except svc.Conflict as exc:
            conflict = exc
            obj.refresh_from_db()
        except svc.ValidationFailed as exc:
            _errors_to_form(form, exc)
        else:
            if request.htmx:
                ctx = _detail_context(request, coll, obj)
                return render(request, "elements/detail.html#card", ctx)
            flash.success(request, "Saved.")
            return redirect("element_detail", slug=request.team.slug, coll=coll, pk=obj.pk)
    status = 409 if conflict else (422 if request.method == "POST" else 200)
    ctx = {"coll": coll, "spec": _spec(coll), "form": form, "obj": obj, "creating": False, "conflict": conflict}
    tpl = "elements/form.html#form" if request.htmx else "elements/form.html"
    return render(request, tpl, ctx, status=status)


@team_view()
@require_http_methods(["GET", "POST"])
def element_delete(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    obj = _element(request, coll, pk)
    if request.membership.role == "viewer":
        raise PermissionDenied("Viewers cannot delete.")
    if request.method == "POST":
        lock = request.POST.get("lock_version")
        try:
            svc.element_delete(team=request.team, user=request.user, obj=obj,
                               lock_version=parse_id(lock))
        except svc.Conflict as exc:
            flash.error(request, str(exc))
            return redirect("element_detail", slug=request.team.slug, coll=coll, pk=obj.pk)
        flash.success(request, f"Deleted {_spec(coll)['label']} {obj.name}.")
        url = reverse("element_list", args=[request.team.slug, coll])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    ctx = {"coll": coll, "spec": _spec(coll), "obj": obj, "dependents": svc.dependents(obj)}
    tpl = "elements/confirm_delete.html#confirm" if request.htmx else "elements/confirm_delete.html"
    return render(request, tpl, ctx)


@team_view()
@require_POST
def validate_field(request: HttpRequest, coll: str) -> HttpResponse:
    """As-you-type checks: a name already taken, a schema or example that is not valid."""
    spec = _spec(coll)
    field = request.POST.get("_field", "")
    pk = request.POST.get("_pk", "")
    msgs: list[str] = []
    hints: list[dict[str, str]] = []
    if field == "name":
        name = request.POST.get("name", "").strip()
        qs = spec["model"].objects.filter(team=request.team, name=name)
        if parse_id(pk) is not None:
            qs = qs.exclude(pk=parse_id(pk))
        if name and qs.exists():
            msgs.append(f"A {spec['label']} named “{name}” already exists.")
        if coll == "messages" and name:
            from . import linting

            hints = linting.name_hints(name, request.POST.get("kind", "event"))
    elif field in ("schema", "example"):
        form = VersionForm(request.POST)
        form.is_valid()
        msgs.extend(str(e) for e in form.errors.get(field, []))
    return render(request, "elements/form.html#field-feedback", {"messages": msgs, "hints": hints, "field": field})


# ------------------------------------------------------------------ versions, relations, steps
@team_view()
@require_POST
def version_save(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _element(request, "messages", pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            v = svc.version_save(team=request.team, user=request.user, message=msg, schema=d["schema"],
                                 example=d["example"], version=d["version"], compat=d["compat"],
                                 lock_version=d.get("lock_version"))
        except (svc.ValidationFailed, svc.Conflict) as exc:
            if isinstance(exc, svc.ValidationFailed):
                _errors_to_form(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            flash.success(request, f"Saved version {v.version}.")
            url = reverse("element_detail", args=[request.team.slug, "messages", msg.pk])
            return _back(request, url + "#versions")
    ctx = _detail_context(request, "messages", msg)
    ctx["version_form"] = form
    return render(request, "elements/detail.html#version-editor" if request.htmx else "elements/detail.html", ctx, status=422)


@team_view()
@require_POST
def version_status(request: HttpRequest, pk: int, vid: int) -> HttpResponse:
    msg = _element(request, "messages", pk)
    version = get_object_or_404(MessageVersion, pk=vid, message=msg)
    status = request.POST.get("status", "")
    from . import evolution

    try:
        svc.version_set_status(team=request.team, user=request.user, version=version, status=status,
                               override_reason=request.POST.get("override_reason", ""),
                               compat_check=evolution.release_problems)
    except svc.ValidationFailed as exc:
        ctx = _detail_context(request, "messages", msg)
        ctx["release_problems"] = exc.errors.get("compat") or [str(exc)]
        ctx["release_overridable"] = getattr(exc, "overridable", True)
        ctx["release_version"] = version
        return render(request, "elements/detail.html#release" if request.htmx else "elements/detail.html", ctx, status=422)
    flash.success(request, f"Version {version.version} is now {status}.")
    url = reverse("element_detail", args=[request.team.slug, "messages", msg.pk]) + "#versions"
    return _back(request, url)


@team_view()
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _element(request, "messages", pk)
    form = RelationForm(request.POST, team=request.team)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.relation_add(team=request.team, user=request.user, message=msg, **d)
        except svc.ValidationFailed as exc:
            flash.error(request, str(exc))
    else:
        flash.error(request, "Choose a service and a role.")
    url = reverse("element_detail", args=[request.team.slug, "messages", msg.pk]) + "#relations"
    return _back(request, url)


@team_view()
@require_POST
def relation_remove(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    msg = _element(request, "messages", pk)
    rel = get_object_or_404(Relation, pk=rid, message=msg, team=request.team)
    svc.relation_remove(team=request.team, user=request.user, relation=rel)
    url = reverse("element_detail", args=[request.team.slug, "messages", msg.pk]) + "#relations"
    return _back(request, url)


@team_view()
@require_POST
def flow_steps(request: HttpRequest, pk: int) -> HttpResponse:
    flow = _element(request, "flows", pk)
    steps = [{"service": s.service, "message": s.message, "action": s.action, "note": s.note}
             for s in flow.steps.select_related("service", "message").order_by("position")]
    op = request.POST.get("op", "add")
    idx = request.POST.get("index", "")
    i = parse_id(idx) if parse_id(idx) is not None else -1
    url = reverse("element_detail", args=[request.team.slug, "flows", flow.pk]) + "#steps"
    unchanged = list(steps)
    if op == "add":
        form = StepForm(request.POST, team=request.team)
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
        return _back(request, url)
    lock = request.POST.get("lock_version", "")
    try:
        svc.flow_steps_set(team=request.team, user=request.user, flow=flow, steps=steps,
                           lock_version=parse_id(lock))
    except (svc.Conflict, svc.ValidationFailed) as exc:
        flash.error(request, str(exc))
    return _back(request, url)


# ------------------------------------------------------------------ history
@team_view()
def team_history(request: HttpRequest) -> HttpResponse:
    changes = list(Change.objects.filter(team=request.team).select_related("user")[:200])
    return render(request, "history.html", {"changes": changes, "title": "Team history"})


@team_view()
def element_history(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    spec = _spec(coll)
    obj = _element(request, coll, pk)
    changes = element_changes(request.team, spec["kind"], obj.pk)
    return render(request, "history.html", {"changes": changes, "obj": obj, "coll": coll,
                                            "title": f"History of {spec['label']} {obj.name}"})


@team_view()
def change_detail(request: HttpRequest, cid: int) -> HttpResponse:
    change = get_object_or_404(Change, pk=cid, team=request.team)
    return render(request, "change.html", {"change": change, "diff": _diff(change.before, change.after)})


def _diff(before: Any, after: Any) -> list[dict[str, str]]:
    """A line diff of two JSON values (unified, for the history page)."""
    import difflib

    def text(v: Any) -> list[str]:
        if isinstance(v, dict) and set(v) == {"document"}:
            return str(v["document"]).splitlines()
        return json.dumps(v, indent=2, ensure_ascii=False, sort_keys=True).splitlines() if v is not None else []

    rows = []
    for line in difflib.unified_diff(text(before), text(after), "before", "after", lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else "hunk" if line.startswith("@@") else ""
        rows.append({"cls": cls, "text": line})
    return rows


# ------------------------------------------------------------------ members, invitations, tokens, settings
@team_view()
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    team = request.team
    is_owner = request.membership.role == "owner"
    form = MemberForm(request.POST or None) if request.POST.get("op") == "add" else MemberForm()
    invite_form = InviteForm()
    new_link = None
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("Only owners manage members.")
        op = request.POST.get("op")
        try:
            if op == "add" and form.is_valid():
                user = User.objects.filter(username=form.cleaned_data["username"]).first()
                if user is None:
                    form.add_error("username", "No user has that username; ask them to sign up first, or send an invitation link.")
                else:
                    svc.membership_set(team=team, actor=request.user, user=user, role=form.cleaned_data["role"])
                    flash.success(request, f"{user.username} is now {form.cleaned_data['role']}.")
                    return redirect("members", slug=team.slug)
            elif op == "role":
                m = get_object_or_404(Membership, pk=parse_id(request.POST.get("membership")), team=team)
                svc.membership_set(team=team, actor=request.user, user=m.user, role=request.POST.get("role", ""))
                return redirect("members", slug=team.slug)
            elif op == "remove":
                m = get_object_or_404(Membership, pk=parse_id(request.POST.get("membership")), team=team)
                svc.membership_remove(team=team, actor=request.user, user=m.user)
                return redirect("members", slug=team.slug)
            elif op == "invite":
                invite_form = InviteForm(request.POST)
                if invite_form.is_valid():
                    _, secret = svc.invitation_create(team=team, actor=request.user, role=invite_form.cleaned_data["role"])
                    new_link = request.build_absolute_uri(reverse("invitation_accept", args=[secret]))
            elif op == "revoke-invite":
                inv = get_object_or_404(Invitation, pk=parse_id(request.POST.get("invitation")), team=team)
                svc.invitation_revoke(team=team, actor=request.user, invitation=inv)
                return redirect("members", slug=team.slug)
        except svc.ValidationFailed as exc:
            flash.error(request, str(exc))
    ctx = {
        "memberships": Membership.objects.filter(team=team).select_related("user"),
        "invitations": Invitation.objects.filter(team=team, used_at__isnull=True, revoked_at__isnull=True),
        "form": form, "invite_form": invite_form, "new_link": new_link, "is_owner": is_owner,
    }
    return render(request, "members.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    inv = Invitation.objects.select_related("team").filter(token_hash=svc._hash(secret)).first()
    valid = inv is not None and not inv.used_at and not inv.revoked_at
    if request.method == "POST" and valid:
        try:
            team = svc.invitation_accept(secret=secret, user=request.user)
        except svc.ValidationFailed as exc:
            flash.error(request, str(exc))
        else:
            return redirect("team_home", slug=team.slug)
    return render(request, "invitation.html", {"invitation": inv if valid else None}, status=200 if valid else 404)


@team_view(min_role="owner")
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    team = request.team
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST":
        if request.POST.get("op") == "revoke":
            tok = get_object_or_404(ApiToken, pk=parse_id(request.POST.get("token")), team=team)
            svc.token_revoke(team=team, actor=request.user, token=tok)
            flash.success(request, f"Revoked {tok.prefix}…")
            return redirect("tokens", slug=team.slug)
        if form.is_valid():
            _, new_secret = svc.token_create(team=team, actor=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
    return render(request, "tokens.html", {"tokens": ApiToken.objects.filter(team=team), "form": form, "new_secret": new_secret})


@team_view(min_role="owner")
@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest) -> HttpResponse:
    team = request.team
    form = TeamSettingsForm(request.POST or None, initial={
        "name": team.name, "description": team.description, "envelope_profile": team.envelope_profile,
        "envelope_schema": team.envelope_schema, "lock_version": team.lock_version,
    })
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        lock = d.pop("lock_version", None)
        try:
            svc.team_settings_update(team=team, actor=request.user, lock_version=lock, **d)
        except svc.ValidationFailed as exc:
            _errors_to_form(form, exc)
        else:
            flash.success(request, "Settings saved.")
            return redirect("team_settings", slug=team.slug)
    return render(request, "settings.html", {"form": form})


# ------------------------------------------------------------------ design as code
@team_view()
def export_model(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "native")
    model = team_model(request.team)
    if fmt == "asyncapi":
        try:
            from designer.core.formats import asyncapi
        except ImportError:
            raise Http404("AsyncAPI export is not available.") from None
        try:
            text = asyncapi.dump_yaml(model, service=request.GET.get("service") or None, flow=request.GET.get("flow") or None)
        except ValueError as exc:  # an unknown service or flow name
            raise Http404(str(exc)) from None
        name, ctype = f"{request.team.slug}.asyncapi.yaml", "application/yaml"
    else:
        text = native.dump(model)
        name, ctype = f"{request.team.slug}.design.yaml", "application/yaml"
    resp = HttpResponse(text, content_type=f"{ctype}; charset=utf-8")
    if request.GET.get("inline") != "1":
        resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@team_view(min_role="editor", write_methods=())
@require_http_methods(["GET", "POST"])
def import_model(request: HttpRequest) -> HttpResponse:
    """Upload (one document, several files or a zip) -> [choose the document] -> preview of what
    changes -> apply. The upload waits in the cache between the steps (keyed by team, user and a
    random id) so the files are not sent twice."""
    import secrets as _secrets

    from django.conf import settings
    from django.core.cache import cache

    from . import uploads

    form = ImportForm(request.POST or None, request.FILES or None)
    error = None
    preview = None
    choose = None
    pending = request.POST.get("pending", "")
    mode = request.POST.get("mode", "merge") if request.POST.get("mode") in ("merge", "replace") else "merge"
    key = f"import:{request.team.pk}:{request.user.pk}:{pending}"
    upload = None
    if request.method == "POST" and pending:
        upload = uploads.upload_from_state(cache.get(key))
        if upload is None:
            error = "The preview expired; upload the file again."
        elif request.POST.get("main"):
            upload.main = request.POST["main"] if request.POST["main"] in upload.files else ""
        form = ImportForm(initial={"mode": mode})
    elif request.method == "POST" and form.is_valid():
        try:
            upload = uploads.upload_read(uploaded=form.cleaned_data["file"],
                                         max_bytes=settings.DESIGNER_MAX_MODEL_BYTES)
        except FormatError as exc:
            error = str(exc)
        pending = _secrets.token_urlsafe(12)
        key = f"import:{request.team.pk}:{request.user.pk}:{pending}"
    if upload is not None:
        try:
            model = uploads.upload_load(upload=upload)
        except uploads.ChooseDocument as exc:
            choose = {"pending": pending, "candidates": exc.candidates, "mode": mode}
            cache.set(key, uploads.upload_state(upload), 1800)
        except FormatError as exc:
            error = uploads.upload_error_text(exc, upload)
        else:
            if request.POST.get("pending") and not request.POST.get("main"):  # the apply step
                try:
                    rep = svc.model_import(team=request.team, user=request.user, model=model, mode=mode)
                except svc.ValidationFailed as exc:
                    error = str(exc)
                else:
                    cache.delete(key)
                    flash.success(request, f"Imported {upload.label}: {rep.summary()}.")
                    return redirect("team_home", slug=request.team.slug)
            else:
                preview = _preview(request.team, model, mode)
                cache.set(key, uploads.upload_state(upload), 1800)
                preview["pending"] = pending
                preview["name"] = upload.label
    return render(request, "import.html", {"form": form, "error": error, "preview": preview, "choose": choose},
                  status=422 if error else 200)


def _preview(team: Any, model: Any, mode: str) -> dict[str, Any]:
    """What an import would create, update and delete, by element kind."""
    current = team_model(team)
    out: dict[str, Any] = {"mode": mode, "rows": []}
    for label, new, old in (("services", model.services, current.services), ("messages", model.messages, current.messages),
                            ("channels", model.channels, current.channels), ("flows", model.flows, current.flows)):
        old_by = {e.name: e for e in old}
        new_names = {e.name for e in new}
        created = sorted(e.name for e in new if e.name not in old_by)
        updated = sorted(e.name for e in new if e.name in old_by and old_by[e.name] != e)
        deleted = sorted(n for n in old_by if n not in new_names) if mode == "replace" else []
        out["rows"].append({"label": label, "created": created, "updated": updated, "deleted": deleted})
    return out


# ------------------------------------------------------------------ errors
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403.html", {"reason": "Your form expired (CSRF check failed). Reload the page and try again."}, status=403)
