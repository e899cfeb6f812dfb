"""Bad input always gets a clear answer and changes nothing: never a 500, never a partial write."""
from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Change, Channel, Flow, Message, MessageVersion, Service

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>", "'; DROP TABLE catalog_service;--", "class", "\u202eevil\u202c", "名前",
    "x" * 5000, "", "   ", "line\nbreak", "\x00nul", '{"a": [1, 2', "null", "[]", "\"]; evil [",
]


def _forms(team: Any) -> list[tuple[str, list[str]]]:
    s = team.slug
    msg = Message.objects.filter(team=team).first()
    flow = Flow.objects.filter(team=team).first()
    v = MessageVersion.objects.filter(message=msg).first()
    return [
        (reverse("element_new", args=[s, "services"]), ["name", "description", "repository", "language", "outbox"]),
        (reverse("element_new", args=[s, "channels"]), ["name", "broker", "delivery", "partition_key"]),
        (reverse("element_new", args=[s, "messages"]), ["name", "kind", "wire_type", "schema", "example", "channel"]),
        (reverse("element_new", args=[s, "flows"]), ["name", "style", "orchestrator"]),
        (reverse("element_edit", args=[s, "services", Service.objects.filter(team=team).first().pk]), ["name", "lock_version"]),
        (reverse("element_edit", args=[s, "channels", Channel.objects.filter(team=team).first().pk]), ["name", "broker"]),
        (reverse("version_save", args=[s, msg.pk]), ["schema", "example", "version", "compat", "lock_version"]),
        (reverse("version_status", args=[s, msg.pk, v.pk]), ["status", "override_reason"]),
        (reverse("relation_add", args=[s, msg.pk]), ["service", "role", "channel"]),
        (reverse("flow_steps", args=[s, flow.pk]), ["op", "index", "service", "message", "action", "lock_version"]),
        (reverse("validate_field", args=[s, "messages"]), ["_field", "name", "kind", "schema", "_pk"]),
        (reverse("members", args=[s]), ["op", "username", "role", "membership", "invitation"]),
        (reverse("tokens", args=[s]), ["op", "name", "token"]),
        (reverse("team_settings", args=[s]), ["name", "envelope_profile", "envelope_schema", "lock_version"]),
    ]


def test_it_never_answers_500_to_hostile_form_input(demo_team: Any, member_client: Any) -> None:
    owner = member_client(demo_team, "owner")
    for url, fields in _forms(demo_team):
        for value in HOSTILE:
            resp = owner.post(url, {f: value for f in fields})
            assert resp.status_code < 500, (url, value, resp.status_code)
            resp = owner.post(url, {f: value for f in fields}, HTTP_HX_REQUEST="true")
            assert resp.status_code < 500, (url, value, resp.status_code)


def test_it_refuses_control_characters_in_names(demo_team: Any, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    before = Change.objects.filter(team=demo_team).count()
    resp = editor.post(reverse("element_new", args=[demo_team.slug, "services"]), {"name": "bad\nname"})
    assert resp.status_code == 422 and "control characters" in resp.content.decode()
    assert Change.objects.filter(team=demo_team).count() == before


def test_it_accepts_unicode_and_keywords_as_names(demo_team: Any, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    for name in ("名前-service", "class", "'; DROP TABLE x;--"):
        assert editor.post(reverse("element_new", args=[demo_team.slug, "services"]), {"name": name}).status_code == 302
        assert Service.objects.filter(team=demo_team, name=name).exists()


def test_it_refuses_a_huge_request_body_cleanly(demo_team: Any, member_client: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    editor = member_client(demo_team, "editor")
    resp = editor.post(reverse("element_new", args=[demo_team.slug, "services"]), {"name": "big", "description": "x" * 5000})
    assert resp.status_code == 400
    assert not Service.objects.filter(team=demo_team, name="big").exists()


def test_it_refuses_a_broken_upload_and_changes_nothing(demo_team: Any, member_client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = member_client(demo_team, "editor")
    revision = demo_team.revision
    for content in (b"version: 1\nservices: [", b"\xff\xfe\x00garbage", b"version: 2\n", b"a: &a [*a]\n"):
        resp = editor.post(reverse("import_model", args=[demo_team.slug]),
                           {"file": SimpleUploadedFile("bad.yaml", content), "mode": "replace"})
        assert resp.status_code == 422
        assert "Nothing was changed" in resp.content.decode()
    demo_team.refresh_from_db()
    assert demo_team.revision == revision


def test_it_imports_through_the_ui_after_a_preview(demo_team: Any, member_client: Any) -> None:
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = member_client(demo_team, "editor")
    doc = b"version: 1\nservices:\n  - name: audit-service\n"
    page = editor.post(reverse("import_model", args=[demo_team.slug]),
                       {"file": SimpleUploadedFile("more.yaml", doc), "mode": "merge"}).content.decode()
    assert "audit-service" in page and not Service.objects.filter(team=demo_team, name="audit-service").exists()
    pending = re.search(r'name="pending" value="([^"]+)"', page).group(1)
    resp = editor.post(reverse("import_model", args=[demo_team.slug]), {"pending": pending, "mode": "merge"})
    assert resp.status_code == 302
    assert Service.objects.filter(team=demo_team, name="audit-service").exists()
    assert Service.objects.filter(team=demo_team, name="order-service").exists()
