"""Issue 11: every change can be undone — from the history page (undo one change, one element or
the whole model to a point, with a preview, as one new recorded change, refused on conflicts),
right after a delete, and from the command line (`history`, `restore`) on the demo team."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.catalog import services as svc
from designer.catalog.models import Change, Message, Service, Team
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ONLY_ID = ROOT / "tests" / "fixtures" / "imports" / "order-placed-only-id.asyncapi.yaml"


def _states(team: Team) -> dict[Any, Any]:
    return model_states(model_snapshot(team))


def _revision(page: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', page)
    assert found, page[:3000]
    return found.group(1)


def _merge_only_id(client: Any, team: Team) -> Change:
    url = reverse("import_model", args=[team.slug])
    page = client.post(url, {"file": SimpleUploadedFile(ONLY_ID.name, ONLY_ID.read_bytes()), "mode": "merge"})
    pending = re.search(r'name="pending" value="([^"]+)"', page.content.decode())
    assert pending
    assert client.post(url, {"pending": pending.group(1), "mode": "merge"}).status_code == 302
    return Change.objects.filter(team=team, action="import").latest("id")


def test_it_undoes_a_delete_right_from_the_page_that_follows_it(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    before = _states(demo_team)
    payment = Service.objects.get(team=demo_team, name="payment-service")
    resp = editor.post(reverse("element_delete", args=[demo_team.slug, "services", payment.pk]), follow=True)
    page = resp.content.decode()
    assert "Deleted service payment-service." in page and ">Undo</button>" in page
    assert _states(demo_team) != before
    undo = re.search(r'action="([^"]+/restore/\?scope=undo)"', page)
    assert undo
    resp = editor.post(undo.group(1).replace("&amp;", "&"), {"immediate": "1"})
    assert resp.status_code == 302
    assert _states(demo_team) == before  # the service, its relations and flow steps are back
    restore = Change.objects.filter(team=demo_team).latest("id")
    assert restore.action == "restore"
    recorded = {(st.kind, st.name): (st.before, st.after) for st in restore.states.all()}
    assert recorded[("service", "payment-service")] == (None, before[("service", "payment-service")])


def test_it_restores_the_model_to_before_a_merge_import_with_a_preview(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    before = _states(demo_team)
    seeded = Change.objects.filter(team=demo_team, action="import").latest("id")
    imported = _merge_only_id(editor, demo_team)
    assert _states(demo_team) != before
    history = editor.get(reverse("team_history", args=[demo_team.slug])).content.decode()
    assert "restore<span class=\"sr\"> from change #" in history
    detail = editor.get(reverse("change_detail", args=[demo_team.slug, imported.pk])).content.decode()
    assert "Undo this change" in detail and "scope=element&amp;element=messages/OrderPlaced" in detail

    url = reverse("change_restore", args=[demo_team.slug, seeded.pk]) + "?scope=model"
    page = editor.get(url).content.decode()
    assert 'data-element="message/OrderPlaced"' in page and "version 1.0.0 schema orderId" in page
    assert _states(demo_team) != before  # a preview writes nothing
    resp = editor.post(url, {"revision": _revision(page)})
    assert resp.status_code == 302
    assert _states(demo_team) == before
    done = Change.objects.filter(team=demo_team).latest("id")
    assert done.action == "restore" and f"right after change #{seeded.pk}" in done.summary
    # ... and that restore can itself be undone.
    page = editor.get(reverse("change_restore", args=[demo_team.slug, done.pk]) + "?scope=undo").content.decode()
    assert editor.post(reverse("change_restore", args=[demo_team.slug, done.pk]) + "?scope=undo",
                       {"revision": _revision(page)}).status_code == 302
    assert _states(demo_team)[("message", "OrderPlaced")]["versions"][0]["schema"]["properties"]["orderId"]


def test_it_restores_one_element_and_leaves_the_others(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    seeded = Change.objects.filter(team=demo_team, action="import").latest("id")
    _merge_only_id(editor, demo_team)
    after_import = _states(demo_team)
    url = (reverse("change_restore", args=[demo_team.slug, seeded.pk])
           + "?scope=element&element=messages/OrderPlaced")
    page = editor.get(url).content.decode()
    assert editor.post(url, {"revision": _revision(page)}).status_code == 302
    now = _states(demo_team)
    assert "orderId" not in now[("message", "OrderPlaced")]["versions"][0]["schema"]["properties"]
    assert now[("channel", "orders")] == after_import[("channel", "orders")]  # not restored: not asked for


def test_it_refuses_a_restore_that_would_leave_a_later_change_dangling(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    audit = svc.element_create(team=demo_team, user=None, kind="service", data={"name": "audit-service"})
    created = Change.objects.filter(team=demo_team).latest("id")
    order_placed = Message.objects.get(team=demo_team, name="OrderPlaced")
    svc.relation_add(team=demo_team, user=None, service=audit, message=order_placed, role="consumes")
    revision = Team.objects.get(pk=demo_team.pk).revision
    url = reverse("change_restore", args=[demo_team.slug, created.pk]) + "?scope=undo"
    page = editor.get(url).content.decode()
    assert 'id="restore-conflicts"' in page
    assert "The restore would delete service audit-service, but message OrderPlaced names it" in page
    resp = editor.post(url, {"revision": str(revision)})
    assert resp.status_code == 422 and "Cannot restore" in resp.content.decode()
    assert Team.objects.get(pk=demo_team.pk).revision == revision
    assert Service.objects.filter(team=demo_team, name="audit-service").exists()


def test_it_refuses_a_stale_preview_and_changes_nothing(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    seeded = Change.objects.filter(team=demo_team, action="import").latest("id")
    _merge_only_id(editor, demo_team)
    url = reverse("change_restore", args=[demo_team.slug, seeded.pk]) + "?scope=model"
    stale = _revision(editor.get(url).content.decode())
    svc.element_create(team=demo_team, user=None, kind="service", data={"name": "late-service"})
    revision = Team.objects.get(pk=demo_team.pk).revision
    resp = editor.post(url, {"revision": stale})
    assert resp.status_code == 422 and "changed since this preview" in resp.content.decode()
    assert Team.objects.get(pk=demo_team.pk).revision == revision


def test_it_keeps_restores_to_the_teams_editors(demo_team: Team, make_team: Any, member_client: Any) -> None:
    seeded = Change.objects.filter(team=demo_team, action="import").latest("id")
    viewer = member_client(demo_team, "viewer")
    url = reverse("change_restore", args=[demo_team.slug, seeded.pk])
    assert viewer.get(url).status_code == 403
    assert "from change #" not in viewer.get(reverse("team_history", args=[demo_team.slug])).content.decode()
    other = make_team()
    outsider = member_client(other, "owner")
    assert outsider.get(url).status_code == 404
    other_change = Change.objects.filter(team=other).latest("id")
    editor = member_client(demo_team, "editor")
    assert editor.get(reverse("change_restore", args=[demo_team.slug, other_change.pk])).status_code == 404


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.django_db(transaction=True)
def test_the_command_line_lists_history_and_restores_the_demo_team(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DESIGNER_SQLITE_PATH=str(tmp_path / "db.sqlite3"), DESIGNER_SECRET_FILE=str(tmp_path / "key"))
    assert _cli(env, "migrate", "--noinput").returncode == 0
    assert _cli(env, "seed_demo").returncode == 0
    original = _cli(env, "export_model", "--team", "demo-shop").stdout
    assert _cli(env, "import_model", str(ONLY_ID), "--team", "demo-shop", "--mode", "merge").returncode == 0
    history = _cli(env, "history", "--team", "demo-shop")
    assert history.returncode == 0
    lines = history.stdout.splitlines()
    assert lines and all(re.match(r"^\d+\t", line) for line in lines)
    seeded = next(line.split("\t")[0] for line in reversed(lines) if "\timport\t" in line)

    dry = _cli(env, "restore", "--team", "demo-shop", "--to", seeded, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "update message OrderPlaced" in dry.stdout and "Dry run: nothing was changed." in dry.stdout
    assert _cli(env, "export_model", "--team", "demo-shop").stdout != original

    done = _cli(env, "restore", "--team", "demo-shop", "--to", seeded)
    assert done.returncode == 0, done.stderr
    assert _cli(env, "export_model", "--team", "demo-shop").stdout == original
    mine = _cli(env, "history", "--team", "demo-shop", "--element", "messages/OrderPlaced").stdout.splitlines()
    assert [line.split("\t")[3] for line in mine[:2]] == ["restore", "import"]

    refused = _cli(env, "restore", "--team", "demo-shop", "--to", "999999")
    assert refused.returncode == 1 and "not in the history of team demo-shop" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_it_refuses_to_restore_an_element_that_names_one_deleted_later(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    seeded = Change.objects.filter(team=demo_team, action="import").latest("id")
    _merge_only_id(editor, demo_team)
    payment = Service.objects.get(team=demo_team, name="payment-service")
    svc.element_delete(team=demo_team, user=None, obj=payment)
    deleted = Change.objects.filter(team=demo_team).latest("id")
    url = (reverse("change_restore", args=[demo_team.slug, seeded.pk])
           + "?scope=element&element=messages/OrderPlaced")
    page = editor.get(url).content.decode()
    assert (f"message OrderPlaced would name service payment-service, which does not exist (deleted by change "
            f"#{deleted.pk}); restore service payment-service first") in page
    assert 'name="revision"' not in page  # no Restore button under a conflict


def test_it_restores_team_settings_with_the_model(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    point = Change.objects.filter(team=demo_team).latest("id")
    svc.team_settings_update(team=demo_team, actor=None, envelope_profile="cloudevents")
    assert Team.objects.get(pk=demo_team.pk).envelope_profile == "cloudevents"
    url = reverse("change_restore", args=[demo_team.slug, point.pk]) + "?scope=model"
    page = editor.get(url).content.decode()
    assert "envelope" in page
    assert editor.post(url, {"revision": _revision(page)}).status_code == 302
    assert Team.objects.get(pk=demo_team.pk).envelope_profile == "brief"


@pytest.mark.parametrize("query", ["?scope=everything", "?scope=element&element=nonsense",
                                   "?scope=element&element=messages/NoSuchMessage", "?scope=element"])
def test_it_answers_a_bad_restore_request_with_a_message(query: str, demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    point = Change.objects.filter(team=demo_team).latest("id")
    revision = Team.objects.get(pk=demo_team.pk).revision
    url = reverse("change_restore", args=[demo_team.slug, point.pk]) + query
    for resp in (editor.get(url), editor.post(url, {"revision": str(revision)})):
        assert resp.status_code == 422
        assert "Nothing was changed." in resp.content.decode()
    assert Team.objects.get(pk=demo_team.pk).revision == revision


def test_a_restored_element_keeps_its_history_and_every_change_page_shows(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    payment = Service.objects.get(team=demo_team, name="payment-service")
    svc.element_update(team=demo_team, user=None, obj=payment, data={"owner": "team-billing"}, lock_version=None)
    svc.element_delete(team=demo_team, user=None, obj=Service.objects.get(pk=payment.pk))
    deleted = Change.objects.filter(team=demo_team).latest("id")
    svc.restore_apply(team=demo_team, user=None, change=deleted, scope="undo")
    back = Service.objects.get(team=demo_team, name="payment-service")
    assert back.owner == "team-billing"
    page = editor.get(reverse("element_history", args=[demo_team.slug, "services", back.pk])).content.decode()
    assert "Deleted service payment-service" in page and "Changed owner of service payment-service" in page
    for change in Change.objects.filter(team=demo_team):
        resp = editor.get(reverse("change_detail", args=[demo_team.slug, change.pk]))
        assert resp.status_code == 200
        assert "No content change recorded" not in resp.content.decode() or change.action == "create"
