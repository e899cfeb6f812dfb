"""Schema evolution and AsyncAPI in the web UI: release checks with the major-bump rule and
overrides, the diff page, the team's default compatibility modes, AsyncAPI import and export."""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.catalog import evolution
from designer.catalog import services as svc
from designer.catalog.models import Change, Message, MessageVersion, Service
from designer.core.model import COMPAT_MODES

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "asyncapi" / "fixtures"
_seq = itertools.count(1)


def schema(*, required: tuple[str, ...] = ("orderId", "total"), extra: dict[str, Any] | None = None,
           drop: tuple[str, ...] = ()) -> dict[str, Any]:
    props: dict[str, Any] = {"orderId": {"type": "string"}, "total": {"type": "number"}}
    props.update(extra or {})
    for name in drop:
        props.pop(name)
    return {"type": "object", "properties": props, "required": [r for r in required if r in props]}


def example(s: dict[str, Any]) -> dict[str, Any]:
    values = {"orderId": "o-1", "total": 3.5, "note": "hi", "currency": "EUR"}
    return {k: values[k] for k in s["properties"]}


@pytest.fixture
def setup(make_team: Any, member_client: Any) -> Any:
    """A team, an editor client and a factory for messages with a released first version."""
    team = make_team()
    client = member_client(team, "editor")
    user = client.user

    def message(kind: str = "event", *, released: bool = True, first: dict[str, Any] | None = None) -> Message:
        s = first or schema()
        name = {"event": "OrderPlaced", "command": "PlaceOrder", "query": "GetOrder"}[kind] + str(next(_seq))
        msg = svc.element_create(team=team, user=user, kind="message",
                                 data={"name": name, "kind": kind, "schema": s, "example": example(s)})
        if released:
            svc.version_set_status(team=team, user=user, version=msg.versions.get(), status="released")
        return msg

    def new_version(msg: Message, s: dict[str, Any], version: str = "", compat: str = "") -> MessageVersion:
        return svc.version_save(team=team, user=user, message=msg, schema=s, example=example(s),
                                version=version, compat=compat)

    class Setup:
        pass

    out = Setup()
    out.team, out.client, out.user, out.message, out.new_version = team, client, user, message, new_version  # type: ignore[attr-defined]
    return out


def release(client: Any, v: MessageVersion, reason: str = "", htmx: bool = True) -> Any:
    url = reverse("version_status", args=[v.message.team.slug, v.message.pk, v.pk])
    data = {"status": "released", "override_reason": reason}
    return client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))


# ---------------------------------------------------------------- release checks
def test_it_releases_a_compatible_event_version_without_asking_for_a_reason(setup: Any) -> None:
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(extra={"note": {"type": "string"}}))
    resp = release(setup.client, v2)
    assert resp.status_code == 200, resp.content.decode()[:500]
    v2.refresh_from_db()
    assert v2.status == "released" and v2.override_reason == ""


def test_it_refuses_an_event_version_that_removes_a_required_field_and_explains_why(setup: Any) -> None:
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(drop=("total",)), version="2.0.0")
    resp = release(setup.client, v2)
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "Release refused" in body and "total" in body and "Fix:" in body
    assert "Release with override" in body
    v2.refresh_from_db()
    assert v2.status == "draft"


def test_it_releases_a_breaking_version_with_an_override_and_records_the_reason(setup: Any) -> None:
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(drop=("total",)), version="2.0.0")
    resp = release(setup.client, v2, reason="All consumers migrated in sprint 12", htmx=False)
    assert resp.status_code == 302
    v2.refresh_from_db()
    assert v2.status == "released"
    assert v2.override_reason == "All consumers migrated in sprint 12"
    change = Change.objects.filter(team=setup.team, element_id=msg.pk).first()
    assert change is not None and "overridden" in change.summary
    assert change.after["override_reason"] == "All consumers migrated in sprint 12"
    page = setup.client.get(reverse("element_detail", args=[setup.team.slug, "messages", msg.pk])).content.decode()
    assert "Released over a break: All consumers migrated in sprint 12" in page


