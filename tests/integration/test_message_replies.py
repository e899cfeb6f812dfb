"""Issue 12, replies: a query names the message it is answered with (``Message.reply``), edited
on the message form (a select of the team's messages), shown on its page, kept by the history,
and cleared — recorded, undoable — when the reply message is deleted. On the seeded demo team."""
from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from designer.catalog import kinds
from designer.catalog.models import Change, Message, Team
from designer.catalog.selectors import model_snapshot

pytestmark = pytest.mark.django_db


def _form_data(message: Message, **changes: Any) -> dict[str, Any]:
    data = {k: ("" if v is None else v) for k, v in kinds.by_key("message").initial(message).items()}
    data.update(changes)
    return data


def _reply_of(team: Team, name: str) -> str:
    return next(m.reply for m in model_snapshot(team).messages if m.name == name)


def test_the_demo_query_has_its_reply_on_its_page_and_in_the_form(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    query = Message.objects.get(team=demo_team, name="GetOrderStatus")
    assert query.reply is not None and query.reply.name == "OrderStatusReported"
    page = editor.get(reverse("element_detail", args=[demo_team.slug, "messages", query.pk])).content.decode()
    assert "Reply" in page and "OrderStatusReported" in page
    form = editor.get(reverse("element_edit", args=[demo_team.slug, "messages", query.pk])).content.decode()
    select = re.search(r'<select name="reply".*?</select>', form, re.S)
    assert select, form[:2000]
    offered = set(re.findall(r'<option value="(\d+)"', select.group(0)))
    assert offered == {str(pk) for pk in Message.objects.filter(team=demo_team).values_list("pk", flat=True)}
    assert re.search(rf'<option value="{query.reply_id}" selected>', select.group(0))


def test_an_editor_sets_a_reply_and_an_event_with_a_reply_is_refused(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    query = Message.objects.get(team=demo_team, name="GetOrderStatus")
    other = Message.objects.get(team=demo_team, name="OrderShipped")
    url = reverse("element_edit", args=[demo_team.slug, "messages", query.pk])
    assert editor.post(url, _form_data(query, reply=other.pk)).status_code == 302
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderShipped"
    change = Change.objects.filter(team=demo_team).latest("id")
    assert (change.before["reply"], change.after["reply"]) == ("OrderStatusReported", "OrderShipped")

    event = Message.objects.get(team=demo_team, name="OrderPlaced")
    revision = Team.objects.get(pk=demo_team.pk).revision
    resp = editor.post(reverse("element_edit", args=[demo_team.slug, "messages", event.pk]),
                       _form_data(event, reply=other.pk))
    assert resp.status_code == 422
    assert "An event has no reply" in resp.content.decode()
    assert Team.objects.get(pk=demo_team.pk).revision == revision  # nothing written
    resp = editor.post(url, _form_data(Message.objects.get(pk=query.pk), reply=query.pk))
    assert resp.status_code == 422 and "cannot be its own reply" in resp.content.decode()


def test_deleting_the_reply_clears_the_link_and_undo_brings_it_back(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    reply = Message.objects.get(team=demo_team, name="OrderStatusReported")
    delete = editor.get(reverse("element_delete", args=[demo_team.slug, "messages", reply.pk])).content.decode()
    assert "the reply of query GetOrderStatus" in delete  # the confirmation says what it takes
    resp = editor.post(reverse("element_delete", args=[demo_team.slug, "messages", reply.pk]), follow=True)
    page = resp.content.decode()
    assert _reply_of(demo_team, "GetOrderStatus") == ""
    change = Change.objects.filter(team=demo_team, action="delete").latest("id")
    assert {"kind": "message", "name": "GetOrderStatus", "before": {"reply": "OrderStatusReported"},
            "after": {"reply": ""}} in change.before["affected"]
    undo = re.search(r'action="([^"]+/restore/\?scope=undo)"', page)
    assert undo
    assert editor.post(undo.group(1).replace("&amp;", "&"), {"immediate": "1"}).status_code == 302
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderStatusReported"


def test_importing_a_real_request_reply_document_links_its_replies(demo_team: Team, member_client: Any) -> None:
    """A merge import creates a query and its reply in one change set (the reply is written
    first), through the import page; undoing the import removes both."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = (Path(__file__).resolve().parents[1] / "fixtures" / "asyncapi_real" / "asyncapi+spec@v3.0.0"
           / "examples" / "kraken-websocket-request-reply-multiple-channels-asyncapi.yml")
    editor = member_client(demo_team, "editor")
    url = reverse("import_model", args=[demo_team.slug])
    page = editor.post(url, {"file": SimpleUploadedFile(doc.name, doc.read_bytes()), "mode": "merge"})
    pending = re.search(r'name="pending" value="([^"]+)"', page.content.decode())
    assert pending, page.content[:2000]
    assert editor.post(url, {"pending": pending.group(1), "mode": "merge"}).status_code == 302
    assert _reply_of(demo_team, "ping") == "pong"
    assert _reply_of(demo_team, "subscribe") == "subscriptionStatus"
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderStatusReported"  # the demo's own is kept
    imported = Change.objects.filter(team=demo_team, action="import").latest("id")
    recorded = {(st.kind, st.name): st.after for st in imported.states.all()}
    assert recorded[("message", "ping")]["reply"] == "pong"
    restore = reverse("change_restore", args=[demo_team.slug, imported.pk]) + "?scope=undo"
    assert editor.post(restore, {"immediate": "1"}).status_code == 302
    assert not Message.objects.filter(team=demo_team, name__in=["ping", "pong"]).exists()


def test_another_teams_message_cannot_be_a_reply_and_viewers_cannot_set_one(
        demo_team: Team, member_client: Any, make_team: Any) -> None:
    other = make_team()
    foreign = Message.objects.create(team=other, name="Foreign", kind="event")
    query = Message.objects.get(team=demo_team, name="GetOrderStatus")
    url = reverse("element_edit", args=[demo_team.slug, "messages", query.pk])
    resp = member_client(demo_team, "editor").post(url, _form_data(query, reply=foreign.pk))
    assert resp.status_code == 422 and "Select a valid choice" in resp.content.decode()
    viewer = member_client(demo_team, "viewer")
    other_reply = Message.objects.get(team=demo_team, name="OrderShipped")
    assert viewer.post(url, _form_data(query, reply=other_reply.pk)).status_code in (403, 404)
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderStatusReported"


def test_a_proposal_changes_a_reply_and_its_merge_keeps_it(demo_team: Team, member_client: Any) -> None:
    """A reply edited in a proposal is not live until merged; the merge writes it, recorded."""
    author, reviewer = member_client(demo_team, "editor"), member_client(demo_team, "editor")
    assert author.post(reverse("proposal_list", args=[demo_team.slug]), {"title": "Answer with OrderShipped"}
                       ).status_code == 302
    from designer.proposals.models import Proposal

    proposal = Proposal.objects.filter(team=demo_team).latest("id")
    query = Message.objects.get(team=demo_team, name="GetOrderStatus")
    shipped = Message.objects.get(team=demo_team, name="OrderShipped")
    url = reverse("proposal_element_edit", args=[demo_team.slug, proposal.pk, "messages", query.pk])
    assert author.post(url, _form_data(query, reply=shipped.pk)).status_code == 302
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderStatusReported"  # nothing live moved
    action = "proposal_action"
    assert reviewer.post(reverse(action, args=[demo_team.slug, proposal.pk, "approve"])).status_code == 302
    assert reviewer.post(reverse(action, args=[demo_team.slug, proposal.pk, "merge"])).status_code == 302
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderShipped"
    merged = Change.objects.filter(team=demo_team).latest("id")
    state = merged.states.get(kind="message", name="GetOrderStatus")
    assert (state.before["reply"], state.after["reply"]) == ("OrderStatusReported", "OrderShipped")


def test_renaming_the_reply_renames_the_link_in_the_model(demo_team: Team, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderStatusReported"  # the snapshot is cached here
    reply = Message.objects.get(team=demo_team, name="OrderStatusReported")
    url = reverse("element_edit", args=[demo_team.slug, "messages", reply.pk])
    assert editor.post(url, _form_data(reply, name="OrderStatusAnswered")).status_code == 302
    assert _reply_of(demo_team, "GetOrderStatus") == "OrderStatusAnswered"  # the patched snapshot follows
