"""Lint benchmark: the command line against Spectral, and the engine (full lint, re-lint).

    .venv/bin/python bench/lint_bench.py [--cli-sizes 1000,5000] [--cli-runs 5] [--spectral-runs 3]
                                         [--sizes 100,1000,5000] [--runs 5] [--no-spectral]

Models: N messages over 500 services (fewer for small N), ~8-property schemas with nested
objects, enums and formats, one producer and 1-3 consumers per message, a channel per ten
messages.

Command line (what a user runs, start-up included): the model is written as a native design
file (YAML) and as an AsyncAPI 3.0 document (JSON, from our exporter); ``manage.py lint`` is
run on each as a separate process, and Spectral 6 (``@stoplight/spectral-cli`` with the
``spectral:asyncapi`` ruleset) on the same AsyncAPI document, in the same run. Prints median
wall time, peak memory (max RSS) and the ratio Spectral / ours. Spectral is installed into
``bench/spectral/node_modules`` on first use (``npm ci``; nothing else needs it). One warm-up run
of each command comes first (it writes bytecode caches and the lexicon snapshot, as any first
run on a machine does). Targets: 1,000 messages <= 1.0 s, 5,000 <= 3.0 s and <= 250 MB;
Spectral ratio >= 8x at 1,000 and >= 10x at 5,000.

Engine: the median wall time of the full lint (fresh ``Linter``) and of the re-lint after one
message's schema changed (warm ``Linter``), with every registered rule, in process.
Targets: 5,000 messages < 1 s full, re-lint < 50 ms.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SPECTRAL_DIR = ROOT / "bench" / "spectral"
SPECTRAL = SPECTRAL_DIR / "node_modules" / ".bin" / "spectral"

from designer.core.formats import asyncapi, native
from designer.core.lint.engine import Linter
from designer.core.lint.registry import RULES, RuleInfo
from designer.core.model import Channel, Message, Model, Relation, Service, Version

VERBS = ["Placed", "Shipped", "Cancelled", "Paid", "Refunded", "Created", "Updated", "Deleted",
         "Sent", "Reset", "Approved", "Rejected", "Reserved", "Released", "Delivered", "Returned"]
NOUNS = ["Order", "Payment", "Invoice", "Customer", "Shipment", "Cart", "Item", "Stock", "Coupon",
         "Account", "Password", "Ticket", "Booking", "Refund", "Parcel", "Subscription"]
COMMANDS = ["Place", "Cancel", "Ship", "Refund", "Create", "Update", "Approve", "Reserve"]


def _schema(rng: random.Random, i: int) -> dict[str, object]:
    props: dict[str, object] = {
        "eventId": {"type": "string", "format": "uuid"},
        "timestamp": {"type": "string", "format": "date-time"},
        "source": {"type": "string"},
        "version": {"type": "string"},
        "orderId": {"type": "string"},
        "amount": {"type": "number", "format": "decimal"},
        "status": {"type": "string", "enum": ["OPEN", "CLOSED", "PENDING"]},
        "lines": {"type": "array", "maxItems": 100, "items": {"type": "object", "properties": {
            "sku": {"type": "string", "maxLength": 40}, "quantity": {"type": "integer", "format": "int32"}}}},
    }
    if i % 7 == 0:
        props["customerEmail"] = {"type": "string", "format": "email", "x-pii": True}
    return {"type": "object", "properties": props, "required": ["eventId", "timestamp"],
            "additionalProperties": False}


def build_model(n_messages: int, n_services: int = 500, seed: int = 7) -> Model:
    """A realistic model of ``n_messages`` messages over ``n_services`` services."""
    rng = random.Random(seed)
    n_services = max(2, min(n_services, n_messages))
    services = tuple(Service(f"svc-{i:03d}-service", description="a service", owner=f"team-{i % 20}",
                             language="python") for i in range(n_services))
    channels = tuple(Channel(f"domain{i}.events", broker="kafka", description="events", owner="team-1",
                             partition_key="orderId") for i in range(max(1, n_messages // 10)))
    messages: list[Message] = []
    relations: list[Relation] = []
    for i in range(n_messages):
        noun = NOUNS[i % len(NOUNS)]
        kind = "event" if i % 10 < 8 else ("command" if i % 10 == 8 else "query")
        if kind == "event":
            name = f"{noun}{i}{VERBS[i % len(VERBS)]}"
        elif kind == "command":
            name = f"{COMMANDS[i % len(COMMANDS)]}{noun}{i}"
        else:
            name = f"Get{noun}{i}"
        chan = channels[i % len(channels)].name
        messages.append(Message(
            name=name, kind=kind, type=f"com.acme.{noun.lower()}{i}.{kind}", description="a message",
            owner=f"team-{i % 20}", channel=chan,
            versions=(Version("1.0.0", _schema(rng, i), "released", compat="FORWARD"),),
        ))
        producer = services[i % n_services].name
        relations.append(Relation(producer, name, "produces"))
        for k in range(1 + i % 3 if kind == "event" else 1):
            consumer = services[(i * 7 + k + 1) % n_services].name
            relations.append(Relation(consumer, name, "consumes", idempotent=True, dedup_key="eventId"))
    return Model(name="bench", services=services, messages=tuple(messages), channels=channels,
                 relations=tuple(relations))


def change_one_message(model: Model, index: int, salt: int) -> Model:
    """The same model with one message's schema changed (a new property)."""
    msgs = list(model.messages)
    old = msgs[index]
    schema = dict(old.schema or {})
    schema["properties"] = {**schema.get("properties", {}), f"extra{salt}": {"type": "string"}}
    msgs[index] = dataclasses.replace(old, versions=(dataclasses.replace(old.versions[-1], schema=schema),))
    return dataclasses.replace(model, messages=tuple(msgs))