def test_it_refuses_an_incompatible_release_without_a_major_bump_even_with_an_override(setup: Any) -> None:
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(drop=("total",)))  # numbered 1.1.0 by default
    assert v2.version == "1.1.0"
    resp = release(setup.client, v2, reason="we know")
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "must carry a major bump" in body and "2.0.0" in body
    v2.refresh_from_db()
    assert v2.status == "draft" and v2.override_reason == ""


def test_it_lists_the_major_bump_problem_with_the_breaks(setup: Any) -> None:
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(drop=("total",)))
    with pytest.raises(evolution.MajorBumpRequired) as exc:
        evolution.release_problems(v2)
    lines = exc.value.errors["compat"]
    assert "set this draft's version to 2.0.0" in lines[0]
    assert any(line.startswith("properties.total") or "total" in line for line in lines[1:])


def test_it_judges_a_command_backward_by_default_so_removing_a_field_is_fine(setup: Any) -> None:
    msg = setup.message("command")
    v2 = setup.new_version(msg, schema(drop=("total",)))
    assert evolution.mode_for(v2) == "BACKWARD"
    assert evolution.release_problems(v2) == []


def test_it_judges_a_command_adding_a_required_field_as_breaking(setup: Any) -> None:
    msg = setup.message("command")
    v2 = setup.new_version(msg, schema(required=("orderId", "total", "currency"),
                                       extra={"currency": {"type": "string"}}), version="2.0.0")
    problems = evolution.release_problems(v2)
    assert problems and any("currency" in p for p in problems)


def test_it_uses_the_teams_default_mode_for_the_kind(setup: Any) -> None:
    svc.team_settings_update(team=setup.team, actor=setup.user, default_compat={"event": "NONE"})
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(drop=("total",)))
    assert evolution.mode_for(v2) == "NONE"
    assert evolution.release_problems(v2) == []


def test_it_prefers_the_versions_own_mode_over_the_team_default(setup: Any) -> None:
    msg = setup.message("command")
    v2 = setup.new_version(msg, schema(drop=("total",)), version="2.0.0", compat="FULL")
    assert evolution.mode_for(v2) == "FULL"
    assert evolution.release_problems(v2)


def test_it_checks_every_released_version_in_a_transitive_mode(setup: Any) -> None:
    msg = setup.message("event", first=schema(required=("orderId",)))
    # 1.1.0 makes total required (fine under FORWARD: old readers never required it)
    v2 = setup.new_version(msg, schema(required=("orderId", "total")))
    svc.version_set_status(team=setup.team, user=setup.user, version=v2, status="released",
                           compat_check=evolution.release_problems)
    # 1.2.0 drops total: breaks readers on 1.1.0 under FORWARD
    v3 = setup.new_version(msg, schema(required=("orderId",), drop=("total",)), version="2.0.0",
                           compat="FORWARD_TRANSITIVE")
    problems = evolution.release_problems(v3)
    assert any("against 1.1.0" in p for p in problems)


def test_it_ignores_draft_versions_when_looking_for_the_previous_release(setup: Any) -> None:
    msg = setup.message("event", released=False)
    v1 = msg.versions.get()
    assert evolution.release_problems(v1) == []


