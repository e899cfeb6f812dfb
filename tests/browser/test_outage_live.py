"""Journey: Redis stops answering under an open live page; the page says live updates are paused,
then recovers by itself once Redis is back (a real production-mode uvicorn, a real Redis behind a
TCP proxy the test cuts: tests/security/outage_kit.py)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.security.outage_kit import Proxy, Server, manage, need_service, redis_target, server_env


@pytest.fixture
def outage_site(tmp_path: Path) -> Iterator[tuple[Server, Proxy]]:
    host, port, db = redis_target()
    need_service(host, port, "Redis")
    proxy = Proxy((host, port)).up()
    env = server_env(tmp_path, redis_url=f"redis://127.0.0.1:{proxy.port}/{db}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    server = Server(env, tmp_path / "uvicorn.log")
    yield server, proxy
    server.stop()
    proxy.close()


def test_an_open_live_page_shows_live_updates_paused_and_recovers_when_redis_is_back(
        browser: Any, csp_watch: Any, outage_site: tuple[Server, Proxy]) -> None:
    server, proxy = outage_site
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    ctx.set_default_timeout(15000)
    csp_watch.watch(ctx)
    try:
        page = ctx.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", "demo")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.wait_for_url("**/t/**")
        page.goto("/t/demo-shop/live/")
        page.wait_for_selector("#live-conn.ok")
        status = page.locator("#live-model-status")
        assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"

        proxy.hang()  # Redis stops answering: the server closes the live sockets (1013)
        expect(page.locator("#live-conn")).to_have_text(re.compile("live updates paused — reconnecting"))
        expect(status).to_have_text("Live updates paused — reconnecting…")
        assert status.is_visible()
        # Meanwhile an action that needs Redis says so in plain words (503), in the same browser.
        other = ctx.new_page()
        other.goto("/t/demo-shop/code/")
        other.locator("form[action$='/code/bundles/'] button").first.click()
        expect(other.locator("h1")).to_have_text("Temporarily unavailable")
        expect(other.locator("main")).to_contain_text("Building a code bundle needs Redis")
        other.close()

        proxy.down().up()  # Redis is back: the page reconnects by itself, no reload
        page.wait_for_selector("#live-conn.ok", timeout=30000)
        expect(status).to_have_text("", timeout=30000)
    finally:
        ctx.close()
    assert "Traceback" not in server.text()
