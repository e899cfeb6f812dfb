"""The live traffic pipeline: HTTP ingest, broker taps and the simulator all feed it.

Per team and per process it keeps a :class:`~designer.core.traffic.TrafficChecker` (rebuilt
when the team's revision changes), checks each event inline (microseconds with the compiled
validators), and aggregates what it saw into FRAMES: every ``FRAME_SECONDS`` one frame per
active team goes to the channel layer through ``designer.catalog.live.apublish_frame`` (the one
chokepoint). So fan-out costs follow the frame rate, never the event rate. About once a second
the grouped findings, per-minute counters and last payloads go to the database in one batch.

A pipeline belongs to one asyncio event loop (uvicorn has one; tests and commands make their
own): ``get_pipeline()`` returns the current loop's.
"""
from __future__ import annotations

import asyncio
import contextvars
import hashlib
import itertools
import logging
import time
import weakref
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from asgiref.sync import sync_to_async
from django.conf import settings

from designer import outage
from designer.catalog import live
from designer.core.traffic import ObservedEvent, TrafficChecker, TrafficFinding
from designer.traffic import recent

log = logging.getLogger(__name__)

# 50 ms frames: at most 20 pushes a second per team, and an event waits at most 50 ms for its
# frame, which keeps POST->websocket p99 under the 100 ms target.
FRAME_SECONDS: float = getattr(settings, "TRAFFIC_FRAME_SECONDS", 0.05)
# Events streamed per frame per team (4,000/s at 20 frames/s); beyond that browsers could not
# show them anyway, so the rest is counted ("not streamed") but still checked and kept.
MAX_FRAME_EVENTS = 200
# Findings streamed per frame per team; the rest are counted and still kept in the database.
MAX_FRAME_FINDINGS = 200
# A payload larger than this is streamed as a stub (its size); the sample store keeps it whole.
MAX_STREAMED_PAYLOAD = 16 * 1024
# Database batch interval: one transaction a second per process, whatever the event rate.
FLUSH_SECONDS = 1.0
# How often the team revision is polled to rebuild the checker after a model change.
REVISION_SECONDS = 1.0
# Stats (per-type per-minute series) are pushed once a second, not in every frame.
STATS_SECONDS = 1.0
# Distinct finding groups / counter keys waiting for the next flush, per team: a flood of
# distinct types or paths cannot grow memory without end (the checker caps types at 1,000).
MAX_PENDING_KEYS = 5_000
# Old rows are pruned once a minute.
PRUNE_SECONDS = 60.0
# A team that sent nothing for this long has its state dropped from memory.
IDLE_SECONDS = 15 * 60
# Feed statuses remembered per team (taps, simulator) and repeated every second.
MAX_FEEDS = 50
# Kept findings per team: beyond this the least recently seen groups are deleted.
MAX_KEPT_FINDINGS = 10_000
# Each step of closing the pipeline (stop the frame loop, last frames, last batch) is given up
# after this long, so shutdown ends within seconds whatever Redis or the database does.
CLOSE_STEP_SECONDS = 1.5


def _cut(value: Any, n: int) -> str:
    s = "" if value is None else str(value)
    return s if len(s) <= n else s[: n - 1] + "…"


def _require_correlation(lint_config: Any) -> bool:
    """``team.lint_config["options"]["traffic"]["require_correlation_id"]`` (default False)."""
    try:
        return bool(lint_config.get("options", {}).get("traffic", {}).get("require_correlation_id", False))
    except AttributeError:
        return False


def event_view(event: ObservedEvent) -> dict[str, Any]:
    """The event as shown in the live stream (envelope attributes and data)."""
    return {
        "event_id": event.id, "event_type": event.type, "source": event.source, "time": event.time,
        "version": event.version, "subject": event.subject, "envelope": event.envelope,
        "correlation_id": event.correlation_id, "partition_key": event.partition_key,
        "data": event.data if event.envelope == "cloudevents" else event.raw.get("data"),
    }


