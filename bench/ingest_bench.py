"""Ingest throughput with validation, per process: single events and batches of 100.

Two measurements on the demo team (its schemas, the brief's envelope, events from the
simulator, every one validated):

1. in process: the raw ASGI ingest app called directly (parse, auth cache, rate limit, checks,
   frame aggregation) — the pipeline's own cost, no HTTP;
2. over HTTP: one uvicorn process on loopback, a keep-alive asyncio client with 32 connections
   in another process (on this 2-core machine the client competes with the server for CPU).

Run: ``.venv/bin/python bench/ingest_bench.py [--seconds 5]``. Loopback only, bounded runs.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
ENV = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
ENV.update({"DJANGO_SETTINGS_MODULE": "designer.settings", "DESIGNER_SQLITE_PATH": str(TMP / "db.sqlite3"),
            "DESIGNER_SECRET_FILE": str(TMP / "secret"), "TRAFFIC_RATE_LIMIT_PER_SECOND": "100000000",
            "PYTHONUNBUFFERED": "1"})
os.environ.update(ENV)


def setup_db() -> str:
    """Migrate a fresh SQLite, seed the demo team, return an API token."""
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([py, "manage.py", "seed_demo"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    return subprocess.run([py, "manage.py", "create_token", "--team", "demo-shop"], cwd=ROOT, env=ENV,
                          check=True, capture_output=True, text=True).stdout.strip()


def demo_events(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` valid-ish demo events from the simulator (no injected faults), unique ids."""
    import django

    django.setup()
    from designer.catalog.models import Team
    from designer.catalog.selectors import team_model
    from designer.core.simulate import Simulator

    sim = Simulator(team_model(Team.objects.get(slug="demo-shop")), seed=seed)
    out: list[dict[str, Any]] = []
    t = time.time()
    while len(out) < n:
        out.extend(s.event for s in sim.next_events(t, min(500, n - len(out))))
        t += 1
    return out[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning", "--no-access-log"],
                            cwd=ROOT, env=ENV, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"uvicorn did not start:\n{log.read_text()}") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("uvicorn did not start within 30 s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---- in process -------------------------------------------------------------------------------
async def in_process(secret: str, events: list[dict[str, Any]], seconds: float) -> dict[str, float]:
    import orjson

    from designer.traffic.asgi_ingest import ingest_app
    from designer.traffic.pipeline import shutdown

    results: dict[str, float] = {}
    for label, size, ctype in (("single", 1, b"application/json"), ("batch100", 100, b"application/json")):
        bodies = [orjson.dumps(events[i] if size == 1 else events[i:i + size])
                  for i in range(0, len(events) - size + 1, size)]
        headers = [(b"content-type", ctype), (b"authorization", f"Bearer {secret}".encode())]
        status: list[int] = []

        async def send(msg: dict[str, Any], status: list[int] = status) -> None:
            if msg["type"] == "http.response.start":
                status.append(msg["status"])

        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            body = bodies[n % len(bodies)]

            async def receive(body: bytes = body) -> dict[str, Any]:
                return {"type": "http.request", "body": body, "more_body": False}

            scope = {"type": "http", "method": "POST", "path": "/api/teams/demo-shop/events", "headers": headers}
            await ingest_app(scope, receive, send, "demo-shop")
            n += 1
        elapsed = time.perf_counter() - start
        assert set(status) == {202}, set(status)
        results[label] = n * size / elapsed
    await shutdown()
    return results


# ---- over HTTP --------------------------------------------------------------------------------
async def _client(port: int, bodies: list[bytes], secret: str, seconds: float, conns: int) -> tuple[int, int]:
    done = 0
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def one(k: int) -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        while time.perf_counter() < stop_at:
            body = bodies[i % len(bodies)]
            i += conns
            writer.write(b"POST /api/teams/demo-shop/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nAuthorization: Bearer " + secret.encode() +
                         b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            if head.startswith(b"HTTP/1.1 202"):
                done += 1
            else:
                errors += 1
        writer.close()

    await asyncio.gather(*(one(k) for k in range(conns)))
    return done, errors


def _client_proc(port: int, bodies: list[bytes], secret: str, seconds: float, conns: int, q: Any) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    q.put(asyncio.run(_client(port, bodies, secret, seconds, conns)))


def over_http(secret: str, events: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    import orjson

    port = free_port()
    proc = start_server(port, TMP / "uvicorn.log")
    out: dict[str, Any] = {}
    try:
        for label, size in (("single", 1), ("batch100", 100)):
            bodies = [orjson.dumps(events[i] if size == 1 else events[i:i + size])
                      for i in range(0, len(events) - size + 1, size)]
            _client_run(port, bodies[:50], secret, 1.0, 4)  # warm up: checker built, validators compiled
            rss_before = rss_mb(proc.pid)
            done, errors = _client_run(port, bodies, secret, seconds, 32)
            out[label] = {"events_per_s": done * size / seconds, "requests_per_s": done / seconds,
                          "errors": errors, "rss_mb_before": round(rss_before, 1),
                          "rss_mb_after": round(rss_mb(proc.pid), 1)}
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def _client_run(port: int, bodies: list[bytes], secret: str, seconds: float, conns: int) -> tuple[int, int]:
    q: Any = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=_client_proc, args=(port, bodies, secret, seconds, conns, q))
    p.start()
    result = q.get(timeout=seconds + 60)
    p.join(10)
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    secret = setup_db()
    events = demo_events(20_000)
    figures: dict[str, Any] = {"cpus": os.cpu_count(), "load_avg": os.getloadavg()[0]}
    figures["in_process_events_per_s"] = {k: round(v) for k, v in
                                          asyncio.run(in_process(secret, events, args.seconds)).items()}
    if not args.skip_http:
        figures["http_one_uvicorn_process"] = over_http(secret, events, args.seconds)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
