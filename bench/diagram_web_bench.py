"""The diagram page's answer time: first visit (lint + DOT + graphviz + sanitising, stored) and
cached visits (one row read), for layered teams of 50, 200 and 1,000 nodes, through Django.

Run: .venv/bin/python bench/diagram_web_bench.py [--quick]

Uses a throw-away SQLite database (embedded default: the render task runs in-process).
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
_tmp = tempfile.mkdtemp(prefix="diagram-web-bench-")
os.environ.update({"DESIGNER_SQLITE_PATH": os.path.join(_tmp, "db.sqlite3"),
                   "DESIGNER_SECRET_FILE": os.path.join(_tmp, "secret"),
                   "DJANGO_SETTINGS_MODULE": "designer.settings"})
for var in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(var, None)

import django

django.setup()

from diagram_bench import layered
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from designer.catalog import services as svc

settings.ALLOWED_HOSTS = ["*"]


def _ms(client: Client, url: str, **headers: str) -> float:
    start = time.perf_counter()
    resp = client.get(url, **headers)
    assert resp.status_code == 200, resp.status_code
    return (time.perf_counter() - start) * 1000


def main() -> None:
    sizes = (50, 200) if "--quick" in sys.argv else (50, 200, 1000)
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    client = Client()
    client.force_login(user)
    print(f"{'nodes':>6} {'first page ms':>14} {'cached page ms':>15} {'htmx poll ms':>13} {'png first ms':>13}")
    for n in sizes:
        team = svc.team_create(user=user, name=f"Bench {n}", slug=f"bench-{n}")
        svc.model_import(team=team, user=user, model=layered(n), replace_all=True)
        url = f"/t/{team.slug}/diagram/"
        first = _ms(client, url)
        cached = statistics.median(_ms(client, url) for _ in range(5))
        poll = statistics.median(_ms(client, url, HTTP_HX_REQUEST="true") for _ in range(5))
        png = _ms(client, f"/t/{team.slug}/diagram/download.png")
        print(f"{n:>6} {first:>14.0f} {cached:>15.1f} {poll:>13.1f} {png:>13.0f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_tmp, ignore_errors=True)
