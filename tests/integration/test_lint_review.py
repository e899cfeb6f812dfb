"""Lint review in the browser (server side): findings page, waivers and their lapse, rule pages,
the team's lint configuration."""
from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from designer.catalog import services as catalog
from designer.catalog.models import Change, Message
from designer.lintreview import selectors as linting
from designer.lintreview import services as svc
from designer.lintreview.models import Waiver

pytestmark = pytest.mark.django_db


def _owner_client(team: Any) -> Client:
    from django.contrib.auth import get_user_model

    c = Client()
    c.force_login(get_user_model().objects.get(username="demo"))
    return c


@pytest.fixture
def demo(demo_team: Any) -> Any:
    return demo_team


@pytest.fixture
def owner(demo: Any) -> Client:
    return _owner_client(demo)


def _first(demo: Any, rule: str | None = None) -> Any:
    lint = linting.team_findings(demo)
    assert lint.findings, "the demo team has deliberate mistakes"
    for f in lint.findings:
        if (rule is None or f.rule == rule) and f.kind != "model":
            return f
    raise AssertionError(f"no finding of {rule}")


def test_it_shows_the_demo_findings_grouped_by_severity_rule_and_element(demo: Any, owner: Client) -> None:
    f = _first(demo)
    for group, label in (("severity", f.severity), ("rule", f.rule), ("element", f.key)):
        resp = owner.get(f"/t/{demo.slug}/findings/?group={group}")
        assert resp.status_code == 200
        html = resp.content.decode()
        assert f'data-group="{label}"' in html
        assert f.fingerprint in html


def test_it_links_each_finding_to_its_element_and_its_edit_form(demo: Any, owner: Client) -> None:
    f = _first(demo)
    coll = f.collection
    pk = {"messages": Message}.get(coll, None)
    html = owner.get(f"/t/{demo.slug}/findings/?element={f.key}").content.decode()
    assert "Fix</a>" in html
    if pk is not None:
        obj = pk.objects.get(team=demo, name=f.element)
        assert f"/t/{demo.slug}/{coll}/{obj.pk}/edit/" in html
        assert f"/t/{demo.slug}/{coll}/{obj.pk}/" in html


def test_it_filters_findings_by_severity_and_rule(demo: Any, owner: Client) -> None:
    f = _first(demo)
    lint = linting.team_findings(demo)
    html = owner.get(f"/t/{demo.slug}/findings/?rule={f.rule}").content.decode()
    others = [g for g in lint.findings if g.rule != f.rule]
    assert f.fingerprint in html
    assert all(g.fingerprint not in html for g in others)


def test_it_refuses_a_waiver_without_a_reason(demo: Any, owner: Client) -> None:
    f = _first(demo)
    resp = owner.post(f"/t/{demo.slug}/findings/waive/", {"fingerprint": f.fingerprint, "reason": "   "})
    assert resp.status_code == 422
    assert "reason is required" in resp.content.decode()
    assert not Waiver.objects.filter(team=demo).exists()


def test_it_waives_a_finding_with_a_reason_and_lists_it_as_waived(demo: Any, owner: Client) -> None:
    f = _first(demo)
    before = linting.team_findings(demo)
    resp = owner.post(f"/t/{demo.slug}/findings/waive/", {"fingerprint": f.fingerprint, "reason": "Legacy name kept for partners"})
    assert resp.status_code == 302
    w = Waiver.objects.get(team=demo, fingerprint=f.fingerprint)
    assert w.created_by.username == "demo" and w.reason == "Legacy name kept for partners"
    assert Change.objects.filter(team=demo, action="waive", element_kind="waiver").exists()
    after = linting.team_findings(demo)
    assert f.fingerprint not in {g.fingerprint for g in after.findings}
    assert after.total == before.total - 1 and after.waived_count == 1
    html = owner.get(f"/t/{demo.slug}/findings/").content.decode()
    waived_part = html[html.index('id="waived-findings"'):]
    assert "Legacy name kept for partners" in waived_part and f.rule in waived_part
    home = owner.get(f"/t/{demo.slug}/").content.decode()
    assert "1 finding waived" in home


def test_it_revokes_a_waiver_and_the_finding_comes_back(demo: Any, owner: Client) -> None:
    from django.contrib.auth import get_user_model

    f = _first(demo)
    user = get_user_model().objects.get(username="demo")
    w = svc.waiver_create(team=demo, user=user, finding=f, reason="for now")
    resp = owner.post(f"/t/{demo.slug}/waivers/{w.pk}/revoke/")
    assert resp.status_code == 302
    w.refresh_from_db()
    assert w.revoked_at is not None and w.revoked_by == user
    lint = linting.team_findings(demo)
    assert f.fingerprint in {g.fingerprint for g in lint.findings}
    assert lint.waived == []


def _waive(demo: Any, rule: str, key: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="demo")
    lint = linting.team_findings(demo)
    f = next(g for g in lint.findings if g.rule == rule and g.key == key)
    svc.waiver_create(team=demo, user=user, finding=f, reason="accepted")
    return user, f


