"""The foundation journey: log in, create a service and an event, see them listed, edit with a conflict."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_it_creates_a_service_and_an_event_and_lists_them(page: Any) -> None:
    page.goto("/t/demo-shop/services/")
    page.click("text=New service")
    page.fill("input[name=name]", "loyalty-service")
    page.fill("textarea[name=description]", "Awards points")
    page.click("#element-form button[type=submit]")
    # created inline: the table refreshes in place and the form closes, no reload
    expect(page.locator("#element-table")).to_contain_text("loyalty-service")
    expect(page.locator("#new-form")).to_contain_text("Created service loyalty-service")
    page.locator("#new-form a", has_text="loyalty-service").click()
    expect(page.locator("h1")).to_contain_text("loyalty-service")
    page.goto("/t/demo-shop/messages/")
    page.click("text=New message")
    page.fill("input[name=name]", "PointsAwarded")
    page.fill("input[name=wire_type]", "loyalty.points-awarded")
    page.fill("textarea[name=schema]", '{"type": "object", "properties": {"points": {"type": "integer"}}}')
    page.click("#element-form button[type=submit]")
    expect(page.locator("#element-table")).to_contain_text("PointsAwarded")
    page.goto("/t/demo-shop/messages/")
    page.fill("#q", "points")
    expect(page.locator("#element-table")).to_contain_text("PointsAwarded")
    expect(page.locator("#element-table")).not_to_contain_text("OrderPlaced")
    page.goto("/t/demo-shop/services/")
    expect(page.locator("#element-table")).to_contain_text("loyalty-service")


def test_it_refuses_the_second_of_two_concurrent_edits(new_page: Any) -> None:
    alice, bob = new_page(), new_page()
    alice.goto("/t/demo-shop/services/new/")
    alice.fill("input[name=name]", "conflict-service")
    alice.click("#element-form button[type=submit]")
    expect(alice.locator("h1")).to_contain_text("conflict-service")
    url = alice.url
    bob.goto(url)
    alice.click("text=Edit")
    bob.click("text=Edit")
    alice.fill("textarea[name=description]", "Alice was here")
    alice.click("#element-form button[type=submit]")
    expect(alice.locator("#element-card")).to_contain_text("Alice was here")
    bob.fill("textarea[name=description]", "Bob was here")
    bob.click("#element-form button[type=submit]")
    expect(bob.locator(".conflict")).to_contain_text("changed meanwhile")
    expect(bob.locator(".conflict")).to_contain_text("Alice was here")
    bob.goto(url)
    expect(bob.locator("#element-card")).to_contain_text("Alice was here")


def test_it_refreshes_an_open_page_when_someone_else_changes_the_model(new_page: Any) -> None:
    watcher, editor = new_page(), new_page()
    watcher.goto("/t/demo-shop/channels/")
    watcher.wait_for_timeout(500)  # let the live websocket connect
    editor.goto("/t/demo-shop/channels/new/")
    editor.fill("input[name=name]", "loyalty-events")
    editor.click("#element-form button[type=submit]")
    expect(watcher.locator("#element-table")).to_contain_text("loyalty-events", timeout=10000)


def test_it_answers_404_for_a_team_the_user_is_not_in(new_page: Any, manage: Any) -> None:
    page = new_page(None)
    page.goto("/t/demo-shop/")
    expect(page.locator("h1")).to_have_text("Not found")
