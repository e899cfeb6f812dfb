"""Issue 11, proposals: a new element proposed with the live "New" form (created only by the
merge; refusals write nothing), and "Propose instead" on the import preview — through the pages,
on the demo team."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.catalog.models import Change, Message, Team
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states
from designer.proposals.models import Proposal, ProposalElement

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ONLY_ID = ROOT / "tests" / "fixtures" / "imports" / "order-placed-only-id.asyncapi.yaml"


def _open(client: Any, team: Team, title: str = "Add a refund message") -> Proposal:
    assert client.post(reverse("proposal_list", args=[team.slug]), {"title": title}).status_code == 302
    return Proposal.objects.filter(team=team).latest("id")


def _new(client: Any, team: Team, proposal: Proposal, coll: str, **values: Any) -> Any:
    url = reverse("proposal_element_new", args=[team.slug, proposal.pk, coll])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in ((n, form[n].value()) for n in form.fields) if v is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data.update(values)
    return client.post(url, data)


def test_a_message_proposed_new_is_created_only_by_the_merge(demo_team: Team, member_client: Any) -> None:
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    proposal = _open(author, demo_team)
    live = model_states(model_snapshot(demo_team))
    detail = author.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert reverse("proposal_element_new", args=[demo_team.slug, proposal.pk, "messages"]) in detail

    resp = _new(author, demo_team, proposal, "messages", name="RefundIssued", description="Money went back.")
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert model_states(model_snapshot(demo_team)) == live  # nothing live moved
    assert not Message.objects.filter(team=demo_team, name="RefundIssued").exists()
    page = reviewer.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    assert 'data-element="message/RefundIssued"' in page and "create message <strong>RefundIssued</strong>" in page

    assert reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "approve"])).status_code == 302
    resp = reviewer.post(reverse("proposal_action", args=[demo_team.slug, proposal.pk, "merge"]))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    created = Message.objects.get(team=demo_team, name="RefundIssued")
    assert created.description == "Money went back."
    assert Change.objects.filter(team=demo_team).latest("id").action == "merge"


def test_refused_new_elements_write_nothing(demo_team: Team, member_client: Any) -> None:
    editor, viewer = member_client(demo_team, "editor"), member_client(demo_team, "viewer")
    proposal = _open(editor, demo_team)
    assert _new(editor, demo_team, proposal, "messages", name="RefundIssued").status_code == 302
    rows = list(ProposalElement.objects.filter(proposal=proposal).values())
    live = model_states(model_snapshot(demo_team))

    resp = _new(editor, demo_team, proposal, "messages", name="OrderPlaced")  # exists live
    assert resp.status_code == 422 and "already exists in this team" in resp.content.decode()
    resp = _new(editor, demo_team, proposal, "messages", name="RefundIssued", description="again")  # in the proposal
    assert resp.status_code == 422 and "This proposal already has a message named RefundIssued" in resp.content.decode()
    resp = _new(editor, demo_team, proposal, "messages", name="Bad\nName")  # the form refuses
    assert resp.status_code == 422 and "Names cannot contain control characters" in resp.content.decode()
    resp = _new(editor, demo_team, proposal, "messages", name="")
    assert resp.status_code == 422 and resp.context["form"].errors["name"]
    url = reverse("proposal_element_new", args=[demo_team.slug, proposal.pk, "messages"])
    assert viewer.post(url, {"name": "ViewerIdea"}).status_code == 403

    assert list(ProposalElement.objects.filter(proposal=proposal).values()) == rows
    assert model_states(model_snapshot(demo_team)) == live


def test_the_import_preview_proposes_instead_of_applying(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    live = model_states(model_snapshot(demo_team))
    revision = Team.objects.get(pk=demo_team.pk).revision
    url = reverse("import_model", args=[demo_team.slug])
    page = editor.post(url, {"file": SimpleUploadedFile(ONLY_ID.name, ONLY_ID.read_bytes()), "mode": "merge"})
    assert page.status_code == 200 and "Propose instead" in page.content.decode()
    pending = re.search(r'name="pending" value="([^"]+)"', page.content.decode())
    assert pending is not None

    resp = editor.post(url, {"pending": pending.group(1), "mode": "merge", "propose": "1"})
    proposal = Proposal.objects.filter(team=demo_team).latest("id")
    assert resp.status_code == 302 and resp["Location"] == reverse("proposal_detail",
                                                                   args=[demo_team.slug, proposal.pk])
    assert proposal.title == f"Import {ONLY_ID.name}" and proposal.elements.exists()
    assert model_states(model_snapshot(demo_team)) == live
    assert Team.objects.get(pk=demo_team.pk).revision == revision
    detail = editor.get(resp["Location"]).content.decode()
    assert 'data-element="message/OrderPlaced"' in detail


def test_an_element_the_proposal_creates_is_re_edited_from_its_proposed_state(demo_team: Team,
                                                                               member_client: Any) -> None:
    author, viewer = member_client(demo_team, "editor"), member_client(demo_team, "viewer")
    proposal = _open(author, demo_team)
    assert _new(author, demo_team, proposal, "messages", name="RefundIssued", description="First").status_code == 302
    live = model_states(model_snapshot(demo_team))
    detail = author.get(reverse("proposal_detail", args=[demo_team.slug, proposal.pk])).content.decode()
    url = reverse("proposal_new_edit", args=[demo_team.slug, proposal.pk, "messages", "RefundIssued"])
    assert url in detail  # linked from the proposal page
    opened = author.post(reverse("proposal_open_element", args=[demo_team.slug, proposal.pk]),
                         {"element": "messages/RefundIssued"})
    assert opened.status_code == 302 and opened["Location"] == url  # "Edit in this proposal" finds it too
    page = author.get(url)
    assert page.status_code == 200 and page.context["form"]["description"].value() == "First"
    form = page.context["form"]
    data = {k: v for k, v in ((n, form[n].value()) for n in form.fields) if v is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}

    assert viewer.post(url, {**data, "description": "Viewer"}).status_code == 403
    renamed = author.post(url, {**data, "name": "Other"})
    assert renamed.status_code == 422
    assert ProposalElement.objects.get(proposal=proposal, name="RefundIssued").proposed["description"] == "First"
    assert author.post(url, {**data, "description": "Second"}).status_code == 302
    assert ProposalElement.objects.get(proposal=proposal, name="RefundIssued").proposed["description"] == "Second"
    assert model_states(model_snapshot(demo_team)) == live
    other = reverse("proposal_new_edit", args=[demo_team.slug, proposal.pk, "messages", "OrderPlaced"])
    assert author.get(other).status_code == 404  # a live element is edited with the live-element form
