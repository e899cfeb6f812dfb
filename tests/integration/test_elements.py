"""Creating, editing and deleting model elements through the web UI."""
from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Change, Message, MessageVersion, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_team: Any) -> Any:
    return make_team()


@pytest.fixture
def editor(team: Any, member_client: Any) -> Any:
    return member_client(team, "editor")


def test_it_creates_a_service_and_records_the_change(team: Any, editor: Any) -> None:
    resp = editor.post(reverse("element_new", args=[team.slug, "services"]),
                       {"name": "order-service", "description": "Takes orders", "owner": "team-orders",
                        "repository": "https://git.example.com/shop/orders", "language": "python"})
    assert resp.status_code == 302
    svc = Service.objects.get(team=team, name="order-service")
    change = Change.objects.filter(team=team, element_kind="service", element_id=svc.pk).get()
    assert change.action == "create" and change.user == editor.user
    assert change.after["repository"] == "https://git.example.com/shop/orders"
    page = editor.get(reverse("element_list", args=[team.slug, "services"])).content.decode()
    assert "order-service" in page


def test_it_answers_htmx_creates_with_a_client_redirect(team: Any, editor: Any) -> None:
    resp = editor.post(reverse("element_new", args=[team.slug, "channels"]),
                       {"name": "orders", "broker": "kafka", "delivery": "at-least-once"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    assert "/channels/" in resp["HX-Redirect"]


def test_it_refuses_a_duplicate_name_with_a_clear_message(team: Any, editor: Any) -> None:
    url = reverse("element_new", args=[team.slug, "services"])
    editor.post(url, {"name": "billing"})
    resp = editor.post(url, {"name": "billing"})
    assert resp.status_code == 422
    assert "already exists" in resp.content.decode()
    assert Service.objects.filter(team=team, name="billing").count() == 1


def test_it_escapes_hostile_names_everywhere(team: Any, editor: Any) -> None:
    hostile = "<script>alert(1)</script>'; DROP TABLE x;--"
    editor.post(reverse("element_new", args=[team.slug, "services"]), {"name": hostile})
    svc = Service.objects.get(team=team)
    assert svc.name == hostile
    for url in (reverse("element_list", args=[team.slug, "services"]),
                reverse("element_detail", args=[team.slug, "services", svc.pk]),
                reverse("team_home", args=[team.slug]), reverse("team_history", args=[team.slug])):
        body = editor.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_refuses_an_invalid_schema_and_creates_nothing(team: Any, editor: Any) -> None:
    resp = editor.post(reverse("element_new", args=[team.slug, "messages"]),
                       {"name": "OrderPlaced", "kind": "event", "schema": json.dumps({"type": "objekt"})})
    assert resp.status_code == 422
    assert "schema" in resp.content.decode() and "objekt" in resp.content.decode()
    assert not Message.objects.filter(team=team).exists()


def test_it_reports_malformed_json_with_line_and_column(team: Any, editor: Any) -> None:
    resp = editor.post(reverse("element_new", args=[team.slug, "messages"]),
                       {"name": "OrderPlaced", "kind": "event", "schema": '{\n  "type": "object",\n}'})
    assert resp.status_code == 422
    assert "line 3, column 1" in resp.content.decode()


def test_it_points_at_the_json_path_of_an_example_that_does_not_match(team: Any, editor: Any) -> None:
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object",
              "properties": {"qty": {"type": "integer"}}}}}}
    resp = editor.post(reverse("element_new", args=[team.slug, "messages"]),
                       {"name": "OrderPlaced", "kind": "event", "schema": json.dumps(schema),
                        "example": json.dumps({"items": [{"qty": "two"}]})})
    assert resp.status_code == 422
    assert "$.items[0].qty" in resp.content.decode()


def test_it_refuses_a_stale_edit_with_a_conflict_and_keeps_the_first_save(team: Any, editor: Any, member_client: Any) -> None:
    editor.post(reverse("element_new", args=[team.slug, "services"]), {"name": "orders", "description": "v0"})
    svc = Service.objects.get(team=team, name="orders")
    url = reverse("element_edit", args=[team.slug, "services", svc.pk])
    other = member_client(team, "editor")
    assert other.post(url, {"name": "orders", "description": "first", "lock_version": svc.lock_version}).status_code == 302
    resp = editor.post(url, {"name": "orders", "description": "second", "lock_version": svc.lock_version})
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "changed meanwhile" in body and "first" in body and other.user.username in body
    svc.refresh_from_db()
    assert svc.description == "first"


def test_it_lists_dependents_before_deleting(demo_team: Any, member_client: Any) -> None:
    owner = member_client(demo_team, "editor")
    svc = Service.objects.get(team=demo_team, name="order-service")
    page = owner.get(reverse("element_delete", args=[demo_team.slug, "services", svc.pk])).content.decode()
    assert "produces" in page and "OrderPlaced" in page
    assert owner.post(reverse("element_delete", args=[demo_team.slug, "services", svc.pk])).status_code == 302
    assert not Service.objects.filter(pk=svc.pk).exists()
    change = Change.objects.filter(team=demo_team, action="delete", element_kind="service").get()
    assert change.before["name"] == "order-service"


