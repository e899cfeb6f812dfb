"""Issue 14: fixes that fix — a mechanical fix is previewed and applied in one click from the
findings page; the rest open the editor that can change it (the schema editor at the JSON
path); saving an edit page returns to where the user came from, saying so."""
from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def test_a_mechanical_schema_fix_shows_its_diff_and_applies_in_one_click(page: Any) -> None:
    page.goto("/t/demo-shop/findings/?rule=schema-content-model-explicit")
    finding = page.locator("#open-findings li.finding").filter(has_text="InventoryReserved")
    finding.get_by_role("link", name=re.compile(r"^Fix: ")).click()
    diff = finding.locator(".fix-slot pre.diff")
    expect(diff.locator(".del")).to_contain_text('"additionalProperties": false')
    expect(diff.locator(".add")).to_contain_text('"additionalProperties": true')
    apply = finding.get_by_role("button", name=re.compile(r"^Apply: "))
    expect(apply).to_be_focused()
    apply.click()
    expect(page.locator(".flash")).to_contain_text("on InventoryReserved (version")
    expect(page).to_have_url(re.compile(r"/findings/\?rule=schema-content-model-explicit$"))
    expect(page.locator("#open-findings li.finding").filter(has_text="InventoryReserved")).to_have_count(0)
    page.goto("/t/demo-shop/messages/")
    page.get_by_role("link", name="InventoryReserved", exact=True).click()
    expect(page.locator("#version-editor textarea[name=schema]")).to_have_value(re.compile(r'"additionalProperties": true'))


def test_a_rename_fix_is_previewed_before_it_is_applied(page: Any) -> None:
    page.goto("/t/demo-shop/findings/?rule=event-name-past-tense")
    finding = page.locator("#open-findings li.finding").filter(has_text="ShipmentCreate").first
    finding.get_by_role("link", name="Fix: Rename to ShipmentCreated…").click()
    expect(finding.locator(".fix-slot pre.diff")).to_contain_text("+name: ShipmentCreated")
    expect(page.locator("#open-findings")).to_contain_text("ShipmentCreate")  # nothing written yet


def test_a_schema_finding_opens_the_schema_editor_at_its_path_and_saving_returns(page: Any) -> None:
    page.goto("/t/demo-shop/findings/?rule=pii-field-unclassified")
    finding = page.locator("#open-findings li.finding").first
    path = finding.locator("code.small").inner_text()  # e.g. schema.properties.data.properties.email
    finding.get_by_role("link", name="Edit").click()
    editor = page.locator("#version-editor textarea[name=schema]")
    expect(editor).to_be_focused()
    selected = editor.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert f'"{path.split(".")[-1]}"' in selected, f"the caret is not on {path}: {selected!r}"
    page.locator("#version-editor button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/findings/\?rule=pii-field-unclassified$"))
    expect(page.locator(".flash")).to_contain_text("Saved version")


def test_the_edit_page_saves_back_to_where_the_user_came_from(page: Any) -> None:
    page.goto("/t/demo-shop/services/")
    page.get_by_role("link", name="email-service", exact=True).click()
    detail = page.url
    page.goto(detail + "edit/")  # the standalone edit page, as a link or a finding opens it
    page.fill("#id_owner", "team-notify")
    page.click("#element-form button[type=submit]")
    expect(page).to_have_url(detail)
    expect(page.locator(".flash")).to_contain_text("Saved service email-service.")

    page.goto("/t/demo-shop/services/new/")
    page.fill("input[name=name]", "audit-service")
    page.click("#element-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("audit-service")
    page.goto("/t/demo-shop/findings/?rule=owner-and-docs-required")
    finding = page.locator("#open-findings li.finding").filter(has_text="audit-service").filter(
        has=page.locator("code.small", has_text=re.compile(r"^owner$")))
    finding.get_by_role("link", name="Fix in the editor").click()
    expect(page).to_have_url(re.compile(r"/edit/\?next=.*#id_owner$"))
    page.fill("#id_owner", "someone")
    page.click("#element-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/findings/\?rule=owner-and-docs-required$"))
    expect(page.locator(".flash")).to_contain_text("Saved")


def test_editing_in_place_on_the_element_page_says_it_saved(page: Any) -> None:
    page.goto("/t/demo-shop/services/")
    page.get_by_role("link", name="inventory-service", exact=True).click()
    page.locator("#element-card").get_by_role("link", name="Edit").click()
    page.fill("#id_owner", "team-stock")
    page.click("#element-form button[type=submit]")
    expect(page.locator("#saved-note")).to_have_text("Saved.")


def test_an_unbounded_string_gets_a_max_length_in_one_click(page: Any) -> None:
    page.goto("/t/demo-shop/findings/?rule=payload-size-budget")
    finding = page.locator("#open-findings li.finding").filter(has_text="OrderShipped").first
    finding.get_by_role("link", name=re.compile(r"^Fix: Set maxLength: 200 on ")).click()
    expect(finding.locator(".fix-slot pre.diff .add").filter(has_text="maxLength")).to_have_text('+      "maxLength": 200')
    finding.get_by_role("button", name=re.compile(r"^Apply: Set maxLength")).click()
    expect(page.locator(".flash")).to_contain_text("Set maxLength: 200 on")


def test_an_element_page_offers_the_same_one_click_fix_and_comes_back(page: Any) -> None:
    page.goto("/t/demo-shop/messages/")
    page.get_by_role("link", name="PaymentFailed", exact=True).click()
    here = page.url
    finding = page.locator("#findings li.finding").filter(has_text="payload-size-budget")
    finding.get_by_role("link", name=re.compile(r"^Fix: Set maxLength")).click()
    expect(finding.locator(".fix-slot pre.diff")).to_contain_text('"maxLength": 200')
    finding.get_by_role("button", name=re.compile(r"^Apply: ")).click()
    expect(page.locator(".flash")).to_contain_text("Set maxLength: 200 on")
    expect(page).to_have_url(here)
