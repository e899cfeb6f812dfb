"""Diagram journeys: click a node to open its page, change the view with the form, live refresh."""
from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def test_it_opens_a_node_from_the_diagram_and_sees_its_finding_badge(page: Any) -> None:
    page.goto("/t/demo-shop/diagram/")
    node = page.locator("#diagram-svg svg text").filter(has_text="OrderPlaced").first
    expect(node).to_be_visible()
    node.click()
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
    expect(viewer.locator("#diagram-svg svg text").filter(has_text="diagram-live-service")).to_be_visible()
