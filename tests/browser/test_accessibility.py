"""Every page by keyboard, on a phone and through axe-core (issue 14).

axe-core comes from npm (pinned in tools/package.json, installed into .tools/ by ``make test``)
and is evaluated in the page through the DevTools protocol, which a Content-Security-Policy
does not block: nothing is fetched from a CDN and no inline <script> is added to the page.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
# Violations that block or seriously hinder someone (axe's own impact levels); moderate and
# minor ones are reported by axe too but are not gated here.
GATED = ("serious", "critical")
# The crawl stops after this many pages (the demo team has about 120 distinct ones)...
MAX_PAGES = 250
# ...and visits at most this many query variants of one path: the code viewer alone has a
# page per service, language and file, all one template.
VARIANTS_PER_PATH = 3
# Links that download, leave or act rather than show a page.
SKIP = re.compile(r"download|/export/|/logout/|/go/|\.(zip|svg|png|dot|json|yaml)$|format=")
PHONE = {"width": 390, "height": 844}
MAIN_PAGES = ["/t/demo-shop/", "/t/demo-shop/messages/", "/t/demo-shop/services/", "/t/demo-shop/channels/",
              "/t/demo-shop/flows/", "/t/demo-shop/findings/", "/t/demo-shop/diagram/", "/t/demo-shop/code/",
              "/t/demo-shop/live/", "/t/demo-shop/history/", "/t/demo-shop/members/", "/t/demo-shop/settings/",
              "/t/demo-shop/rules/", "/t/demo-shop/messages/new/"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing from .tools/node_modules: `make test` installs tools/package.json")
        pytest.skip("axe-core is not installed: run `make test` (npm installs tools/package.json into .tools/)")
    return AXE.read_text()


def axe(page: Any, source: str) -> list[str]:
    """Serious and critical axe violations on the page, one line each (empty when clean)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source + "\n;true")
    found = page.evaluate("""async (gated) => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => gated.includes(v.impact)).flatMap(v =>
            v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(" ")} - ${n.failureSummary.split("\\n")[1] || ""}`));
    }""", list(GATED))
    return [str(f) for f in found]


def duplicate_ids(page: Any) -> list[str]:
    return [str(i) for i in page.evaluate("""() => {
        const seen = new Map();
        for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
        return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    }""")]


