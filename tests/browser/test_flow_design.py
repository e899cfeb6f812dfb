"""Issue 14: a flow is designed where it is seen — steps typed as sentences beside the flow's
live diagram, reordered by keyboard, new names created on the fly; a diagram node's panel adds
what the service sends or receives."""
from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def _flow_page(page: Any, name: str = "checkout") -> None:
    page.goto("/t/demo-shop/flows/")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("#flow-diagram #diagram-svg svg")).to_be_visible()


def _node(page: Any, scope: str, name: str) -> Any:
    return page.locator(f"{scope} g.node text").filter(has_text=re.compile(rf"^{re.escape(name)}$"))


def _lab(page: Any, name: str) -> str:
    """A new team of the logged-in user (what these journeys create stays out of the demo shop,
    whose traffic other journeys check); returns its home's path."""
    page.goto("/teams/")
    page.fill("#id_name", name)
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.locator("h1")).to_have_text(name)
    return "/" + page.url.split("/", 3)[3]


def _new_flow(page: Any, home: str, name: str) -> None:
    page.goto(home + "flows/new/")
    page.fill("input[name=name]", name)
    page.click("#element-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text(name)


def test_it_adds_steps_as_sentences_creating_new_names_and_redraws_the_flow(page: Any) -> None:
    home = _lab(page, "Refund lab")
    _new_flow(page, home, "refunds")
    box = page.locator("#step-sentence")
    box.press_sequentially("refund-service sends RefundOrder", delay=5)
    preview = page.locator("#step-preview")
    expect(preview).to_contain_text("Creates the service refund-service and the command RefundOrder")
    box.press("Enter")
    expect(page.locator("#step-done")).to_contain_text("created service refund-service and command RefundOrder")
    expect(page.locator("#step-list li").last).to_contain_text("refund-service sends command RefundOrder")
    expect(_node(page, "#flow-diagram", "RefundOrder")).to_have_count(1)  # the flow's diagram drew itself
    expect(page.locator("#step-sentence")).to_be_focused()  # ready for the next step

    # "it" is the last step's message; what exists is not created again.
    page.locator("#step-sentence").press_sequentially("billing-service receives it", delay=5)
    expect(preview).to_contain_text("billing-service receives command RefundOrder")
    page.locator("#step-sentence").press("Enter")
    expect(page.locator("#step-list li").last).to_contain_text("billing-service receives command RefundOrder")
    expect(page.locator("#step-done")).to_have_text("Added “billing-service receives RefundOrder”; created service billing-service.")
    expect(_node(page, "#flow-diagram", "billing-service")).to_have_count(1)  # redrawn after each step

    # Lint hints as you type: a second handler for the command, a new event not in the past tense.
    page.locator("#step-sentence").press_sequentially("ledger-service receives RefundOrder", delay=5)
    expect(preview.locator(".step-findings")).to_contain_text("command-handler-count")
    page.locator("#step-sentence").fill("")
    page.locator("#step-sentence").press_sequentially("billing-service sends event RefundIssue", delay=5)
    expect(preview.locator(".hint")).to_contain_text("past tense")

    page.reload()
    expect(page.locator("#step-list li").last).to_contain_text("billing-service receives command RefundOrder")

    # On the diagram, a service's panel adds what it sends; the drawing redraws, the panel stays.
    page.goto(home + "diagram/")
    _node(page, "#diagram-svg", "billing-service").first.click()
    panel = page.locator(".diagram-panel")
    panel.get_by_label("Message").fill("RefundIssued")
    panel.get_by_role("button", name="Add", exact=True).click()
    expect(_node(page, "#diagram-svg", "RefundIssued")).to_have_count(1)
    expect(page.locator(".diagram-panel")).to_contain_text("billing-service sends RefundIssued")


def test_a_sentence_it_cannot_read_is_explained_and_writes_nothing(page: Any) -> None:
    _flow_page(page)
    count = page.locator("#step-list li").count()
    page.locator("#step-sentence").fill("order-service OrderPlaced")
    page.locator("#step-add button[type=submit]").click()
    expect(page.locator("#step-error")).to_contain_text("No “sends” or “receives”")
    expect(page.locator("#step-list li")).to_have_count(count)
    expect(page.locator("#step-sentence")).to_have_value("order-service OrderPlaced")


def test_it_reorders_steps_with_the_keyboard_in_place(page: Any) -> None:
    _flow_page(page)
    second = " ".join((page.locator("#step-list li").nth(1).text_content() or "").split("↑")[0].split())
    page.locator("#step-list li").nth(1).get_by_role("button", name=re.compile("up$")).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#step-list li").first).to_contain_text(second)
    expect(page.locator("#step-list li").first.get_by_role("button", name="Move step 1 up")).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")  # and back, still from the keyboard
    expect(page.locator("#step-list li").nth(1)).to_contain_text(second)
    expect(page).to_have_url(re.compile(r"/flows/\d+/$"))  # no page load: the list was swapped in place


def test_viewers_get_no_step_or_panel_forms(member_page: Any) -> None:
    viewer = member_page("flow-viewer")
    _flow_page(viewer)
    expect(viewer.locator("#step-sentence")).to_have_count(0)
    expect(viewer.locator("#step-list button")).to_have_count(0)
    viewer.goto("/t/demo-shop/diagram/")
    _node(viewer, "#diagram-svg", "order-service").first.click()
    expect(viewer.locator(".diagram-panel h3")).to_contain_text("order-service")
    expect(viewer.locator(".diagram-panel form")).to_have_count(0)


def test_a_new_flow_draws_itself_from_its_first_step(page: Any) -> None:
    home = _lab(page, "Returns lab")
    _new_flow(page, home, "returns")
    expect(page.locator("#flow-diagram")).to_contain_text("draws itself here as you add steps")
    page.locator("#step-sentence").fill("customer-app sends ReturnRequested")
    page.locator("#step-sentence").press("Enter")
    expect(_node(page, "#flow-diagram", "ReturnRequested")).to_have_count(1)
