"""Issue 14: a viewer is not shown forms they cannot submit, and a refused submit says so inside
the page (one navigation bar, the form still there) instead of swapping in a whole page."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_a_viewer_gets_no_new_element_form(member_page: Any) -> None:
    viewer = member_page("vera-viewer")
    viewer.goto("/t/demo-shop/services/")
    expect(viewer.get_by_role("link", name="New service")).to_have_count(0)
    resp = viewer.goto("/t/demo-shop/services/new/")
    assert resp is not None and resp.status == 403
    expect(viewer.locator("h1")).to_have_text("Not allowed")
    expect(viewer.locator("main")).to_contain_text("Viewers cannot add a service")
    expect(viewer.locator("main form")).to_have_count(0)
    expect(viewer.locator("input[name=name]")).to_have_count(0)


def test_a_refused_submit_shows_a_message_inside_the_page(member_page: Any, manage: Any) -> None:
    page = member_page("eddie-editor", "editor")
    page.goto("/t/demo-shop/services/new/")
    page.fill("input[name=name]", "never-created")
    manage("add_member", "--team", "demo-shop", "--user", "eddie-editor", "--role", "viewer")  # demoted meanwhile
    page.click("#element-form button[type=submit]")
    refusal = page.locator("#main > #refusal")
    expect(refusal).to_contain_text("Not allowed")
    expect(page.locator("header.top")).to_have_count(1)  # no second page (and nav bar) in the content
    expect(page.locator("input[name=name]")).to_have_value("never-created")  # the form is kept
    refusal.get_by_role("button", name="Dismiss").click()
    expect(page.locator("#refusal")).to_have_count(0)
