"""The proposal page of a proposal touching 100 of 1,000 messages, through Django.

Run: .venv/bin/python bench/proposal_bench.py [--messages 1000] [--touched 100] [--runs 5] [--profile]

Uses a throw-away SQLite database (embedded default). Imports a generated model, opens a proposal
(from a design file, as `manage.py propose` does) that changes the description and one schema
property of --touched messages, then fetches the proposal page --runs times (diff, lint delta,
compatibility verdicts, affected services) and prints the median and worst CPU and wall time.
Target: ≤ 1 s.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
_tmp = tempfile.mkdtemp(prefix="proposal-bench-")
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
from designer.proposals import services as proposals

settings.ALLOWED_HOSTS = ["*"]


def _touch(message: object) -> object:
    versions = list(message.versions)  # type: ignore[attr-defined]
    last = versions[-1]
    schema = dict(last.schema or {"type": "object"})
    schema["properties"] = {**(schema.get("properties") or {}), "note": {"type": "string"}}
    versions[-1] = dataclasses.replace(last, schema=schema)
    return dataclasses.replace(message, description="Proposed: " + message.description,  # type: ignore[type-var]
                               versions=tuple(versions))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--touched", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    team = svc.team_create(user=user, name="Bench", slug="bench")
    model = build_model(args.messages, n_services=100)
    svc.model_import(team=team, user=user, model=model, replace_all=True)
    touched = {m.name for m in model.messages[: args.touched]}
    changed = dataclasses.replace(model, messages=tuple(_touch(m) if m.name in touched else m for m in model.messages))
    proposal = proposals.proposal_from_model(team=team, user=user, title="Bench", model=changed)
    client = Client()
    client.force_login(user)
    url = f"/t/{team.slug}/proposals/{proposal.pk}/"
    client.get(url)  # warm: the live snapshot cache, imports
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(client.get, url)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    walls, cpus = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        resp = client.get(url)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        assert resp.status_code == 200
    print(f"{args.messages} messages, proposal touching {proposal.elements.count()}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"proposal page: median {statistics.median(cpus):.2f} s CPU (worst {max(cpus):.2f}), "
          f"median {statistics.median(walls):.2f} s wall (worst {max(walls):.2f})")


if __name__ == "__main__":
    main()
