"""Proposal pages: list and open, the review page (diff, lint delta, compatibility, affected
services and their code diff, comments, approvals), editing elements inside a proposal with the
element forms, conflict resolution and merge."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from designer.catalog import kinds
from designer.catalog import services as catalog
from designer.catalog.access import team_view
from designer.catalog.forms import ElementForm, RelationForm, StepForm, VersionForm
from designer.catalog.kinds.flow import STEP
from designer.catalog.kinds.message import RELATION, VERSION
from designer.catalog.selectors import ROLE_RANK, element_by_key, element_get
from designer.catalog.views.design_files import changeset_preview
from designer.core.changeset import model_states, relations_sorted
from designer.core.codegen import LANGUAGES

from . import selectors, services


def _editor(request: HttpRequest) -> bool:
    return ROLE_RANK[request.membership.role] >= ROLE_RANK["editor"]  # type: ignore[attr-defined]


@team_view()
@require_http_methods(["GET", "POST"])
def proposal_list(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    error = None
    if request.method == "POST":
        try:
            proposal = services.proposal_open(team=team, user=request.user, title=request.POST.get("title", ""))
        except catalog.ValidationFailed as exc:
            error = str(exc)
        else:
            return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)
    return render(request, "proposals/list.html", {"proposals": selectors.team_proposals(team), "error": error,
                                                   "rules": services.proposal_settings(team)},
                  status=422 if error else 200)


@team_view()
def proposal_detail(request: HttpRequest, pid: int, *, error: str = "", conflicts: Any = None) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    rev = selectors.review(proposal) if proposal.status == "open" else None
    comments = selectors.proposal_comments(proposal)
    ctx = {
        "proposal": proposal, "review": rev, "preview": changeset_preview(rev.plan.changes) if rev else None,
        "comments": comments, "approvals": list(proposal.approvals.select_related("user")),
        "rules": services.proposal_settings(team), "merge_blocked": services.merge_allowed(proposal, request.user),
        "error": error, "conflicts": conflicts if conflicts is not None else (rev.plan.conflicts if rev else []),
        "languages": LANGUAGES, "is_editor": _editor(request), "kinds": kinds.KINDS,
        "stamp": selectors.proposal_stamp(proposal),
        "created": [(kinds.by_key(k), n) for k, n in selectors.proposal_created(proposal)],
    }
    return render(request, "proposals/detail.html", ctx, status=422 if error else 200)


@team_view()
def proposal_stamp(request: HttpRequest, pid: int) -> HttpResponse:
    """Polled by the proposal page (htmx, and on the live socket's model-changed): 204 while the
    proposal is as the page shows it, else an HX-Refresh so the page reloads itself."""
    proposal = selectors.proposal_get(request.team, pid)  # type: ignore[attr-defined]
    if request.GET.get("v", "") == selectors.proposal_stamp(proposal):
        return HttpResponse(status=204)
    return HttpResponse("The proposal changed; reloading.", headers={"HX-Refresh": "true"})


@team_view(write_methods=())  # viewers comment too
@require_POST
def proposal_comment(request: HttpRequest, pid: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    try:
        services.proposal_comment(proposal=proposal, user=request.user, text=request.POST.get("text", ""),
                                  element=request.POST.get("element", ""))
    except catalog.ValidationFailed as exc:
        return proposal_detail.__wrapped__(request, pid, error=str(exc))  # type: ignore[attr-defined]
    return redirect(reverse("proposal_detail", args=[team.slug, pid]) + "#comments")


@team_view(min_role="editor")
@require_POST
def proposal_action(request: HttpRequest, pid: int, action: str) -> HttpResponse:
    """approve | close | merge (with the sides chosen for conflicting fields, when any)."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    try:
        if action == "approve":
            services.proposal_approve(proposal=proposal, user=request.user)
            flash.success(request, "Approved.")
        elif action == "close":
            services.proposal_close(proposal=proposal, user=request.user)
            flash.success(request, "Closed without merging.")
        elif action == "merge":
            choices = {}
            for key, side in request.POST.items():
                if key.startswith("resolve|") and side in ("mine", "live"):
                    _, kind, name, field = key.split("|", 3)
                    choices[(kind, name, field)] = side
            if choices:
                services.proposal_resolve(proposal=proposal, choices=choices)
            change = services.proposal_merge(proposal=proposal, user=request.user)
            flash.success(request, f"Merged as change #{change.pk}.")
        else:
            raise PermissionDenied("Unknown action.")
    except services.ProposalConflict as exc:
        return proposal_detail.__wrapped__(request, pid, error=str(exc), conflicts=exc.conflicts)  # type: ignore[attr-defined]
    except catalog.ValidationFailed as exc:
        return proposal_detail.__wrapped__(request, pid, error=str(exc))  # type: ignore[attr-defined]
    return redirect("proposal_detail", slug=team.slug, pid=pid)


@team_view()
def proposal_code(request: HttpRequest, pid: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    lang = request.GET.get("lang", "python")
    lang = lang if lang in LANGUAGES else "python"
    service = request.GET.get("service", "")
    rows = selectors.code_diff(proposal, service, lang) if proposal.status == "open" else []
    return render(request, "proposals/code.html", {"proposal": proposal, "service": service, "lang": lang,
                                                   "rows": rows, "languages": LANGUAGES})


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def proposal_element_edit(request: HttpRequest, pid: int, coll: str, pk: int) -> HttpResponse:
    """The element's form, saved into the proposal instead of the live model."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    kind = kinds.by_coll(coll)
    obj = element_get(team, kind, pk)
    row = proposal.elements.filter(kind=kind.key, name=obj.name).first()
    current = row.proposed if row is not None and row.proposed is not None else model_states(
        selectors.team_model(team)).get((kind.key, obj.name)) or {}
    initial = kind.initial(obj)
    for attr in kind.core.attrs:  # the proposed values, where the proposal has any
        if attr.name in current and attr.type != "ref":
            initial[kind.column(attr)] = current[attr.name]
    form = ElementForm(request.POST or None, kind=kind, team=team, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("lock_version", None)
        try:
            services.proposal_element_set(proposal=proposal, kind=kind.key, name=obj.name,
                                          state={**current, **kind.from_form(data)})
        except catalog.ValidationFailed as exc:
            for field, errs in exc.errors.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            flash.success(request, f"Saved into proposal #{proposal.pk}; the live model is unchanged.")
            return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)
    return render(request, "proposals/element_form.html", {"proposal": proposal, "form": form, "obj": obj,
                                                           "spec": kind, "coll": coll},
                  status=422 if request.method == "POST" else 200)


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def proposal_element_new(request: HttpRequest, pid: int, coll: str) -> HttpResponse:
    """The live "New" form of the kind, saved into the proposal only: merging creates the element."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    kind = kinds.by_coll(coll)
    form = ElementForm(request.POST or None, kind=kind, team=team, creating=True,
                       initial=kind.new_initial(request.GET))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("lock_version", None)
        state = kind.from_form(data)
        name = state.get("name") or data.get("name", "")
        if (kind.key, name) in model_states(selectors.team_model(team)):
            form.add_error("name", f"A {kind.label} named {name} already exists in this team; edit it in the "
                                   "proposal instead.")
        elif proposal.elements.filter(kind=kind.key, name=name).exists():
            form.add_error("name", f"This proposal already has a {kind.label} named {name}.")
        else:
            try:
                services.proposal_element_set(proposal=proposal, kind=kind.key, name=name, state=state)
            except catalog.ValidationFailed as exc:
                for field, errs in exc.errors.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                flash.success(request, f"Proposed a new {kind.label} {name} in proposal #{proposal.pk}; the live "
                                       "model is unchanged.")
                return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)
    return render(request, "proposals/element_new.html", {"proposal": proposal, "form": form, "spec": kind,
                                                          "coll": coll},
                  status=422 if request.method == "POST" else 200)


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def proposal_new_edit(request: HttpRequest, pid: int, coll: str, name: str) -> HttpResponse:
    """Re-edit an element the proposal creates: the kind's form pre-filled from the proposal's state."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    kind = kinds.by_coll(coll)
    if (kind.key, name) not in selectors.proposal_created(proposal):
        raise Http404(f"This proposal does not create a {kind.label} named {name}.")
    current = _proposed_or_404(proposal, kind.key, name)
    initial: dict[str, Any] = {}
    for attr in kind.core.attrs:
        if attr.name not in current:
            continue
        value = current[attr.name]
        if attr.type == "ref":  # a live element referenced by name -> the form's choice (its pk)
            ref = element_by_key(team, f"{kinds.by_key(attr.ref).coll}/{value}") if value else None
            value = ref.pk if ref is not None else None
        initial[kind.column(attr)] = value
    form = ElementForm(request.POST or None, kind=kind, team=team, creating=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("lock_version", None)
        try:
            services.proposal_element_set(proposal=proposal, kind=kind.key, name=name,
                                          state={**current, **kind.from_form(data)})
        except catalog.ValidationFailed as exc:
            for field, errs in exc.errors.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            flash.success(request, f"Saved {kind.label} {name} into proposal #{proposal.pk}; it is created only "
                                   "when the proposal is merged.")
            return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)
    return render(request, "proposals/element_new.html", {"proposal": proposal, "form": form, "spec": kind,
                                                          "coll": coll, "editing": name},
                  status=422 if request.method == "POST" else 200)


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def proposal_version_edit(request: HttpRequest, pid: int, pk: int) -> HttpResponse:
    """A message's schema form, saved into the proposal: the newest draft is changed in place,
    after a released one a new version is added (as the live form does)."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    kind = kinds.by_coll("messages")
    obj = element_get(team, kind, pk)
    row = proposal.elements.filter(kind="message", name=obj.name).first()
    current = row.proposed if row is not None and row.proposed is not None else model_states(
        selectors.team_model(team)).get(("message", obj.name)) or {}
    versions = [dict(v) for v in current.get("versions") or []]
    latest = versions[-1] if versions else None
    initial = {VERSION.column(a): latest.get(a.name) for a in VERSION.core.attrs} if latest else {}
    if latest and latest.get("status") != "draft":
        initial["version"] = ""
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        values = {a.name: data[VERSION.column(a)] for a in VERSION.core.attrs if VERSION.column(a) in data}
        number = values.pop("version", "") or ""
        if latest is not None and latest.get("status") == "draft":
            versions[-1] = {**latest, **values, "version": number or latest["version"]}
        else:
            number = number or catalog.next_minor(latest["version"] if latest else "")
            versions.append({**{a.name: a.default for a in VERSION.core.attrs}, **values, "version": number,
                             "status": "draft"})
        numbers = [v["version"] for v in versions]
        if len(set(numbers)) != len(numbers):
            form.add_error("version", f"Version {number} already exists; choose a new number.")
        else:
            try:
                services.proposal_element_set(proposal=proposal, kind="message", name=obj.name,
                                              state={**current, "versions": versions})
            except catalog.ValidationFailed as exc:
                form.add_error(None, str(exc))
            else:
                flash.success(request, f"Saved version {versions[-1]['version']} of {obj.name} into proposal "
                                       f"#{proposal.pk}; the live model is unchanged.")
                return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)
    return render(request, "proposals/version_form.html", {"proposal": proposal, "form": form, "obj": obj,
                                                           "latest": latest},
                  status=422 if request.method == "POST" else 200)


