"""Issue 11: a merge import through the import page keeps everything the file does not carry,
shows each field before → after, and is recorded with the real before and after."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.catalog.models import Change, Message, Team
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states
from designer.core.formats import native

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ONLY_ID = FIXTURES / "imports" / "order-placed-only-id.asyncapi.yaml"
REAL = FIXTURES / "asyncapi_real" / "asyncapi+spec@v3.0.0" / "examples" / "streetlights-kafka-asyncapi.yml"


def _pending(page: str) -> str:
    found = re.search(r'name="pending" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def _order_placed(team: Team) -> dict[str, Any]:
    return model_states(model_snapshot(team))[("message", "OrderPlaced")]


def _upload(client: Any, team: Team, path: Path, mode: str = "merge") -> str:
    resp = client.post(reverse("import_model", args=[team.slug]),
                       {"file": SimpleUploadedFile(path.name, path.read_bytes()), "mode": mode})
    assert resp.status_code == 200, resp.content[:2000]
    return resp.content.decode()


def test_it_keeps_everything_a_merge_file_does_not_carry(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    before = _order_placed(demo_team)
    assert before["type"] == "order.placed" and len(before["relations"]) == 3
    fields = set(before["versions"][0]["schema"]["properties"])
    assert len(fields) == 6 and before["versions"][0]["example"]
    name, description = demo_team.name, demo_team.description

    page = _upload(editor, demo_team, ONLY_ID)
    # The preview lists OrderPlaced's changes field by field, the schema by property.
    assert 'data-element="message/OrderPlaced"' in page
    assert "version 1.0.0 schema orderId" in page
    assert "removes something" not in page and "confirm_removals" not in page
    assert "Order intake" not in page.split('id="import-settings"')[-1].split("</table>")[0] or \
        'id="import-settings"' not in page

    resp = editor.post(reverse("import_model", args=[demo_team.slug]), {"pending": _pending(page), "mode": "merge"})
    assert resp.status_code == 302
    after = _order_placed(demo_team)
    for key in ("type", "owner", "description", "channel", "kind"):
        assert after[key] == before[key], key
    assert {(r["service"], r["role"]) for r in before["relations"]} <= {(r["service"], r["role"]) for r in after["relations"]}
    version = after["versions"][0]
    assert set(version["schema"]["properties"]) == fields | {"orderId"}
    assert version["example"] == before["versions"][0]["example"]
    assert version["status"] == before["versions"][0]["status"]
    demo_team.refresh_from_db()
    assert (demo_team.name, demo_team.description) == (name, description)

    change = Change.objects.filter(team=demo_team, action="import").latest("id")
    recorded = change.states.get(kind="message", name="OrderPlaced")
    assert (recorded.before, recorded.after) == (before, after) and before != after
    detail = editor.get(reverse("change_detail", args=[demo_team.slug, change.pk])).content.decode()
    assert "No content change recorded" not in detail and "orderId" in detail


def test_it_asks_before_an_import_removes_anything_and_writes_nothing_unconfirmed(
        demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    url = reverse("import_model", args=[demo_team.slug])
    export = editor.get(reverse("export_model", args=[demo_team.slug])).content.decode()
    model = native.load(export)  # the demo without one message and one relation
    in_flows = {s.message for f in model.flows for s in f.steps}
    dropped = next(m.name for m in model.messages if m.name not in in_flows)
    smaller = native.dump(dataclasses.replace(
        model, messages=tuple(m for m in model.messages if m.name != dropped),
        relations=tuple(r for r in model.relations if r.message != dropped)[1:]))
    page = editor.post(url, {"file": SimpleUploadedFile("d.yaml", smaller.encode()), "mode": "replace"}).content.decode()
    assert "confirm_removals" in page and "(removed)" in page, re.findall(r"<p>[^<]*</p>", page)[:3]
    revision = Team.objects.get(pk=demo_team.pk).revision
    resp = editor.post(url, {"pending": _pending(page), "mode": "replace"})
    assert resp.status_code == 422 and "tick the box" in resp.content.decode()
    assert Team.objects.get(pk=demo_team.pk).revision == revision
    resp = editor.post(url, {"pending": _pending(page), "mode": "replace", "confirm_removals": "1"})
    assert resp.status_code == 302
    assert Team.objects.get(pk=demo_team.pk).revision == revision + 1


def test_it_merges_a_real_asyncapi_document_into_the_demo_team_deleting_nothing(
        demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    states = model_states(model_snapshot(demo_team))
    name = demo_team.name
    page = _upload(editor, demo_team, REAL)
    assert "confirm_removals" not in page
    resp = editor.post(reverse("import_model", args=[demo_team.slug]), {"pending": _pending(page), "mode": "merge"})
    assert resp.status_code == 302
    now = model_states(model_snapshot(demo_team))
    assert set(states) < set(now)
    for key, state in states.items():
        assert now[key] == state, key  # the file shares no element with the demo: untouched
    assert Team.objects.get(pk=demo_team.pk).name == name
    assert Message.objects.filter(team=demo_team, name__icontains="light").exists()


def test_it_refuses_a_replace_that_would_swap_every_element(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    revision = Team.objects.get(pk=demo_team.pk).revision
    page = _upload(editor, demo_team, REAL, mode="replace")
    resp = editor.post(reverse("import_model", args=[demo_team.slug]),
                       {"pending": _pending(page), "mode": "replace", "confirm_removals": "1"})
    assert resp.status_code == 422 and "no element name in common" in resp.content.decode()
    assert Team.objects.get(pk=demo_team.pk).revision == revision
