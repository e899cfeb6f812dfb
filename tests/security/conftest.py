"""Security suite: each attack as real requests against the ASGI app (and a real uvicorn for
websockets), in the embedded default and in production mode (PostgreSQL + Redis)."""
from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def owner_of_demo(demo_team: Any, make_user: Any) -> Any:
    """(team, owner user, logged-in Django test client, API token secret) on the shipped demo model."""
    from django.test import Client

    from designer.catalog import services as svc

    owner = make_user()
    svc.membership_set(team=demo_team, actor=None, user=owner, role="owner")
    client = Client()
    client.force_login(owner)
    _, secret = svc.token_create(team=demo_team, actor=owner, name="security suite")
    return demo_team, owner, client, secret


def db_fingerprint() -> tuple[Any, ...]:
    """Counts of every row a write could touch, and every team's revision: equal means no write."""
    from django.apps import apps

    counts = []
    for label in ("catalog", "lintreview", "codeweb", "diagrams"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in ("DiagramRender", "CodeBundle"):
                continue  # caches filled by reads (a page view renders a diagram)
            counts.append((model.__name__, model.objects.count()))
    from designer.catalog.models import Team

    revisions = tuple(Team.objects.order_by("pk").values_list("pk", "revision", "lock_version"))
    return tuple(counts), revisions
