"""Sign up, log in and out, teams, members, invitations and tokens."""
from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from designer.catalog.models import ApiToken, Membership, Team

pytestmark = pytest.mark.django_db


def test_it_signs_up_logs_out_and_logs_in(client: Client) -> None:
    # An address of its own: sign-ups per address are limited, and production mode's cache outlives a run.
    address = f"10.1.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    resp = client.post(reverse("signup"), {"username": "carol", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
                       REMOTE_ADDR=address)
    assert resp.status_code == 302
    assert client.get(reverse("teams")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("teams")).status_code == 302
    resp = client.post(reverse("login"), {"username": "carol", "password": "a-long-pass-phrase-9"})
    assert resp.status_code == 302


def test_it_creates_a_team_with_the_creator_as_owner(client: Client, make_user: Any) -> None:
    user = make_user()
    client.force_login(user)
    resp = client.post(reverse("teams"), {"name": "Payments Team"})
    team = Team.objects.get(slug="payments-team")
    assert resp.status_code == 302 and Membership.objects.get(team=team, user=user).role == "owner"


def test_it_switches_between_teams(client: Client, make_user: Any, make_team: Any) -> None:
    user = make_user()
    a, b = make_team(owner=user), make_team(owner=user)
    client.force_login(user)
    page = client.get(reverse("team_home", args=[a.slug])).content.decode()
    assert a.name in page and b.name in page  # the switcher lists both
    client.get(reverse("team_home", args=[b.slug]))
    assert client.get(reverse("home"))["Location"] == reverse("team_home", args=[b.slug])


def test_it_invites_with_a_one_time_link(make_team: Any, member_client: Any, make_user: Any) -> None:
    team = make_team()
    owner = member_client(team, "owner")
    page = owner.post(reverse("members", args=[team.slug]), {"op": "invite", "role": "editor"}).content.decode()
    link = re.search(r'value="(http://testserver/invite/[^"]+/)"', page).group(1)
    path = link.replace("http://testserver", "")
    newcomer, later = Client(), Client()
    newcomer.force_login(make_user("dave"))
    later.force_login(make_user("erin"))
    assert newcomer.post(path).status_code == 302
    assert Membership.objects.get(team=team, user__username="dave").role == "editor"
    assert later.post(path).status_code == 404
    assert not Membership.objects.filter(team=team, user__username="erin").exists()


def test_it_lets_only_owners_manage_members(make_team: Any, member_client: Any, make_user: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    make_user("frank")
    resp = editor.post(reverse("members", args=[team.slug]), {"op": "add", "username": "frank", "role": "owner"})
    assert resp.status_code == 403
    owner = member_client(team, "owner")
    owner.post(reverse("members", args=[team.slug]), {"op": "add", "username": "frank", "role": "viewer"})
    assert Membership.objects.get(team=team, user__username="frank").role == "viewer"


def test_it_never_removes_the_last_owner(make_user: Any, make_team: Any) -> None:
    user = make_user()
    team = make_team(owner=user)
    c = Client()
    c.force_login(user)
    m = Membership.objects.get(team=team, user=user)
    c.post(reverse("members", args=[team.slug]), {"op": "remove", "membership": m.pk})
    assert Membership.objects.filter(team=team, user=user, role="owner").exists()


def test_it_shows_a_new_token_once_and_revokes_it(make_team: Any, member_client: Any) -> None:
    team = make_team()
    owner = member_client(team, "owner")
    page = owner.post(reverse("tokens", args=[team.slug]), {"name": "staging"}).content.decode()
    secret = re.search(r'value="(efd_[^"]+)"', page).group(1)
    listing = owner.get(reverse("tokens", args=[team.slug])).content.decode()
    assert secret not in listing and secret[:12] in listing
    tok = ApiToken.objects.get(team=team)
    owner.post(reverse("tokens", args=[team.slug]), {"op": "revoke", "token": tok.pk})
    tok.refresh_from_db()
    assert tok.revoked_at is not None


def test_it_changes_the_envelope_profile_in_settings(make_team: Any, member_client: Any) -> None:
    team = make_team()
    owner = member_client(team, "owner")
    resp = owner.post(reverse("team_settings", args=[team.slug]), {"name": team.name, "envelope_profile": "custom", "envelope_schema": ""})
    assert resp.status_code == 200 and "needs its envelope schema" in resp.content.decode()
    owner.post(reverse("team_settings", args=[team.slug]), {"name": team.name, "envelope_profile": "brief", "lock_version": team.lock_version})
    team.refresh_from_db()
    assert team.envelope_profile == "brief"


def test_it_hashes_passwords_with_argon2id_at_owasps_baseline(client: Any) -> None:
    from django.contrib.auth.models import User

    user = User.objects.create_user("hash-check", password="a-long-password-1")
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("a-long-password-1") and not user.check_password("wrong")


def test_it_rehashes_an_old_pbkdf2_password_with_argon2id_at_login(client: Any) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    old = make_password("a-long-password-1", hasher="pbkdf2_sha256")
    User.objects.create(username="old-hash", password=old)
    resp = client.post(reverse("login"), {"username": "old-hash", "password": "a-long-password-1"})
    assert resp.status_code == 302
    assert User.objects.get(username="old-hash").password.startswith("argon2$argon2id$")


def test_an_invitee_who_signs_up_from_the_link_joins_the_team(make_team: Any, member_client: Any) -> None:
    team = make_team()
    owner = member_client(team, "owner")
    page = owner.post(reverse("members", args=[team.slug]), {"op": "invite", "role": "viewer"}).content.decode()
    path = re.search(r'value="http://testserver(/invite/[^"]+/)"', page).group(1)
    anonymous = Client()
    assert "Sign up and join" in anonymous.get(path).content.decode()
    assert anonymous.get("/invite/not-a-secret/").status_code == 404
    resp = anonymous.post(f"/accounts/signup/?next={path}", {"username": "gina", "password1": "Gina-long-pass-42",
                                                             "password2": "Gina-long-pass-42"})
    assert resp.status_code == 302 and resp["Location"] == reverse("team_home", args=[team.slug])
    assert Membership.objects.get(team=team, user__username="gina").role == "viewer"
