"""The form inputs that used to answer 500: JSON scalars, deep nesting, oversized fields, ids."""
from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Change, Flow, Message, MessageVersion, Service
from designer.core.schema_compile import MAX_DEPTH
from tests.security.conftest import db_fingerprint

pytestmark = pytest.mark.django_db


def test_it_accepts_json_scalars_where_json_schema_does(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    resp = client.post(reverse("element_new", args=[team.slug, "messages"]),
                       {"name": "AnswerComputed", "kind": "event", "schema": "true", "example": "42"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    version = MessageVersion.objects.get(message__team=team, message__name="AnswerComputed")
    assert version.schema is True and version.example == 42
    msg = version.message
    resp = client.post(reverse("version_save", args=[team.slug, msg.pk]),
                       {"schema": '{"type": "integer"}', "example": "false"})
    assert resp.status_code == 422 and "false is not of type" in resp.content.decode()
    resp = client.post(reverse("validate_field", args=[team.slug, "messages"]),
                       {"_field": "example", "schema": '{"type": "string"}', "example": "42"})
    assert resp.status_code == 200 and "42 is not of type" in resp.content.decode()


@pytest.mark.parametrize("field", ["schema", "example"])
def test_it_refuses_json_nested_1000_deep_with_a_message_and_writes_nothing(owner_of_demo: Any, field: str) -> None:
    team, _, client, _ = owner_of_demo
    msg = Message.objects.filter(team=team).first()
    deep = "[" * 1000 + "]" * 1000
    data = {"schema": '{"type": "array"}', "example": "[]", field: deep}
    before = db_fingerprint()
    resp = client.post(reverse("version_save", args=[team.slug, msg.pk]), data)
    assert resp.status_code == 422
    assert f"nested more than {MAX_DEPTH} levels deep" in resp.content.decode()
    assert db_fingerprint() == before


def test_it_refuses_an_oversized_description_and_json_field(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    before = db_fingerprint()
    resp = client.post(reverse("element_new", args=[team.slug, "services"]),
                       {"name": "huge-service", "description": "x" * 25_000})
    assert resp.status_code == 422 and "at most 20000 characters" in resp.content.decode()
    resp = client.post(reverse("element_new", args=[team.slug, "messages"]),
                       {"name": "HugeSent", "kind": "event", "example": json.dumps(["x" * 100] * 11_000)})
    assert resp.status_code == 422 and "the limit is 1,000,000" in resp.content.decode()
    assert db_fingerprint() == before


def test_it_refuses_nan_and_nul_which_postgresql_cannot_store(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    msg = Message.objects.filter(team=team).first()
    before = db_fingerprint()
    for example, reason in (('{"total": NaN}', "NaN is not a JSON number"),
                            ('{"note": "a\\u0000b"}', "NUL character")):
        resp = client.post(reverse("version_save", args=[team.slug, msg.pk]), {"schema": "true", "example": example})
        assert resp.status_code == 422 and reason in resp.content.decode()
    assert db_fingerprint() == before


def test_it_writes_no_history_for_a_refused_flow_step(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    flow = Flow.objects.filter(team=team).first()
    changes = Change.objects.filter(team=team).count()
    for data in ({"op": "add", "service": "nope", "message": "", "action": "sends"},
                 {"op": "remove", "index": "99"}, {"op": "up", "index": "0"}, {"op": "dance"}):
        resp = client.post(reverse("flow_steps", args=[team.slug, flow.pk]), data)
        assert resp.status_code == 302
    assert Change.objects.filter(team=team).count() == changes


@pytest.mark.parametrize("raw", ["1" * 400, "²", "-1", "1e3", " 7"])
def test_it_treats_an_id_it_cannot_store_as_no_such_row(owner_of_demo: Any, raw: str) -> None:
    team, _, client, _ = owner_of_demo
    before = db_fingerprint()
    for op, key in (("remove", "membership"), ("role", "membership"), ("revoke-invite", "invitation")):
        assert client.post(reverse("members", args=[team.slug]), {"op": op, key: raw, "role": "viewer"}).status_code == 404
    assert client.post(reverse("tokens", args=[team.slug]), {"op": "revoke", "token": raw}).status_code == 404
    msg = Message.objects.filter(team=team).first()
    assert client.get(reverse("version_diff", args=[team.slug, msg.pk]), {"from": raw}).status_code < 500
    assert db_fingerprint() == before


def test_it_answers_404_for_a_url_id_beyond_the_database_range(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    assert Service.objects.filter(team=team).exists()
    for path in (f"/t/{team.slug}/services/{'9' * 30}/", f"/t/{team.slug}/history/{'9' * 19}/",
                 f"/t/{team.slug}/messages/{'9' * 25}/versions/"):
        assert client.get(path).status_code == 404


def test_it_refuses_a_nul_in_a_proposal_title_or_comment(owner_of_demo: Any) -> None:
    from designer.proposals.models import Proposal, ProposalComment

    team, _, client, _ = owner_of_demo
    resp = client.post(reverse("proposal_list", args=[team.slug]), {"title": "evil\x00title"})
    assert resp.status_code == 422 and "NUL" in resp.content.decode()
    assert not Proposal.objects.filter(team=team).exists()
    resp = client.post(reverse("proposal_list", args=[team.slug]), {"title": "A fine title"})
    proposal = Proposal.objects.get(team=team)
    resp = client.post(reverse("proposal_comment", args=[team.slug, proposal.pk]), {"text": "hi\x00there"})
    assert resp.status_code < 500
    assert not ProposalComment.objects.filter(proposal=proposal).exists()


def test_it_answers_a_nul_in_a_name_typed_as_you_type_with_a_message(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    resp = client.post(reverse("validate_field", args=[team.slug, "messages"]), {"_field": "name", "name": "Order\x00Placed"})
    assert resp.status_code == 200 and "Null characters are not allowed." in resp.content.decode()


def test_it_searches_a_list_with_a_nul_without_an_error(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    resp = client.get(reverse("element_list", args=[team.slug, "messages"]), {"q": "Order\x00"})
    assert resp.status_code == 200 and "OrderPlaced" in resp.content.decode()