def measure(n: int, runs: int, rules: dict[str, RuleInfo]) -> tuple[float, float, int]:
    full: list[float] = []
    findings = 0
    for _ in range(runs):
        # A fresh snapshot each run, as the server builds one per revision: caches keyed by
        # schema objects must not make later runs look faster than a real first lint.
        model = build_model(n)
        start = time.perf_counter()
        findings = len(Linter(rules).lint(model))
        full.append(time.perf_counter() - start)
    linter = Linter(rules)
    linter.lint(model)
    # A long-lived server freezes its start-up heap; without this, full collections of the
    # model's many small objects land at random inside the measured re-lints.
    gc.collect()
    gc.freeze()
    relint: list[float] = []
    current = model
    for r in range(runs * 2):
        current = change_one_message(current, (r * 37) % n, r)
        start = time.perf_counter()
        linter.lint(current)
        relint.append(time.perf_counter() - start)
        assert linter.last_run == "incremental"
    gc.unfreeze()
    return statistics.median(full), statistics.median(relint), findings


def per_rule(n: int, runs: int, rules: dict[str, RuleInfo], top: int) -> None:
    """Median time of each rule's check() on the whole model: where the time goes."""
    model = build_model(n)
    Linter(rules).lint(model)  # warm caches (lemminflect data, memo tables)
    rows = []
    for rule_id, info in rules.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for _finding in info.check(model, info.options):
                pass
            times.append(time.perf_counter() - start)
        rows.append((statistics.median(times), rule_id, info.scope))
    rows.sort(reverse=True)
    total = sum(r[0] for r in rows)
    print(f"\nper rule, {n} messages (sum {total * 1000:.0f} ms), slowest {top}:")
    for t, rule_id, scope in rows[:top]:
        print(f"  {t * 1000:8.1f}ms  {rule_id} ({scope})")


