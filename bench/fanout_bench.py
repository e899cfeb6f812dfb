"""End-to-end latency from POST to websocket clients, and memory after a sustained run.

One uvicorn process (embedded default: in-memory channel layer) serves the demo team. A poster
process sends single-event POSTs at a steady rate (1,000 events/s by default) over keep-alive
connections; each event id carries its send time. Client processes hold N websockets (token
auth) and record, for every event received on every socket, receive time minus send time.
Reported: p50/p99/max latency, events received per client, messages dropped by the server's
per-client queues, and the server's RSS over a longer run.

Run: ``.venv/bin/python bench/fanout_bench.py [--seconds 10] [--sustain 60]``. Loopback only.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_bench import TMP, demo_events, free_port, rss_mb, setup_db, start_server  # noqa: E402

CLIENTS_PER_PROCESS = 50  # websockets per client process (a Python process per ~50 sockets)
# Sockets per client process whose every event is parsed and timed; the others read and count
# frames only, so the clients' own CPU (same 2 cores as the server) does not dominate the figure.
PROBES_PER_PROCESS = 5


# ---- poster ---------------------------------------------------------------------------------
async def _post(port: int, secret: str, events: list[dict[str, Any]], rate: float, seconds: float) -> int:
    import orjson

    conns = 8
    per_tick = rate / 100  # a burst every 10 ms
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    sent = 0

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while (body := await queue.get()) is not None:
            writer.write(b"POST /api/teams/demo-shop/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                         b"application/json\r\nAuthorization: Bearer " + secret.encode() + b"\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(x.split(b":")[1]) for x in head.split(b"\r\n") if x.lower().startswith(b"content-length"))
            await reader.readexactly(length)
        writer.close()

    workers = [asyncio.create_task(worker()) for _ in range(conns)]
    start = time.perf_counter()
    owed = 0.0
    i = 0
    while time.perf_counter() - start < seconds:
        owed += per_tick
        while owed >= 1:
            owed -= 1
            ev = dict(events[i % len(events)])
            i += 1
            key = "eventId" if "eventId" in ev else "id"
            ev[key] = f"lat-{time.time_ns()}-{i}"
            queue.put_nowait(orjson.dumps(ev))
            sent += 1
        await asyncio.sleep(max(0.0, start + (i / rate) - time.perf_counter()) or 0.001)
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return sent


def _poster(port: int, secret: str, events: list[dict[str, Any]], rate: float, seconds: float, q: Any) -> None:
    q.put(asyncio.run(_post(port, secret, events, rate, seconds)))


# ---- clients --------------------------------------------------------------------------------
async def _watch(port: int, secret: str, n: int, seconds: float, ready: Any) -> dict[str, Any]:
    import orjson
    import websockets

    latencies: list[float] = []
    received = [0] * n
    dropped = [0] * n
    socks = [await websockets.connect(f"ws://127.0.0.1:{port}/ws/teams/demo-shop/traffic/?token={secret}",
                                      origin="http://127.0.0.1", max_size=None) for _ in range(n)]  # type: ignore[arg-type]
    for s in socks:
        await s.recv()  # hello
    ready.set()

    async def read(k: int, sock: Any) -> None:
        try:
            async for raw in sock:
                now = time.time_ns()
                if k >= PROBES_PER_PROCESS:
                    head = raw[:200]
                    at = head.find('"dropped":')
                    if at >= 0:
                        dropped[k] = int(head[at + 10:head.index(",", at)])
                    continue
                msg = orjson.loads(raw)
                dropped[k] = msg.get("dropped", 0)
                for m in msg.get("messages", ()):
                    if m["type"] == "event" and m["event_id"].startswith("lat-"):
                        received[k] += 1
                        latencies.append((now - int(m["event_id"].split("-")[1])) / 1e6)
        except websockets.ConnectionClosed:
            pass

    tasks = [asyncio.create_task(read(k, s)) for k, s in enumerate(socks)]
    await asyncio.sleep(seconds)
    for s in socks:
        await s.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"latencies": latencies, "received": received, "dropped": dropped}


def _watcher(port: int, secret: str, n: int, seconds: float, ready: Any, q: Any) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    q.put(asyncio.run(_watch(port, secret, n, seconds, ready)))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return round(s[min(len(s) - 1, int(p / 100 * len(s)))], 1)


def run(port: int, secret: str, events: list[dict[str, Any]], clients: int, rate: float, seconds: float,
        server_pid: int, sample_rss: bool = False) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q: Any = ctx.Queue()
    procs, readies = [], []
    for start in range(0, clients, CLIENTS_PER_PROCESS):
        ready = ctx.Event()
        n = min(CLIENTS_PER_PROCESS, clients - start)
        p = ctx.Process(target=_watcher, args=(port, secret, n, seconds + 3, ready, q))
        p.start()
        procs.append(p)
        readies.append(ready)
    for r in readies:
        r.wait(60)
    pq: Any = ctx.Queue()
    poster = ctx.Process(target=_poster, args=(port, secret, events, rate, seconds, pq))
    rss = [round(rss_mb(server_pid), 1)]
    cpu0, t0_wall = cpu_seconds(server_pid), time.monotonic()
    poster.start()
    if sample_rss:
        step = max(1.0, seconds / 6)
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            time.sleep(step)
            rss.append(round(rss_mb(server_pid), 1))
    sent = pq.get(timeout=seconds + 60)
    server_cpu = (cpu_seconds(server_pid) - cpu0) / (time.monotonic() - t0_wall)
    poster.join(10)
    results = [q.get(timeout=seconds + 90) for _ in procs]
    for p in procs:
        p.join(10)
    lat = [x for r in results for x in r["latencies"]]
    received = [x for r in results for x in r["received"][:PROBES_PER_PROCESS]]
    dropped = [x for r in results for x in r["dropped"]]
    out = {"clients": clients, "rate": rate, "seconds": seconds, "sent": sent,
           "probe_clients": len(received),
           "received_per_probe_min": min(received), "received_per_probe_max": max(received),
           "dropped_total": sum(dropped), "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99),
           "max_ms": round(max(lat), 1) if lat else None,
           "server_cpu_percent_of_a_core": round(100 * server_cpu)}
    if sample_rss:
        out["server_rss_mb"] = rss + [round(rss_mb(server_pid), 1)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--sustain", type=float, default=60.0, help="length of the memory run (0: skip)")
    args = parser.parse_args()
    secret = setup_db()
    events = demo_events(2_000)
    port = free_port()
    server = start_server(port, TMP / "uvicorn.log")
    figures: dict[str, Any] = {"cpus": os.cpu_count(), "load_avg": os.getloadavg()[0]}
    try:
        run(port, secret, events, 2, args.rate, 2.0, server.pid)  # warm up
        figures["clients_10"] = run(port, secret, events, 10, args.rate, args.seconds, server.pid)
        figures["clients_100"] = run(port, secret, events, 100, args.rate, args.seconds, server.pid)
        if args.sustain:
            figures["sustained_10_clients"] = run(port, secret, events, 10, args.rate, args.sustain, server.pid,
                                                  sample_rss=True)
    finally:
        server.terminate()
        server.wait(10)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
