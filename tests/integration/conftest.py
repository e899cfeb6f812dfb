"""Integration fixtures.

Background tasks run in-process here even in the production-mode run (real PostgreSQL, Redis
channel layer and cache): a page test waits for its render or bundle, and no worker serves
the test database. The one test that proves a real Celery worker picks tasks off the Redis
broker is marked ``real_worker`` and keeps the broker.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


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
