"""Design as code: download the team's model (native or AsyncAPI), upload one to import."""
from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from designer.catalog import kinds
from designer.catalog import services as svc
from designer.catalog.access import team_view
from designer.catalog.forms import ImportForm
from designer.catalog.selectors import team_model
from designer.core.changeset import diff_models
from designer.core.formats import FormatError, asyncapi, load_any, native

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
    """Upload -> preview of what changes -> apply. The uploaded text waits in the cache between
    the two steps (keyed by team, user and a random id) so the file is not sent twice."""
    team = request.team  # type: ignore[attr-defined]
    form = ImportForm(request.POST or None, request.FILES or None)
    error = None
    preview = None
    pending = request.POST.get("pending", "")
    mode = request.POST.get("mode", "merge") if request.POST.get("mode") in ("merge", "replace") else "merge"
    if request.method == "POST" and pending:
        stored = cache.get(_pending_key(request, pending))
        if stored is None:
            error = "The preview expired; upload the file again."
        else:
            name, text = stored
            try:
                model = load_any(text, name)
                rep = svc.model_import(team=team, user=request.user, model=model, mode=mode)
            except FormatError as exc:
                error = f"{name}: {exc}"
            except svc.ValidationFailed as exc:
                error = str(exc)
            else:
                cache.delete(_pending_key(request, pending))
                flash.success(request, f"Imported {name}: {rep.summary()}.")
                return redirect("team_home", slug=team.slug)
        form = ImportForm(initial={"mode": mode})
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.DESIGNER_MAX_MODEL_BYTES:
            error = f"The file is {upload.size:,} bytes; the limit is {settings.DESIGNER_MAX_MODEL_BYTES:,}."
        else:
            try:
                text = upload.read().decode("utf-8")
                model = load_any(text, upload.name)
                preview = import_preview(team, model, form.cleaned_data["mode"])
            except UnicodeDecodeError:
                error = "The file is not UTF-8 text."
            except FormatError as exc:
                error = f"{upload.name}: {exc}"
            except ValueError as exc:  # the file's relations name a message nobody declares
                error = f"{upload.name}: {exc}"
            else:
                pending = secrets.token_urlsafe(12)
                cache.set(_pending_key(request, pending), (upload.name, text), PENDING_SECONDS)
                preview["pending"] = pending
                preview["name"] = upload.name
    return render(request, "import.html", {"form": form, "error": error, "preview": preview},
                  status=422 if error else 200)


def import_preview(team: Any, model: Any, mode: str) -> dict[str, Any]:
    """What an import would create, update and delete, by element kind: the change set the
    import would apply, computed the same way."""
    changes = diff_models(team_model(team), model, mode=mode)
    rows = []
    for kind in kinds.KINDS:
        mine = [c for c in changes.elements if c.kind == kind.key]
        rows.append({"label": kind.coll, **{f"{action}d": sorted(c.name for c in mine if c.action == action)
                                            for action in ("create", "update", "delete")}})
    return {"mode": mode, "rows": rows}
