"""Reviewing a finding end to end in a real browser: see it, waive it with a reason, see it
listed as waived, revoke the waiver, see it back; and the inline naming hint with its fix."""
from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

FP = "card-data-in-payload|messages/PaymentFailed|schema.properties.data.properties.cardNumber"


def test_it_waives_a_finding_with_a_reason_then_revokes_the_waiver(page: Any) -> None:
    page.goto("/t/demo-shop/")
    page.click("nav.main-nav >> text=Findings")
    expect(page.locator("h1")).to_have_text("Findings")
    finding = page.locator(f'#open-findings li.finding[data-fingerprint="{FP}"]')
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("PaymentFailed")

    # a reason is required: the browser refuses the empty form, nothing is waived
    finding.locator("summary", has_text="Waive…").click()
    finding.get_by_role("button", name="Waive finding").click()
    expect(page.locator("#waived-findings")).to_contain_text("Nothing is waived")

    finding.get_by_label("Reason (required)").fill("Test fixture card number, never a real PAN")
    finding.get_by_role("button", name="Waive finding").click()
    expect(page.locator(".flash")).to_contain_text("Waived card-data-in-payload")
    waived = page.locator(f'#waived-findings tr.waiver[data-fingerprint="{FP}"]')
    expect(waived).to_contain_text("Test fixture card number, never a real PAN")
    expect(waived).to_contain_text("demo")
    expect(waived).to_contain_text("waived")
    expect(page.locator(f'#open-findings li.finding[data-fingerprint="{FP}"]')).to_have_count(0)
    expect(page.locator("#lint-counts")).to_contain_text("1 waived")

    waived.get_by_role("button", name="Revoke").click()
    expect(page.locator(".flash")).to_contain_text("Revoked the waiver")
    expect(page.locator(f'#open-findings li.finding[data-fingerprint="{FP}"]')).to_have_count(1)
    expect(page.locator("#waived-findings")).to_contain_text("Nothing is waived")


def test_it_groups_findings_by_rule_and_opens_the_rule_page(page: Any) -> None:
    page.goto("/t/demo-shop/findings/")
    page.select_option("#f-group", "rule")
    expect(page).to_have_url(re.compile(r"group=rule"))
    group = page.locator('section.finding-group[data-group="card-data-in-payload"]')
    expect(group).to_be_visible()
    group.locator("h2 a").click()
    expect(page.locator("h1")).to_have_text("card-data-in-payload")
    expect(page.locator("#failing-example")).to_contain_text("cardNumber")
    expect(page.locator("#passing-example")).to_be_visible()


def test_it_hints_past_tense_while_typing_an_event_name_and_fixes_it_in_one_click(page: Any) -> None:
    page.goto("/t/demo-shop/messages/")
    page.click("text=New message")
    name = page.locator("#element-form input[name=name]")
    expect(name).to_be_visible()
    page.wait_for_timeout(300)  # let htmx bind the swapped-in form's triggers before typing
    name.press_sequentially("OrderShip", delay=20)
    # The hint lands where #name-feedback was (the name input inherits the form's
    # hx-swap="outerHTML", so the feedback box is replaced rather than filled: reported).
    hint = page.locator("#element-form p.hint")
    expect(hint).to_contain_text("past tense")
    expect(hint).to_contain_text("OrderShipped?")
    hint.get_by_role("button", name=re.compile("OrderShipped")).click()
    expect(name).to_have_value("OrderShipped")
