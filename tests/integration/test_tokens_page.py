"""The token page's ready curl line (issue 14): one valid example event of the team's model."""
from __future__ import annotations

import html
import json
import re
import shlex
from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Message

pytestmark = pytest.mark.django_db


def _curl(page: str) -> list[str]:
    text = html.unescape(re.search(r'<pre class="code" id="curl-line"[^>]*>(.*?)</pre>', page, re.S).group(1))
    return shlex.split(text.replace("\\\n", " "))


def test_the_curl_line_parses_and_carries_an_event_of_the_model(demo_team: Any, member_client: Any) -> None:
    owner = member_client(demo_team, "owner")
    args = _curl(owner.get(reverse("tokens", args=[demo_team.slug])).content.decode())
    assert args[:3] == ["curl", "-X", "POST"] and args[3].endswith(f"/api/teams/{demo_team.slug}/events")
    assert "Authorization: Bearer $TOKEN" in args  # a placeholder the shell expands
    body = json.loads(args[args.index("-d") + 1])
    types = set(Message.objects.filter(team=demo_team).values_list("wire_type", flat=True))
    assert (body.get("type") or body.get("eventType")) in types

    page = owner.post(reverse("tokens", args=[demo_team.slug]), {"name": "ci"}).content.decode()
    secret = re.search(r'value="([^"]+)" data-select-all aria-label="New API token"', page).group(1)
    assert f"Authorization: Bearer {secret}" in _curl(page)  # the new token, ready to paste


def test_the_token_page_is_for_owners_only(demo_team: Any, member_client: Any) -> None:
    assert member_client(demo_team, "editor").get(reverse("tokens", args=[demo_team.slug])).status_code == 403
