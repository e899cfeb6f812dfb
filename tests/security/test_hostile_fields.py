"""Every form and every API answers < 500 to any value in any field, and a refusal writes nothing.

Nothing here is a hand list of forms: the routes come from the URL conf, the forms and their
fields from the pages those routes render (see ``discover.py``), filled on the shipped demo
model. Hypothesis then posts hostile values (and random text) into every field of each form.
``HYPOTHESIS_EXAMPLES`` sets the examples per form (default 12; CI keeps the default).
"""
from __future__ import annotations

import os
from typing import Any

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import db_fingerprint
from tests.security.discover import COLLECTIONS, FormSpec, fill, forms_in, routes

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "12"))

HOSTILE = [
    "", " ", "0", "-1", "42", "1.5", "-0", "1e999", "99999999999999999999999999", "true", "false", "null",
    "[]", "{}", '"text"', "NaN", "-Infinity", '{"a": NaN}', '"\\u0000"', '{"k\\u0000": 1}',
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE catalog_team;--",
    "\u202eevil\u202c", "名前", "\U0001f4a5", "../../etc/passwd", "{{7*7}}", "${jndi:ldap://127.0.0.1:9/x}",
    "line\nbreak", "\r\nSet-Cookie: a=b", "a" * 24 + "!", "x" * 300, "x" * 25_000, "1" * 400,
    "[" * 2000 + "]" * 2000, '{"a":' * 1000 + "1" + "}" * 1000,
    '{"$ref": "http://127.0.0.1:9/schema.json"}', '{"$ref": "file:///etc/passwd"}', '{"$ref": "urn:x:y"}',
    '{"$id": "http://127.0.0.1:9/a/", "properties": {"x": {"$ref": "b.json"}}}',
    '{"type": "string", "pattern": "(a+)+$"}', '{"type": "object", "patternProperties": {"(a+)+$": {}}}',
    '{"type": "integer", "maximum": 1e400}', '{"enum": [' + ",".join(["1"] * 5000) + "]}",
    '{"type": "object", "properties": {"a": {"type": 5}}}', '{"$schema": "http://127.0.0.1:9/meta"}',
]
HOSTILE_FILES = [
    b"", b"\xff\xfe\x00garbage", b"version: 1\nservices: [", b"a: &a [*a, *a]\nb: &b [*a, *a, *a]\n",
    b"[" * 5000, b"version: 1\nmessages:\n  - name: A\n    schema: {$ref: 'http://127.0.0.1:9/x'}\n",
    b"version: 1\nmessages:\n  - name: A\n    schema: {$id: 'http://127.0.0.1:9/a/', properties: {x: {$ref: 'b.json'}}}\n",
    b'{"asyncapi": "3.0.0", "info": {"title": "x", "version": "1"}, "components": {"schemas": {"a": {"$ref": "file:///etc/passwd"}}}}',
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def _value(kind: str, choices: tuple[str, ...]) -> st.SearchStrategy[Any]:
    if kind == "file":
        return st.sampled_from(HOSTILE_FILES)
    hostile = st.one_of(st.sampled_from(HOSTILE), TEXT)
    if choices and any(choices):
        return st.one_of(st.sampled_from([c for c in choices]), hostile)
    return hostile


def _post_data(spec: FormSpec, values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in values.items():
        if spec.fields[name][0] == "file":
            data[name] = SimpleUploadedFile("hostile.yaml", value)
        else:
            data[name] = value
    return data


def _refused(resp: Any, method: str) -> bool:
    """Whether the answer refused the request (so nothing may have been written)."""
    if 400 <= resp.status_code < 500:
        return True
    body = resp.content[:400_000]
    return method == "post" and resp.status_code == 200 and b'class="errorlist' in body


def _team_values(team: Any) -> dict[str, Any]:
    from designer.catalog.models import (
        Change,
        Channel,
        Flow,
        Membership,
        Message,
        MessageVersion,
        Relation,
        Service,
    )
    from designer.core.lint.registry import RULES
    from designer.proposals.models import Proposal
    from designer.proposals.services import proposal_open

    msg = Message.objects.filter(team=team, versions__isnull=False).first()
    flow = Flow.objects.filter(team=team, steps__isnull=False).first()
    svc = Service.objects.filter(team=team).first()
    proposal = Proposal.objects.filter(team=team).first() or proposal_open(
        team=team, user=Membership.objects.filter(team=team, role="owner").first().user, title="Hostile probe")
    return {
        "pid": proposal.pk, "action": ["approve", "close", "merge", "nope"],
        "slug": team.slug,
        "coll": list(COLLECTIONS),
        "services.pk": svc.pk, "messages.pk": msg.pk, "channels.pk": Channel.objects.filter(team=team).first().pk,
        "flows.pk": flow.pk, "code.pk": svc.pk,
        "vid": MessageVersion.objects.filter(message=msg).first().pk,
        "rid": Relation.objects.filter(message=msg).first().pk,
        "cid": Change.objects.filter(team=team).first().pk,
        "bid": 1, "wid": 1,  # none exist yet: the pages must answer 404, not 500
        "rule_id": sorted(RULES)[0], "fmt": ["svg", "png", "dot", "nope"],
        "diagram_go.name": f"services/{svc.name}", "name": svc.name,
        "secret": "not-a-real-invitation",
    }


def _discover(client: Any, team: Any) -> tuple[list[FormSpec], list[str]]:
    """(unique forms found on every page, API paths) for the team."""
    values = _team_values(team)
    forms: dict[tuple[str, str, tuple[str, ...]], FormSpec] = {}
    apis: list[str] = []
    for route in routes():
        if route.template.startswith(("accounts/logout", "static/")):
            continue
        try:
            paths = fill(route, values)
        except KeyError as exc:
            if route.name == "diagram_go":
                paths = [f"/t/{team.slug}/go/{values['diagram_go.name']}"]
            else:
                pytest.fail(str(exc))
        if route.is_api:
            apis += paths
            continue
        for path in paths:
            resp = client.get(path)
            assert resp.status_code < 500, (path, resp.status_code)
            if resp.get("Content-Type", "").startswith("text/html"):
                for spec in forms_in(resp.content.decode(), "http://testserver" + path):
                    forms.setdefault(spec.key, spec)
    # The log-out form would end the session the other forms need; it is tested on its own.
    specs = [f for f in forms.values() if "/accounts/logout/" not in f.action]
    return specs, apis


def test_it_discovers_the_forms_and_apis_a_user_can_reach(owner_of_demo: Any) -> None:
    team, _, client, _ = owner_of_demo
    specs, apis = _discover(client, team)
    actions = {s.key[1] for s in specs if s.method == "post"}
    # A sample of what must be among them: if discovery broke, these go missing.
    for expected in (f"/t/{team.slug}/messages/N/versions/", f"/t/{team.slug}/members/",
                     f"/t/{team.slug}/settings/", f"/t/{team.slug}/import/", f"/t/{team.slug}/tokens/",
                     f"/t/{team.slug}/messages/validate/", f"/t/{team.slug}/flows/N/steps/"):
        assert expected in actions, sorted(actions)
    assert f"/api/teams/{team.slug}/events" in apis and f"/api/teams/{team.slug}/findings" in apis
    assert len(specs) >= 25


def _form_attack(spec: FormSpec, client: Any, owner: Any) -> Any:
    if not spec.fields:
        strategy: st.SearchStrategy[dict[str, Any]] = st.just({})
    else:
        strategy = st.fixed_dictionaries({name: _value(kind, choices) for name, (kind, choices) in spec.fields.items()})

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(values=strategy, htmx=st.booleans())
    def attack(values: dict[str, Any], htmx: bool) -> None:
        client.force_login(owner)
        before = db_fingerprint()
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        if spec.method == "post":
            resp = client.post(spec.action, _post_data(spec, values), **headers)
        else:
            resp = client.get(spec.action, {k: v for k, v in values.items() if spec.fields[k][0] != "file"}, **headers)
        assert resp.status_code < 500, (spec.method, spec.action, values, resp.status_code)
        if _refused(resp, spec.method):
            assert db_fingerprint() == before, (spec.action, values, resp.status_code)

    return attack


def test_it_never_answers_500_to_hostile_values_in_any_form_and_refusals_write_nothing(owner_of_demo: Any) -> None:
    team, owner, client, _ = owner_of_demo
    specs, _ = _discover(client, team)
    for spec in specs:
        _form_attack(spec, client, owner)()


JSON_BODIES = st.one_of(
    st.sampled_from([s.encode() for s in HOSTILE]),
    st.recursive(st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1)
                 | st.floats(allow_nan=False) | TEXT,
                 lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
                 max_leaves=20).map(lambda v: orjson.dumps(v, option=orjson.OPT_NON_STR_KEYS)),
    st.binary(max_size=200),
)


def test_it_never_answers_500_to_hostile_api_requests(owner_of_demo: Any) -> None:
    team, _, client, secret = owner_of_demo
    _, apis = _discover(client, team)
    assert apis
    for path in apis:
        _api_attack(path, client, secret)()


def _api_attack(path: str, client: Any, secret: str) -> Any:
    @settings(max_examples=EXAMPLES * 2, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(body=JSON_BODIES, ctype=st.sampled_from(["application/json", "application/cloudevents+json",
                                                    "application/cloudevents-batch+json", "text/plain", ""]),
           auth=st.sampled_from([f"Bearer {secret}", "Bearer efd_nope", "", "Basic x", f"Bearer {secret}\x7f"]),
           query=st.dictionaries(st.sampled_from(["format", "waived", "q", "last_id"]),
                                 st.one_of(st.sampled_from(HOSTILE[:30]), TEXT), max_size=3))
    def attack(body: bytes, ctype: str, auth: str, query: dict[str, str]) -> None:
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        resp = client.post(path, body, content_type=ctype, **headers)
        assert resp.status_code < 500, (path, body[:200], resp.status_code, resp.content[:300])
        resp = client.get(path, query, **headers)
        assert resp.status_code < 500, (path, query, resp.status_code, resp.content[:300])

    return attack
