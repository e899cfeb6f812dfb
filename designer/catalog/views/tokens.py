"""API tokens of a team (owners only): create one (shown once), revoke one."""
from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.forms import TokenForm
from designer.catalog.selectors import team_tokens, token_get


@team_view(min_role="owner")
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST":
        if request.POST.get("op") == "revoke":
            tok = token_get(team, parse_id(request.POST.get("token")))
            svc.token_revoke(team=team, actor=request.user, token=tok)
            flash.success(request, f"Revoked {tok.prefix}…")
            return redirect("tokens", slug=team.slug)
        if form.is_valid():
            _, new_secret = svc.token_create(team=team, actor=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
    return render(request, "tokens.html", {"tokens": team_tokens(team), "form": form, "new_secret": new_secret})
