"""Long reaction chains have an orchestrator.

In a choreography every service reacts to the previous one's event. That is simple for two or
three hops; beyond about five nobody can see the whole process, failures and compensations are
scattered, and a change in the middle breaks the end. Past that length, make one service the
orchestrator (a saga / process manager) that owns the sequence.

Two views are checked: a flow declared ``style: choreography`` with more than N ``sends``
steps, and, in the whole model, the longest reaction chain of events from a service nobody
triggers (a service consumes an event and produces the next), unless the chain's first event
appears in an orchestration flow. Cycles are left to ``flow-cycle``.

Flags: a choreographed flow or a reaction chain longer than ``max_hops`` (default 5) hops.
Why: long choreographies hide the business process and make failure handling nobody's job.
Source: Martin Fowler, "What do you mean by Event-Driven?"; Azure Architecture Center,
choreography pattern (consider an orchestrator for complex workflows).
Fails:
    version: 1
    messages:
      - {name: A1Happened, producers: [s1], consumers: [s2]}
      - {name: A2Happened, producers: [s2], consumers: [s3]}
      - {name: A3Happened, producers: [s3], consumers: [s4]}
      - {name: A4Happened, producers: [s4], consumers: [s5]}
      - {name: A5Happened, producers: [s5], consumers: [s6]}
      - {name: A6Happened, producers: [s6], consumers: [s7]}
Passes:
    version: 1
    messages:
      - {name: A1Happened, producers: [s1], consumers: [s2]}
      - {name: A2Happened, producers: [s2], consumers: [s3]}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "choreography-chain-length"
DEFAULT_SEVERITY = "info"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas
# Five hops: beyond this the process no longer fits in one person's head (MF, MS guidance).
OPTIONS: dict[str, Any] = {"max_hops": 5}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per over-long choreographed flow and per over-long reaction chain."""
    max_hops = int(options.get("max_hops", OPTIONS["max_hops"]))
    orchestrated: set[str] = set()
    for flow in model.flows:
        if flow.style == "orchestration":
            orchestrated.update(step.message for step in flow.steps)
            continue
        sends = [s for s in flow.steps if s.action == "sends"]
        if len(sends) > max_hops and not flow.orchestrator:
            yield Finding(
                ID, DEFAULT_SEVERITY, "flow", flow.name,
                f"The choreographed flow has {len(sends)} hops (more than {max_hops}); give it an "
                f"orchestrator (style: orchestration) that owns the sequence and its failures.",
                path="steps",
            )
    yield from _chains(model, max_hops, orchestrated)


def _chains(model: Model, max_hops: int, orchestrated: set[str]) -> Iterator[Finding]:
    # Event graph at service level: service -> (next service, event) for consumed events.
    graph: dict[str, list[tuple[str, str]]] = {}
    triggered: set[str] = set()
    for message in model.messages:
        if message.kind != "event":
            continue
        consumers = sorted({r.service for r in model.consumers(message.name)})
        for p in sorted({r.service for r in model.producers(message.name)}):
            for c in consumers:
                if c != p:
                    graph.setdefault(p, []).append((c, message.name))
                    triggered.add(c)
    longest: dict[str, list[str]] = {}  # service -> longest event chain starting there

    def chain_from(start: str) -> list[str]:
        # Iterative post-order DFS; an edge back into the current path is ignored (a cycle).
        stack: list[tuple[str, int]] = [(start, 0)]
        on_path: set[str] = {start}
        while stack:
            node, i = stack[-1]
            edges = graph.get(node, [])
            if i < len(edges):
                stack[-1] = (node, i + 1)
                child = edges[i][0]
                if child not in longest and child not in on_path:
                    on_path.add(child)
                    stack.append((child, 0))
                continue
            best: list[str] = []
            for child, event in edges:
                if child in on_path and child not in longest:
                    continue
                candidate = [event] + longest.get(child, [])
                if len(candidate) > len(best):
                    best = candidate
            longest[node] = best
            on_path.discard(node)
            stack.pop()
        return longest[start]

    for service in sorted(graph):
        if service in triggered:
            continue
        chain = chain_from(service)
        if len(chain) > max_hops and chain[0] not in orchestrated:
            yield Finding(
                ID, DEFAULT_SEVERITY, "event", chain[0],
                f"A reaction chain of {len(chain)} events starts here ({' → '.join(chain[:8])}"
                f"{' → …' if len(chain) > 8 else ''}) with no orchestrator; past {max_hops} hops, "
                f"let one service orchestrate the process.",
                path="chain",
            )
