"""Security suite: each attack as real requests against the ASGI app (and a real uvicorn for
websockets), in the embedded default and in production mode (PostgreSQL + Redis)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process() -> Iterator[None]:
    """Background work runs in-process here in production mode too (as in tests/integration): no
    Celery worker serves the test database, and a page or API must see its lint results."""
    from designer.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def owner_of_demo(demo_team: Any, make_user: Any) -> Any:
    """(team, owner user, logged-in Django test client, API token secret) on the shipped demo model."""
    from django.test import Client

    from designer.catalog import services as svc

    owner = make_user()
    svc.membership_set(team=demo_team, actor=None, user=owner, role="owner")
    client = Client()
    client.force_login(owner)
    _, secret = svc.token_create(team=demo_team, actor=owner, name="security suite")
    return demo_team, owner, client, secret


def db_fingerprint() -> tuple[Any, ...]:
    """Counts of every row a write could touch, and every team's revision: equal means no write."""
    from django.apps import apps

    counts = []
    for label in ("catalog", "lintreview", "codeweb", "diagrams"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in ("DiagramRender", "CodeBundle"):
                continue  # caches filled by reads (a page view renders a diagram)
            counts.append((model.__name__, model.objects.count()))
    from designer.catalog.models import Team

    revisions = tuple(Team.objects.order_by("pk").values_list("pk", "revision", "lock_version"))
    return tuple(counts), revisions


# ---- a real site in subprocesses: commands and uvicorn servers ------------------------------
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``manage.py ARGS`` in a subprocess on the site's database; output as text."""
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def site_env(tmp_path_factory: Any) -> Iterator[dict[str, str]]:
    """Environment of a real site with the demo team, in the mode this run is in: a fresh
    PostgreSQL database beside the run's own (and its own channel-layer prefix) in production
    mode, a temporary SQLite file on the embedded default."""
    tmp = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    # The sign-up limit counts in the cache, which outlives a run in production mode (Redis):
    # these servers sign people up on every run, so their limit is out of the way.
    env.update({"DJANGO_SETTINGS_MODULE": "designer.settings", "PYTHONUNBUFFERED": "1", "SIGNUP_RATE": "10000/h"})
    tag = uuid.uuid4().hex[:8]
    admin_url = db_name = None
    if os.environ.get("DATABASE_URL"):
        import psycopg

        url = urlparse(os.environ["DATABASE_URL"])
        db_name = f"{url.path.lstrip('/') or 'designer'}_site_{tag}"
        admin_url = urlunparse(url._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = urlunparse(url._replace(path=f"/{db_name}"))
        env["CHANNEL_LAYER_PREFIX"] = f"{os.environ.get('CHANNEL_LAYER_PREFIX', 'asgi')}_{tag}"
    else:
        env["DESIGNER_SQLITE_PATH"] = str(tmp / "db.sqlite3")
        env["DESIGNER_SECRET_FILE"] = str(tmp / "secret")
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        yield env
    finally:
        if db_name and admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


class Server:
    """One uvicorn process serving ``designer.asgi:application`` on the site's database."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"uvicorn did not start:\n{log.read_text()}")

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def tracebacks(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if "Traceback" in line or " 500" in line]


@pytest.fixture(scope="module")
def servers(site_env: dict[str, str], tmp_path_factory: Any) -> Iterator[list[Server]]:
    """Two uvicorn processes in production mode (a revocation in one must reach the other through
    Redis); one on the embedded default (its channel layer lives in its one process)."""
    logs = tmp_path_factory.mktemp("uvicorn")
    count = 2 if os.environ.get("REDIS_URL") else 1
    started: list[Server] = []
    try:
        for i in range(count):
            started.append(Server(site_env, logs / f"uvicorn{i}.log"))
        yield started
    finally:
        for s in started:
            s.stop()
    for s in started:
        assert not s.tracebacks(), f"server {s.port} logged an error:\n{s.log.read_text()}"
