"""Journey: open the live page, press Play, watch events and a finding arrive."""
from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def test_pressing_play_streams_events_and_findings_to_the_live_page(page: Any) -> None:
    page.goto("/t/demo-shop/live/")
    page.wait_for_selector("#live-conn.ok")  # the websocket is open
    page.check("#play-faults")  # faults are opt-in: a plain Play runs clean
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

    page.click("#pause")  # rows stop moving under the pointer
    assert page.locator("#pause").get_attribute("aria-pressed") == "true"
    page.locator("#stream tr").first.click()
    assert page.locator("#inspect-payload").inner_text().strip().startswith(("{", "["))
    page.click("#stop-button")
    page.wait_for_selector("#live-feeds li[data-state=stopped]", timeout=15000)


# ---- issue 14: a live page that remembers, runs clean and asks before adding ----------------
def _play(page: Any, *, faults: bool = False, seconds: float = 4) -> None:
    page.goto("/t/demo-shop/live/")
    page.wait_for_selector("#live-conn.ok")
    if faults:
        page.check("#play-faults")
    page.click("#play-button")
    page.wait_for_url("**/t/demo-shop/live/")
    page.wait_for_selector("#stream tr", timeout=15000)
    page.wait_for_timeout(seconds * 1000)
    page.click("#stop-button")
    page.wait_for_selector("#live-feeds li[data-state=stopped]", timeout=15000)


def _seen(page: Any) -> int:
    match = re.search(r"(\d+) events", page.locator("#totals").inner_text())
    return int(match.group(1)) if match else 0


def test_play_runs_clean_by_default(page: Any) -> None:
    page.goto("/t/demo-shop/live/")
    page.click("#stop-button")  # an earlier run with faults may still be playing
    expect(page.locator("#play-faults")).not_to_be_checked()
    page.wait_for_selector("#live-conn.ok")
    page.click("#play-button")
    page.wait_for_selector("#stream tr", timeout=15000)
    page.wait_for_timeout(3000)
    # Rows and groups marked "remembered" are earlier traffic the server kept (earlier tests').
    rows = page.locator("#stream tr:not(.remembered)")
    assert rows.count() >= 10
    assert page.locator("#stream tr.has-findings:not(.remembered)").count() == 0
    assert page.locator("#findings li:not(.remembered)").count() == 0
    page.click("#stop-button")  # a form post: the page reloads with what the server kept


def test_the_stream_and_counters_survive_a_reload_and_a_model_edit(page: Any, new_page: Any) -> None:
    _play(page)
    page.wait_for_selector("#totals:has-text('events')")
    before = _seen(page)
    assert before > 0
    page.reload()
    page.wait_for_selector("#stream tr", timeout=10000)
    expect(page.locator("#stream-remembered")).to_contain_text("kept by the server")
    expect(page.locator("#totals")).to_contain_text(re.compile(r"[1-9]\d* events"))
    assert _seen(page) >= before
    assert page.locator("#rates tr").count() >= 2  # per-type rates are back too
    # A teammate edits the model; the open page keeps counting from where it was.
    editor = new_page()
    editor.goto("/t/demo-shop/services/new/")
    editor.fill("input[name=name]", "live-memory-service")
    editor.click("#element-form button[type=submit]")
    expect(editor.locator("h1")).to_contain_text("live-memory-service")
    _play(page, seconds=2)
    page.wait_for_timeout(1500)  # the next stats message
    assert _seen(page) > before, "the counters went back to zero after the model edit"


def test_the_findings_feed_is_grouped_bounded_and_add_to_model_asks_first(page: Any) -> None:
    _play(page, faults=True, seconds=6)
    groups = page.locator("#findings li.finding")
    assert 1 <= groups.count() <= 50
    counts = [int(t.strip("× ")) for t in page.locator("#findings .count").all_inner_texts()]
    assert sum(counts) > groups.count(), "repeated findings are counted in their group, not listed again"
    keys = [li.evaluate("li => [...li.querySelectorAll('.sev, code')].map(e => e.textContent).join('|')") for li in groups.all()]
    assert len(keys) == len(set(keys))
    feed = page.locator("#findings").bounding_box()
    assert feed and feed["height"] <= 460, "the feed scrolls inside its card instead of growing the page"
    # Stream cells show whole values (no "sche…").
    tags = page.locator("#stream .finding-tag")
    if tags.count():
        assert tags.first.evaluate("t => t.scrollWidth <= t.clientWidth + 1 && !t.textContent.endsWith('…')")
    truncated = page.evaluate("""() => [...document.querySelectorAll('#stream td')].filter(
        td => getComputedStyle(td).textOverflow === 'ellipsis' || td.scrollWidth > td.clientWidth + 1).length""")
    assert truncated == 0
    # "Add to model" opens a confirmation with the inferred schema; nothing is added before it.
    add = page.locator("#kept-findings").get_by_role("link", name="Add to model…").first
    if not add.count():
        page.reload()
        add = page.locator("#kept-findings").get_by_role("link", name="Add to model…").first
    add.click()
    expect(page.locator("h1")).to_contain_text("to the model?")
    expect(page.locator("#inferred-schema")).to_contain_text('"type"')
    name = page.locator("#adopt-name").input_value()
    assert name
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("h1")).to_contain_text("Live traffic")
    page.goto("/t/demo-shop/messages/")
    expect(page.locator("table.list")).not_to_contain_text(name)
