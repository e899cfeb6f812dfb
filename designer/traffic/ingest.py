"""``POST /api/teams/<slug>/events``: authenticate, limit, parse, check, answer.

The protocol-independent part lives in :func:`ingest`; two thin front doors call it: the raw
ASGI app in ``asgi_ingest`` (the hot path, no Django request machinery) and the Django view
:func:`events_view` below (same answers; handy for the Django test client).
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from designer import outage
from designer.core.traffic import ObservedEvent, ParseError, parse_request

from .pipeline import finding_view, get_pipeline, token_key

# A token -> team answer is reused this long at most; a revocation empties the cache sooner
# (see ``_revocations_seen``), so the TTL only bounds memory of tokens nobody uses any more.
TOKEN_TTL = 10.0
# Every process asks the database at most this often whether any token was revoked or deleted
# (one tiny query): a revoked token is refused everywhere within this, whoever revoked it.
REVOCATION_CHECK_SECONDS = 0.5
# Unknown tokens are remembered briefly so a flood of bad ones does not hit the database.
BAD_TOKEN_TTL = 2.0
# Bound on cached tokens (good and bad): cleared when full rather than grown.
MAX_CACHED_TOKENS = 10_000


@dataclass
class Answer:
    """An HTTP answer: status, JSON body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: list[tuple[str, str]] = field(default_factory=list)

    def content(self) -> bytes:
        return orjson.dumps(self.body)


def error(status: int, reason: str, headers: list[tuple[str, str]] | None = None) -> Answer:
    return Answer(status, {"error": reason}, headers or [])


# ---- tokens ---------------------------------------------------------------------------------
_TOKENS: dict[str, tuple[float, int | None, str, int | None]] = {}  # key -> (expires, team, slug, token id)
# When the mark was last read, what it was, and how many times the cache was emptied (an answer
# looked up across an emptying may predate the revocation, so it is not kept).
_revocations: dict[str, Any] = {"checked": float("-inf"), "seen": None, "generation": 0}


def _lookup_token(secret: str) -> tuple[int | None, str, int | None]:
    from designer.catalog.services import token_authenticate

    tok = token_authenticate(secret)
    if tok is None:
        return None, "", None
    return tok.team_id, tok.team.slug, tok.pk


def _revocation_mark() -> tuple[Any, ...]:
    """Changes whenever a token is revoked, deleted (with its team) or created."""
    from django.db.models import Count, Max

    from designer.catalog.models import ApiToken

    row = ApiToken.objects.aggregate(n=Count("id"), top=Max("id"), revoked=Max("revoked_at"))
    return row["n"], row["top"], row["revoked"]


async def _revocations_seen(now: float) -> None:
    """Empty the token cache when the database's revocation mark moved (checked twice a second)."""
    if now - _revocations["checked"] < REVOCATION_CHECK_SECONDS:
        return
    _revocations["checked"] = now  # before awaiting: one check per interval, not one per request
    mark = await sync_to_async(_revocation_mark)()
    if mark != _revocations["seen"]:
        _revocations["seen"] = mark
        _revocations["generation"] += 1
        _TOKENS.clear()


async def authenticate_token(secret: str) -> tuple[int | None, str, int | None]:
    """(team id, slug, token id) of a live bearer token, or (None, "", None) — cached briefly."""
    key = token_key(secret)
    now = time.monotonic()
    await _revocations_seen(now)
    hit = _TOKENS.get(key)
    if hit is not None and hit[0] > now:
        return hit[1], hit[2], hit[3]
    generation = _revocations["generation"]
    team_id, slug, token_id = await sync_to_async(_lookup_token)(secret)
    if generation != _revocations["generation"]:
        return team_id, slug, token_id  # the lookup may predate a revocation: answer, don't keep
    if len(_TOKENS) >= MAX_CACHED_TOKENS:
        _TOKENS.clear()
    _TOKENS[key] = (now + (TOKEN_TTL if team_id else BAD_TOKEN_TTL), team_id, slug, token_id)
    return team_id, slug, token_id


async def authenticate(secret: str) -> tuple[int | None, str]:
    """The (team id, slug) a bearer token belongs to, or (None, "")."""
    team_id, slug, _ = await authenticate_token(secret)
    return team_id, slug


def forget_tokens() -> None:
    """Empty the token cache and the revocation mark (tests)."""
    _TOKENS.clear()
    _revocations["checked"] = float("-inf")
    _revocations["seen"] = None


def bearer(value: str | None) -> str:
    """The secret of an ``Authorization: Bearer <secret>`` header ("" when absent)."""
    if not value:
        return ""
    scheme, _, secret = value.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


# ---- rate limits ----------------------------------------------------------------------------
class RateLimiter:
    """A token bucket per API token, in events per second (burst: one second's worth).

    Per process: with N server processes a token may send N times the limit in total, which
    bounds the damage one flood can do to each process (the point of the limit).
    """

    # Buckets kept at most; idle full buckets are the ones forgotten when it fills.
    MAX_BUCKETS = 10_000

    def __init__(self) -> None:
        self.buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    def _level(self, key: str, rate: float, now: float) -> float:
        tokens, last = self.buckets.get(key, (rate, now))
        return min(rate, tokens + (now - last) * rate)

    def retry_after(self, key: str, now: float | None = None) -> float:
        """0 when the token may send now, else the seconds until it may."""
        rate = float(settings.TRAFFIC_RATE_LIMIT_PER_SECOND)
        now = time.monotonic() if now is None else now
        level = self._level(key, rate, now)
        return 0.0 if level >= 1 else (1 - level) / rate

    def charge(self, key: str, events: int, now: float | None = None) -> None:
        """Take ``events`` from the bucket (it may go into debt, delaying the next request)."""
        rate = float(settings.TRAFFIC_RATE_LIMIT_PER_SECOND)
        now = time.monotonic() if now is None else now
        if len(self.buckets) >= self.MAX_BUCKETS and key not in self.buckets:
            self.buckets = {k: v for k, v in self.buckets.items() if self._level(k, rate, now) < rate}
            if len(self.buckets) >= self.MAX_BUCKETS:
                self.buckets.clear()
        self.buckets[key] = (self._level(key, rate, now) - events, now)


