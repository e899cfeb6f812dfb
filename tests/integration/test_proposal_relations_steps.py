"""Issue 11, proposals: relations (who produces / consumes a message, dedup key) and flow steps
edited inside a proposal with the live forms — saved into the proposal only, shown in its diff,
applied by the merge; refusals and viewers write nothing. Through the pages, on the demo team."""
from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Team
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states
from designer.proposals.models import Proposal, ProposalElement

pytestmark = pytest.mark.django_db


def _open(client: Any, team: Team) -> Proposal:
    assert client.post(reverse("proposal_list", args=[team.slug]), {"title": "Rewire"}).status_code == 302
    return Proposal.objects.filter(team=team).latest("id")


def _merge(reviewer: Any, team: Team, proposal: Proposal) -> None:
    assert reviewer.post(reverse("proposal_action", args=[team.slug, proposal.pk, "approve"])).status_code == 302
    resp = reviewer.post(reverse("proposal_action", args=[team.slug, proposal.pk, "merge"]))
    assert resp.status_code == 302, resp.content.decode()[:3000]


def _pick(team: Team, kind: str, key: str) -> tuple[str, dict[str, Any]]:
    states = model_states(model_snapshot(team))
    return next((n, s) for (k, n), s in sorted(states.items()) if k == kind and s.get(key))


def test_a_consumer_with_a_dedup_key_is_proposed_then_merged(demo_team: Team, member_client: Any) -> None:
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    name, state = _pick(demo_team, "message", "relations")
    taken = {r["service"] for r in state["relations"] if r["role"] == "consumes"}
    service = next(s for (k, s) in sorted(model_states(model_snapshot(demo_team))) if k == "service" and s not in taken)
    svc_pk = demo_team.services.get(name=service).pk
    proposal = _open(author, demo_team)
    live = model_states(model_snapshot(demo_team))
    url = reverse("proposal_relations", args=[demo_team.slug, proposal.pk, name])
    assert author.get(url).status_code == 200

    refused = author.post(url, {"op": "add", "role": "consumes"})  # no service
    assert refused.status_code == 422 and "Choose a service" in refused.content.decode()
    assert not ProposalElement.objects.filter(proposal=proposal).exists()

    resp = author.post(url, {"op": "add", "service": svc_pk, "role": "consumes", "dedup_key": "orderId",
                             "idempotent": "on"})
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert model_states(model_snapshot(demo_team)) == live  # nothing live moved
    dup = author.post(url, {"op": "add", "service": svc_pk, "role": "consumes"})
    assert dup.status_code == 422 and "already consumes" in dup.content.decode()
    page = reviewer.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert f'data-element="message/{name}"' in page and f"relation: {service} consumes" in page

    _merge(reviewer, demo_team, proposal)
    rels = model_states(model_snapshot(demo_team))[("message", name)]["relations"]
    added = [r for r in rels if r["service"] == service and r["role"] == "consumes"]
    assert added and added[0]["dedup_key"] == "orderId" and added[0]["idempotent"] is True
    assert len(rels) == len(state["relations"]) + 1


def test_removing_a_producer_in_a_proposal_and_viewers_refused(demo_team: Team, member_client: Any) -> None:
    author, viewer = member_client(demo_team, "editor"), member_client(demo_team, "viewer")
    name, state = _pick(demo_team, "message", "relations")
    proposal = _open(author, demo_team)
    url = reverse("proposal_relations", args=[demo_team.slug, proposal.pk, name])
    assert viewer.post(url, {"op": "remove", "index": "0"}).status_code == 403
    assert author.post(url, {"op": "remove", "index": "99"}).status_code == 422
    assert not ProposalElement.objects.filter(proposal=proposal).exists()
    assert author.post(url, {"op": "remove", "index": "0"}).status_code == 302
    row = ProposalElement.objects.get(proposal=proposal, kind="message", name=name)
    assert row.proposed["relations"] == state["relations"][1:]
    assert model_states(model_snapshot(demo_team))[("message", name)] == state
    missing = reverse("proposal_relations", args=[demo_team.slug, proposal.pk, "NoSuchMessage"])
    assert author.get(missing).status_code == 404


def test_flow_steps_moved_added_and_removed_in_a_proposal(demo_team: Team, member_client: Any) -> None:
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    name, state = _pick(demo_team, "flow", "steps")
    proposal = _open(author, demo_team)
    live = model_states(model_snapshot(demo_team))
    url = reverse("proposal_steps", args=[demo_team.slug, proposal.pk, name])
    assert author.get(url).status_code == 200
    assert author.post(url, {"op": "add", "action": "sends"}).status_code == 422
    assert author.post(url, {"op": "up", "index": "0"}).status_code == 302  # the first step cannot move up
    assert not ProposalElement.objects.filter(proposal=proposal).exists()
    first = state["steps"][0]
    msg_pk = demo_team.messages.get(name=first["message"]).pk
    svc_pk = demo_team.services.get(name=first["service"]).pk
    resp = author.post(url, {"op": "add", "service": svc_pk, "message": msg_pk, "action": first["action"],
                             "note": "again, in the proposal"})
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert author.post(url, {"op": "remove", "index": "0"}).status_code == 302
    assert model_states(model_snapshot(demo_team)) == live
    page = reviewer.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert f'data-element="flow/{name}"' in page

    _merge(reviewer, demo_team, proposal)
    steps = model_states(model_snapshot(demo_team))[("flow", name)]["steps"]
    assert steps == [*state["steps"][1:], {**first, "note": "again, in the proposal"}]


