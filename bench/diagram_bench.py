"""Whole-team diagram speed: DOT build time and graphviz time per engine, 50/200/1,000 nodes.

Run: .venv/bin/python bench/diagram_bench.py [--quick]

Two model shapes (see docs/PERFORMANCE.md and shared/PERF_ANCHORS.md):
- layered: a pipeline of services, each layer's events consumed by the next layer
  (~1.25 edges a node), the shape dot handles well;
- tangled: random wiring, every message with one producer and three random consumers
  (~2.7 edges a node), the shape on which dot's crossing minimisation explodes.

For each it prints the DOT build time (median of several runs), the time of ``dot`` alone
(time-boxed: "timeout" when it did not finish), ``sfdp`` alone, and ``render()`` as the product
uses it (dot first, sfdp fallback) so the fallback's total answer time is visible.
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from designer.catalog import render as rd
from designer.core.diagram import DiagramOptions, build_dot
from designer.core.model import Message, Model, Relation, Service

# The bench's own cap on a lone dot run: enough to show "explodes", short enough to finish.
DOT_ALONE_TIMEOUT = 30.0


def layered(n: int) -> Model:
    """About ``n`` nodes: n/2 services in 5-10 layers, one event each, read by the next layer."""
    rng = random.Random(n)
    layers = 5 if n < 200 else 10
    per_layer = max(1, round(n / 2 / layers))
    services: list[Service] = []
    messages: list[Message] = []
    relations: list[Relation] = []
    grid: list[list[str]] = []
    for layer in range(layers):
        names = [f"svc-{layer}-{i}" for i in range(per_layer)]
        grid.append(names)
        services += [Service(name, description=f"layer {layer}", owner=f"team-{i % 5}")
                     for i, name in enumerate(names)]
    for layer, names in enumerate(grid):
        for name in names:
            msg = f"Event{name.replace('-', '')}Happened"
            messages.append(Message(msg, "event", description="something happened"))
            relations.append(Relation(name, msg, "produces"))
            if layer + 1 < layers:
                for consumer in rng.sample(grid[layer + 1], k=min(2, per_layer) if rng.random() < 0.5 else 1):
                    relations.append(Relation(consumer, msg, "consumes"))
    return Model(name=f"layered-{n}", services=tuple(services), messages=tuple(messages),
                 relations=tuple(relations))


def tangled(n: int) -> Model:
    """About ``n`` nodes: n/3 services, 2n/3 messages, each with 1 random producer and 3 consumers."""
    rng = random.Random(n)
    services = [Service(f"svc-{i}", owner=f"team-{i % 7}") for i in range(max(2, n // 3))]
    names = [s.name for s in services]
    kinds = ("event", "event", "command", "query")
    messages = [Message(f"Msg{i}", kinds[i % 4]) for i in range(n - len(services))]
    relations: list[Relation] = []
    for m in messages:
        relations.append(Relation(rng.choice(names), m.name, "produces"))
        for consumer in rng.sample(names, k=min(3, len(names))):
            relations.append(Relation(consumer, m.name, "consumes"))
    return Model(name=f"tangled-{n}", services=tuple(services), messages=tuple(messages),
                 relations=tuple(relations))


def _median_ms(model: Model, opts: DiagramOptions, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        build_dot(model, opts)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _engine_alone(dot: str, engine: str, timeout: float) -> str:
    t = time.perf_counter()
    try:
        rd._run(dot.encode(), "svg", engine, timeout, rd.SFDP_ARGS if engine == "sfdp" else ())
    except subprocess.TimeoutExpired:
        return f"timeout>{timeout:g}s"
    return f"{time.perf_counter() - t:.2f}s"


def main() -> None:
    """Print one row per (shape, size)."""
    quick = "--quick" in sys.argv
    sizes = (50, 200) if quick else (50, 200, 1000)
    print(f"{'model':<14}{'nodes':>6}{'edges':>7}{'DOT KB':>8}{'build ms':>10}"
          f"{'dot':>12}{'sfdp':>9}   render() (product path)")
    for shape in (layered, tangled):
        for n in sizes:
            model = shape(n)
            nodes = len(model.services) + len(model.messages)
            opts = DiagramOptions()
            dot = build_dot(model, opts)
            build = _median_ms(model, opts, 5)
            edges = dot.count(" -> ")
            dot_alone = _engine_alone(dot, "dot", DOT_ALONE_TIMEOUT)
            sfdp_alone = _engine_alone(dot, "sfdp", 60)
            try:
                r = rd.render_diagram(dot, "svg")
                product = f"{r.seconds:.2f}s via {r.engine}" + (f" ({r.note})" if r.note else "")
            except rd.RenderError as exc:
                product = f"refused: {exc}"
            print(f"{shape.__name__:<14}{nodes:>6}{edges:>7}{len(dot) / 1000:>8.0f}{build:>10.1f}"
                  f"{dot_alone:>12}{sfdp_alone:>9}   {product}", flush=True)


if __name__ == "__main__":
    main()