LIMITER = RateLimiter()


# ---- the endpoint ---------------------------------------------------------------------------
async def ingest(slug: str, headers: Mapping[str, str], body: bytes, secret: str) -> Answer:
    """Everything after the body was read (within the size limit): the full answer."""
    team_id, token_slug = await authenticate_for(slug, secret)
    if isinstance(team_id, Answer):
        return team_id
    if getattr(settings, "REDIS_URL", "") and not await outage.aredis_available():
        # Events go to browsers through Redis: refuse them (producers and taps retry) rather
        # than answer 202 for events nobody will see streamed.
        return stream_unavailable()
    key = token_key(secret)
    wait = LIMITER.retry_after(key)
    if wait:
        return error(429, f"rate limit of {settings.TRAFFIC_RATE_LIMIT_PER_SECOND} events/s for this token "
                          "exceeded; slow down", [("retry-after", str(max(1, round(wait + 0.5))))])
    try:
        parsed = parse_request(body, headers, max_batch=settings.TRAFFIC_MAX_BATCH)
    except ParseError as exc:
        return error(exc.status, exc.reason)
    events = parsed.events
    LIMITER.charge(key, max(1, len(parsed.items)))
    if parsed.mode == "batch" and parsed.items and not events:
        return Answer(400, {"error": "no event in the batch is well-formed",
                            "results": [_rejected(e) for e in parsed.errors]})
    results = await get_pipeline().ingest(team_id, events)
    out: list[dict[str, Any]] = []
    it = iter(zip(events, results, strict=True))
    now = time.time()
    for index, item in enumerate(parsed.items):
        if isinstance(item, ParseError):
            out.append(_rejected(item))
            continue
        ev, found = next(it)
        out.append(_accepted(index, ev, found, now))
    return Answer(202, {"accepted": len(events), "rejected": len(parsed.items) - len(events), "results": out})


async def authenticate_for(slug: str, secret: str) -> tuple[Any, str]:
    """(team id, slug) for a token allowed to post to ``slug``; (Answer, "") for 401/404."""
    if not secret:
        return error(401, "send the team's API token as 'Authorization: Bearer <token>'",
                     [("www-authenticate", 'Bearer realm="events"')]), ""
    team_id, token_slug = await authenticate(secret)
    if team_id is None:
        return error(401, "the API token is unknown or revoked",
                     [("www-authenticate", 'Bearer realm="events", error="invalid_token"')]), ""
    if token_slug != slug:
        # Same answer as a team that does not exist: a token does not reveal other teams.
        return error(404, f"no team {slug!r} for this token"), ""
    return team_id, token_slug


def _rejected(exc: ParseError) -> dict[str, Any]:
    return {"index": exc.index if exc.index is not None else 0, "status": "rejected", "error": exc.reason}


def _accepted(index: int, ev: ObservedEvent, found: list[Any], now: float) -> dict[str, Any]:
    return {"index": index, "id": ev.id, "type": ev.type, "status": "accepted",
            "findings": [{k: v for k, v in finding_view(f, ev, now).items()
                          if k in ("kind", "severity", "detail", "path", "message")} for f in found]}


def stream_unavailable() -> Answer:
    """503: the live stream (Redis) is unreachable; nothing was accepted."""
    return error(503, "live traffic cannot be streamed right now: Redis (the live-update channel) is "
                      "unreachable. Nothing was accepted; send the events again after Retry-After seconds.",
                 [("retry-after", str(outage.RETRY_AFTER_SECONDS))])


def unavailable(service: str) -> Answer:
    """503 for an outage met while ingesting (the database holds the tokens and the model)."""
    if service == "redis":
        return stream_unavailable()
    return error(503, outage.reason(service, "ingesting events"), [("retry-after", str(outage.RETRY_AFTER_SECONDS))])


def too_large(length: int) -> Answer:
    return error(413, f"body of {length} bytes exceeds the limit of {settings.TRAFFIC_MAX_BODY_BYTES} bytes")


@csrf_exempt
async def events_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The Django front door (the ASGI app answers the same path first when mounted)."""
    if request.method != "POST":
        resp = HttpResponse(orjson.dumps({"error": "use POST"}), status=405, content_type="application/json")
        resp["Allow"] = "POST"
        return resp
    secret = bearer(request.headers.get("Authorization"))
    answer: Answer
    length = int(request.headers.get("Content-Length") or 0)
    try:
        first, _ = await authenticate_for(slug, secret)
    except Exception as exc:
        service = outage.classify(exc)
        if service is None:
            raise
        first = unavailable(service)
    if isinstance(first, Answer):
        answer = first
    elif length > settings.TRAFFIC_MAX_BODY_BYTES:
        answer = too_large(length)
    else:
        body = request.body
        if len(body) > settings.TRAFFIC_MAX_BODY_BYTES:
            answer = too_large(len(body))
        else:
            try:
                answer = await ingest(slug, dict(request.headers), body, secret)
            except Exception as exc:
                service = outage.classify(exc)
                if service is None:
                    raise
                answer = unavailable(service)
    resp = HttpResponse(answer.content(), status=answer.status, content_type="application/json")
    for k, v in answer.headers:
        resp[k] = v
    return resp
