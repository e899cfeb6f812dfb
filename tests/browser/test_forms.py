"""Issue 14: forms that keep up with what is typed — the name hint follows the kind, the wire
type is suggested from the name, the dedup-key field says what the envelope calls its id."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_the_name_hint_follows_the_kind_and_the_wire_type_follows_the_name(page: Any) -> None:
    page.goto("/t/demo-shop/messages/new/")
    page.select_option("select[name=kind]", "event")
    page.locator("input[name=name]").press_sequentially("ShipParcel", delay=10)
    feedback = page.locator("#name-feedback")
    expect(feedback.locator(".hint")).to_contain_text("past tense")
    expect(page.locator("input[name=wire_type]")).to_have_value("ship.parcel")

    page.select_option("select[name=kind]", "command")  # an imperative name is right for a command
    expect(feedback.locator(".hint")).to_have_count(0)
    expect(feedback).to_contain_text("✓")
    expect(page.locator("input[name=wire_type]")).to_have_value("parcel.ship")  # entity first, re-suggested

    page.locator("input[name=wire_type]").fill("logistics.parcel.ship")  # typed by the user: kept
    page.locator("input[name=name]").press("End")
    page.locator("input[name=name]").press_sequentially("s", delay=10)
    expect(feedback).to_contain_text("parcels.ship")
    expect(page.locator("input[name=wire_type]")).to_have_value("logistics.parcel.ship")


def test_the_dedup_key_field_names_the_envelope_id(page: Any) -> None:
    page.goto("/t/demo-shop/messages/")
    page.get_by_role("link", name="OrderPlaced", exact=True).click()
    dedup = page.locator("#relations input[name=dedup_key]")
    expect(dedup).to_have_attribute("placeholder", "eventId")  # the demo team's envelope is the brief one
    expect(page.locator("#relations")).to_contain_text("Your envelope calls the event id “eventId”")
    page.goto("/t/demo-shop/settings/")
    page.select_option("select[name=envelope_profile]", "cloudevents")
    page.get_by_role("button", name="Save settings").click()
    page.goto("/t/demo-shop/messages/")
    page.get_by_role("link", name="OrderPlaced", exact=True).click()
    expect(dedup).to_have_attribute("placeholder", "id")
    page.goto("/t/demo-shop/settings/")  # put the demo back as the other journeys expect it
    page.select_option("select[name=envelope_profile]", "brief")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash")).to_contain_text("Settings saved")


def test_controls_inside_inline_form_labels_are_not_bold(page: Any) -> None:
    page.goto("/t/demo-shop/settings/")
    select = page.locator(".inline-form label select").first
    expect(select).to_be_visible()
    assert select.evaluate("s => getComputedStyle(s).fontWeight") == "400"
