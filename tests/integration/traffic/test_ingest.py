"""POST /api/teams/<slug>/events through the real ASGI app (the raw ingest route)."""
from __future__ import annotations

import uuid
from typing import Any

import orjson
import pytest
from channels.db import database_sync_to_async
from cloudevents.v1.conversion import to_binary, to_structured
from cloudevents.v1.http import CloudEvent
from django.test import override_settings

from designer.catalog import services as svc
from designer.traffic.models import KeptFinding, TrafficCounter, TrafficSample
from designer.traffic.pipeline import get_pipeline
from tests.unit.traffic.builders import brief, ce, valid_order

pytestmark = [pytest.mark.django_db(transaction=True)]

BATCH = "application/cloudevents-batch+json"


def sdk_event(type_: str = "com.shop.order.placed", data: Any = None, **attrs: Any) -> CloudEvent:
    attributes = {"type": type_, "source": "/services/orders", "id": str(uuid.uuid4()),
                  "correlationid": "c-1", **attrs}
    return CloudEvent(attributes, valid_order() if data is None else data)


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_it_accepts_a_structured_cloudevent_from_the_sdk(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    headers, body = to_structured(sdk_event())
    r = await http.post(f"/api/teams/{team.slug}/events", content=body, headers={**headers, **auth(secret)})
    assert r.status_code == 202, r.text
    result = r.json()
    assert result["accepted"] == 1 and result["rejected"] == 0
    assert result["results"][0]["status"] == "accepted"
    assert result["results"][0]["findings"] == []


async def test_it_accepts_a_binary_cloudevent_and_reports_its_schema_violation(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    bad = {**valid_order(), "currency": "GBP"}
    headers, body = to_binary(sdk_event(data=bad))
    r = await http.post(f"/api/teams/{team.slug}/events", content=body, headers={**headers, **auth(secret)})
    assert r.status_code == 202, r.text
    findings = r.json()["results"][0]["findings"]
    assert [f["kind"] for f in findings] == ["schema-violation"]
    assert findings[0]["path"] == "$.currency"


async def test_it_answers_a_batch_with_a_result_per_event(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    batch = [ce(id="a"), {"specversion": "1.0", "id": "b"}, ce("com.shop.refund.issued", {"x": 1}, id="c")]
    r = await http.post(f"/api/teams/{team.slug}/events", content=orjson.dumps(batch),
                        headers={"Content-Type": BATCH, **auth(secret)})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["accepted"] == 2 and body["rejected"] == 1
    statuses = [(x["index"], x["status"]) for x in body["results"]]
    assert statuses == [(0, "accepted"), (1, "rejected"), (2, "accepted")]
    assert "missing required CloudEvents attribute 'source'" in body["results"][1]["error"]
    assert [f["kind"] for f in body["results"][2]["findings"]] == ["undeclared-type"]


async def test_it_accepts_the_brief_envelope_as_plain_json(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()  # a CloudEvents-profile team accepts the brief envelope too
    r = await http.post(f"/api/teams/{team.slug}/events", content=orjson.dumps(brief()),
                        headers={"Content-Type": "application/json", **auth(secret)})
    assert r.status_code == 202, r.text
    assert r.json()["results"][0] == {"index": 0, "id": "evt-1", "type": "com.shop.order.placed",
                                      "status": "accepted", "findings": []}


async def test_it_refuses_a_request_without_a_token_or_with_a_bad_one(ashop: Any, http: Any) -> None:
    team, _, _ = await ashop()
    url = f"/api/teams/{team.slug}/events"
    r = await http.post(url, content=orjson.dumps(ce()), headers={"Content-Type": "application/cloudevents+json"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = await http.post(url, content=orjson.dumps(ce()),
                        headers={"Content-Type": "application/cloudevents+json", **auth("efd_nope")})
    assert r.status_code == 401
    assert "unknown or revoked" in r.json()["error"]


async def test_it_answers_404_for_another_teams_slug(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    other, _, _ = await ashop()
    for slug in (other.slug, "no-such-team"):
        r = await http.post(f"/api/teams/{slug}/events", content=orjson.dumps(ce()),
                            headers={"Content-Type": "application/cloudevents+json", **auth(secret)})
        assert r.status_code == 404, slug


async def test_it_stops_working_for_a_revoked_token_once_the_cache_expires(ashop: Any, http: Any) -> None:
    from designer.catalog.models import ApiToken
    from designer.traffic import ingest

    team, owner, secret = await ashop()
    url = f"/api/teams/{team.slug}/events"
    kw = {"content": orjson.dumps(ce()), "headers": {"Content-Type": "application/cloudevents+json", **auth(secret)}}
    assert (await http.post(url, **kw)).status_code == 202
    token = await database_sync_to_async(ApiToken.objects.get)(team=team)
    await database_sync_to_async(svc.token_revoke)(team=team, actor=owner, token=token)
    ingest.forget_tokens()  # what TOKEN_TTL seconds do in production
    assert (await http.post(url, **kw)).status_code == 401


@override_settings(TRAFFIC_MAX_BODY_BYTES=2000)
async def test_it_answers_413_for_a_body_over_the_limit(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    big = ce(data={**valid_order(), "note": "x" * 3000})
    r = await http.post(f"/api/teams/{team.slug}/events", content=orjson.dumps(big),
                        headers={"Content-Type": "application/cloudevents+json", **auth(secret)})
    assert r.status_code == 413
    assert "exceeds the limit of 2000 bytes" in r.json()["error"]


@override_settings(TRAFFIC_MAX_BATCH=3)
async def test_it_answers_413_for_a_batch_over_the_limit(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    r = await http.post(f"/api/teams/{team.slug}/events", content=orjson.dumps([ce(id=str(i)) for i in range(4)]),
                        headers={"Content-Type": BATCH, **auth(secret)})
    assert r.status_code == 413
    assert "limit is 3" in r.json()["error"]


@pytest.mark.parametrize(("content_type", "body", "status", "says"), [
    ("application/cloudevents+json", b'{"specversion": "1.0", ', 400, "malformed JSON"),
    ("application/cloudevents+json", b'{"specversion": "1.0"}', 400, "missing required CloudEvents attribute"),
    ("text/plain", b"hello", 415, "unsupported content type 'text/plain'"),
    (BATCH, b'[{"x": 1}]', 400, "no event in the batch is well-formed"),
])
async def test_it_explains_malformed_input(ashop: Any, http: Any, content_type: str, body: bytes,
                                           status: int, says: str) -> None:
    team, _, secret = await ashop()
    r = await http.post(f"/api/teams/{team.slug}/events", content=body,
                        headers={"Content-Type": content_type, **auth(secret)})
    assert r.status_code == status
    assert says in r.json()["error"]


@override_settings(TRAFFIC_RATE_LIMIT_PER_SECOND=20)
async def test_it_rate_limits_a_flood_per_token(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    batch = orjson.dumps([ce(id=str(i)) for i in range(15)])
    codes = []
    for _ in range(4):
        r = await http.post(f"/api/teams/{team.slug}/events", content=batch,
                            headers={"Content-Type": BATCH, **auth(secret)})
        codes.append(r.status_code)
    assert codes[:2] == [202, 202]
    assert 429 in codes
    r429 = r
    assert int(r429.headers["retry-after"]) >= 1
    assert "rate limit of 20 events/s" in r429.json()["error"]


async def test_it_answers_405_to_a_get(ashop: Any, http: Any) -> None:
    team, _, _ = await ashop()
    r = await http.get(f"/api/teams/{team.slug}/events")
    assert r.status_code == 405 and r.headers["allow"] == "POST"


async def test_it_keeps_grouped_findings_counters_and_samples_in_the_database(ashop: Any, http: Any) -> None:
    team, _, secret = await ashop()
    batch = [ce("com.shop.refund.issued", {"refundId": f"r{i}", "amount": i}, id=f"r{i}") for i in range(5)]
    batch += [ce(id="dup"), ce(id="dup")]
    r = await http.post(f"/api/teams/{team.slug}/events", content=orjson.dumps(batch),
                        headers={"Content-Type": BATCH, **auth(secret)})
    assert r.status_code == 202
    await get_pipeline().flush()

    def rows() -> Any:
        kept = {(k.kind, k.message_type): k for k in KeptFinding.objects.filter(team=team)}
        counters = {c.message_type: c.events for c in TrafficCounter.objects.filter(team=team)}
        samples = TrafficSample.objects.filter(team=team, message_type="com.shop.refund.issued").count()
        return kept, counters, samples

    kept, counters, samples = await database_sync_to_async(rows)()
    undeclared = kept[("undeclared-type", "com.shop.refund.issued")]
    assert undeclared.count == 5
    assert undeclared.inferred_schema["properties"]["refundId"]["type"] == "string"
    assert kept[("duplicate-id", "com.shop.order.placed")].count == 1
    assert counters == {"com.shop.refund.issued": 5, "com.shop.order.placed": 2}
    assert samples == 5


async def test_it_rebuilds_the_checker_when_the_model_changes(ashop: Any, http: Any) -> None:
    team, owner, secret = await ashop()
    url = f"/api/teams/{team.slug}/events"
    hdrs = {"Content-Type": "application/cloudevents+json", **auth(secret)}
    r = await http.post(url, content=orjson.dumps(ce("com.shop.refund.issued", {"a": 1}, id="1")), headers=hdrs)
    assert [f["kind"] for f in r.json()["results"][0]["findings"]] == ["undeclared-type"]
    await database_sync_to_async(svc.element_create)(
        team=team, user=owner, kind="message",
        data={"name": "RefundIssued", "kind": "event", "wire_type": "com.shop.refund.issued", "schema": {"type": "object"}})
    await get_pipeline().refresh_revisions()
    r = await http.post(url, content=orjson.dumps(ce("com.shop.refund.issued", {"a": 1}, id="2")), headers=hdrs)
    assert [f["kind"] for f in r.json()["results"][0]["findings"]] == ["undeclared-producer"]


async def test_it_checks_the_correlation_id_when_the_team_requires_it(ashop: Any, http: Any) -> None:
    cfg = {"options": {"traffic": {"require_correlation_id": True}}}
    team, _, secret = await ashop(lint_config=cfg)
    event = ce(id="x")
    del event["correlationid"]
    r = await http.post(f"/api/teams/{team.slug}/events", content=orjson.dumps(event),
                        headers={"Content-Type": "application/cloudevents+json", **auth(secret)})
    assert [f["kind"] for f in r.json()["results"][0]["findings"]] == ["missing-correlation-id"]


def test_the_django_view_gives_the_same_answers(shop: Any, client: Any) -> None:
    team, _, secret = shop()
    url = f"/api/teams/{team.slug}/events"
    r = client.post(url, data=orjson.dumps(ce()), content_type="application/cloudevents+json",
                    headers=auth(secret))
    assert r.status_code == 202, r.content
    assert r.json()["accepted"] == 1
    r = client.post(url, data=b"hello", content_type="text/plain", headers=auth(secret))
    assert r.status_code == 415
    r = client.post(url, data=orjson.dumps(ce()), content_type="application/cloudevents+json")
    assert r.status_code == 401
