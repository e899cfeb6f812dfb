"""Diagram journeys: click a node to open its page, change the view with the form, live refresh."""
from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def _node(page: Any, name: str) -> Any:
    """A node's label (edge labels are sentences that name nodes too, so only g.node)."""
    return page.locator("#diagram-svg g.node text").filter(has_text=re.compile(rf"^{re.escape(name)}$")).first


def test_it_opens_a_node_from_the_diagram_and_sees_its_finding_badge(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    node = _node(page, "OrderPlaced")
    expect(node).to_be_visible()
    node.click()
    page.locator(".diagram-panel").get_by_role("link", name="Open").click()
    page.wait_for_url("**/t/demo-shop/messages/*/")
    expect(page.locator("h1")).to_contain_text("OrderPlaced")
    expect(page.locator("h1 .badge")).to_be_visible()


def test_it_redraws_one_flow_from_the_options_form_and_keeps_the_url(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    expect(page.locator("#diagram-area h2")).to_contain_text("Whole team")
    page.select_option("#diagram-flow", "checkout")
    page.select_option("#diagram-scope", "flow")
    expect(page.locator("#diagram-area h2")).to_contain_text("Flow checkout")
    expect(page.locator("#diagram-svg svg text").filter(has_text="GetOrderStatus")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/diagram/\?flow=checkout$"))
    page.check("#diagram-channels")
    expect(page.locator("#diagram-svg svg text").filter(has_text="orders").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/diagram/\?flow=checkout&channels=1$"))


def test_it_redraws_the_open_diagram_when_the_model_changes(new_page: Any) -> None:
    viewer, editor = new_page(), new_page()
    viewer.goto("/t/demo-shop/diagram/")
    expect(viewer.locator("#diagram-svg svg")).to_be_visible()
    editor.goto("/t/demo-shop/services/new/")
    editor.fill("input[name=name]", "diagram-live-service")
    editor.click("#element-form button[type=submit]")
    expect(editor.locator("h1")).to_contain_text("diagram-live-service")
    expect(_node(viewer, "diagram-live-service")).to_be_visible()


# ---- issue 14: a diagram a new user can read, move around and question ----------------------
def test_the_home_diagram_fits_its_card_on_a_laptop_and_a_phone(browser: Any, live_server_url: str) -> None:
    for width in (1366, 390):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server_url)
        page = ctx.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", "demo")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.goto("/t/demo-shop/")
        svg = page.locator("#diagram-card #diagram-svg svg")
        expect(svg).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"the home page scrolls sideways at {width} px"
        card = page.locator("#diagram-card").bounding_box()
        box = svg.bounding_box()
        assert card and box and box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"] + 1
        ctx.close()


def test_edge_labels_are_sentences_in_the_active_voice(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    labels = page.locator("#diagram-svg g.edge text")
    expect(labels.filter(has_text="shipping-service receives PaymentSucceeded")).to_have_count(1)
    expect(labels.filter(has_text="order-service sends OrderPlaced")).to_have_count(1)
    assert "receives" not in labels.all_inner_texts(), "a bare verb reads backwards along a consumer's edge"
    size = labels.first.evaluate("t => parseFloat(t.getAttribute('font-size'))")
    assert size >= 10


def test_it_zooms_pans_and_fits_with_the_buttons_the_keyboard_and_the_mouse(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    canvas = page.locator("#diagram-svg")
    expect(canvas.locator("svg")).to_be_visible()
    svg = canvas.locator("svg")

    def viewbox() -> list[float]:
        return [float(n) for n in svg.get_attribute("viewBox").split()]

    page.get_by_role("button", name="Fit to card").click()
    fitted = viewbox()
    level = page.locator(".zoom-level")
    fit_level = int(level.inner_text().rstrip("%"))
    page.get_by_role("button", name="Zoom in").click()
    assert viewbox()[2] < fitted[2] and int(level.inner_text().rstrip("%")) > fit_level
    canvas.focus()
    page.keyboard.press("0")
    assert viewbox() == fitted
    page.keyboard.press("+")
    page.keyboard.press("+")
    zoomed = viewbox()
    assert zoomed[2] < fitted[2]
    page.keyboard.press("ArrowRight")
    assert viewbox()[0] > zoomed[0]
    box = canvas.bounding_box()
    assert box
    x, y = box["x"] + 20, box["y"] + 20
    before = viewbox()
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=6)
    page.mouse.up()
    after = viewbox()
    assert after[0] < before[0] and after[1] < before[1], "dragging right and down shows what is left and above"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    assert viewbox()[2] < after[2]
    page.get_by_role("button", name="Fit to card").click()
    assert viewbox() == fitted
    # The drawing never pushes the page sideways, whatever the zoom.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_it_focuses_on_an_element_picked_by_its_bare_name(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    options = page.locator("#diagram-elements option")
    assert "OrderPlaced" in [o.get_attribute("value") for o in options.all()]
    assert "services/OrderPlaced" not in [o.get_attribute("value") for o in options.all()]
    page.fill("#diagram-focus", "OrderPlaced")
    expect(page.locator("#diagram-area h2")).to_contain_text("OrderPlaced (message), 1 hop around")
    expect(page.locator("#diagram-scope")).to_have_value("focus")
    expect(_node(page, "GetOrderStatus")).to_have_count(0)
    # Typed by hand in any case and submitted with Enter works too.
    page.fill("#diagram-focus", "email-SERVICE")
    page.press("#diagram-focus", "Enter")
    expect(page.locator("#diagram-area h2")).to_contain_text("email-service (service)")
    page.fill("#diagram-focus", "OrderPlaze")
    page.press("#diagram-focus", "Enter")
    expect(page.locator("#diagram-error")).to_contain_text("did you mean OrderPlaced")


def test_a_node_opens_a_side_panel_with_its_relations_and_actions(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    page.get_by_role("button", name="Fit to card").click()
    _node(page, "shipping-service").click()
    panel = page.locator(".diagram-panel")
    expect(panel.locator("h3")).to_contain_text("shipping-service")
    expect(panel).to_contain_text("shipping-service receives PaymentSucceeded")
    expect(panel).to_contain_text("shipping-service sends OrderShipped")
    expect(panel.get_by_role("group", name="Add sends / receives")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/diagram/$"))  # picking is not navigating
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # By keyboard: a node is a link; Enter on it opens the panel, whose Focus action redraws.
    page.locator("#diagram-svg g.node a").filter(has=page.locator("text", has_text=re.compile("^OrderShipped$"))).focus()
    page.keyboard.press("Enter")
    expect(panel.locator("h3")).to_contain_text("OrderShipped")
    panel.get_by_role("link", name="Focus").click()
    expect(page.locator("#diagram-area h2")).to_contain_text("OrderShipped (message)")


def test_the_panel_works_on_the_home_card_too_and_a_viewer_gets_no_add_action(member_page: Any) -> None:
    page = member_page("diagram-viewer", "viewer")
    page.goto("/t/demo-shop/")
    page.locator("#diagram-card g.node text").filter(has_text=re.compile("^order-service$")).first.click()
    panel = page.locator("#diagram-card .diagram-panel")
    expect(panel).to_contain_text("order-service sends OrderPlaced")
    expect(panel.get_by_role("group", name="Add sends / receives")).to_have_count(0)


def test_an_empty_team_gets_a_prompt_instead_of_an_empty_diagram(page: Any) -> None:
    page.goto("/teams/")
    page.fill("input[name=name]", "Empty diagram team")
    page.click("form button.primary")
    page.wait_for_url("**/t/**")
    expect(page.locator("#diagram-empty")).to_contain_text("once the team has a service or a message")
    expect(page.locator("#diagram-card .diagram-canvas")).to_have_count(0)
    expect(page.locator("#diagram-card").get_by_role("link", name="add a service")).to_be_visible()
    page.goto(page.url + "diagram/")
    expect(page.locator("#diagram-empty")).to_contain_text("Nothing to draw yet")
    expect(page.locator("#diagram-svg")).to_have_count(0)
