"""Releasing a breaking version in a real browser: refused with the explanation, then released
with an override whose reason is kept; and the diff page that explains the break."""
from __future__ import annotations

import json
import secrets
import string
from typing import Any

from playwright.sync_api import expect

V1 = {"type": "object", "properties": {"memberId": {"type": "string"}, "tier": {"type": "string"}},
      "required": ["memberId", "tier"]}
V2 = {"type": "object", "properties": {"memberId": {"type": "string"}}, "required": ["memberId"]}


def _unique_event_name() -> str:
    # the browser server's database lives for the whole session: never reuse a name
    letters = "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
    return f"Tier{letters.capitalize()}Reached"


def _version_row(page: Any, version: str) -> Any:
    return page.locator("#versions tbody tr", has=page.locator("td:first-child", has_text=version))


def _post_and_reload(page: Any, url_end: str, button: Any) -> None:
    """Click an htmx submit button; the view answers with HX-Refresh, so the page reloads itself."""
    with page.expect_navigation():
        with page.expect_response(lambda r: r.url.endswith(url_end) and r.request.method == "POST") as answer:
            button.click()
    assert answer.value.status in (200, 302), answer.value.text()[:300]


def test_it_refuses_a_breaking_release_then_releases_it_with_a_recorded_override(page: Any) -> None:
    name = _unique_event_name()
    page.goto("/t/demo-shop/messages/new/")
    page.fill("#element-form input[name=name]", name)
    page.fill("#element-form textarea[name=schema]", json.dumps(V1))
    page.fill("#element-form textarea[name=example]", json.dumps({"memberId": "m-1", "tier": "gold"}))
    page.click("#element-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text(name)

    # release 1.0.0: nothing earlier, so no check stands in the way
    _post_and_reload(page, "/status/", _version_row(page, "1.0.0").get_by_role("button", name="Release", exact=True))
    expect(_version_row(page, "1.0.0")).to_contain_text("released")

    # a new version that removes the required field "tier": breaks FORWARD (the events default)
    page.locator("#version-editor summary").click()
    page.fill("#version-editor input[name=version]", "2.0.0")
    page.fill("#version-editor textarea[name=schema]", json.dumps(V2))
    page.fill("#version-editor textarea[name=example]", json.dumps({"memberId": "m-1"}))
    _post_and_reload(page, "/versions/", page.locator("#version-editor button[type=submit]"))
    expect(_version_row(page, "2.0.0")).to_contain_text("draft")

    _version_row(page, "2.0.0").get_by_role("button", name="Release", exact=True).click()
    refused = page.locator("#release-refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Release refused")
    expect(refused).to_contain_text("tier")
    expect(refused).to_contain_text("Fix:")
    expect(_version_row(page, "2.0.0")).to_contain_text("draft")

    reason = f"Every consumer of {name} dropped tier in release 42"
    refused.get_by_label("Release anyway — reason (kept in history)").fill(reason)
    refused.get_by_role("button", name="Release with override").click()
    row = _version_row(page, "2.0.0")
    expect(row).to_contain_text("released")
    expect(row).to_contain_text("released over a break")
    expect(row.locator(".override-reason")).to_contain_text(reason)

    page.click("text=History")
    expect(page.locator("main")).to_contain_text("(incompatible, overridden)")

    # the diff page explains the same break and marks it
    page.go_back()
    _version_row(page, "2.0.0").get_by_role("link", name="Compare with previous").click()
    expect(page.locator("h1")).to_contain_text(f"Compare versions of {name}")
    expect(page.locator("#diff-verdict")).to_contain_text("breaking under FORWARD")
    removed = page.locator('#diff-changes tr[data-path="properties.tier"]')
    expect(removed).to_contain_text("removed")
    expect(removed).to_contain_text("breaking")
