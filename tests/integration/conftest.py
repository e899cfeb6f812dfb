"""Integration fixtures.

Background tasks run in-process here even in the production-mode run (real PostgreSQL, Redis
channel layer and cache): a page test waits for its render or bundle, and no worker serves
the test database. The tests that prove a real Celery worker picks tasks off the Redis broker
are marked ``real_worker``, keep the broker and start one with the ``celery_worker`` fixture.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _tasks_in_process(request: Any) -> Iterator[None]:
    from designer.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def celery_worker() -> Iterator[subprocess.Popen[str]]:
    """A real Celery worker (solo pool) on the test database and the Redis broker; production
    mode only: the embedded default runs background work in-process (tested on its own)."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("the embedded default runs background work in-process (tested above)")
    db = settings.DATABASES["default"]
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "designer", "worker", "--pool", "solo", "--concurrency", "1",
         "--loglevel", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
