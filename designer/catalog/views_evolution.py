"""Schema evolution pages: the diff between two versions, and the team's default modes.

Thin views: the judgement is ``designer.core.compat`` by way of ``evolution``; writes go through
``services``.
"""
from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import evolution
from . import services as svc
from .access import parse_id, team_view
from .kinds import by_coll
from .models import Message, MessageVersion
from .selectors import element_get, message_version, message_versions

MESSAGES = by_coll("messages")


def _version_param(request: HttpRequest, msg: Message, name: str) -> MessageVersion | None:
    raw = request.GET.get(name, "")
    vid = parse_id(raw)
    if vid is None:
        return None
    return message_version(msg, vid)


@team_view()
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """``?from=<vid>&to=<vid>``: two versions side by side. ``to`` defaults to the newest and
    ``from`` to the version before ``to``, so "Compare with previous" needs only ``to``."""
    msg = element_get(request.team, MESSAGES, pk)  # type: ignore[attr-defined]
    versions = message_versions(msg)
    error = ""
    for name in ("from", "to"):
        if request.GET.get(name) and _version_param(request, msg, name) is None:
            error = f"There is no version {request.GET[name][:20]!r} of {msg.name}; pick one from the lists."
    new = _version_param(request, msg, "to") or (versions[0] if versions else None)
    old = _version_param(request, msg, "from") or (evolution.previous_version(new) if new else None)
    ctx: dict[str, object] = {"obj": msg, "coll": "messages", "versions": versions, "error": error,
                              "old": old, "new": new}
    if old is not None and new is not None and not error:
        ctx.update(evolution.version_diff(msg, old, new))
    elif not error:
        error = f"{msg.name} has only one version: there is nothing to compare yet."
        ctx["error"] = error
    return render(request, "evolution/diff.html", ctx, status=404 if error.startswith("There is no") else 200)


@team_view(min_role="owner")
@require_POST
def default_compat(request: HttpRequest) -> HttpResponse:
    """Owners set the compatibility mode each message kind defaults to."""
    mapping, errors = evolution.parse_default_compat(request.POST)
    if errors:
        for msg in errors.values():
            flash.error(request, msg)
        return redirect("team_settings", slug=request.team.slug)
    try:
        svc.team_settings_update(team=request.team, actor=request.user, default_compat=mapping)
    except svc.ValidationFailed as exc:
        flash.error(request, str(exc))
    else:
        shown = ", ".join(f"{k}s {evolution.default_mode(request.team, k)}" for k in ("event", "command", "query"))
        flash.success(request, f"Default compatibility saved: {shown}.")
    return redirect("team_settings", slug=request.team.slug)
