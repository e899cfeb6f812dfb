"""Restoring a 1,000-message model to an earlier point, and what the history stores.

Run: .venv/bin/python bench/restore_bench.py [--messages 1000] [--edits 50]

Uses a throw-away SQLite database (embedded default). Imports a generated model, then changes
every message (one import rewriting each description) and makes ``--edits`` single-element edits;
then restores the whole model to right after the first import (preview, then apply — the path
the restore page and ``manage.py restore`` take) and checks the model is back. Prints the CPU
and wall time of preview and apply, and the bytes the history keeps per change, to show that it
grows with the size of each change, not with the size of the model. Target: ≤ 2 s on 1,000.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
_tmp = tempfile.mkdtemp(prefix="restore-bench-")
os.environ.update({"DESIGNER_SQLITE_PATH": os.path.join(_tmp, "db.sqlite3"),
                   "DESIGNER_SECRET_FILE": os.path.join(_tmp, "secret"),
                   "DJANGO_SETTINGS_MODULE": "designer.settings"})
for var in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(var, None)

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from lint_bench import build_model

from designer.catalog import services as svc
from designer.catalog.models import Change, ElementState, Message
from designer.catalog.selectors import model_snapshot
from designer.core.changeset import model_states


def _bytes(change: Change) -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(SUM(LENGTH(before) + LENGTH(after)), 0) FROM catalog_elementstate "
                    "WHERE change_id = %s", [change.pk])
        states = cur.fetchone()[0] or 0
        cur.execute("SELECT LENGTH(before) + LENGTH(after) FROM catalog_change WHERE id = %s", [change.pk])
        own = cur.fetchone()[0] or 0
    return int(states) + int(own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="profile the apply")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    team = svc.team_create(user=user, name="Bench", slug="bench")
    model = build_model(args.messages, n_services=100)
    svc.model_import(team=team, user=user, model=model, replace_all=True)
    first = Change.objects.filter(team=team, action="import").latest("id")
    wanted = model_states(model_snapshot(team))
    changed = dataclasses.replace(model, messages=tuple(
        dataclasses.replace(m, description=m.description + " (rewritten)") for m in model.messages))
    svc.model_import(team=team, user=user, model=changed, mode="merge")
    everything = Change.objects.filter(team=team, action="import").latest("id")
    for msg in Message.objects.filter(team=team).order_by("name")[: args.edits]:
        svc.element_update(team=team, user=user, obj=msg, data={"owner": "someone-else"}, lock_version=None)
    one_edit = Change.objects.filter(team=team, action="update").latest("id")

    t0, c0 = time.perf_counter(), time.process_time()
    plan = svc.restore_plan(team=team, change=first, scope="model")
    t1, c1 = time.perf_counter(), time.process_time()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(svc.restore_apply, team=team, user=user, change=first, scope="model")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    else:
        svc.restore_apply(team=team, user=user, change=first, scope="model")
    t2, c2 = time.perf_counter(), time.process_time()
    assert model_states(model_snapshot(team)) == wanted, "the restored model differs"
    print(f"{args.messages} messages, {len(plan.changes.elements)} elements to restore; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"preview: {c1 - c0:.2f} s CPU ({t1 - t0:.2f} s wall); apply (recomputes, writes, records): "
          f"{c2 - c1:.2f} s CPU ({t2 - t1:.2f} s wall); total {c2 - c0:.2f} s CPU ({t2 - t0:.2f} s wall)")
    print(f"history kept: one-element edit {_bytes(one_edit):,} bytes; import touching every message "
          f"{_bytes(everything):,} bytes; {ElementState.objects.filter(team=team).count():,} element states "
          f"over {Change.objects.filter(team=team).count()} changes")


if __name__ == "__main__":
    main()
