"""The diagram page, its render cache and task, downloads and the by-name resolver."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from designer.catalog import render as rd
from designer.catalog import services as svc
from designer.catalog.models import Channel, Message, Service
from designer.core.diagram import node_id
from designer.diagrams import services as diagrams
from designer.diagrams.models import DiagramRender
from designer.diagrams.options import ViewOptions
from designer.diagrams.tasks import render_diagram

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"
HOSTILE = ("<script>alert(1)</script>", '"]; evil [')


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks: Any) -> Any:
    """``run_tasks(fn, *args)``: call ``fn`` and run the tasks it enqueued on commit."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def owner(demo_team: Any) -> Any:
    from django.test import Client

    c = Client()
    c.force_login(demo_team.memberships.get(role="owner").user)
    return c


def _page(client: Any, run_tasks: Any, slug: str, query: str = "", **headers: Any) -> Any:
    """The page once its render is done (the test's transaction defers the task to the end of
    the first request, so a first visit shows the placeholder and the poll gets the drawing)."""
    url = reverse("diagram", args=[slug]) + (f"?{query}" if query else "")
    resp = run_tasks(client.get, url, **headers)
    if 'id="diagram-pending"' in resp.content.decode():
        resp = client.get(url, **headers)
    return resp


def _svg(resp: Any) -> ET.Element:
    html = resp.content.decode()
    match = re.search(r"<svg[\s\S]*</svg>", html)
    assert match, "the page has no inline SVG"
    return ET.fromstring(match.group(0))


def _node(svg: ET.Element, key: str) -> ET.Element | None:
    return svg.find(f".//{SVG_NS}g[@id='{node_id(key)}']")


def _links(el: ET.Element) -> list[str]:
    return [a.get(HREF, "") for a in el.iter(f"{SVG_NS}a")]


def _detail(team: Any, coll: str, model: Any, name: str) -> str:
    return reverse("element_detail", args=[team.slug, coll, model.objects.get(team=team, name=name).pk])


def test_it_draws_every_element_of_the_demo_team_with_a_link_to_its_page(owner: Any, demo_team: Any,
                                                                          run_tasks: Any) -> None:
    resp = _page(owner, run_tasks, demo_team.slug, "channels=1")
    assert resp.status_code == 200
    svg = _svg(resp)
    expected = ([("services", Service, s.name) for s in Service.objects.filter(team=demo_team)]
                + [("messages", Message, m.name) for m in Message.objects.filter(team=demo_team)]
                + [("channels", Channel, c.name) for c in Channel.objects.filter(team=demo_team)])
    assert len(expected) == 19  # 5 services, 9 messages (OrderStatusReported: the reply of GetOrderStatus), 5 channels
    for coll, model, name in expected:
        node = _node(svg, f"{coll}/{name}")
        assert node is not None, f"{coll}/{name} is not drawn"
        assert _detail(demo_team, coll, model, name) in _links(node), f"{coll}/{name} has no link to its page"
        assert name in "".join(node.itertext())


def test_it_leaves_channels_out_unless_asked_and_hides_queries_on_request(owner: Any, demo_team: Any,
                                                                            run_tasks: Any) -> None:
    svg = _svg(_page(owner, run_tasks, demo_team.slug))
    assert _node(svg, "channels/orders") is None
    assert _node(svg, "messages/GetOrderStatus") is not None
    svg = _svg(_page(owner, run_tasks, demo_team.slug, "queries=0"))
    assert _node(svg, "messages/GetOrderStatus") is None
    assert _node(svg, "messages/OrderPlaced") is not None