@team_view(min_role="editor")
@require_POST
def proposal_element_delete(request: HttpRequest, pid: int, coll: str, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    kind = kinds.by_coll(coll)
    obj = element_get(team, kind, pk)
    try:
        services.proposal_element_set(proposal=proposal, kind=kind.key, name=obj.name, state=None)
    except catalog.ValidationFailed as exc:
        return proposal_detail.__wrapped__(request, pid, error=str(exc))  # type: ignore[attr-defined]
    flash.success(request, f"The proposal deletes {kind.label} {obj.name}; the live model is unchanged.")
    return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)


@team_view(min_role="editor")
@require_POST
def proposal_open_element(request: HttpRequest, pid: int) -> HttpResponse:
    """From the proposal page: ``messages/NAME`` -> that element's form inside the proposal."""
    team = request.team  # type: ignore[attr-defined]
    try:
        key, name = catalog.element_key(request.POST.get("element", "").strip())
        kind = kinds.by_key(key)
        obj = element_by_key(team, f"{kind.coll}/{name}")
        if obj is None and (kind.key, name) in selectors.proposal_created(selectors.proposal_get(team, pid)):
            return redirect("proposal_new_edit", slug=team.slug, pid=pid, coll=kind.coll, name=name)
        if obj is None:
            raise catalog.ValidationFailed(f"There is no {kind.label} named {name!r} in this team.")
    except catalog.ValidationFailed as exc:
        return proposal_detail.__wrapped__(request, pid, error=str(exc))  # type: ignore[attr-defined]
    return redirect("proposal_element_edit", slug=team.slug, pid=pid, coll=kind.coll, pk=obj.pk)