def run_process(argv: list[str], cwd: Path) -> tuple[float, float, int, str, float]:
    """Run ``argv``: wall seconds, peak RSS in MB, exit code, stdout's first line, CPU seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    # wait4 gives this child's own resource usage (ru_maxrss in KB on Linux).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    first = out.decode("utf-8", "replace").splitlines()[0] if out else ""
    return wall, usage.ru_maxrss / 1024, proc.returncode, first, usage.ru_utime + usage.ru_stime


def ensure_spectral() -> bool:
    """Install Spectral into bench/spectral on first use; False when npm is not available."""
    if SPECTRAL.exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        print("Spectral: npm not found; install Node.js/npm to compare with Spectral")
        return False
    print("Installing @stoplight/spectral-cli into bench/spectral (first use, about a minute)...")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SPECTRAL_DIR, check=True)
    return SPECTRAL.exists()


def median_of(argv: list[str], runs: int, cwd: Path) -> tuple[float, float, int, str, float]:
    """Medians of wall and CPU time over ``runs`` runs after one warm-up; the largest peak RSS.

    CPU time (user + system) is reported beside wall time because this machine is shared: wall
    time grows with the load average, CPU time much less.
    """
    run_process(argv, cwd)  # warm-up: bytecode and lexicon caches, page cache
    walls, peaks, cpus, code, first = [], [], [], 0, ""
    for _ in range(runs):
        wall, rss, code, first, cpu = run_process(argv, cwd)
        walls.append(wall)
        peaks.append(rss)
        cpus.append(cpu)
    return statistics.median(walls), max(peaks), code, first, statistics.median(cpus)


def cli(sizes: list[int], runs: int, spectral_runs: int, with_spectral: bool) -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "designer", "manage.py"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    have_spectral = with_spectral and ensure_spectral()
    ruleset = SPECTRAL_DIR / ".spectral.yaml"
    print(f"\ncommand line, whole process (median of {runs}; Spectral median of {spectral_runs}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'messages':>9} {'input':<22} {'ours':>9} {'cpu':>7} {'peak':>8} {'Spectral':>10} {'cpu':>8} "
          f"{'peak':>8} {'ratio':>7}")
    with tempfile.TemporaryDirectory(prefix="lint-bench-") as tmp:
        for n in sizes:
            design = Path(tmp) / f"model-{n}.yaml"
            document = Path(tmp) / f"asyncapi-{n}.json"
            # Written by a child process: on Linux a child's peak RSS (ru_maxrss) includes this
            # process's RSS when it forked, so this process must not hold a big model meanwhile
            # (it inflated the peaks measured before to ~216 MB where the lint itself uses ~160).
            subprocess.run([sys.executable, __file__, "--write", str(n), str(design), str(document)],
                           cwd=ROOT, check=True)
            ours = [sys.executable, "manage.py", "lint", "--fail-on", "never"]
            wall, rss, code, _, cpu = median_of([*ours, str(design)], runs, ROOT)
            assert code == 0, f"manage.py lint failed on {design}"
            print(f"{n:>9} {'design file (YAML)':<22} {wall:>8.2f}s {cpu:>6.2f}s {rss:>6.0f}MB", flush=True)
            wall, rss, code, _, cpu = median_of([*ours, str(document)], runs, ROOT)
            assert code == 0, f"manage.py lint failed on {document}"
            line = f"{n:>9} {'AsyncAPI 3.0 (JSON)':<22} {wall:>8.2f}s {cpu:>6.2f}s {rss:>6.0f}MB"
            if have_spectral:
                s_wall, s_rss, s_code, first, s_cpu = median_of(
                    [str(SPECTRAL), "lint", str(document), "--ruleset", str(ruleset), "--format", "text",
                     "--fail-severity", "error", "--quiet"], spectral_runs, ROOT)
                assert s_code in (0, 1), f"Spectral failed ({s_code}): {first}"
                line += f" {s_wall:>9.2f}s {s_cpu:>7.2f}s {s_rss:>6.0f}MB {s_wall / wall:>6.1f}x"
            print(line, flush=True)


def write_files(n: int, design: Path, document: Path) -> None:
    """The generated model of ``n`` messages as a design file and as AsyncAPI 3.0 JSON."""
    model = build_model(n)
    design.write_text(native.dump(model), encoding="utf-8")
    document.write_text(json.dumps(asyncapi.dump(model), indent=2), encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--write"]:  # the child that writes the files for the command line
        write_files(int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli-sizes", default="1000,5000", help="command-line sizes ('' to skip)")
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--spectral-runs", type=int, default=3)
    parser.add_argument("--no-spectral", action="store_true", help="do not run Spectral")
    parser.add_argument("--sizes", default="100,1000,5000", help="engine sizes ('' to skip)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--category", default="", help="only rules of this category (e.g. naming)")
    parser.add_argument("--top", type=int, default=12, help="per-rule breakdown: show the N slowest")
    args = parser.parse_args()
    if args.cli_sizes:
        cli([int(x) for x in args.cli_sizes.split(",")], args.cli_runs, args.spectral_runs, not args.no_spectral)
    if not args.sizes:
        return
    rules = {k: v for k, v in RULES.items() if not args.category or v.category == args.category}
    print(f"rules: {len(rules)}  (median of {args.runs} full runs, {args.runs * 2} re-lints; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'messages':>9} {'full lint':>11} {'re-lint':>10} {'findings':>9}")
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        full, relint, findings = measure(n, args.runs, rules)
        print(f"{n:>9} {full * 1000:>9.1f}ms {relint * 1000:>8.1f}ms {findings:>9}")
    element_rules = {k: v for k, v in rules.items() if not v.needs_whole_model}
    if len(element_rules) < len(rules):
        n = sizes[-1]
        full, relint, findings = measure(n, args.runs, element_rules)
        print(f"{n:>9} {full * 1000:>9.1f}ms {relint * 1000:>8.1f}ms {findings:>9}   "
              f"element-scope rules only ({len(element_rules)}): the engine's incremental path")
    if args.top:
        per_rule(sizes[-1], args.runs, rules, args.top)


if __name__ == "__main__":
    main()
