"""Catastrophic patterns where a user types them, in process (the uvicorn case with a concurrent
page is in test_live_site.py): a JSON Schema ``pattern`` checked as you type, on save, and a team's
lint option that is a regular expression, read by the findings page and the findings API."""
from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from designer.catalog import services as svc
from designer.lintreview.services import lint_config_save

pytestmark = pytest.mark.django_db

EVIL = "(a+)+$"
VICTIM = "a" * 30 + "!"  # a backtracking engine needs 2**30 steps here


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def test_a_schema_pattern_as_you_type_and_on_save(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    schema = json.dumps({"type": "string", "pattern": EVIL})
    url = reverse("validate_field", args=[team.slug, "messages"])
    client.post(url, {"_field": "example", "schema": schema, "example": '"a"'})  # warm up
    took, resp = timed(lambda: client.post(url, {"_field": "example", "schema": schema, "example": json.dumps(VICTIM)}))
    assert resp.status_code == 200 and "does not match" in resp.content.decode()
    assert took < 0.1, f"{took * 1000:.0f} ms"
    took, resp = timed(lambda: client.post(reverse("element_new", args=[team.slug, "messages"]),
                                           {"name": "PatternProbed", "kind": "event", "schema": schema,
                                            "example": json.dumps(VICTIM)}))
    assert resp.status_code == 422 and "does not match" in resp.content.decode()
    assert took < 0.5, f"{took * 1000:.0f} ms"


@pytest.mark.parametrize("pattern", [EVIL, "^a+$"])
def test_a_lint_option_pattern_on_the_findings_page_and_api(owner_of_demo: Any, pattern: str) -> None:
    """The same work with a catastrophic and with a harmless pattern takes about the same time."""
    team, owner, client, secret = owner_of_demo
    svc.element_create(team=team, user=owner, kind="message",
                       data={"name": "PatternProbed", "kind": "event", "wire_type": VICTIM})
    team.refresh_from_db()
    lint_config_save(team=team, user=owner, severities={},
                     options={"event-type-namespace": {"style": "pattern", "pattern": pattern}})
    took, resp = timed(lambda: client.get(reverse("lint_findings", args=[team.slug])))
    assert resp.status_code == 200
    assert took < 5, f"{took * 1000:.0f} ms"
    api = Client()
    took, resp = timed(lambda: api.get(reverse("api_lint_findings", args=[team.slug]),
                                       HTTP_AUTHORIZATION=f"Bearer {secret}"))
    assert resp.status_code == 200
    found = [f for f in resp.json() if f["rule"] == "event-type-namespace" and f["element"] == "PatternProbed"]
    assert found, resp.json()
    assert took < 2, f"{took * 1000:.0f} ms"
