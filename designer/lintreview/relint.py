"""Lint for the web, compute side: incremental re-lint per team, shared state, background lint.

Where lint state lives (see ``selectors`` for why):

- in this process: per team, the last ``Linter`` (bounded to ``KEEP_LINTERS`` teams);
- in the Django cache (Redis in production mode, shared by every web and worker process):
  ``state`` the last pickled ``Linter`` a background lint left, ``found`` the findings of each
  revision a background lint produced, and ``job`` the running background lint's progress, which
  also keeps a second one of the same revision from being queued.

``findings_for`` answers a request: the findings of the snapshot's revision when they come
cheaply (an incremental re-lint of at most ``INCREMENTAL_LIMIT`` messages, or the shared
findings of that revision), else None with the background lint's progress, after queueing it.
``lint_team`` is the background lint itself (the Celery task's body).
"""
from __future__ import annotations

import logging
import pickle
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from designer import outage
from designer.core.lint.engine import Linter
from designer.core.lint.finding import Finding
from designer.core.model import Model

log = logging.getLogger(__name__)

# A re-lint that re-runs at most this many messages is done right away (measured: ~50 ms for a
# handful of messages in a 5,000-message model, ~0.1 s for 300); more (an import, a change of a
# service everything uses) goes to the background.
INCREMENTAL_LIMIT = 300
KEEP_LINTERS = 8  # teams whose linter a process keeps (a 5,000-message team's is ~20 MB)
STATE_TTL = 7 * 24 * 3600  # the shared state outlives quiet weekends; rebuilt by one full lint
FOUND_TTL = 24 * 3600
JOB_TTL = 600  # a background lint that died is retried after this long
_PREFIX = "lintreview:v1"

_LINTERS: OrderedDict[str, Linter] = OrderedDict()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Result:
    """Findings of the asked revision, or None with the background lint's progress."""

    findings: list[Finding] | None
    progress: tuple[int, int] | None = None
    how: str = ""  # "incremental", "shared", "background" (for tests, logs and benches)


def identity(team: Any) -> str:
    """What lint state is keyed by: the team's id and creation time (ids can be reused)."""
    return f"{team.pk}.{team.created_at.timestamp():.6f}"


def _key(ident: str, what: str, revision: str = "") -> str:
    return f"{_PREFIX}:{ident}:{what}" + (f":{revision}" if revision else "")


def _local(ident: str) -> Linter | None:
    with _LOCK:
        linter = _LINTERS.get(ident)
        if linter is not None:
            _LINTERS.move_to_end(ident)
        return linter


def _keep(ident: str, linter: Linter) -> None:
    with _LOCK:
        _LINTERS[ident] = linter
        _LINTERS.move_to_end(ident)
        while len(_LINTERS) > KEEP_LINTERS:
            _LINTERS.popitem(last=False)


def _shared_linter(ident: str) -> Linter | None:
    raw = cache.get(_key(ident, "state"))
    if raw is None:
        return None
    try:
        linter = pickle.loads(raw)  # noqa: S301 - written by this app's own background lint
    except Exception:  # a state from an older release: ignore it, the next full lint rewrites it
        log.warning("discarding an unreadable shared lint state for team %s", ident)
        return None
    return linter if isinstance(linter, Linter) else None


def findings_for(team: Any, model: Model) -> Result:
    """The findings of ``model`` (the team's current snapshot) if they come cheaply, see above.

    With Redis unreachable (production mode) there is no shared state and no worker: the lint
    runs here, as on the embedded default, so pages keep showing findings during the outage.
    """
    if getattr(settings, "REDIS_URL", "") and not outage.redis_available():
        return _lint_here(team, model)
    try:
        return _findings_for(team, model)
    except outage.REDIS_ERRORS as exc:
        outage.note_redis_down(exc)
        log.warning("lint of team %s runs in-process: Redis is unreachable (%s)", team.pk, exc)
        return _lint_here(team, model)


def _lint_here(team: Any, model: Model) -> Result:
    ident = identity(team)
    linter = _local(ident) or Linter()
    found = linter.lint(model)
    _keep(ident, linter)
    return Result(found, how="in-process")


def _findings_for(team: Any, model: Model) -> Result:
    ident = identity(team)
    linter = _local(ident) or _shared_linter(ident)
    if linter is not None:
        if linter.revision == model.revision:
            _keep(ident, linter)
            return Result(linter.lint(model), how="cached")
        planned = linter.plan(model)
        if planned is not None and planned <= INCREMENTAL_LIMIT:
            found = linter.lint(model)
            _keep(ident, linter)
            return Result(found, how="incremental")
    shared = cache.get(_key(ident, "found", model.revision))
    if shared is not None:
        return Result(list(shared), how="shared")
    start_background(team, model.revision)
    # On the embedded default the task ran in-process just now: its findings may be here.
    shared = cache.get(_key(ident, "found", model.revision))
    if shared is not None:
        return Result(list(shared), how="background")
    return Result(None, progress=progress_of(team, model.revision), how="background")


def progress_of(team: Any, revision: str) -> tuple[int, int] | None:
    """(rules done, rules in all) of the background lint of ``revision``, if one runs."""
    job = cache.get(_key(identity(team), "job"))
    if not isinstance(job, dict) or job.get("revision") != revision:
        return None
    return int(job.get("done", 0)), int(job.get("total", 0))


def start_background(team: Any, revision: str) -> bool:
    """Queue a background lint of the team unless one for ``revision`` is queued or running."""
    job_key = _key(identity(team), "job")
    job = {"revision": revision, "done": 0, "total": 0, "queued": time.time()}
    if not cache.add(job_key, job, JOB_TTL):
        running = cache.get(job_key)
        if isinstance(running, dict) and running.get("revision") == revision:
            return False
        cache.set(job_key, job, JOB_TTL)
    from .tasks import lint_team as task

    task.delay(team.pk)
    return True


def lint_team(team_id: int) -> str:
    """The background lint: re-lint the team's current snapshot, share state and findings.

    Starts from this process's linter, else the shared state, else from scratch (a full lint),
    reporting progress per rule. Returns the revision linted. Idempotent: a second run for the
    same revision finds nothing to do.
    """
    from designer.catalog.models import Team
    from designer.catalog.selectors import team_model

    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return ""
    ident = identity(team)
    model = team_model(team)
    job_key = _key(ident, "job")
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.25 or done == 0:  # a few cache writes a second at most
            last[0] = now
            cache.set(job_key, {"revision": model.revision, "done": done, "total": total}, JOB_TTL)

    linter = _local(ident) or _shared_linter(ident) or Linter()
    try:
        found = linter.lint(model, progress=progress)
    except ValueError as exc:  # a bad lint config (unknown severity): nothing to share
        log.warning("lint of team %s failed: %s", team_id, exc)
        cache.delete(job_key)
        return model.revision
    _keep(ident, linter)
    cache.set(_key(ident, "found", model.revision), found, FOUND_TTL)
    cache.set(_key(ident, "state"), pickle.dumps(linter, protocol=pickle.HIGHEST_PROTOCOL), STATE_TTL)
    job = cache.get(job_key)
    if isinstance(job, dict) and job.get("revision") == model.revision:
        cache.delete(job_key)
    return model.revision


def forget_local() -> None:
    """Drop this process's linters (tests use it to act as a fresh process)."""
    with _LOCK:
        _LINTERS.clear()
