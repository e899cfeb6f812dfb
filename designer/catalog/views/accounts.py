"""Signing up, the start page, the list of one's teams, accepting an invitation."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from designer.catalog import services as svc
from designer.catalog.forms import TeamForm
from designer.catalog.selectors import invitation_for_secret, user_teams

from .common import errors_to_form


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and _signups_exhausted(request, count=False):
        form.add_error(None, "Too many accounts were created from your address in the last hour; try again later.")
        return render(request, "registration/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        _signups_exhausted(request, count=True)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        nxt = request.GET.get("next", "")
        if nxt.startswith("/") and not nxt.startswith("//"):
            joined = _accept_invitation_link(request, nxt)
            return joined or redirect(nxt)
        return redirect("teams")
    return render(request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")})


def _accept_invitation_link(request: HttpRequest, path: str) -> HttpResponse | None:
    """Signed up from an invitation link: join the team at once and land on its home (the
    invitee already chose to follow the link; making them open it again lost invitations)."""
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    if match.url_name != "invitation_accept":
        return None
    try:
        team = svc.invitation_accept(secret=match.kwargs.get("secret", ""), user=request.user)
    except svc.ValidationFailed as exc:
        flash.error(request, str(exc))
        return redirect("teams")
    flash.success(request, f"Welcome! You joined {team.name}.")
    return redirect("team_home", slug=team.slug)


def _signups_exhausted(request: HttpRequest, *, count: bool) -> bool:
    """Whether this address has created SIGNUP_RATE accounts already (``count``: add this one)."""
    usage = get_usage(request, group="signup", key="ip", rate=settings.SIGNUP_RATE, method="POST", increment=count)
    return usage is not None and usage["count"] >= usage["limit"]


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the login page's look, status 429."""
    from axes.helpers import get_client_username

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    ctx = {"username": get_client_username(request, credentials) or "", "failure_limit": settings.AXES_FAILURE_LIMIT,
           "minutes": minutes}
    resp = render(request, "registration/locked.html", ctx, status=429)
    resp["Retry-After"] = str(minutes * 60)
    return resp


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
            errors_to_form(form, exc)
        else:
            return redirect("team_home", slug=team.slug)
    return render(request, "teams.html", {"form": form, "teams": user_teams(request.user)})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    inv = invitation_for_secret(secret)
    if not request.user.is_authenticated:
        # Someone new follows the link: offer sign-up (which joins the team) or log-in, both
        # coming back here; nothing about the team is shown for an invalid link.
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "invitation.html", {"invitation": inv, "anonymous": True, "here": request.path},
                      status=200 if inv else 404)
    if request.method == "POST" and inv is not None:
        try:
            team = svc.invitation_accept(secret=secret, user=request.user)
        except svc.ValidationFailed as exc:
            flash.error(request, str(exc))
        else:
            return redirect("team_home", slug=team.slug)
    return render(request, "invitation.html", {"invitation": inv}, status=200 if inv else 404)