def sideways(page: Any) -> int:
    """How far the page scrolls sideways, in CSS pixels (0 when it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _login(browser: Any, base: str, viewport: dict[str, int]) -> Iterator[Any]:
    ctx = browser.new_context(viewport=viewport, base_url=base)
    ctx.set_default_timeout(20000)
    page = ctx.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/t/**")
    yield page
    ctx.close()


@pytest.fixture
def phone(browser: Any, live_server_url: str) -> Iterator[Any]:
    yield from _login(browser, live_server_url, PHONE)


def test_every_page_of_the_demo_team_passes_axe_with_no_console_errors(
        browser: Any, live_server_url: str, axe_source: str) -> None:
    """Crawl every page linked from the team home (and the anonymous pages), like a user would."""
    problems: list[str] = []
    anonymous = browser.new_context(base_url=live_server_url)
    for path in ("/accounts/login/", "/accounts/signup/", "/rules/"):
        page = anonymous.new_page()
        page.goto(path)
        problems += [f"{path}: {v}" for v in axe(page, axe_source)]
    anonymous.close()

    page = next(_login(browser, live_server_url, {"width": 1280, "height": 900}))
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    todo, seen, visited = ["/t/demo-shop/"], {"/t/demo-shop/"}, 0
    variants: dict[str, int] = {}
    while todo and visited < MAX_PAGES:
        path = todo.pop(0)
        resp = page.goto(path)
        if resp is None or resp.status != 200 or "text/html" not in resp.headers.get("content-type", ""):
            continue
        visited += 1
        page.wait_for_load_state("networkidle")
        problems += [f"{path}: {v}" for v in axe(page, axe_source)]
        problems += [f"{path}: duplicate id {i!r}" for i in duplicate_ids(page)]
        problems += [f"{path}: console: {c}" for c in console]
        console.clear()
        for href in sorted(set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"))):
            url = urlparse(urljoin(live_server_url + path, href))
            target = url.path + (f"?{url.query}" if url.query else "")
            if (url.netloc == urlparse(live_server_url).netloc and target not in seen and not SKIP.search(target)
                    and (url.path.startswith("/t/demo-shop/") or url.path.startswith("/rules/"))
                    and variants.get(url.path, 0) < VARIANTS_PER_PATH):
                seen.add(target)
                variants[url.path] = variants.get(url.path, 0) + 1
                todo.append(target)
    page.context.close()
    assert visited > 60, f"the crawl reached only {visited} pages"
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems[:60])


def test_the_main_pages_work_on_a_phone(phone: Any, axe_source: str) -> None:
    problems = []
    details = []  # element pages, reached as a user does: from their list
    for coll, name in (("messages", "OrderPlaced"), ("services", "order-service"), ("flows", "checkout"),
                       ("channels", "orders")):
        phone.goto(f"/t/demo-shop/{coll}/")
        details.append(phone.locator("main table.list a", has_text=re.compile(f"^{name}$")).first.get_attribute("href"))
    for path in MAIN_PAGES + details:
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        if sideways(phone) > 0:
            problems.append(f"{path} scrolls sideways by {sideways(phone)} px at 390 px")
        problems += [f"{path} at 390 px: {v}" for v in axe(phone, axe_source)]
    assert not problems, "\n".join(problems)


def test_the_nav_folds_behind_a_menu_button_on_a_phone(phone: Any) -> None:
    phone.goto("/t/demo-shop/messages/")
    menu = phone.get_by_role("button", name="Menu")
    nav = phone.get_by_role("navigation", name="Team")
    expect(menu).to_be_visible()
    expect(nav).to_be_hidden()
    header = phone.locator("header.top").bounding_box()
    assert header and header["height"] < 70, "the header takes one line, not three"
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Findings")).to_be_visible()
    phone.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    nav.get_by_role("link", name="Channels").click()
    expect(phone.locator("h1")).to_contain_text("Channels")


def test_tables_reflow_into_labelled_rows_on_a_phone(phone: Any) -> None:
    phone.goto("/t/demo-shop/messages/")
    cell = phone.locator("table.list tbody tr").first.locator("td").nth(2)
    expect(cell).to_have_attribute("data-label", "Wire type")
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert sideways(phone) == 0


def test_one_tab_and_enter_reach_the_main_action(page: Any) -> None:
    page.goto("/t/demo-shop/messages/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_accessible_name("Skip to the main action: New message")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_text("New message")
    page.keyboard.press("Enter")
    expect(page.locator("#new-form input[name=name]")).to_be_visible()  # the inline form opens


def test_the_schema_editor_says_how_to_leave_it_and_esc_tab_does(page: Any) -> None:
    page.goto("/t/demo-shop/messages/new/")
    editor = page.locator("#id_schema")
    hint = page.locator(".editor-hint").first
    expect(hint).to_contain_text("press Esc, then Tab")
    assert hint.get_attribute("id") in (editor.get_attribute("aria-describedby") or "").split()
    editor.focus()
    page.keyboard.press("Tab")
    expect(editor).to_be_focused()  # Tab indents
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(editor).not_to_be_focused()


def test_rule_help_renders_its_markup_and_options(page: Any) -> None:
    page.goto("/t/demo-shop/rules/naming-casing-consistent/")
    main = page.locator("main")
    expect(main.locator("code", has_text=re.compile("^order$")).first).to_be_visible()
    text = main.inner_text()
    assert "``" not in text and "{'styles'" not in text
    expect(main.locator("dd ul.options")).to_contain_text("styles: {}")
    page.goto("/rules/payload-size-budget/")
    expect(page.locator("main dd ul.options")).to_contain_text("flag_unbounded: true")


def test_the_settings_page_spells_queries_and_aligns_its_labels(page: Any) -> None:
    page.goto("/t/demo-shop/settings/")
    card = page.locator("#default-compat")
    assert "Querys" not in card.inner_text()
    tops = []
    for name in ("Events", "Commands", "Queries"):
        select = card.get_by_label(name)
        expect(select).to_be_visible()
        label = card.locator("label", has_text=name).bounding_box()
        box = select.bounding_box()
        assert label and box and box["y"] > label["y"], f"{name}: the label sits above its select"
        assert abs(box["x"] - label["x"]) < 2, f"{name}: the label is aligned with its select"
        tops.append(box["y"])
    assert max(tops) - min(tops) < 2, "the three selects sit on one row"


def test_the_revoke_button_of_a_waiver_is_visible(page: Any, axe_source: str) -> None:
    page.goto("/t/demo-shop/findings/?severity=info")
    finding = page.locator("li.finding").first
    finding.locator("summary").click()
    finding.locator("textarea").fill("Visible revoke check")
    finding.get_by_role("button", name="Waive finding").click()
    revoke = page.locator("#waived-findings").get_by_role("button", name="Revoke").first
    expect(revoke).to_be_visible()
    colour = revoke.evaluate("b => getComputedStyle(b).color")
    assert colour not in ("rgb(223, 228, 240)", "rgb(255, 255, 255)"), "Revoke was light grey on white"
    assert not [v for v in axe(page, axe_source) if "color-contrast" in v]
    revoke.click()
    expect(page.locator(".flash")).to_contain_text("Revoked the waiver")


def test_the_favicon_is_served(page: Any) -> None:
    page.goto("/t/demo-shop/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and page.request.get(icon).status == 200
    assert page.request.get("/favicon.ico").status == 200


def test_typing_a_name_on_forms_without_a_kind_logs_no_console_error(page: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for coll in ("services", "channels", "flows", "messages"):
        page.goto(f"/t/demo-shop/{coll}/new/")
        with page.expect_response(lambda r: "/validate/" in r.url):
            page.fill("input[name=name]", "console-check")
        page.wait_for_timeout(200)
    assert not errors, errors


def test_the_members_page_has_one_id_role_and_labels_both_role_fields(page: Any) -> None:
    page.goto("/t/demo-shop/members/")
    assert duplicate_ids(page) == []
    expect(page.get_by_label("Role", exact=True)).to_have_count(2)


def test_findings_filters_are_readable_on_a_phone(phone: Any) -> None:
    phone.goto("/t/demo-shop/findings/")
    for sel in ("#f-group", "#f-severity", "#f-rule", "#f-coll"):
        box = phone.locator(sel).bounding_box()
        assert box and box["width"] >= 120, f"{sel} is {box and box['width']} px wide"
    severity = phone.locator("#f-severity")
    fits = severity.evaluate("""s => {
        const c = document.createElement("canvas").getContext("2d");
        c.font = getComputedStyle(s).font;
        return c.measureText(s.options[s.selectedIndex].text).width + 24 <= s.clientWidth;
    }""")
    assert fits, "'all severities' is cut short"