def test_the_proposal_page_reloads_itself_when_someone_else_changes_it(demo_team: Team, member_client: Any) -> None:
    author, other, outsider = (member_client(demo_team, "editor"), member_client(demo_team, "viewer"),
                               member_client(Team.objects.create(name="Other", slug="other-team"), "owner"))
    proposal = _open(author, demo_team)
    page = author.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk]))
    stamp = page.context["stamp"]
    poll = reverse("proposal_stamp", args=[demo_team.slug, proposal.pk])
    assert f'hx-get="{poll}?v={stamp}"' in page.content.decode()
    assert 'hx-trigger="every 15s, model-changed from:body"' in page.content.decode()
    quiet = author.get(poll, {"v": stamp}, HTTP_HX_REQUEST="true")
    assert quiet.status_code == 204 and "HX-Refresh" not in quiet
    # another member comments: the page's next poll reloads it
    assert other.post(reverse("proposal_comment", args=[demo_team.slug, proposal.pk]), {"text": "Why?"}).status_code == 302
    moved = author.get(poll, {"v": stamp}, HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and moved["HX-Refresh"] == "true"
    stamp = author.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).context["stamp"]
    # another editor's edit inside the proposal moves it too
    name, _ = _pick(demo_team, "message", "relations")
    rel = reverse("proposal_relations", args=[demo_team.slug, proposal.pk, name])
    assert member_client(demo_team, "editor").post(rel, {"op": "remove", "index": "0"}).status_code == 302
    assert author.get(poll, {"v": stamp})["HX-Refresh"] == "true"
    assert outsider.get(poll, {"v": stamp}).status_code == 404  # team-scoped


def _new(client: Any, team: Team, proposal: Proposal, coll: str, **values: Any) -> None:
    url = reverse("proposal_element_new", args=[team.slug, proposal.pk, coll])
    form = client.get(url).context["form"]
    data = {k: v for k, v in ((n, form[n].value()) for n in form.fields) if v is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    resp = client.post(url, {**data, **values})
    assert resp.status_code == 302, resp.content.decode()[:3000]


def test_elements_the_proposal_creates_are_offered_and_merged_linked(demo_team: Team, member_client: Any) -> None:
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    flow, _ = _pick(demo_team, "flow", "steps")
    doomed = demo_team.services.order_by("name").first()
    assert doomed is not None
    proposal = _open(author, demo_team)
    live = model_states(model_snapshot(demo_team))
    _new(author, demo_team, proposal, "services", name="RefundWorker")
    _new(author, demo_team, proposal, "messages", name="RefundIssued")
    rel_url = reverse("proposal_relations", args=[demo_team.slug, proposal.pk, "RefundIssued"])
    page = author.get(rel_url)
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["service"].choices)
    assert choices.get("new:RefundWorker") == "RefundWorker (new in this proposal)"
    assert '<option value="new:RefundWorker">RefundWorker (new in this proposal)</option>' in page.content.decode()
    assert choices.get(str(doomed.pk)) == doomed.name  # live services are still offered

    # Another proposal deletes a live service: its forms no longer offer it, and posting it is refused.
    other = _open(author, demo_team)
    delete = reverse("proposal_element_delete", args=[demo_team.slug, other.pk, "services", doomed.pk])
    assert author.post(delete).status_code == 302
    flow_other = reverse("proposal_steps", args=[demo_team.slug, other.pk, flow])
    assert str(doomed.pk) not in dict(author.get(flow_other).context["form"].fields["service"].choices)
    before = list(ProposalElement.objects.filter(proposal=other).values_list("kind", "name", "proposed"))
    refused = author.post(flow_other, {"op": "add", "service": str(doomed.pk), "message": "new:RefundIssued",
                                       "action": "sends"})
    assert refused.status_code == 422  # neither the deleted service nor another proposal's message
    assert list(ProposalElement.objects.filter(proposal=other).values_list("kind", "name", "proposed")) == before

    resp = author.post(rel_url, {"op": "add", "service": "new:RefundWorker", "role": "produces"})
    assert resp.status_code == 302, resp.content.decode()[:3000]

    step_url = reverse("proposal_steps", args=[demo_team.slug, proposal.pk, flow])
    form = author.get(step_url).context["form"]
    assert "new:RefundIssued" in dict(form.fields["message"].choices)
    resp = author.post(step_url, {"op": "add", "service": "new:RefundWorker", "message": "new:RefundIssued",
                                  "action": "sends", "note": "refund"})
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert model_states(model_snapshot(demo_team)) == live  # the live model is unchanged

    _merge(reviewer, demo_team, proposal)
    after = model_states(model_snapshot(demo_team))
    assert ("service", "RefundWorker") in after and ("service", doomed.name) in after
    rels = after[("message", "RefundIssued")]["relations"]
    assert [(r["service"], r["role"]) for r in rels] == [("RefundWorker", "produces")]
    assert any(s["service"] == "RefundWorker" and s["message"] == "RefundIssued" and s["action"] == "sends"
               for s in after[("flow", flow)]["steps"])