# ---------------------------------------------------------------- diff page
def test_it_shows_the_diff_with_each_change_marked_under_the_messages_mode(setup: Any) -> None:
    msg = setup.message("event")
    consumer = svc.element_create(team=setup.team, user=setup.user, kind="service", data={"name": "billing"})
    pinned = svc.element_create(team=setup.team, user=setup.user, kind="service", data={"name": "audit"})
    producer = svc.element_create(team=setup.team, user=setup.user, kind="service", data={"name": "orders"})
    svc.relation_add(team=setup.team, user=setup.user, service=consumer, message=msg, role="consumes")
    svc.relation_add(team=setup.team, user=setup.user, service=pinned, message=msg, role="consumes", pinned_version="1.0.0")
    svc.relation_add(team=setup.team, user=setup.user, service=producer, message=msg, role="produces")
    v1 = msg.versions.get()
    v2 = setup.new_version(msg, schema(drop=("total",), extra={"note": {"type": "string"}}), version="2.0.0")
    url = reverse("version_diff", args=[setup.team.slug, msg.pk]) + f"?from={v1.pk}&to={v2.pk}"
    resp = setup.client.get(url)
    assert resp.status_code == 200
    rows = resp.context["rows"]
    by_type = {r["type"]: r for r in rows}
    assert by_type["removed"]["path"] == "properties.total" and by_type["removed"]["status"] == "breaking"
    assert "total" in by_type["removed"]["why_forward"] and by_type["removed"]["fix"]
    assert by_type["added"]["path"] == "properties.note" and by_type["added"]["status"] == "compatible"
    assert dict(by_type["added"]["modes"])["BACKWARD"] == "breaking"
    assert resp.context["mode"] == "FORWARD" and resp.context["verdict"] == "breaking"
    assert dict(resp.context["verdicts"])["NONE"] == "compatible"
    body = resp.content.decode()
    assert "pinned to 1.0.0" in body and "audit" in body and "billing" in body and "orders" in body
    affected = {a["service"].name: a for a in resp.context["affected"]}
    assert affected["audit"]["at_risk"] and affected["orders"]["at_risk"]
    assert 'id="schema-old"' in body and 'id="schema-new"' in body


def test_it_compares_with_the_previous_version_when_only_to_is_given(setup: Any) -> None:
    msg = setup.message("event")
    v1 = msg.versions.get()
    v2 = setup.new_version(msg, schema(extra={"note": {"type": "string"}}))
    resp = setup.client.get(reverse("version_diff", args=[setup.team.slug, msg.pk]) + f"?to={v2.pk}")
    assert resp.status_code == 200
    assert resp.context["old"].pk == v1.pk and resp.context["verdict"] == "compatible"


def test_it_links_each_later_version_row_to_the_comparison_with_the_previous(setup: Any) -> None:
    msg = setup.message("event")
    v2 = setup.new_version(msg, schema(extra={"note": {"type": "string"}}))
    page = setup.client.get(reverse("element_detail", args=[setup.team.slug, "messages", msg.pk])).content.decode()
    link = reverse("version_diff", args=[setup.team.slug, msg.pk]) + f"?to={v2.pk}"
    assert link in page and "Compare with previous" in page
    assert page.count("Compare with previous") == 1  # not on the first version


def test_it_answers_404_for_a_version_of_another_message(setup: Any) -> None:
    a = setup.message("event")
    b = setup.message("event")
    resp = setup.client.get(reverse("version_diff", args=[setup.team.slug, a.pk]) + f"?to={b.versions.get().pk}")
    assert resp.status_code == 404
    assert "There is no version" in resp.content.decode()


def test_it_says_there_is_nothing_to_compare_for_a_single_version(setup: Any) -> None:
    msg = setup.message("event")
    resp = setup.client.get(reverse("version_diff", args=[setup.team.slug, msg.pk]))
    assert resp.status_code == 200 and "nothing to compare" in resp.content.decode()


def test_it_hides_the_diff_from_other_teams(setup: Any, make_team: Any, member_client: Any) -> None:
    msg = setup.message("event")
    other = member_client(make_team(), "owner")
    assert other.get(reverse("version_diff", args=[setup.team.slug, msg.pk])).status_code == 404


# ---------------------------------------------------------------- team defaults
def test_it_lets_an_owner_set_the_default_mode_per_kind(setup: Any, member_client: Any) -> None:
    owner = member_client(setup.team, "owner")
    page = owner.get(reverse("team_settings", args=[setup.team.slug])).content.decode()
    assert 'name="compat_event"' in page and all(f'value="{m}"' in page for m in COMPAT_MODES)
    resp = owner.post(reverse("default_compat", args=[setup.team.slug]),
                      {"compat_event": "FULL_TRANSITIVE", "compat_command": "", "compat_query": "NONE"})
    assert resp.status_code == 302
    setup.team.refresh_from_db()
    assert setup.team.default_compat == {"event": "FULL_TRANSITIVE", "query": "NONE"}
    page = owner.get(reverse("team_settings", args=[setup.team.slug])).content.decode()
    assert 'value="FULL_TRANSITIVE" selected' in page