def finding_view(f: TrafficFinding, event: ObservedEvent, at: float) -> dict[str, Any]:
    """A finding as pushed live and returned by the ingest endpoint."""
    out = {"kind": f.kind, "severity": f.severity, "message_type": f.message_type, "message": f.message,
           "event_id": f.event_id, "source": event.source, "detail": f.detail, "path": f.path, "at": at}
    if f.inferred_schema is not None:
        out["inferred_schema"] = f.inferred_schema
    return out


@dataclass
class _Group:
    """A kept-finding group waiting for the next flush."""

    kind: str
    severity: str
    message_type: str
    message: str
    path: str
    detail: str
    count: int
    first_seen: float
    last_seen: float
    last_event_id: str
    last_source: str
    inferred_schema: Any = None


@dataclass
class TeamState:
    """One team's live state in this process."""

    team_id: int
    revision: int
    checker: TrafficChecker
    last_active: float = 0.0
    # -- next frame --
    events: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_FRAME_EVENTS))
    findings: list[dict[str, Any]] = field(default_factory=list)
    frame_events: int = 0  # events since the last frame
    not_streamed: int = 0  # events and findings left out of frames (counted, still kept)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)  # latest status per feed
    stats_due: bool = False
    # -- next flush --
    groups: dict[tuple[str, str, str], _Group] = field(default_factory=dict)
    counters: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    samples: dict[str, deque[tuple[float, str, str, Any]]] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)
    not_kept: int = 0


class IdAllocator:
    """Increasing message ids per team.

    With Redis (production) one ``INCRBY`` per frame gives ids shared by every process, so a
    browser resuming on another server keeps the same numbering. Embedded, a process counter
    starting from the clock in microseconds keeps ids increasing across restarts.
    """

    def __init__(self) -> None:
        self._local: dict[int, itertools.count[int]] = {}
        self._redis: Any = None
        if getattr(settings, "REDIS_URL", ""):
            import redis.asyncio as aioredis

            self._redis = aioredis.from_url(settings.REDIS_URL, **outage.redis_client_options())

    async def take(self, team_id: int, n: int) -> int:
        """Reserve ``n`` ids; returns the first."""
        if self._redis is not None and not outage.redis_known_down():
            try:
                end = int(await self._redis.incrby(f"designer:traffic:{team_id}:ids", n))
                return end - n + 1
            except outage.REDIS_ERRORS as exc:  # Redis down: frames still flow (ids from the clock)
                outage.note_redis_down(exc)
                log.warning("id allocation in Redis failed: %s", exc)
            except Exception:
                log.exception("id allocation in Redis failed")
        counter = self._local.get(team_id)
        if counter is None:
            counter = self._local[team_id] = itertools.count(int(time.time() * 1_000_000))
        first = next(counter)
        for _ in range(n - 1):
            next(counter)
        return first

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


