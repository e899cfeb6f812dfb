"""The web lint's answer time after a change: a 1,000-message team, one message renamed, then the
findings page (filtered to the rule the rename trips) and the team home are fetched, through
Django, as a browser does after its live refresh.

Run: .venv/bin/python bench/lint_web_bench.py [--messages 1000] [--runs 9] [--profile]

Uses a throw-away SQLite database (embedded default). The first page view runs the full lint
(in a worker in production mode; in-process here); each later change is re-linted
incrementally. Prints the median and worst time from the change's commit to the page with the
new finding, and how the re-lint went (incremental/full). Target: < 200 ms on 1,000 messages.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
_tmp = tempfile.mkdtemp(prefix="lint-web-bench-")
os.environ.update({"DESIGNER_SQLITE_PATH": os.path.join(_tmp, "db.sqlite3"),
                   "DESIGNER_SECRET_FILE": os.path.join(_tmp, "secret"),
                   "DJANGO_SETTINGS_MODULE": "designer.settings"})
for var in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(var, None)

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from lint_bench import build_model

from designer.catalog import services as svc
from designer.catalog.models import Message
from designer.core.lint.engine import Linter

settings.ALLOWED_HOSTS = ["*"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="profile one change-to-page round")
    parser.add_argument("--change", choices=("description", "rename"), default="description",
                        help="the edit: clear a description (typical) or rename a message (worst case: "
                             "every topology rule re-runs)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    client = Client()
    client.force_login(user)
    team = svc.team_create(user=user, name="Bench", slug="bench")
    svc.model_import(team=team, user=user, model=build_model(args.messages, n_services=100), replace_all=True)
    start = time.perf_counter()
    assert client.get(f"/t/{team.slug}/findings/").status_code == 200
    print(f"{args.messages} messages; first findings page (full lint): {time.perf_counter() - start:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    runs: list[str] = []
    original = Linter.lint

    def recording(self: Linter, *a: object, **k: object) -> object:
        out = original(self, *a, **k)  # type: ignore[arg-type]
        runs.append(self.last_run)
        return out

    Linter.lint = recording  # type: ignore[method-assign,assignment]
    events = list(Message.objects.filter(team=team, kind="event").order_by("name")[: args.runs + 1])
    pages, cpus, homes = [], [], []
    for i, msg in enumerate(events):
        if args.change == "rename":
            new, rule, data = f"Bench{i}Ship", "event-name-past-tense", {"name": f"Bench{i}Ship"}
        else:
            new, rule, data = msg.name, "owner-and-docs-required", {"description": ""}
        profiler = cProfile.Profile() if args.profile and i == 1 else None
        svc.element_update(team=team, user=user, obj=msg, data=data, lock_version=msg.lock_version)
        if profiler:
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        html = client.get(f"/t/{team.slug}/findings/?rule={rule}").content.decode()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumtime").print_stats(25)
        assert new in html and rule in html, "the new finding is on the page"
        started = time.perf_counter()
        assert client.get(f"/t/{team.slug}/").status_code == 200
        home = time.perf_counter() - started
        if i:  # the first round also fills the template and query caches
            pages.append(elapsed)
            cpus.append(cpu)
            homes.append(home)
    print(f"{args.change}: change -> findings page with the new finding: median {statistics.median(pages) * 1000:.0f} ms "
          f"(CPU {statistics.median(cpus) * 1000:.0f} ms), worst {max(pages) * 1000:.0f} ms; "
          f"team home after: median {statistics.median(homes) * 1000:.0f} ms")
    print(f"re-lints: {', '.join(runs)}")


if __name__ == "__main__":
    main()
