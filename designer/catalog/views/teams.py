"""A team's home page and its settings."""
from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from designer.catalog import services as svc
from designer.catalog.access import team_view
from designer.catalog.firstrun import checklist
from designer.catalog.forms import TeamSettingsForm
from designer.catalog.selectors import recent_changes, team_counts

from .common import errors_to_form, team_lint


@team_view()
def team_home(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    counts = team_counts(team)
    steps = checklist(request, counts)
    hidden = team.slug in request.session.get("first_run_hidden", [])
    ctx = {"counts": counts, "changes": recent_changes(team, 15), "lint": team_lint(request),
           "first_run": [] if hidden else steps, "first_run_left": sum(1 for s in steps if not s["done"])}
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and htmx.target == "first-run":
        return render(request, "team_home.html#first-run", ctx)
    tpl = "team_home.html#recent" if htmx else "team_home.html"
    return render(request, tpl, ctx)


@team_view(min_role="owner")
@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
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
            errors_to_form(form, exc)
        else:
            flash.success(request, "Settings saved.")
            return redirect("team_settings", slug=team.slug)
    return render(request, "settings.html", {"form": form})


@team_view(write_methods=())  # hiding the list changes nothing in the model: viewers may too
@require_POST
def first_run_hide(request: HttpRequest) -> HttpResponse:
    """Hide the first-run checklist on this team's home (for this browser session)."""
    team = request.team  # type: ignore[attr-defined]
    hidden = request.session.get("first_run_hidden", [])
    if team.slug not in hidden:
        request.session["first_run_hidden"] = [*hidden, team.slug][-50:]
    return redirect("team_home", slug=team.slug)


@team_view(min_role="owner")
@require_http_methods(["POST"])
def team_delete(request: HttpRequest) -> HttpResponse:
    """Delete the team once its owner typed its slug; everyone's open pages of it close."""
    team = request.team  # type: ignore[attr-defined]
    if request.POST.get("confirm", "").strip() != team.slug:
        flash.error(request, f"Nothing was deleted: type the team's slug “{team.slug}” to delete it.")
        return redirect("team_settings", slug=team.slug)
    svc.team_delete(team=team, actor=request.user)
    request.session.pop("last_team", None)
    flash.success(request, f"Deleted team {team.name} and everything in it.")
    return redirect("teams")
