"""Login and sign-up throttling (django-axes, django-ratelimit) through the real pages: lockout per
username and per address with a clear message; sessions already open and other people are not
affected."""
from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"


def address() -> str:
    """A fresh client address (the sign-up counter lives in the cache, which may outlive a test)."""
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"


def login(client: Client, username: str, password: str, addr: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


def logged_in(client: Client, addr: str) -> bool:
    return client.get("/teams/", REMOTE_ADDR=addr).status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_is_refused(demo_team: Any, make_user: Any) -> None:
    owner = make_user("owner-under-attack", password=PASSWORD)
    from designer.catalog import services as svc

    svc.membership_set(team=demo_team, actor=None, user=owner, role="owner")
    laptop = Client()  # the owner's own session, opened before the attack
    laptop.force_login(owner)

    attacker, attack_from = Client(), address()
    answers = [login(attacker, owner.username, f"guess-{i}", attack_from).status_code for i in range(30)]
    assert answers[0] == 200 and 429 in answers  # the form first says "wrong", then the lockout
    final = login(attacker, owner.username, PASSWORD, attack_from)
    assert final.status_code == 429 and not logged_in(attacker, attack_from)
    text = final.content.decode()
    assert "Too many login attempts" in text and "owner-under-attack" in text and "15 minutes" in text
    assert final["Retry-After"] == "900"
    assert "Traceback" not in text

    # Their username is locked everywhere (a distributed guesser gains nothing) ...
    elsewhere = Client()
    assert login(elsewhere, owner.username, PASSWORD, address()).status_code == 429
    # ... but the session they already had keeps working, on every page.
    assert laptop.get(f"/t/{demo_team.slug}/", REMOTE_ADDR=address()).status_code == 200
    assert laptop.get(f"/t/{demo_team.slug}/members/").status_code == 200
    # And someone else, from somewhere else, logs in as usual.
    make_user("bystander", password=PASSWORD)
    other = Client()
    other_addr = address()
    assert login(other, "bystander", PASSWORD, other_addr).status_code == 302
    assert logged_in(other, other_addr)


def test_an_address_that_guesses_many_usernames_is_locked(make_user: Any, settings: Any) -> None:
    make_user("victim", password=PASSWORD)
    attacker, attack_from = Client(), address()
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, f"someone-{i}", "nope", attack_from)
    refused = login(attacker, "victim", PASSWORD, attack_from)
    assert refused.status_code == 429 and not logged_in(attacker, attack_from)
    # The same person from their own address is fine (their username had no failures).
    assert login(Client(), "victim", PASSWORD, address()).status_code == 302


def test_a_right_password_before_the_limit_logs_in_and_resets_the_count(make_user: Any, settings: Any) -> None:
    make_user("typo-prone", password=PASSWORD)
    c, addr = Client(), address()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(c, "typo-prone", "wrong", addr).status_code == 200
    assert login(c, "typo-prone", PASSWORD, addr).status_code == 302
    c.post("/accounts/logout/", REMOTE_ADDR=addr)
    assert login(c, "typo-prone", "wrong", addr).status_code == 200  # counting starts again


def test_sign_ups_from_one_address_are_limited(settings: Any) -> None:
    settings.SIGNUP_RATE = "3/h"
    addr = address()
    for i in range(3):
        c = Client()
        r = c.post("/accounts/signup/", {"username": f"bulk-{addr}-{i}", "password1": PASSWORD, "password2": PASSWORD},
                   REMOTE_ADDR=addr)
        assert r.status_code == 302, r.content.decode()[:500]
    before = get_user_model().objects.count()
    refused = Client().post("/accounts/signup/", {"username": "one-too-many", "password1": PASSWORD, "password2": PASSWORD},
                            REMOTE_ADDR=addr)
    assert refused.status_code == 429
    assert "Too many accounts were created from your address" in refused.content.decode()
    assert get_user_model().objects.count() == before  # nothing written
    ok = Client().post("/accounts/signup/", {"username": "from-elsewhere", "password1": PASSWORD, "password2": PASSWORD},
                       REMOTE_ADDR=address())
    assert ok.status_code == 302