def _state(demo: Any, f: Any) -> str:
    lint = linting.team_findings(demo)
    if f.fingerprint in lint.lapsed:
        return "lapsed"
    if f.fingerprint in {g.fingerprint for g in lint.findings}:
        return "open"
    return "waived" if lint.waived_count else "gone"


def test_a_naming_waiver_survives_a_description_edit_and_lapses_on_a_wire_type_change(demo: Any) -> None:
    user, f = _waive(demo, "event-name-past-tense", "messages/ShipmentCreate")
    assert _state(demo, f) == "waived"
    obj = Message.objects.get(team=demo, name="ShipmentCreate")
    catalog.element_update(team=demo, user=user, obj=obj, data={"description": "edited"}, lock_version=None)
    assert _state(demo, f) == "waived"
    obj.refresh_from_db()
    catalog.element_update(team=demo, user=user, obj=obj, data={"wire_type": "shipment.create.v2"}, lock_version=None)
    assert _state(demo, f) == "lapsed"
    html = _owner_client(demo).get(f"/t/{demo.slug}/findings/").content.decode()
    assert "lapsed: the element changed" in html and "A waiver by demo lapsed" in html


def test_a_payload_waiver_survives_a_description_edit_and_lapses_on_a_new_schema(demo: Any) -> None:
    user, f = _waive(demo, "card-data-in-payload", "messages/PaymentFailed")
    obj = Message.objects.get(team=demo, name="PaymentFailed")
    catalog.element_update(team=demo, user=user, obj=obj, data={"description": "a new description"}, lock_version=None)
    assert _state(demo, f) == "waived"
    from designer.catalog.selectors import team_model
    from designer.lintreview.digest import element_digest

    model = team_model(demo)
    old = element_digest(model, f.key, "payload")
    msg = model.messages_by_name["PaymentFailed"]
    import dataclasses

    changed = dataclasses.replace(model, messages=tuple(
        dataclasses.replace(m, versions=m.versions + (dataclasses.replace(m.versions[-1], version="9.0.0"),))
        if m.name == "PaymentFailed" else m for m in model.messages))
    assert element_digest(changed, f.key, "payload") != old
    assert element_digest(changed, f.key, "naming") == element_digest(model, f.key, "naming")
    assert msg.name == "PaymentFailed"


def test_a_topology_waiver_lapses_when_a_relation_of_the_element_changes(demo: Any) -> None:
    import dataclasses

    from designer.catalog.selectors import team_model
    from designer.core.model import Relation
    from designer.lintreview.digest import element_digest

    model = team_model(demo)
    old = element_digest(model, "messages/ShipmentCreate", "topology")
    changed = dataclasses.replace(model, relations=model.relations + (
        Relation(service=model.services[0].name, message="ShipmentCreate", role="consumes"),))
    assert element_digest(changed, "messages/ShipmentCreate", "topology") != old
    assert element_digest(changed, "messages/OrderShipped", "naming") == element_digest(model, "messages/OrderShipped", "naming")


def test_viewers_cannot_waive(demo: Any, member_client: Any) -> None:
    viewer = member_client(demo, "viewer")
    f = _first(demo)
    resp = viewer.post(f"/t/{demo.slug}/findings/waive/", {"fingerprint": f.fingerprint, "reason": "x"})
    assert resp.status_code == 403
    assert viewer.get(f"/t/{demo.slug}/findings/").status_code == 200


def test_outsiders_get_a_404_for_the_findings_page(demo: Any, make_user: Any) -> None:
    c = Client()
    c.force_login(make_user())
    assert c.get(f"/t/{demo.slug}/findings/").status_code == 404


def test_the_one_click_rename_applies_an_unambiguous_fix(demo: Any, owner: Client) -> None:
    lint = linting.team_findings(demo)
    f = next(g for g in lint.findings if g.rule == "event-name-past-tense" and g.element == "ShipmentCreate")
    assert f.fix is not None and f.fix.value == "ShipmentCreated"
    html = owner.get(f"/t/{demo.slug}/findings/").content.decode()
    assert f"Rename to {f.fix.value}" in html
    resp = owner.post(f"/t/{demo.slug}/findings/fix/", {"fingerprint": f.fingerprint})
    assert resp.status_code == 302
    assert Message.objects.filter(team=demo, name="ShipmentCreated").exists()
    assert not Message.objects.filter(team=demo, name="ShipmentCreate").exists()


def test_every_rule_has_a_page_with_its_examples_and_the_team_severity(demo: Any, owner: Client) -> None:
    from designer.catalog.templatetags.designer import doc_text
    from designer.core.lint.docs import rule_doc
    from designer.core.lint.registry import RULES

    index = owner.get(f"/t/{demo.slug}/rules/").content.decode()
    for rule_id, info in RULES.items():
        assert rule_id in index
        resp = owner.get(f"/t/{demo.slug}/rules/{rule_id}/")
        assert resp.status_code == 200
        html = resp.content.decode()
        doc = rule_doc(info)
        assert 'id="failing-example"' in html and 'id="passing-example"' in html
        # The "why" is shown as its marked-up HTML (``code`` becomes <code>), never with raw backticks.
        assert not doc.why or str(doc_text(doc.why)) in html
        assert "``" not in html
        assert 'id="team-severity"' in html
    assert owner.get(f"/t/{demo.slug}/rules/no-such-rule/").status_code == 404


