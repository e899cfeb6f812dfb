"""Members and invitation links (owners manage them; every member sees the list)."""
from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.forms import InviteForm, MemberForm
from designer.catalog.selectors import (
    invitation_get,
    membership_get,
    open_invitations,
    team_memberships,
    user_by_username,
)


@team_view()
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    is_owner = request.membership.role == "owner"  # type: ignore[attr-defined]
    form = MemberForm(request.POST or None) if request.POST.get("op") == "add" else MemberForm()
    invite_form = InviteForm()
    new_link = None
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("Only owners manage members.")
        op = request.POST.get("op")
        try:
            if op == "add" and form.is_valid():
                user = user_by_username(form.cleaned_data["username"])
                if user is None:
                    form.add_error("username", "No user has that username; ask them to sign up first, or send an invitation link.")
                else:
                    svc.membership_set(team=team, actor=request.user, user=user, role=form.cleaned_data["role"])
                    flash.success(request, f"{user.username} is now {form.cleaned_data['role']}.")
                    return redirect("members", slug=team.slug)
            elif op == "role":
                m = membership_get(team, parse_id(request.POST.get("membership")))
                svc.membership_set(team=team, actor=request.user, user=m.user, role=request.POST.get("role", ""))
                return redirect("members", slug=team.slug)
            elif op == "remove":
                m = membership_get(team, parse_id(request.POST.get("membership")))
                svc.membership_remove(team=team, actor=request.user, user=m.user)
                return redirect("members", slug=team.slug)
            elif op == "invite":
                invite_form = InviteForm(request.POST)
                if invite_form.is_valid():
                    _, secret = svc.invitation_create(team=team, actor=request.user, role=invite_form.cleaned_data["role"])
                    new_link = request.build_absolute_uri(reverse("invitation_accept", args=[secret]))
            elif op == "revoke-invite":
                inv = invitation_get(team, parse_id(request.POST.get("invitation")))
                svc.invitation_revoke(team=team, actor=request.user, invitation=inv)
                return redirect("members", slug=team.slug)
        except svc.ValidationFailed as exc:
            flash.error(request, str(exc))
    ctx = {
        "memberships": team_memberships(team), "invitations": open_invitations(team),
        "form": form, "invite_form": invite_form, "new_link": new_link, "is_owner": is_owner,
    }
    return render(request, "members.html", ctx)
