"""Design as code: download the team's model (native or AsyncAPI), upload one to import."""
from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from designer import outage
from designer.catalog import kinds, uploads
from designer.catalog import services as svc
from designer.catalog.access import team_view
from designer.catalog.forms import ImportForm
from designer.catalog.selectors import team_model
from designer.core.changeset import ChangeSet, diff_models, element_diff
from designer.core.formats import FormatError, asyncapi, native

PENDING_SECONDS = 1800  # how long an uploaded file waits for "Apply" after its preview


@team_view()
def export_model(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    fmt = request.GET.get("format", "native")
    model = team_model(team)
    if fmt == "asyncapi":
        try:
            text = asyncapi.dump_yaml(model, service=request.GET.get("service") or None, flow=request.GET.get("flow") or None)
        except ValueError as exc:  # an unknown service or flow name
            raise Http404(str(exc)) from None
        name, ctype = f"{team.slug}.asyncapi.yaml", "application/yaml"
    else:
        text = native.dump(model)
        name, ctype = f"{team.slug}.design.yaml", "application/yaml"
    resp = HttpResponse(text, content_type=f"{ctype}; charset=utf-8")
    if request.GET.get("inline") != "1":
        resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _pending_key(request: HttpRequest, pending: str) -> str:
    return f"import:{request.team.pk}:{request.user.pk}:{pending}"  # type: ignore[attr-defined]


@team_view(min_role="editor", write_methods=())
@require_http_methods(["GET", "POST"])
def import_model(request: HttpRequest) -> HttpResponse:
    """Upload (one document, several files or a zip) -> [choose the document] -> preview of what
    changes -> apply. The upload waits in the cache between the steps (keyed by team, user and a
    random id) so the files are not sent twice."""
    team = request.team  # type: ignore[attr-defined]
    if request.method == "POST" and settings.REDIS_URL:
        # The upload waits in the cache (Redis in production) between preview and apply.
        outage.require_redis("importing a design file")
    form = ImportForm(request.POST or None, request.FILES or None)
    error = None
    preview = None
    choose = None
    pending = request.POST.get("pending", "")
    mode = request.POST.get("mode", "merge") if request.POST.get("mode") in ("merge", "replace") else "merge"
    upload = None
    if request.method == "POST" and pending:
        upload = uploads.upload_from_state(cache.get(_pending_key(request, pending)))
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
        pending = secrets.token_urlsafe(12)
    if upload is not None:
        try:
            model = uploads.upload_load(upload=upload)
            applying = bool(request.POST.get("pending")) and not request.POST.get("main")
            if applying and request.POST.get("propose"):
                # "Propose instead": the previewed file becomes a proposal; nothing live is written.
                from designer.proposals import services as proposals

                try:
                    proposal = proposals.proposal_from_model(team=team, user=request.user, model=model, mode=mode,
                                                             title=f"Import {upload.label}"[:200])
                except svc.ValidationFailed as exc:
                    error = str(exc)
                    applying = False
                else:
                    cache.delete(_pending_key(request, pending))
                    flash.success(request, f"Opened proposal #{proposal.pk} from {upload.label}; the live model "
                                           "is unchanged.")
                    return redirect("proposal_detail", slug=team.slug, pid=proposal.pk)
            if applying and not request.POST.get("confirm_removals"):
                removals = import_preview(team, model, mode)["removals"]
                if removals:  # the preview asked; a request without the box ticked writes nothing
                    applying = False
                    error = (f"This import removes {removals} thing(s) (marked “removed” below); tick the box "
                             "to confirm, or cancel.")
            if not applying:
                preview = import_preview(team, model, mode)
        except uploads.ChooseDocument as exc:
            choose = {"pending": pending, "candidates": exc.candidates, "mode": mode}
            cache.set(_pending_key(request, pending), uploads.upload_state(upload), PENDING_SECONDS)
        except FormatError as exc:
            error = uploads.upload_error_text(exc, upload)
        except ValueError as exc:  # the file's relations name a message nobody declares
            error = f"{upload.label}: {exc}"
        else:
            if applying:
                try:
                    rep = svc.model_import(team=team, user=request.user, model=model, mode=mode)
                except svc.ValidationFailed as exc:
                    error = str(exc)
                else:
                    cache.delete(_pending_key(request, pending))
                    flash.success(request, f"Imported {upload.label}: {rep.summary()}.")
                    return redirect("team_home", slug=team.slug)
            else:
                assert preview is not None
                cache.set(_pending_key(request, pending), uploads.upload_state(upload), PENDING_SECONDS)
                preview["pending"] = pending
                preview["name"] = upload.label
    return render(request, "import.html", {"form": form, "error": error, "preview": preview, "choose": choose},
                  status=422 if error else 200)


def import_preview(team: Any, model: Any, mode: str) -> dict[str, Any]:
    """What an import would create, update and delete, by element kind, and per element each
    field before → after: the change set the import would apply, computed the same way."""
    changes = diff_models(team_model(team), model, mode=mode)
    return {"mode": mode, **changeset_preview(changes)}


def changeset_preview(changes: ChangeSet) -> dict[str, Any]:
    """A change set for a page: counts by kind, each element's field changes, and how many
    things it removes (a page asks for confirmation when that is not zero)."""
    rows = []
    for kind in kinds.KINDS:
        mine = [c for c in changes.elements if c.kind == kind.key]
        rows.append({"label": kind.coll, **{f"{action}d": sorted(c.name for c in mine if c.action == action)
                                            for action in ("create", "update", "delete")}})
    elements = []
    removals = 0
    for c in changes.elements:
        fields = element_diff(c.kind, c.before, c.after) if c.action == "update" else []
        removes = c.action == "delete" or any(f.removes for f in fields)
        removals += 1 if c.action == "delete" else sum(f.removes for f in fields)
        elements.append({"kind": c.kind, "name": c.name, "action": c.action, "fields": fields, "removes": removes})
    settings = [{"what": k, "before": _json(old), "after": _json(new)} for k, (old, new) in changes.settings.items()]
    return {"rows": rows, "elements": elements, "settings": settings, "removals": removals}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
