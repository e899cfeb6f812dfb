"""Browser journeys: a real uvicorn server on a temporary SQLite database with the demo team,
driven by Debian's headless Chromium through Playwright (no browser download)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Mark browser journeys and run them last: Playwright's sync API keeps an event loop running
    in the main thread while its session-wide browser is open, which asyncio tests cannot share."""
    browser_items = [item for item in items if "tests/browser" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    others = [item for item in items if "tests/browser" not in str(item.fspath)]
    items[:] = others + browser_items


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required for browser tests on CI (make test installs it)")
        pytest.skip("chromium is not installed: run `make test`, which installs Debian's chromium")
    return path


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: Any) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("browser-server")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DESIGNER_SQLITE_PATH": str(tmp / "db.sqlite3"),
        "DESIGNER_SECRET_FILE": str(tmp / "secret"),
        "DJANGO_SETTINGS_MODULE": "designer.settings",
        "PYTHONUNBUFFERED": "1",
    })
    return env


@pytest.fixture(scope="session")
def live_server_url(server_env: dict[str, str], tmp_path_factory: Any) -> Iterator[str]:
    """Base URL of a real server (uvicorn, embedded default) with the demo team seeded."""
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=server_env, check=True)
    subprocess.run([py, "manage.py", "seed_demo"], cwd=ROOT, env=server_env, check=True, capture_output=True)
    port = _free_port()
    log = open(tmp_path_factory.mktemp("logs") / "uvicorn.log", "w+")
    proc = subprocess.Popen(
        [py, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"the server did not start:\n{log.read()}")
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the server did not start within 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.seek(0)
    errors = [line for line in log.read().splitlines() if "Traceback" in line]
    assert not errors, "the server logged tracebacks during browser tests"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    exe = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


class CspWatch:
    """Collects Content-Security-Policy violations the browser reports on watched pages.

    Chromium logs every blocked inline script, handler, eval or foreign resource to the console
    ("Refused to ... because it violates the following Content Security Policy directive");
    the page's ``securitypolicyviolation`` events are recorded as well, so nothing is missed
    when a page navigates before the console message arrives.
    """

    RECORDER = """document.addEventListener('securitypolicyviolation', function (e) {
        console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked ' +
                      (e.blockedURI || 'inline') + ' at ' + e.documentURI);
    });"""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def watch(self, target: Any) -> Any:
        """Watch a page, or a browser context and every page it opens; returns ``target``."""
        if hasattr(target, "new_page"):  # a context: its current and future pages
            target.add_init_script(self.RECORDER)
            for page in target.pages:
                self._listen(page)
            target.on("page", self._listen)
        else:
            target.add_init_script(self.RECORDER)
            self._listen(target)
        return target

    def _listen(self, page: Any) -> None:
        def on_console(message: Any) -> None:
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                self.violations.append(f"{page.url}: {text}")

        page.on("console", on_console)

    def assert_clean(self) -> None:
        assert not self.violations, "CSP violations in the browser console:\n" + "\n".join(self.violations)


@pytest.fixture
def csp_watch() -> Iterator[CspWatch]:
    """A :class:`CspWatch`; the test fails at teardown if any watched page broke the policy."""
    watch = CspWatch()
    yield watch
    watch.assert_clean()


@pytest.fixture
def new_page(browser: Any, live_server_url: str, csp_watch: CspWatch) -> Iterator[Any]:
    """``new_page(username, password)`` -> a Playwright page logged in (or anonymous).

    Every page is watched for Content-Security-Policy violations (``csp_watch``): a browser
    journey fails when any page it visits logs one.
    """
    contexts = []

    def make(username: str | None = "demo", password: str = "demo") -> Any:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server_url)
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        csp_watch.watch(ctx)
        page = ctx.new_page()
        if username:
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url("**/t/**")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    """A page logged in as the demo user (owner of the demo shop team)."""
    return new_page()


@pytest.fixture
def manage(server_env: dict[str, str], live_server_url: str) -> Any:
    """Run a management command against the browser server's database."""

    def run(*args: str) -> str:
        out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=server_env,
                             check=True, capture_output=True, text=True)
        return out.stdout

    return run