def test_the_public_rule_page_needs_no_login_and_shows_no_team(demo: Any) -> None:
    from designer.core.lint.registry import RULES

    rule_id = next(iter(RULES))
    resp = Client().get(f"/rules/{rule_id}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert rule_id in html and 'id="team-severity"' not in html and demo.name not in html


def test_owners_set_a_rule_severity_and_options_and_the_rule_page_shows_it(demo: Any, owner: Client) -> None:
    from designer.core.lint.registry import RULES

    rule_id, info = next((k, v) for k, v in sorted(RULES.items()) if v.options)
    key = next(iter(info.options))
    opts = dict(info.options)
    data = {"lock_version": demo.lock_version, f"sev_{rule_id}": "off",
            f"opt_{rule_id}": json.dumps(opts)}
    resp = owner.post(f"/t/{demo.slug}/settings/lint/", data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    demo.refresh_from_db()
    assert demo.lint_config["severities"] == {rule_id: "off"}
    assert Change.objects.filter(team=demo, action="settings").exists()
    html = owner.get(f"/t/{demo.slug}/rules/{rule_id}/").content.decode()
    assert "off" in html[html.index('id="team-severity"'):][:200]
    lint = linting.team_findings(demo)
    assert all(f.rule != rule_id for f in lint.all_findings)
    assert key


def test_it_refuses_unknown_option_keys_with_a_message(demo: Any, owner: Client) -> None:
    from designer.core.lint.registry import RULES

    rule_id = next(k for k, v in sorted(RULES.items()) if v.options)
    resp = owner.post(f"/t/{demo.slug}/settings/lint/", {
        "lock_version": demo.lock_version, f"opt_{rule_id}": json.dumps({"no_such_option": 1})})
    assert resp.status_code == 422
    assert "Unknown option “no_such_option”" in resp.content.decode()
    demo.refresh_from_db()
    assert not (demo.lint_config or {}).get("options")


def test_it_refuses_options_that_are_not_json(demo: Any, owner: Client) -> None:
    from designer.core.lint.registry import RULES

    rule_id = next(k for k, v in sorted(RULES.items()) if v.options)
    resp = owner.post(f"/t/{demo.slug}/settings/lint/", {"lock_version": demo.lock_version, f"opt_{rule_id}": "{nope"})
    assert resp.status_code == 422
    assert "Not valid JSON" in resp.content.decode()


def test_editors_cannot_open_the_lint_settings(demo: Any, member_client: Any) -> None:
    editor = member_client(demo, "editor")
    assert editor.get(f"/t/{demo.slug}/settings/lint/").status_code == 403


def test_the_team_settings_page_links_to_the_lint_settings(demo: Any, owner: Client) -> None:
    html = owner.get(f"/t/{demo.slug}/settings/").content.decode()
    assert f"/t/{demo.slug}/settings/lint/" in html


def test_the_element_page_links_to_its_findings(demo: Any, owner: Client) -> None:
    f = next(g for g in linting.team_findings(demo).findings if g.collection == "messages")
    obj = Message.objects.get(team=demo, name=f.element)
    html = owner.get(f"/t/{demo.slug}/messages/{obj.pk}/").content.decode()
    assert "Review findings" in html and "element=messages%2F" in html


def test_the_list_badge_partial_shows_the_worst_severity_and_count(demo: Any) -> None:
    from django.template.loader import render_to_string

    lint = linting.team_findings(demo)
    key = "messages/PaymentFailed"
    worst, n = lint.badges[key]
    html = render_to_string("lint/_badge.html", {"badges": lint.badges, "key": key, "team": demo})
    assert f'class="badge sev-{worst}"' in html and f">{n}</a>" in html
    assert "element=messages%2FPaymentFailed" in html
    assert render_to_string("lint/_badge.html", {"badges": lint.badges, "key": "messages/Nope", "team": demo}).strip() == ""


def test_the_waive_page_works_without_javascript_and_404s_for_a_fixed_finding(demo: Any, owner: Client) -> None:
    f = _first(demo)
    resp = owner.get(f"/t/{demo.slug}/findings/waive/", {"fp": f.fingerprint})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Waive a finding" in html and 'name="reason"' in html and f.rule in html
    assert owner.get(f"/t/{demo.slug}/findings/waive/", {"fp": "nope|messages/X|"}).status_code == 404


def test_the_team_home_links_to_the_findings_page_and_the_nav_shows_findings(demo: Any, owner: Client) -> None:
    html = owner.get(f"/t/{demo.slug}/").content.decode()
    assert f'href="/t/{demo.slug}/findings/">Review findings' in html
    assert f'<a href="/t/{demo.slug}/findings/">Findings</a>' in html
