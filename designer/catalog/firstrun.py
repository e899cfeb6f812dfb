"""The first-run checklist on a team's home: first service, first event, a flow, generate code,
send a test event — each ticks itself off when the team has done it.

Steps are registered, so a feature app adds its own without the catalog importing it
(``codeweb`` registers "generate code", ``traffic`` "send a test event" in their ``ready()``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Step:
    """One thing a new team does; ``done(request, counts)`` says whether it has."""

    order: int
    key: str
    label: str
    hint: str
    url: Callable[[Any], str]  # the request -> where to do it
    done: Callable[[Any, dict[str, int]], bool]


_STEPS: dict[str, Step] = {}


def register(step: Step) -> None:
    """Add (or replace, by key) a step of the checklist."""
    _STEPS[step.key] = step


def checklist(request: Any, counts: dict[str, int]) -> list[dict[str, Any]]:
    """The steps for the request's team, in order: {key, label, hint, url, done}."""
    return [{"key": s.key, "label": s.label, "hint": s.hint, "url": s.url(request), "done": bool(s.done(request, counts))}
            for s in sorted(_STEPS.values(), key=lambda s: s.order)]


register(Step(10, "service", "Add your first service", "A deployable unit that sends or receives messages.",
              lambda r: reverse("element_new", args=[r.team.slug, "services"]), lambda r, c: c.get("services", 0) > 0))
register(Step(20, "event", "Add your first event", "A fact in the past tense, such as OrderPlaced, with its JSON Schema.",
              lambda r: reverse("element_new", args=[r.team.slug, "messages"]) + "?kind=event",
              lambda r, c: c.get("events", 0) > 0))
register(Step(30, "flow", "Design a flow", "Type its steps as sentences (“order-service sends OrderPlaced”) beside its diagram.",
              lambda r: reverse("element_new", args=[r.team.slug, "flows"]), lambda r, c: c.get("flows", 0) > 0))
