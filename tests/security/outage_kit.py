"""Real outages for tests: a TCP proxy in front of Redis or PostgreSQL that can be cut, and a
uvicorn subprocess of the designer whose services go through it.

No mocks: the server's real clients meet a real refused port, a real listener that accepts and
never answers, or a real connection cut in the middle, exactly as in an outage.
"""
from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-only-secret-key-for-production-mode-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proxy:
    """A TCP proxy on 127.0.0.1:``port`` to ``target`` with three states.

    ``up()`` forwards; ``down()`` stops listening and cuts every connection (the port refuses,
    as when the server is stopped); ``hang()`` keeps listening but answers nothing and forwards
    nothing, on new and open connections (a server or network that stopped answering).
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.state = "down"
        self._listener: socket.socket | None = None
        self._socks: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._acceptor = threading.Thread()

    def up(self) -> Proxy:
        self.state = "up"
        if self._listener is None:
            self._listen()
        return self

    def hang(self) -> Proxy:
        self.state = "hang"
        if self._listener is None:
            self._listen()
        return self

    def down(self) -> Proxy:
        self.state = "down"
        listener, self._listener = self._listener, None
        if listener is not None:
            self._acceptor.join()  # out of accept() (0.1 s at most): then the port is free
            listener.close()
        self._cut()
        return self

    def _cut(self) -> None:
        with self._lock:
            socks, self._socks = list(self._socks), set()
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._socks.add(client)
            if self.state != "up":
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks.add(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        pair = [a, b]
        while True:
            try:
                ready, _, _ = select.select(pair, [], [], 0.1)
            except (OSError, ValueError):
                return
            if self.state == "down":
                return
            if self.state == "hang":
                continue  # nothing passes: the peer waits until its timeout
            for s in ready:
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    for x in pair:
                        x.close()
                    return
                (b if s is a else a).sendall(data)

    def close(self) -> None:
        self.down()


def redis_target() -> tuple[str, int, int]:
    """(host, port, db) of the Redis the suite may use (REDIS_URL, else the Makefile's default)."""
    from urllib.parse import urlparse

    u = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5")
    return u.hostname or "127.0.0.1", u.port or 6379, int((u.path or "/0").strip("/") or 0)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_service(host: str, port: int, what: str) -> None:
    """Skip when ``what`` (a real server the test cuts) is not running here; on CI it must run,
    so its absence fails instead of hiding the test."""
    import pytest

    if reachable(host, port):
        return
    reason = f"no {what} on {host}:{port}: this test cuts a real one (make test has it on 127.0.0.1)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


class Server:
    """A uvicorn subprocess of the designer in production mode (REDIS_URL set)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--timeout-graceful-shutdown", "20"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if reachable("127.0.0.1", self.port):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"uvicorn did not start:\n{log.read_text()}")

    def text(self) -> str:
        return self.log.read_text()

    def stop(self, timeout: float = 30) -> float:
        """SIGTERM, wait; returns the seconds the graceful shutdown took."""
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"uvicorn did not stop within {timeout} s:\n{self.text()}") from None
        return time.monotonic() - started


def server_env(tmp: Path, *, redis_url: str, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "REDIS_URL": redis_url, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0", "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "designer.settings",
        "CHANNEL_LAYER_PREFIX": f"outage-{uuid.uuid4().hex[:8]}", "PYTHONUNBUFFERED": "1",
        "DESIGNER_SQLITE_PATH": str(tmp / "db.sqlite3"), "DESIGNER_SECRET_FILE": str(tmp / "secret"),
    })
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


class Browser:
    """An HTTP client that keeps the session like a browser (the cookies are Secure in production
    mode, which httpx would not send over plain http to the test server)."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        r = self.http.request(method, path, headers=headers, **kw)
        for raw in r.headers.get_list("set-cookie"):
            name, _, rest = raw.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return r

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def login(self, username: str = "demo", password: str = "demo") -> None:
        self.get("/accounts/login/")
        r = self.post("/accounts/login/", data={"username": username, "password": password})
        assert r.status_code == 302, r.text[:500]


def one_line(text: str, pattern: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(pattern, line)]
