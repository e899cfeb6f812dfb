"""Reactions do not loop: no cycle service → message → service.

When service A produces a message B consumes, and B (directly or through others) produces a
message A consumes, one message can trigger an endless chain of reactions, costing money and
flooding the broker until someone notices. Self-loops (a service consuming its own event) are
the simplest case. Request/reply queries are not reactions and are ignored. Services that
orchestrate an ``orchestration`` flow are exempt (option ``ignore_orchestrators``): a saga's
"send command, await event" round trip is a deliberate, stateful loop.

Flags: each strongly connected group of services in the produce/consume graph of events and
commands (one finding per group, on its first service by name, showing one concrete cycle).
Why: loops amplify one message into unbounded traffic; they must be broken on purpose.
Source: AWS Lambda recursive loop detection.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [stock-service]
      - name: StockReserved
        producers: [stock-service]
        consumers: [order-service]
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        producers: [order-service]
        consumers: [stock-service]
      - name: StockReserved
        producers: [stock-service]
        consumers: [shipping-service]
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "flow-cycle"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas
OPTIONS: dict[str, Any] = {"ignore_orchestrators": True}


def service_graph(model: Model, skip: frozenset[str] = frozenset()) -> dict[str, dict[str, str]]:
    """Edges service -> {next service: first message name} over events and commands."""
    graph: dict[str, dict[str, str]] = {}
    for message in model.messages:
        if message.kind == "query":
            continue
        consumers = [r.service for r in model.consumers(message.name) if r.service not in skip]
        if not consumers:
            continue
        for p in model.producers(message.name):
            if p.service in skip:
                continue
            edges = graph.setdefault(p.service, {})
            for c in consumers:
                edges.setdefault(c, message.name)
    return graph


def strongly_connected(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (deep graphs must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


def _orchestrators(model: Model) -> frozenset[str]:
    return frozenset(f.orchestrator for f in model.flows if f.style == "orchestration" and f.orchestrator)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield one finding per cycle group of services."""
    skip = _orchestrators(model) if options.get("ignore_orchestrators", True) else frozenset()
    graph = service_graph(model, skip)
    for group in strongly_connected(graph):
        first = group[0]
        if len(group) == 1 and first not in graph.get(first, {}):
            continue
        yield Finding(
            ID, DEFAULT_SEVERITY, "service", first,
            f"Reaction cycle: {_describe(graph, set(group), first)}. One message can trigger "
            f"itself again; break the loop (make one step a reply the other side does not react "
            f"to, or have an orchestrator own the process).",
            path="cycle",
        )


def _describe(graph: dict[str, dict[str, str]], members: set[str], start: str) -> str:
    """One concrete cycle through ``start`` inside the group, as "a -(M)-> b -(N)-> a"."""
    parents: dict[str, tuple[str, str]] = {}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for child, msg in sorted(graph.get(node, {}).items()):
                if child not in members:
                    continue
                if child == start:
                    path = [f"{node} -({msg})-> {start}"]
                    while node != start:
                        parent, pmsg = parents[node]
                        path.append(f"{parent} -({pmsg})-> {node}")
                        node = parent
                    hops = list(reversed(path))
                    return hops[0] + "".join(" " + h.split(" ", 1)[1] for h in hops[1:])
                if child not in parents:
                    parents[child] = (node, msg)
                    nxt.append(child)
        frontier = nxt
    return start
