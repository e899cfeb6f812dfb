"""Code pages: preview a service's generated project, download zips, build team bundles."""
from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer.catalog.access import team_view
from designer.catalog.kinds import by_coll
from designer.catalog.selectors import element_get, element_list
from designer.core.codegen import LANGUAGES

from . import selectors, services

SERVICES = by_coll("services")


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "python")
    if lang not in LANGUAGES:
        raise Http404(f"Unknown language {lang!r}.")
    return lang


def _tree(paths: list[str]) -> list[dict[str, Any]]:
    """Rows of a file tree: folders once, then files indented under them."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in sorted(paths):
        parts = path.split("/")
        for depth in range(len(parts) - 1):
            folder = "/".join(parts[: depth + 1])
            if folder not in seen:
                seen.add(folder)
                rows.append({"folder": True, "name": parts[depth] + "/", "depth": depth, "path": folder})
        rows.append({"folder": False, "name": parts[-1], "depth": len(parts) - 1, "path": path})
    return rows


@team_view()
def index(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    return render(request, "codegen/index.html", {
        "services": element_list(team, SERVICES),
        "languages": LANGUAGES,
        "bundles": selectors.bundles_recent(team),
    })


@team_view()
def service_code(request: HttpRequest, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    svc = element_get(team, SERVICES, pk)
    lang = _lang(request)
    revision, files = services.service_files(team, lang, svc.name)
    path = request.GET.get("file") or next((p for p in files if p.endswith(("handlers.py", "handlers.ts", "Handlers.java", "handlers.go"))), next(iter(files)))
    if path not in files:
        raise Http404("No such file in the generated project.")
    seen = request.session.get("code_seen", [])
    if team.slug not in seen:  # the first-run checklist's "generate code" (designer.catalog.firstrun)
        request.session["code_seen"] = [*seen, team.slug][-20:]
    ctx = {
        "service": svc, "lang": lang, "languages": LANGUAGES, "revision": revision,
        "tree": _tree(list(files)), "path": path, "code": services.highlight(path, files[path]),
        "css": services.highlight_css(), "count": len(files),
    }
    tpl = "codegen/service.html#viewer" if request.htmx and request.htmx.target == "code-viewer" else "codegen/service.html"
    return render(request, tpl, ctx)


@team_view()
def service_zip(request: HttpRequest, pk: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    svc = element_get(team, SERVICES, pk)
    lang = _lang(request)
    _, files = services.service_files(team, lang, svc.name)
    resp = HttpResponse(services.zip_files(files), content_type="application/zip")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in svc.name)[:60] or "service"
    resp["Content-Disposition"] = f'attachment; filename="{safe}-{lang}.zip"'
    return resp


@team_view(write_methods=())  # building a zip changes nothing in the model: viewers may do it
@require_POST
def bundle_new(request: HttpRequest) -> HttpResponse:
    lang = request.POST.get("lang", "all")
    try:
        bundle = services.bundle_request(team=request.team, user=request.user, lang=lang)  # type: ignore[attr-defined]
    except ValueError as exc:
        raise Http404(str(exc)) from None
    return redirect("codegen_bundle", slug=request.team.slug, bid=bundle.pk)  # type: ignore[attr-defined]


@team_view()
def bundle(request: HttpRequest, bid: int) -> HttpResponse:
    b = selectors.bundle_get(request.team, bid)  # type: ignore[attr-defined]
    tpl = "codegen/bundle.html#progress" if request.htmx else "codegen/bundle.html"
    return render(request, tpl, {"bundle": b})


@team_view()
def bundle_download(request: HttpRequest, bid: int) -> HttpResponse:
    b = selectors.bundle_get(request.team, bid, ready=True)  # type: ignore[attr-defined]
    resp = HttpResponse(bytes(b.data or b""), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="{b.team.slug}-{b.lang}-r{b.revision}.zip"'
    return resp
