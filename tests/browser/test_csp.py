"""The Content-Security-Policy stops inline script, and no page of ours breaks it."""
from __future__ import annotations

from typing import Any

from tests.browser.conftest import CspWatch


def test_it_blocks_a_script_injected_into_a_page_and_the_watch_reports_it(
        browser: Any, live_server_url: str) -> None:
    watch = CspWatch()
    ctx = browser.new_context(base_url=live_server_url)
    try:
        page = watch.watch(ctx).new_page()
        page.goto("/accounts/login/")
        # What a stored XSS would do: put a <script> and an on* handler into the document.
        page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'window.__pwned = true';
            document.body.appendChild(s);
            const img = document.createElement('img');
            img.setAttribute('src', 'data:,x');
            img.setAttribute('onerror', 'window.__pwned2 = true');
            document.body.appendChild(img);
        }""")
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__pwned === undefined && window.__pwned2 === undefined")
        assert any("script-src" in v for v in watch.violations), watch.violations
    finally:
        ctx.close()


def test_it_serves_every_page_with_a_policy_that_forbids_inline_script(page: Any) -> None:
    response = page.goto("/t/demo-shop/")
    policy = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in policy
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]


def test_it_visits_the_pages_and_their_widgets_without_a_policy_violation(page: Any) -> None:
    # The page fixture fails the test at teardown on any CSP violation; here we walk the pages
    # whose scripts moved out of the markup and use each widget once.
    page.goto("/t/demo-shop/diagram/")
    page.wait_for_selector("#diagram-svg svg")
    toggle = page.locator("[data-toggle-actual]")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "actual" in (page.locator("#diagram-svg").get_attribute("class") or "")

    page.goto("/t/demo-shop/findings/")
    page.select_option("#f-group", "rule")
    page.wait_for_url("**group=rule**")

    page.goto("/t/demo-shop/tokens/")
    page.fill("input[name=name]", "csp check")
    page.click("button.primary:has-text('Create token')")
    secret = page.locator("[data-select-all]")
    secret.click()
    selected = page.evaluate("() => { const i = document.querySelector('[data-select-all]');"
                             " return i.value.substring(i.selectionStart, i.selectionEnd); }")
    assert selected.startswith("efd_") and selected == secret.input_value()

    page.goto("/t/demo-shop/messages/")
    page.click("table a >> nth=0")
    page.wait_for_selector("[data-editor] .gutter", state="attached")  # the schema editor enhanced itself

    page.goto("/t/demo-shop/live/")
    page.wait_for_selector("#live-conn.ok, #live-conn.badge")

    for path in ("/t/demo-shop/history/", "/t/demo-shop/members/", "/t/demo-shop/settings/",
                 "/t/demo-shop/code/", "/teams/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")

    # The team switcher navigates without an inline handler.
    page.goto("/teams/")
    page.select_option("#team-switch", label="All teams…")
    page.wait_for_url("**/teams/")