class Pipeline:
    """The process's traffic pipeline for one event loop (see the module docstring)."""

    def __init__(self) -> None:
        self.teams: dict[int, TeamState] = {}
        self.ids = IdAllocator()
        self._building: dict[int, asyncio.Future[TeamState]] = {}
        self._task: asyncio.Task[None] | None = None
        self._flushing: asyncio.Task[None] | None = None
        self._last_flush = self._last_revision = self._last_stats = time.monotonic()
        self._last_prune = 0.0
        self.frames_sent = 0
        self.clock = time.time  # tests may replace it

    # -- team state --
    async def state(self, team_id: int) -> TeamState:
        """The team's state, built (model snapshot, checker) on first use."""
        st = self.teams.get(team_id)
        if st is not None:
            return st
        fut = self._building.get(team_id)
        if fut is None:
            fut = self._building[team_id] = asyncio.get_running_loop().create_future()
            try:
                st = await sync_to_async(_build_state)(team_id)
            except BaseException as exc:
                fut.set_exception(exc)
                fut.exception()  # mark retrieved: the caller below re-raises
                del self._building[team_id]
                raise
            self.teams[team_id] = st
            fut.set_result(st)
            del self._building[team_id]
            self._ensure_running()
            return st
        return await fut

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = background(self._run(), "traffic-frames")

    # -- ingest --
    async def ingest(self, team_id: int, events: list[ObservedEvent]) -> list[list[TrafficFinding]]:
        """Check ``events`` for the team; returns each event's findings (in order)."""
        st = await self.state(team_id)
        now = self.clock()
        st.last_active = now
        out: list[list[TrafficFinding]] = []
        check = st.checker.check
        for ev in events:
            found = check(ev, now)
            out.append(found)
            self._record(st, ev, found, now)
        return out

    def _record(self, st: TeamState, ev: ObservedEvent, found: list[TrafficFinding], now: float) -> None:
        st.frame_events += 1
        if len(st.events) == MAX_FRAME_EVENTS:
            st.not_streamed += 1  # the deque drops the oldest; the newest are what a viewer wants
        view = event_view(ev)
        view["at"] = now
        matched = st.checker.message_for(ev.type)
        view["message"] = matched.name if matched else ""
        view["findings"] = [f.kind for f in found]
        st.events.append(view)
        minute = int(now // 60) * 60
        ckey = (minute, ev.type)
        counter = st.counters.get(ckey)
        if counter is None:
            if len(st.counters) >= MAX_PENDING_KEYS:
                st.not_kept += 1
                counter = [0, 0]
            else:
                counter = st.counters[ckey] = [0, 0]
        counter[0] += 1
        counter[1] += len(found)
        ring = st.samples.get(ev.type)
        if ring is None:
            if len(st.samples) < MAX_PENDING_KEYS:
                ring = st.samples[ev.type] = deque(maxlen=_samples_per_type())
        if ring is not None:
            ring.append((now, ev.id, ev.source, ev.raw))
        for f in found:
            if len(st.findings) < MAX_FRAME_FINDINGS:
                st.findings.append(finding_view(f, ev, now))
            else:
                st.not_streamed += 1
            key = (f.kind, f.message_type, f.path)
            g = st.groups.get(key)
            if g is None:
                if len(st.groups) >= MAX_PENDING_KEYS:
                    st.not_kept += 1
                    continue
                st.groups[key] = _Group(f.kind, f.severity, f.message_type, f.message, f.path, f.detail, 1,
                                        now, now, ev.id, ev.source, f.inferred_schema)
            else:
                g.count += 1
                g.last_seen = now
                g.detail = f.detail
                g.last_event_id = ev.id
                g.last_source = ev.source
                if f.inferred_schema is not None:
                    g.inferred_schema = f.inferred_schema

    def set_status(self, team_id: int, source: str, state: str, detail: str = "") -> None:
        """Report a feed's status (a tap connecting, connected, reconnecting...) in the next frame."""
        st = self.teams.get(team_id)
        if st is None:
            return
        status = {"type": "status", "source": source, "state": state, "detail": detail, "at": self.clock()}
        st.statuses[source] = status
        st.feeds.pop(source, None)
        st.feeds[source] = status
        while len(st.feeds) > MAX_FEEDS:  # the oldest-updated feeds are forgotten first
            st.feeds.pop(next(iter(st.feeds)))

    def inferred_schema(self, team_id: int, message_type: str) -> dict[str, Any] | None:
        """The schema inferred from this process's samples of an undeclared type (or None)."""
        st = self.teams.get(team_id)
        if st is None or not st.checker.samples.get(message_type):
            return None
        return st.checker.inferred_schema(message_type)

    # -- frames --
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            try:
                # Deadline-based: the period stays FRAME_SECONDS whatever a tick costs.
                due = max(due + FRAME_SECONDS, loop.time())
                await asyncio.sleep(due - loop.time())
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad frame must not stop the stream
                log.exception("traffic frame tick failed")

    async def tick(self) -> None:
        """Send due frames; start a flush, a revision check or a prune when due."""
        mono = time.monotonic()
        if mono - self._last_stats >= STATS_SECONDS:
            self._last_stats = mono
            for st in self.teams.values():
                st.stats_due = True
        for st in list(self.teams.values()):
            await self.send_frame(st)
        if mono - self._last_flush >= FLUSH_SECONDS and (self._flushing is None or self._flushing.done()):
            self._last_flush = mono
            self._flushing = asyncio.get_running_loop().create_task(self.flush())
        if mono - self._last_revision >= REVISION_SECONDS:
            self._last_revision = mono
            await self.refresh_revisions()

    async def send_frame(self, st: TeamState) -> bool:
        """Push the team's pending frame, if there is anything to say; True when sent."""
        now = self.clock()
        messages: list[dict[str, Any]] = []
        for ev in st.events:
            data = ev["data"]
            if isinstance(data, (dict, list, str)):
                # Measured for every streamed event: about a microsecond for a typical payload.
                try:
                    size = len(orjson.dumps(data))
                except TypeError:
                    size = MAX_STREAMED_PAYLOAD + 1
                if size > MAX_STREAMED_PAYLOAD:
                    ev = {**ev, "data": {"_omitted": f"payload of {size} bytes; see the kept samples"}}
            messages.append({"type": "event", **ev})
        for f in st.findings:
            messages.append({"type": "finding", **f})
        messages.extend(st.statuses.values())
        if st.stats_due:
            # Feeds' latest statuses are repeated with the stats so a page opened later knows them.
            messages.extend(dict(f) for src, f in st.feeds.items() if src not in st.statuses)
        if st.stats_due and (messages or now - st.last_active < 120):
            stats = st.checker.stats(now)
            stats["rates"] = {t: s[-15:] for t, s in stats["rates"].items()}  # 15 minutes shown
            stats.update({"type": "stats", "not_streamed": st.not_streamed, "not_kept": st.not_kept,
                          "frame_events": st.frame_events, "at": now})
            messages.append(stats)
        st.stats_due = False
        if not messages:
            return False
        st.events.clear()
        st.findings = []
        st.statuses = {}
        st.frame_events = 0
        first = await self.ids.take(st.team_id, len(messages))
        for i, m in enumerate(messages):
            m["id"] = first + i
        # Remembered before it is published, so a page opened now gets it in its snapshot
        # or in the stream (the browser drops ids it already has).
        await recent.record(st.team_id, messages)
        await live.apublish_frame(st.team_id, {"team": st.team_id, "messages": messages})
        self.frames_sent += 1
        return True

    # -- revisions --
    async def refresh_revisions(self) -> None:
        """Rebuild the checker of every team whose revision changed; drop idle teams."""
        if not self.teams:
            return
        now = self.clock()
        for team_id, st in list(self.teams.items()):
            if st.last_active and now - st.last_active > IDLE_SECONDS and not st.groups and not st.counters:
                del self.teams[team_id]
        revisions = await sync_to_async(_revisions)(list(self.teams))
        for team_id, rev in revisions.items():
            current = self.teams.get(team_id)
            if current is not None and rev != current.revision:
                fresh = await sync_to_async(_build_state)(team_id)
                # Keep the frame and flush buffers, and the checker's counters and memories:
                # only what it checks against (the model) is new.
                fresh.checker.carry_over(current.checker)
                current.checker, current.revision = fresh.checker, fresh.revision

    # -- database --
    async def flush(self) -> None:
        """Write the pending findings, counters and samples of every team in one batch."""
        batch = []
        for st in self.teams.values():
            if not (st.groups or st.counters or st.samples):
                continue
            samples = []
            for type_, ring in st.samples.items():
                for at, eid, source, raw in ring:
                    slot = st.slots.get(type_, 0)
                    st.slots[type_] = (slot + 1) % _samples_per_type()
                    samples.append((type_, slot, at, eid, source, raw))
            if len(st.slots) > MAX_PENDING_KEYS:  # types come from the wire: forget old ones
                st.slots = {}
            batch.append((st.team_id, list(st.groups.values()), dict(st.counters), samples))
            st.groups, st.counters, st.samples = {}, {}, {}
        prune = time.monotonic() - self._last_prune >= PRUNE_SECONDS
        if not batch and not prune:
            return
        if prune:
            self._last_prune = time.monotonic()
        try:
            await sync_to_async(_write, thread_sensitive=False)(batch, prune)
        except Exception:  # the database may be briefly locked or down; live view goes on
            log.exception("writing traffic to the database failed")

    async def close(self) -> None:
        """Stop the frame loop and write what is pending, each step bounded (``CLOSE_STEP_SECONDS``):
        a Redis or database that stopped answering costs a few seconds, never a hung shutdown."""
        if self._task is not None:
            await cancel_within(self._task, CLOSE_STEP_SECONDS)
        if self._flushing is not None:
            await finish_within(self._flushing, CLOSE_STEP_SECONDS, "the last database batch")

        async def last_frames() -> None:
            for st in list(self.teams.values()):
                await self.send_frame(st)

        await finish_within(last_frames(), CLOSE_STEP_SECONDS, "the last frames")
        await finish_within(self.flush(), CLOSE_STEP_SECONDS, "writing pending traffic")
        await finish_within(self.ids.close(), CLOSE_STEP_SECONDS / 2, "closing the id allocator")


async def cancel_within(task: asyncio.Task[Any], seconds: float) -> None:
    """Cancel ``task`` and wait at most ``seconds`` for it to end (it may be stuck in a finally)."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        log.warning("task %s did not stop within %.1f s; left behind", task.get_name(), seconds)
    elif not task.cancelled() and task.exception() is not None:
        log.warning("task %s ended with %r", task.get_name(), task.exception())


async def finish_within(work: Any, seconds: float, what: str) -> None:
    """Await ``work`` (a coroutine or a task) for at most ``seconds``; give up with a warning."""
    task = work if isinstance(work, asyncio.Future) else asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        log.warning("shutdown: %s took over %.1f s; given up", what, seconds)
    elif not task.cancelled() and task.exception() is not None:
        log.warning("shutdown: %s failed: %r", what, task.exception())


def _samples_per_type() -> int:
    from .models import SAMPLES_PER_TYPE

    return SAMPLES_PER_TYPE


# ---- sync helpers (run in a thread) ---------------------------------------------------------
def _build_state(team_id: int) -> TeamState:
    from designer.catalog.models import Team
    from designer.catalog.selectors import team_model

    team = Team.objects.get(pk=team_id)
    model = team_model(team)
    checker = TrafficChecker(model, require_correlation_id=_require_correlation(team.lint_config))
    return TeamState(team_id=team_id, revision=team.revision, checker=checker)


def _revisions(team_ids: list[int]) -> dict[int, int]:
    from designer.catalog.models import Team

    return dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "revision"))


def _dt(t: float) -> datetime:
    return datetime.fromtimestamp(t, tz=UTC)


def _write(batch: list[tuple[int, list[_Group], dict[tuple[int, str], list[int]], list[Any]]], prune: bool) -> None:
    from django.db import IntegrityError, close_old_connections, transaction
    from django.db.models import F

    from .models import KeptFinding, TrafficCounter, TrafficSample

    close_old_connections()
    for team_id, groups, counters, samples in batch:
        with transaction.atomic():
            for g in groups:
                mtype, path = _cut(g.message_type, 200), _cut(g.path, 300)
                changes: dict[str, Any] = {
                    "count": F("count") + g.count, "last_seen": _dt(g.last_seen), "detail": g.detail,
                    "severity": g.severity, "message": _cut(g.message, 200),
                    "last_event_id": _cut(g.last_event_id, 200), "last_source": _cut(g.last_source, 300),
                }
                if g.inferred_schema is not None:
                    changes["inferred_schema"] = g.inferred_schema
                rows = KeptFinding.objects.filter(team_id=team_id, kind=g.kind, message_type=mtype, path=path)
                if rows.update(**changes):
                    continue
                try:
                    with transaction.atomic():
                        KeptFinding.objects.create(
                            team_id=team_id, kind=g.kind, message_type=mtype, path=path, count=g.count,
                            first_seen=_dt(g.first_seen), **{k: v for k, v in changes.items() if k != "count"})
                except IntegrityError:  # another process created it meanwhile
                    rows.update(**changes)
            for (minute, type_), (events, findings) in counters.items():
                mtype = _cut(type_, 200)
                rows = TrafficCounter.objects.filter(team_id=team_id, minute=_dt(minute), message_type=mtype)
                if rows.update(events=F("events") + events, findings=F("findings") + findings):
                    continue
                try:
                    with transaction.atomic():
                        TrafficCounter.objects.create(team_id=team_id, minute=_dt(minute), message_type=mtype,
                                                      events=events, findings=findings)
                except IntegrityError:
                    rows.update(events=F("events") + events, findings=F("findings") + findings)
            if samples:
                # One row per slot: the last write to a slot in this batch wins.
                by_slot = {(_cut(t, 200), slot): (at, eid, src, raw) for t, slot, at, eid, src, raw in samples}
                TrafficSample.objects.bulk_create(
                    [TrafficSample(team_id=team_id, message_type=t, slot=slot, at=_dt(at), event_id=_cut(eid, 200),
                                   source=_cut(src, 300), event=raw)
                     for (t, slot), (at, eid, src, raw) in by_slot.items()],
                    update_conflicts=True, unique_fields=["team", "message_type", "slot"],
                    update_fields=["at", "event_id", "source", "event"],
                )
    if prune:
        prune_old()


def prune_old(now: datetime | None = None) -> int:
    """Delete traffic rows older than the retention setting; returns how many went."""
    from django.db.models import Count

    from .models import KeptFinding, TrafficCounter, TrafficSample

    cutoff = (now or datetime.now(tz=UTC)) - timedelta(minutes=settings.TRAFFIC_RETENTION_MINUTES)
    gone = KeptFinding.objects.filter(last_seen__lt=cutoff).delete()[0]
    gone += TrafficCounter.objects.filter(minute__lt=cutoff).delete()[0]
    gone += TrafficSample.objects.filter(at__lt=cutoff).delete()[0]
    crowded = (KeptFinding.objects.values("team_id").annotate(n=Count("id")).filter(n__gt=MAX_KEPT_FINDINGS))
    for row in crowded:
        keep = (KeptFinding.objects.filter(team_id=row["team_id"]).order_by("-last_seen")
                .values_list("last_seen", flat=True)[MAX_KEPT_FINDINGS - 1])
        gone += KeptFinding.objects.filter(team_id=row["team_id"], last_seen__lt=keep).delete()[0]
    return gone


def background(coro: Any, name: str) -> asyncio.Task[Any]:
    """A long-lived task in a fresh context.

    A task inherits the context of whoever created it; one created while serving a Django
    request would keep that request's thread-sensitive executor, which is gone once the request
    ends ("CurrentThreadExecutor already quit"). A fresh context uses the process-wide one.
    """
    return asyncio.get_running_loop().create_task(coro, name=name, context=contextvars.Context())


# ---- one pipeline per event loop ------------------------------------------------------------
_PIPELINES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Pipeline] = weakref.WeakKeyDictionary()


def get_pipeline() -> Pipeline:
    """The running event loop's pipeline (created on first use)."""
    loop = asyncio.get_running_loop()
    p = _PIPELINES.get(loop)
    if p is None:
        p = _PIPELINES[loop] = Pipeline()
    return p


def token_key(secret: str) -> str:
    """A stable, non-secret key for a token (its SHA-256), used by the caches and rate limits."""
    return hashlib.sha256(secret.encode()).hexdigest()


async def shutdown() -> None:
    """Close this event loop's pipeline, writing what is pending (tests; commands)."""
    p = _PIPELINES.pop(asyncio.get_running_loop(), None)
    if p is not None:
        await p.close()
    await finish_within(recent.shutdown(), CLOSE_STEP_SECONDS / 2, "closing the recent-traffic store")