def _proposed_or_404(proposal: Any, kind: str, name: str) -> dict[str, Any]:
    found, state = selectors.proposal_state(proposal, kind, name)
    if not found or state is None:
        raise Http404(f"No {kind} named {name} in this proposal.")
    return dict(state)


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def proposal_relations(request: HttpRequest, pid: int, name: str) -> HttpResponse:
    """Who produces / consumes a message (role, channel, dedup key...), with the live relation form,
    saved into the proposal's state of the message only."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    state = _proposed_or_404(proposal, "message", name)
    rels = [dict(r) for r in state.get("relations") or []]
    form = RelationForm(request.POST if request.POST.get("op") == "add" else None, team=team)
    _proposal_choices(form, RELATION, proposal, team)
    error = ""
    if request.method == "POST":
        op = request.POST.get("op", "")
        new = list(rels)
        if op == "add":
            if form.is_valid():
                rel = _part_state(RELATION, form.cleaned_data)
                rel.pop("message", None)
                same = [r for r in new if (r["service"], r["role"], r["channel"]) == (rel["service"], rel["role"],
                                                                                     rel["channel"])]
                if same:
                    error = f"{rel['service']} already {rel['role']} {name} in this proposal."
                else:
                    new.append(rel)
            else:
                error = "Choose a service and a role."
        elif op == "remove":
            i = _index(request)
            if i is None or not 0 <= i < len(new):
                error = "That relation is not in this proposal."
            else:
                new.pop(i)
        else:
            error = "Unknown operation."
        if not error:
            try:
                services.proposal_element_set(proposal=proposal, kind="message", name=name,
                                              state={**state, "relations": relations_sorted(new)})
            except catalog.ValidationFailed as exc:
                error = str(exc)
            else:
                flash.success(request, f"Saved the relations of {name} into proposal #{proposal.pk}; the live "
                                       "model is unchanged.")
                return redirect("proposal_relations", slug=team.slug, pid=pid, name=name)
    return render(request, "proposals/parts.html", {"proposal": proposal, "name": name, "what": "relations",
                                                    "rows": rels, "form": form, "error": error},
                  status=422 if error else 200)


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def proposal_steps(request: HttpRequest, pid: int, name: str) -> HttpResponse:
    """A flow's steps with the live step form (add, remove, move), saved into the proposal only."""
    team = request.team  # type: ignore[attr-defined]
    proposal = selectors.proposal_get(team, pid)
    state = _proposed_or_404(proposal, "flow", name)
    steps = [dict(s) for s in state.get("steps") or []]
    form = StepForm(request.POST if request.POST.get("op") == "add" else None, team=team)
    _proposal_choices(form, STEP, proposal, team)
    error = ""
    if request.method == "POST":
        op = request.POST.get("op", "")
        new = list(steps)
        i = _index(request)
        if op == "add":
            if form.is_valid():
                new.append(_part_state(STEP, form.cleaned_data))
            else:
                error = "Choose a service, an action and a message for the step."
        elif op in ("remove", "up", "down") and i is not None and 0 <= i < len(new):
            if op == "remove":
                new.pop(i)
            else:
                j = i - 1 if op == "up" else i + 1
                if 0 <= j < len(new):
                    new[i], new[j] = new[j], new[i]
        else:
            error = "That step is not in this proposal."
        if not error and new != steps:
            try:
                services.proposal_element_set(proposal=proposal, kind="flow", name=name, state={**state, "steps": new})
            except catalog.ValidationFailed as exc:
                error = str(exc)
        if not error:
            if new == steps:
                flash.info(request, "Nothing to change: the step is already there.")
            else:
                flash.success(request, f"Saved the steps of {name} into proposal #{proposal.pk}; the live model "
                                       "is unchanged.")
            return redirect("proposal_steps", slug=team.slug, pid=pid, name=name)
    return render(request, "proposals/parts.html", {"proposal": proposal, "name": name, "what": "steps",
                                                    "rows": steps, "form": form, "error": error},
                  status=422 if error else 200)