def test_it_refuses_an_unknown_default_mode_and_changes_nothing(setup: Any, member_client: Any) -> None:
    owner = member_client(setup.team, "owner")
    resp = owner.post(reverse("default_compat", args=[setup.team.slug]), {"compat_event": "SIDEWAYS"}, follow=True)
    assert "Unknown mode" in resp.content.decode()
    setup.team.refresh_from_db()
    assert setup.team.default_compat == {}


def test_it_forbids_editors_to_change_the_default_modes(setup: Any) -> None:
    resp = setup.client.post(reverse("default_compat", args=[setup.team.slug]), {"compat_event": "NONE"})
    assert resp.status_code == 403
    setup.team.refresh_from_db()
    assert setup.team.default_compat == {}


# ---------------------------------------------------------------- AsyncAPI import and export
@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.yaml")))
def test_it_imports_each_asyncapi_fixture_through_the_import_page(fixture: str, make_team: Any,
                                                                   member_client: Any) -> None:
    team = make_team()
    client = member_client(team, "editor")
    text = (FIXTURES / fixture).read_bytes()
    url = reverse("import_model", args=[team.slug])
    resp = client.post(url, {"file": SimpleUploadedFile(fixture, text), "mode": "merge"})
    assert resp.status_code == 200, resp.content.decode()[:800]
    preview = resp.context["preview"]
    created = {row["label"]: row["created"] for row in preview["rows"]}
    assert created["messages"] and created["channels"]
    resp = client.post(url, {"pending": preview["pending"], "mode": "merge"})
    assert resp.status_code == 302, resp.content.decode()[:800]
    assert sorted(Message.objects.filter(team=team).values_list("name", flat=True)) == sorted(created["messages"])
    assert Service.objects.filter(team=team).exists()


def _channels(doc: dict[str, Any]) -> set[str]:
    return {ch.get("address") or cid for cid, ch in (doc.get("channels") or {}).items()}


def test_it_exports_the_whole_team_as_asyncapi(demo_team: Any, member_client: Any) -> None:
    client = member_client(demo_team, "viewer")
    resp = client.get(reverse("export_model", args=[demo_team.slug]) + "?format=asyncapi")
    assert resp.status_code == 200
    doc = yaml.safe_load(resp.content)
    assert doc["asyncapi"].startswith("3.")
    channels = {c.name for c in demo_team.channels.all()}
    assert channels and channels <= _channels(doc) | set(doc["channels"])


def test_it_exports_one_service_with_only_its_channels(demo_team: Any, member_client: Any) -> None:
    client = member_client(demo_team, "viewer")
    service = Service.objects.get(team=demo_team, name="email-service")
    page = client.get(reverse("element_detail", args=[demo_team.slug, "services", service.pk])).content.decode()
    assert f"?format=asyncapi&amp;service={service.name}" in page
    resp = client.get(reverse("export_model", args=[demo_team.slug]), {"format": "asyncapi", "service": service.name})
    assert resp.status_code == 200
    doc = yaml.safe_load(resp.content)
    own = {r.channel.name if r.channel else r.message.channel.name
           for r in service.relations.select_related("channel", "message__channel") if r.channel or r.message.channel}
    assert own == {"email-commands"}
    assert _channels(doc) == own  # the orders, payments... channels of other services are left out


def test_it_exports_one_flow_from_the_flow_page(demo_team: Any, member_client: Any) -> None:
    client = member_client(demo_team, "viewer")
    flow = demo_team.flows.first()
    assert flow is not None
    page = client.get(reverse("element_detail", args=[demo_team.slug, "flows", flow.pk])).content.decode()
    assert f"?format=asyncapi&amp;flow={flow.name}" in page
    resp = client.get(reverse("export_model", args=[demo_team.slug]), {"format": "asyncapi", "flow": flow.name})
    assert resp.status_code == 200
    doc = yaml.safe_load(resp.content)
    messages = {s.message.name for s in flow.steps.select_related("message")}
    exported = set((doc.get("components") or {}).get("messages") or {})
    assert messages and all(any(m in e for e in exported) for m in messages)
    flow_channels = {s.message.channel.name for s in flow.steps.select_related("message__channel") if s.message.channel}
    assert flow_channels <= _channels(doc) | set(doc["channels"])
