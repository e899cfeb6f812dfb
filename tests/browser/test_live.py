"""Journey: open the live page, press Play, watch events and a finding arrive."""
from __future__ import annotations

from typing import Any


def test_pressing_play_streams_events_and_findings_to_the_live_page(page: Any) -> None:
    page.goto("/t/demo-shop/live/")
    page.wait_for_selector("#live-conn.ok")  # the websocket is open
    page.click("#play-button")
    page.wait_for_url("**/t/demo-shop/live/")
    page.wait_for_selector("#stream tr", timeout=15000)
    page.wait_for_selector("#findings li.finding", timeout=15000)
    assert page.locator("#stream tr").count() >= 1
    assert page.locator("#findings li.finding .sev").first.inner_text()
    page.wait_for_selector("#live-feeds li[data-state=running]")
    page.wait_for_selector("#rates svg polyline")  # a sparkline per type
    # the team diagram on the page carries live counts on the edges that carry traffic
    page.wait_for_selector("#live-diagram g.live-active", timeout=15000)
    assert "/min" in page.locator("#live-diagram g.live-active text").first.text_content()

    page.locator("#stream tr").first.click()
    assert page.locator("#inspect-payload").inner_text().strip().startswith(("{", "["))

    page.click("#pause")
    assert page.locator("#pause").get_attribute("aria-pressed") == "true"
    page.click("#stop-button")
    page.wait_for_selector("#live-feeds li[data-state=stopped]", timeout=15000)
