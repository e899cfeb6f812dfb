"""Shared fixtures: factories for database rows and a logged-in client per role."""
from __future__ import annotations

import itertools
from typing import Any

import pytest

_seq = itertools.count(1)


@pytest.fixture
def make_user(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    def make(username: str | None = None, password: str = "pw-123456-long") -> Any:
        return get_user_model().objects.create_user(username or f"user{next(_seq)}", password=password)

    return make


@pytest.fixture
def make_team(db: Any, make_user: Any) -> Any:
    from designer.catalog import services as svc

    def make(name: str | None = None, owner: Any = None, **members: str) -> Any:
        owner = owner or make_user()
        n = next(_seq)
        team = svc.team_create(user=owner, name=name or f"Team {n}", slug=f"team-{n}")
        return team

    return make


@pytest.fixture
def member_client(client: Any, make_user: Any) -> Any:
    """``member_client(team, role)`` -> a Django test client logged in as a new member."""
    from django.test import Client

    from designer.catalog import services as svc

    def make(team: Any, role: str = "editor") -> Any:
        user = make_user()
        svc.membership_set(team=team, actor=None, user=user, role=role)
        c = Client()
        c.force_login(user)
        c.user = user
        return c

    return make


@pytest.fixture
def demo_team(db: Any) -> Any:
    from django.core.management import call_command

    from designer.catalog.models import Team

    call_command("seed_demo", verbosity=0)
    return Team.objects.get(slug="demo-shop")
