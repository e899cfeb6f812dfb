"""Every team-scoped URL answers 404 to non-members and nobody; viewers get 403 on writes."""
from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from designer.catalog.models import Channel, Flow, Message, MessageVersion, Relation, Service

pytestmark = pytest.mark.django_db


def team_urls(team: Any) -> list[str]:
    s = team.slug
    svc = Service.objects.filter(team=team).first()
    msg = Message.objects.filter(team=team).first()
    ch = Channel.objects.filter(team=team).first()
    flow = Flow.objects.filter(team=team).first()
    urls = [reverse(n, args=[s]) for n in (
        "team_home", "team_history", "members", "tokens", "team_settings", "export_model", "import_model")]
    for coll, obj in (("services", svc), ("messages", msg), ("channels", ch), ("flows", flow)):
        urls += [reverse("element_list", args=[s, coll]), reverse("element_new", args=[s, coll])]
        for name in ("element_detail", "element_edit", "element_delete", "element_history"):
            urls.append(reverse(name, args=[s, coll, obj.pk]))
    change = team.changes.first()
    urls.append(reverse("change_detail", args=[s, change.pk]))
    urls.append(reverse("flow_step_preview", args=[s, flow.pk]) + "?sentence=a+sends+b")
    return urls


def write_urls(team: Any) -> list[str]:
    s = team.slug
    msg = Message.objects.filter(team=team).first()
    v = MessageVersion.objects.filter(message=msg).first()
    rel = Relation.objects.filter(message=msg).first()
    flow = Flow.objects.filter(team=team).first()
    urls = [
        reverse("version_save", args=[s, msg.pk]), reverse("version_status", args=[s, msg.pk, v.pk]),
        reverse("relation_add", args=[s, msg.pk]), reverse("relation_remove", args=[s, msg.pk, rel.pk]),
        reverse("flow_steps", args=[s, flow.pk]), reverse("import_model", args=[s]),
        reverse("diagram_node_relation", args=[s]),
    ]
    for coll, obj in (("services", Service.objects.filter(team=team).first()), ("messages", msg),
                      ("channels", Channel.objects.filter(team=team).first()), ("flows", flow)):
        urls += [reverse("element_new", args=[s, coll]), reverse("element_edit", args=[s, coll, obj.pk]),
                 reverse("element_delete", args=[s, coll, obj.pk])]
    return urls


def test_it_answers_404_to_a_member_of_another_team_on_every_team_url(demo_team: Any, make_team: Any, member_client: Any) -> None:
    other = make_team()
    outsider = member_client(other, "owner")
    urls = team_urls(demo_team)
    assert len(urls) > 25
    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, {}).status_code == 404, url


def test_it_answers_404_to_nobody_on_every_team_url(demo_team: Any) -> None:
    anonymous = Client()
    for url in team_urls(demo_team):
        resp = anonymous.get(url)
        assert resp.status_code == 404, url


def test_it_answers_the_same_for_a_team_that_does_not_exist(demo_team: Any, make_team: Any, member_client: Any) -> None:
    outsider = member_client(make_team(), "owner")
    real = outsider.get(reverse("team_home", args=[demo_team.slug]))
    missing = outsider.get(reverse("team_home", args=["no-such-team"]))
    assert real.status_code == missing.status_code == 404
    assert demo_team.name not in real.content.decode()


def test_it_refuses_every_write_to_a_viewer_and_changes_nothing(demo_team: Any, member_client: Any) -> None:
    viewer = member_client(demo_team, "viewer")
    revision = demo_team.revision
    for url in write_urls(demo_team):
        assert viewer.post(url, {"name": "x", "status": "released"}).status_code == 403, url
    demo_team.refresh_from_db()
    assert demo_team.revision == revision


def test_it_lets_a_viewer_read_every_page(demo_team: Any, member_client: Any) -> None:
    viewer = member_client(demo_team, "viewer")
    for url in team_urls(demo_team):
        if any(part in url for part in ("/new/", "/edit/", "/delete/", "/tokens/", "/settings/", "/import/")):
            continue
        assert viewer.get(url).status_code == 200, url


def test_it_keeps_owner_pages_from_editors(demo_team: Any, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    for name in ("tokens", "team_settings"):
        assert editor.get(reverse(name, args=[demo_team.slug])).status_code == 403