def _part_state(spec: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A relation's / step's state from its live form's cleaned data: references by name."""
    out: dict[str, Any] = {}
    for attr in spec.core.attrs:
        column = spec.column(attr)
        if column in data:
            value = data[column]
            if attr.type == "ref":  # a name (proposal choices) or a live row
                value = value if isinstance(value, str) else value.name if value is not None else ""
            elif value is None:
                value = attr.default
            out[attr.name] = value
    return out


def _proposal_choices(form: Any, spec: Any, proposal: Any, team: Any) -> None:
    """Turn the part form's live-only reference pickers into pickers of the elements as the
    proposal has them: live ones (by pk, as the live form posts) minus those the proposal deletes,
    plus those it creates (``new:NAME``). The cleaned value is the element's name."""
    created = selectors.proposal_created(proposal)
    deleted = set(proposal.elements.filter(proposed__isnull=True).values_list("kind", "name"))
    for attr in spec.core.attrs:
        column = spec.column(attr)
        old = form.fields.get(column)
        if attr.type != "ref" or old is None:
            continue
        names: dict[str, str] = {}
        for pk, name in old.queryset.order_by("name").values_list("pk", "name"):
            if (attr.ref, name) not in deleted:
                names[str(pk)] = name
        for kind, name in created:
            if kind == attr.ref:
                names[f"new:{name}"] = name
        labels = [(v, f"{n} (new in this proposal)" if v.startswith("new:") else n) for v, n in names.items()]
        field = forms.TypedChoiceField(choices=[("", old.empty_label or "—"), *labels], coerce=names.get,
                                       empty_value=None, required=old.required, label=old.label,
                                       help_text=old.help_text)
        form.fields[column] = field


def _index(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("index", ""))
    except ValueError:
        return None


@team_view(min_role="owner")
@require_POST
def proposal_settings(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    try:
        services.proposal_settings_update(team=team, approvals_required=int(request.POST.get("approvals_required", "1")),
                                          proposer_may_merge=request.POST.get("proposer_may_merge") == "1")
    except (ValueError, catalog.ValidationFailed) as exc:
        flash.error(request, f"Not saved: {exc}")
    else:
        flash.success(request, "Proposal settings saved.")
    return redirect("proposal_list", slug=team.slug)
