"""Designing a flow by sentences and from a diagram node (issue 14): bad input changes nothing."""
from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Flow, Message, Relation, Service, Team
from designer.core.diagram import node_id

pytestmark = pytest.mark.django_db


def _revision(team: Any) -> int:
    return Team.objects.get(pk=team.pk).revision


@pytest.mark.parametrize("sentence", [
    "order-service OrderPlaced",                      # no verb
    "order\\x00-service sends OrderPlaced".replace("\\x00", "\x00"),  # a control character
    "order-service sends " + "X" * 300,               # a name over 200 characters
    "order-service sends it",                         # "it" in an empty flow
])
def test_a_step_the_designer_cannot_use_writes_nothing(demo_team: Any, member_client: Any, sentence: str) -> None:
    editor = member_client(demo_team, "editor")
    flow = Flow.objects.create(team=demo_team, name="empty-flow")
    before = (_revision(demo_team), Service.objects.count(), Message.objects.count(), Relation.objects.count())
    resp = editor.post(reverse("flow_steps", args=[demo_team.slug, flow.pk]), {"op": "add", "sentence": sentence},
                       HTTP_HX_REQUEST="true")
    assert resp.status_code == 422
    assert 'id="step-error"' in resp.content.decode()
    assert (_revision(demo_team), Service.objects.count(), Message.objects.count(), Relation.objects.count()) == before
    assert flow.steps.count() == 0


def test_a_step_creates_what_it_names_once_and_escapes_it(demo_team: Any, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    flow = Flow.objects.get(team=demo_team, name="checkout")
    n = flow.steps.count()
    url = reverse("flow_steps", args=[demo_team.slug, flow.pk])
    resp = editor.post(url, {"op": "add", "sentence": "<b>x</b>-service sends PlaceOrder"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "<b>x</b>" not in resp.content.decode()
    placed = Message.objects.get(team=demo_team, name="PlaceOrder")
    assert (placed.kind, placed.wire_type) == ("command", "order.place")  # kind and wire type from the name
    assert placed.versions.get().schema == {"type": "object", "properties": {}, "required": []}  # as the form starts it
    assert Relation.objects.filter(team=demo_team, service__name="<b>x</b>-service", message__name="PlaceOrder",
                                   role="produces").count() == 1
    editor.post(url, {"op": "add", "sentence": "<b>x</b>-service sends it"}, HTTP_HX_REQUEST="true")
    assert flow.steps.count() == n + 2
    assert Relation.objects.filter(team=demo_team, message__name="PlaceOrder").count() == 1  # not twice


def test_the_node_panel_refuses_a_bad_action_and_viewers(demo_team: Any, member_client: Any) -> None:
    url = reverse("diagram_node_relation", args=[demo_team.slug])
    node = node_id("services/order-service")
    editor, viewer = member_client(demo_team, "editor"), member_client(demo_team, "viewer")
    before = _revision(demo_team)
    assert editor.post(url, {"id": node, "action": "deletes", "other": "OrderPlaced"}).status_code == 422
    assert editor.post(url, {"id": "svc-nope", "action": "sends", "other": "OrderPlaced"}).status_code == 404
    assert viewer.post(url, {"id": node, "action": "sends", "other": "Y"}).status_code == 403
    assert _revision(demo_team) == before