def test_it_keeps_a_released_version_immutable_by_making_a_new_one(team: Any, editor: Any) -> None:
    schema = {"type": "object", "properties": {"orderId": {"type": "string"}}}
    editor.post(reverse("element_new", args=[team.slug, "messages"]),
                {"name": "OrderPlaced", "kind": "event", "schema": json.dumps(schema)})
    msg = Message.objects.get(team=team)
    v1 = msg.versions.get()
    assert editor.post(reverse("version_status", args=[team.slug, msg.pk, v1.pk]), {"status": "released"}).status_code == 302
    schema2 = {"type": "object", "properties": {"orderId": {"type": "string"}, "total": {"type": "number"}}}
    editor.post(reverse("version_save", args=[team.slug, msg.pk]), {"schema": json.dumps(schema2)})
    versions = list(MessageVersion.objects.filter(message=msg).order_by("position"))
    assert [v.version for v in versions] == ["1.0.0", "1.1.0"]
    assert versions[0].schema == schema and versions[0].status == "released"
    assert versions[1].schema == schema2 and versions[1].status == "draft"


def test_it_never_sends_a_released_version_back_to_draft(team: Any, editor: Any) -> None:
    editor.post(reverse("element_new", args=[team.slug, "messages"]), {"name": "OrderPlaced", "kind": "event"})
    msg = Message.objects.get(team=team)
    v = msg.versions.get()
    editor.post(reverse("version_status", args=[team.slug, msg.pk, v.pk]), {"status": "released"})
    resp = editor.post(reverse("version_status", args=[team.slug, msg.pk, v.pk]), {"status": "draft"})
    assert resp.status_code == 422
    v.refresh_from_db()
    assert v.status == "released"


def test_it_searches_and_filters_messages_by_kind(demo_team: Any, member_client: Any) -> None:
    viewer = member_client(demo_team, "viewer")
    url = reverse("element_list", args=[demo_team.slug, "messages"])
    commands = viewer.get(url, {"kind": "command"}).content.decode()
    assert "SendEmail" in commands and "OrderPlaced" not in commands
    found = viewer.get(url, {"q": "order.placed"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="element-table").content.decode()
    assert "OrderPlaced" in found and "<html" not in found


def test_it_shows_who_produces_and_consumes_an_event(demo_team: Any, member_client: Any) -> None:
    viewer = member_client(demo_team, "viewer")
    msg = Message.objects.get(team=demo_team, name="OrderPlaced")
    page = viewer.get(reverse("element_detail", args=[demo_team.slug, "messages", msg.pk])).content.decode()
    assert "order-service" in page and "payment-service" in page
    svc = Service.objects.get(team=demo_team, name="order-service")
    page = viewer.get(reverse("element_detail", args=[demo_team.slug, "services", svc.pk])).content.decode()
    assert "OrderPlaced" in page


def test_it_validates_a_name_as_you_type(team: Any, editor: Any) -> None:
    editor.post(reverse("element_new", args=[team.slug, "services"]), {"name": "billing"})
    resp = editor.post(reverse("validate_field", args=[team.slug, "services"]), {"_field": "name", "name": "billing"})
    assert "already exists" in resp.content.decode()
    resp = editor.post(reverse("validate_field", args=[team.slug, "services"]), {"_field": "name", "name": "shipping"})
    assert "already exists" not in resp.content.decode()


def test_it_adds_and_orders_flow_steps(demo_team: Any, member_client: Any) -> None:
    from designer.catalog.models import Flow

    editor = member_client(demo_team, "editor")
    flow = Flow.objects.get(team=demo_team, name="checkout")
    n = flow.steps.count()
    svc = Service.objects.get(team=demo_team, name="email-service")
    msg = Message.objects.get(team=demo_team, name="SendEmail")
    editor.post(reverse("flow_steps", args=[demo_team.slug, flow.pk]),
                {"op": "add", "service": svc.pk, "message": msg.pk, "action": "receives", "lock_version": flow.lock_version})
    flow.refresh_from_db()
    assert flow.steps.count() == n + 1
    last = flow.steps.order_by("position").last()
    assert last.message == msg
    editor.post(reverse("flow_steps", args=[demo_team.slug, flow.pk]),
                {"op": "up", "index": n, "lock_version": flow.lock_version})
    assert flow.steps.order_by("position")[n - 1].message == msg


def test_it_checks_a_schema_and_its_example_as_you_type(team: Any, editor: Any) -> None:
    url = reverse("validate_field", args=[team.slug, "messages"])
    bad = editor.post(url, {"_field": "schema", "schema": '{"type": "objekt"}'}).content.decode()
    assert "objekt" in bad
    schema = json.dumps({"type": "object", "properties": {"n": {"type": "integer"}}})
    mismatch = editor.post(url, {"_field": "example", "schema": schema, "example": '{"n": "x"}'}).content.decode()
    assert "$.n" in mismatch
    fine = editor.post(url, {"_field": "example", "schema": schema, "example": '{"n": 1}'}).content.decode()
    assert "error" not in fine


def test_it_creates_inline_from_the_list_and_refreshes_the_table(team: Any, editor: Any) -> None:
    resp = editor.post(reverse("element_new", args=[team.slug, "services"]), {"name": "ledger", "_inline": "1"},
                       HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and resp["HX-Retarget"] == "#element-table"
    body = resp.content.decode()
    assert "ledger" in body and 'hx-swap-oob="innerHTML"' in body and "Created service" in body