def test_it_draws_finding_badges_that_link_to_the_findings_page(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    svg = _svg(_page(owner, run_tasks, demo_team.slug))
    badge = svg.find(f".//{SVG_NS}g[@id='a_badge-{node_id('messages/OrderPlaced')}']")
    links = _links(badge) if badge is not None else _links(_node(svg, "messages/OrderPlaced"))  # type: ignore[arg-type]
    findings = reverse("lint_findings", args=[demo_team.slug]) + "?element=" + quote("messages/OrderPlaced", safe="/")
    assert findings in links


def test_it_draws_one_flow(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    resp = _page(owner, run_tasks, demo_team.slug, "flow=checkout")
    svg = _svg(resp)
    assert _node(svg, "messages/OrderPlaced") is not None
    assert _node(svg, "messages/GetOrderStatus") is None  # not a step of checkout
    assert "Flow checkout" in resp.content.decode()


def test_it_draws_a_focus_view_around_one_service(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    svg = _svg(_page(owner, run_tasks, demo_team.slug, "focus=services/email-service&hops=1"))
    assert _node(svg, "services/email-service") is not None
    assert _node(svg, "messages/SendEmail") is not None
    assert _node(svg, "messages/PaymentFailed") is None
    wider = _svg(_page(owner, run_tasks, demo_team.slug, "focus=services/email-service&hops=2"))
    assert _node(wider, "services/order-service") is not None


def test_it_answers_an_unknown_flow_or_bad_option_with_a_clear_message(owner: Any, demo_team: Any,
                                                                        run_tasks: Any) -> None:
    resp = _page(owner, run_tasks, demo_team.slug, "flow=nope")
    assert resp.status_code == 422
    assert "no flow named" in resp.content.decode()
    resp = _page(owner, run_tasks, demo_team.slug, "focus=services/ghost")
    assert resp.status_code == 422 and "not in the model" in resp.content.decode()
    resp = _page(owner, run_tasks, demo_team.slug, "focus=services/email-service&hops=many")
    assert resp.status_code == 422 and "hops must be a whole number" in resp.content.decode()
    assert not DiagramRender.objects.exists()


def test_the_form_scope_overrides_the_other_field(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    resp = _page(owner, run_tasks, demo_team.slug, "scope=team&flow=checkout&focus=services/x")
    assert resp.status_code == 200
    assert "Whole team" in resp.content.decode()


def test_it_gives_non_members_404_on_the_page_downloads_and_resolver(demo_team: Any, make_team: Any,
                                                                      member_client: Any, client: Any) -> None:
    outsider = member_client(make_team(), "owner")
    urls = [reverse("diagram", args=[demo_team.slug]),
            *(reverse("diagram_download", args=[demo_team.slug, f]) for f in ("svg", "png", "dot")),
            reverse("diagram_go", args=[demo_team.slug, "services", "order-service"])]
    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert client.get(url).status_code == 404, url
    assert not DiagramRender.objects.exists()


def test_it_downloads_svg_png_and_dot_as_attachments(owner: Any, demo_team: Any) -> None:
    base = reverse("diagram_download", args=[demo_team.slug, "svg"])
    resp = owner.get(base + "?flow=checkout")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/svg+xml"
    assert resp["Content-Disposition"] == 'attachment; filename="demo-shop-diagram-checkout.svg"'
    body = resp.content.decode()
    assert body.startswith("<?xml") and "<script" not in body and node_id("messages/OrderPlaced") in body
    png = owner.get(reverse("diagram_download", args=[demo_team.slug, "png"]) + "?flow=checkout")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert "attachment;" in png["Content-Disposition"]
    dot = owner.get(reverse("diagram_download", args=[demo_team.slug, "dot"]))
    assert dot.status_code == 200 and dot.content.startswith(b"digraph")
    assert dot["Content-Disposition"] == 'attachment; filename="demo-shop-diagram.dot"'
    assert owner.get(reverse("diagram_download", args=[demo_team.slug, "pdf"])).status_code == 404
    bad = owner.get(base + "?flow=nope")
    assert bad.status_code == 422 and b"no flow named" in bad.content


def test_it_shows_a_placeholder_that_polls_until_the_render_is_ready(owner: Any, demo_team: Any,
                                                                     run_tasks: Any) -> None:
    url = reverse("diagram", args=[demo_team.slug]) + "?direction=TB"
    first = owner.get(url)  # the task is only enqueued on commit: not run yet
    html = first.content.decode()
    assert 'id="diagram-pending"' in html and 'hx-trigger="every 1s"' in html and "<svg" not in html
    assert DiagramRender.objects.get().status == "pending"
    run_tasks(owner.get, url)  # polling does not enqueue twice
    assert DiagramRender.objects.get().status == "pending"
    row = DiagramRender.objects.get()
    render_diagram(demo_team.pk, row.revision, row.options)  # what the worker does
    ready = owner.get(url, HTTP_HX_REQUEST="true")
    html = ready.content.decode()
    assert "<svg" in html and "every 1s" not in html
    assert html.lstrip().startswith('<section id="diagram-area"')  # the partial, not the page
    assert "<html" not in html


def test_it_draws_once_per_revision_and_view(owner: Any, demo_team: Any, run_tasks: Any,
                                             monkeypatch: Any) -> None:
    calls: list[str] = []
    real = rd.render_diagram

    def counting(dot: str, fmt: str = "svg", *a: Any, **kw: Any) -> Any:
        calls.append(fmt)
        return real(dot, fmt, *a, **kw)

    monkeypatch.setattr(rd, "render_diagram", counting)
    for _ in range(3):
        _page(owner, run_tasks, demo_team.slug, "flow=checkout")
    assert calls == ["svg"]
    _page(owner, run_tasks, demo_team.slug, "flow=checkout&direction=TB")
    assert calls == ["svg", "svg"]
    assert DiagramRender.objects.count() == 2


def test_it_draws_again_when_the_model_changes(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    before = _page(owner, run_tasks, demo_team.slug)
    assert "audit-service" not in before.content.decode()
    svc.element_create(team=demo_team, user=None, kind="service", data={"name": "audit-service"})
    after = _page(owner, run_tasks, demo_team.slug, HTTP_HX_REQUEST="true")
    assert _node(_svg(after), "services/audit-service") is not None
    assert DiagramRender.objects.values("revision").distinct().count() == 2
    # The area re-gets itself when the model changes (the live-model websocket's DOM event).
    assert 'hx-trigger="model-changed from:body"' in after.content.decode()


def test_the_render_task_is_idempotent(demo_team: Any, monkeypatch: Any) -> None:
    revision = diagrams.current_revision(demo_team)
    options = ViewOptions(flow="checkout").as_dict()
    assert render_diagram(demo_team.pk, revision, options) == "ready"

    def boom(*a: Any, **kw: Any) -> Any:
        raise AssertionError("drew the same diagram twice")

    monkeypatch.setattr(rd, "render_diagram", boom)
    assert render_diagram(demo_team.pk, revision, options) == "ready"
    assert render_diagram(demo_team.pk + 999, revision, options) == "gone"
    assert DiagramRender.objects.count() == 1


def test_the_task_skips_a_revision_the_model_has_moved_past(demo_team: Any) -> None:
    revision = diagrams.current_revision(demo_team)
    assert render_diagram(demo_team.pk, revision - 1, ViewOptions().as_dict()) == "stale"


def test_a_graph_too_large_is_a_clear_message_not_a_500(owner: Any, demo_team: Any, run_tasks: Any,
                                                        monkeypatch: Any) -> None:
    def too_large(*a: Any, **kw: Any) -> Any:
        raise rd.DiagramTooLarge("the diagram is too large or tangled to draw in time; " + rd.FOCUS_HINT)

    monkeypatch.setattr(rd, "render_diagram", too_large)
    resp = _page(owner, run_tasks, demo_team.slug)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'id="diagram-error"' in html and "too large" in html and "Around one element" in html
    assert "?flow=checkout" in html  # a one-flow view is offered
    assert owner.get(reverse("diagram_download", args=[demo_team.slug, "svg"])).status_code == 422


def test_it_escapes_hostile_names_in_the_inline_svg_and_downloads(make_team: Any, member_client: Any,
                                                                   run_tasks: Any) -> None:
    team = make_team()
    c = member_client(team, "viewer")
    msg = svc.element_create(team=team, user=None, kind="message", data={"name": "Hostile", "kind": "event"})
    for name in HOSTILE:
        s = svc.element_create(team=team, user=None, kind="service", data={"name": name})
        svc.relation_add(team=team, user=None, service=s, message=msg, role="produces")
    resp = _page(c, run_tasks, team.slug)
    assert resp.status_code == 200
    html = resp.content.decode()
    area = html[html.index('id="diagram-area"'):]
    assert "<script" not in area.lower()
    # The DOT-breaking name stayed one node: no node or edge named "evil" was injected.
    assert 'id="evil"' not in area and "<title>evil</title>" not in area
    svg = _svg(resp)
    assert not list(svg.iter(f"{SVG_NS}script"))
    for name in HOSTILE:
        node = _node(svg, f"services/{name}")
        assert node is not None and name in "".join(node.itertext())
        assert _detail(team, "services", Service, name) in _links(node)
    body = c.get(reverse("diagram_download", args=[team.slug, "svg"])).content.decode()
    assert "<script" not in body and "&lt;script&gt;" in body


def test_the_resolver_redirects_a_name_to_its_element_page(owner: Any, demo_team: Any) -> None:
    odd = svc.element_create(team=demo_team, user=None, kind="service", data={"name": "a/b ?c#d"})
    url = reverse("diagram_go", args=[demo_team.slug, "services", "a/b ?c#d"])
    resp = owner.get(url)
    assert resp.status_code == 302
    assert resp["Location"] == reverse("element_detail", args=[demo_team.slug, "services", odd.pk])
    assert owner.get(reverse("diagram_go", args=[demo_team.slug, "services", "ghost"])).status_code == 404
    assert owner.get(reverse("diagram_go", args=[demo_team.slug, "teams", "x"])).status_code == 404


def test_element_pages_link_to_a_diagram_around_them(owner: Any, demo_team: Any) -> None:
    html = owner.get(_detail(demo_team, "services", Service, "email-service")).content.decode()
    assert reverse("diagram", args=[demo_team.slug]) + "?focus=services/email-service&amp;hops=1" in html
    assert "Diagram around this" in html


def test_the_team_home_has_a_diagram_card_that_loads_a_thumbnail(owner: Any, demo_team: Any,
                                                                   run_tasks: Any) -> None:
    html = owner.get(reverse("team_home", args=[demo_team.slug])).content.decode()
    assert 'id="diagram-card"' in html and "?thumb=1" in html
    thumb = _page(owner, run_tasks, demo_team.slug, "thumb=1", HTTP_HX_REQUEST="true").content.decode()
    assert "diagram-canvas thumb" in thumb and "download.svg" not in thumb


def test_the_page_has_a_keyboard_friendly_options_form(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    html = _page(owner, run_tasks, demo_team.slug).content.decode()
    for control in ("diagram-scope", "diagram-flow", "diagram-focus", "diagram-hops", "diagram-direction",
                    "diagram-cluster", "diagram-channels", "diagram-queries"):
        assert f'id="{control}"' in html
    assert 'hx-push-url="true"' in html and 'type="submit"' in html
    assert 'href="' + reverse("diagram_download", args=[demo_team.slug, "png"]) in html


def test_the_form_pushes_the_short_canonical_url(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    query = "scope=flow&flow=checkout&focus=&hops=1&direction=LR&cluster=none&channels=0&channels=1&queries=0&queries=1"
    resp = _page(owner, run_tasks, demo_team.slug, query, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="diagram-options")
    assert resp["HX-Push-Url"] == reverse("diagram", args=[demo_team.slug]) + "?flow=checkout&channels=1"
    poll = _page(owner, run_tasks, demo_team.slug, "flow=checkout", HTTP_HX_REQUEST="true")
    assert "HX-Push-Url" not in poll  # polls and live refreshes leave the history alone


def test_the_png_is_drawn_once_and_kept(owner: Any, demo_team: Any, monkeypatch: Any) -> None:
    url = reverse("diagram_download", args=[demo_team.slug, "png"]) + "?flow=checkout"
    first = owner.get(url).content
    monkeypatch.setattr(rd, "render_diagram", lambda *a, **kw: (_ for _ in ()).throw(AssertionError("redrawn")))
    assert owner.get(url).content == first


def test_an_unexpected_error_while_drawing_fails_the_render_instead_of_polling_forever(
        owner: Any, demo_team: Any, run_tasks: Any, monkeypatch: Any) -> None:
    def broken(*a: Any, **kw: Any) -> Any:
        raise KeyError("bug")

    monkeypatch.setattr(rd, "render_diagram", broken)
    resp = _page(owner, run_tasks, demo_team.slug)
    assert resp.status_code == 200
    assert "unexpected error" in resp.content.decode() and 'id="diagram-pending"' not in resp.content.decode()
    assert DiagramRender.objects.get().status == "failed"


def test_a_lost_pending_render_is_enqueued_again_once_stale(owner: Any, demo_team: Any, run_tasks: Any) -> None:
    from django.utils import timezone

    url = reverse("diagram", args=[demo_team.slug])
    owner.get(url)  # enqueued on commit, which never comes: as if the worker died
    DiagramRender.objects.update(updated_at=timezone.now() - diagrams.STALE_PENDING * 2)
    run_tasks(owner.get, url)
    assert DiagramRender.objects.get().status == "ready"


def test_it_focuses_on_a_bare_name_and_says_which_names_come_close(owner: Any, demo_team: Any,
                                                                     run_tasks: Any) -> None:
    resp = _page(owner, run_tasks, demo_team.slug, "focus=OrderPlaced")
    assert resp.status_code == 200
    assert "OrderPlaced (message), 1 hop around" in resp.content.decode()
    assert _node(_svg(resp), "messages/OrderPlaced") is not None
    resp = _page(owner, run_tasks, demo_team.slug, "focus=orderplaced")  # any case
    assert resp.status_code == 200 and "OrderPlaced (message)" in resp.content.decode()
    resp = _page(owner, run_tasks, demo_team.slug, "focus=OrderPlaze")
    assert resp.status_code == 422 and "did you mean OrderPlaced" in resp.content.decode()


def test_a_name_shared_by_a_service_and_a_message_must_be_qualified(owner: Any, demo_team: Any,
                                                                     run_tasks: Any) -> None:
    svc.element_create(team=demo_team, user=None, kind="service", data={"name": "OrderPlaced"})
    resp = _page(owner, run_tasks, demo_team.slug, "focus=OrderPlaced")
    assert resp.status_code == 422
    assert "messages/OrderPlaced" in resp.content.decode() and "services/OrderPlaced" in resp.content.decode()
    page = _page(owner, run_tasks, demo_team.slug).content.decode()
    assert 'value="services/OrderPlaced"' in page and 'value="messages/OrderPlaced"' in page
    assert 'value="PaymentFailed" label="event"' in page


def test_the_node_panel_lists_relations_and_is_scoped_to_the_team(owner: Any, demo_team: Any, make_team: Any,
                                                                  member_client: Any) -> None:
    url = reverse("diagram_node", args=[demo_team.slug])
    html = owner.get(url, {"id": node_id("messages/OrderPlaced")}).content.decode()
    assert "order-service</a> sends OrderPlaced" in html
    assert "payment-service</a> receives OrderPlaced" in html
    assert "Add sends / receives" in html and "?focus=messages%2FOrderPlaced&amp;hops=1" in html
    assert owner.get(url, {"id": "svc-nope-00000000"}).status_code == 404
    assert owner.get(url, {"id": "<script>"}).status_code == 404
    viewer = member_client(demo_team, "viewer")
    html = viewer.get(url, {"id": node_id("services/order-service")}).content.decode()
    assert "order-service sends" in html and "Add sends / receives" not in html
    outsider = member_client(make_team(), "owner")
    assert outsider.get(url, {"id": node_id("messages/OrderPlaced")}).status_code == 404


def test_an_empty_team_gets_a_prompt_instead_of_a_diagram(make_team: Any, member_client: Any) -> None:
    team = make_team()
    client = member_client(team, "owner")
    home = client.get(reverse("team_home", args=[team.slug])).content.decode()
    assert 'id="diagram-empty"' in home and "?thumb=1" not in home
    page = client.get(reverse("diagram", args=[team.slug])).content.decode()
    assert "Nothing to draw yet" in page and "<svg" not in page, page[page.find("diagram-area"):]
