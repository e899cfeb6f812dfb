"""Lint for the web: the team's findings per revision, name hints, release checks.

The core does the work (``designer.core.lint``); this module caches results per team revision
and shapes them for templates.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from designer.core.lint.finding import SEVERITY_RANK, Finding

from .models import Team
from .selectors import team_model


@dataclass
class TeamLint:
    findings: list[Finding]
    counts: dict[str, int] = field(default_factory=dict)
    by_element: dict[str, list[Finding]] = field(default_factory=dict)
    badges: dict[str, tuple[str, int]] = field(default_factory=dict)
    url: str = ""

    @property
    def total(self) -> int:
        return len(self.findings)


_CACHE: dict[int, tuple[str, TeamLint]] = {}
_LOCK = threading.Lock()


def _engine() -> Any:
    try:
        from designer.core.lint import engine
    except ImportError:  # pragma: no cover - only before the engine exists
        return None
    return engine


def team_findings(team: Team) -> TeamLint | None:
    """Findings for the team's current revision (computed once per revision)."""
    engine = _engine()
    if engine is None:
        return None
    model = team_model(team)
    with _LOCK:
        hit = _CACHE.get(team.pk)
    if hit and hit[0] == model.revision:
        return hit[1]
    findings = engine.lint(model)
    result = shape(findings)
    with _LOCK:
        _CACHE[team.pk] = (model.revision, result)
    return result


def shape(findings: list[Finding]) -> TeamLint:
    out = TeamLint(findings=list(findings))
    for sev in SEVERITY_RANK:
        n = sum(1 for f in findings if f.severity == sev)
        if n:
            out.counts[sev] = n
    for f in findings:
        out.by_element.setdefault(f.key, []).append(f)
    for key, items in out.by_element.items():
        worst = min(items, key=lambda f: SEVERITY_RANK.get(f.severity, 9)).severity
        out.badges[key] = (worst, len(items))
    return out


def name_hints(name: str, kind: str) -> list[dict[str, str]]:
    """Inline hints while typing a message name ("events are past tense — OrderPlaced?")."""
    try:
        from designer.core import naming
    except ImportError:  # pragma: no cover
        return []
    verdict = None
    if kind == "event":
        verdict = naming.event_tense(name)
        label = "Events are facts in the past tense"
    elif kind == "command":
        verdict = naming.command_mood(name)
        label = "Commands start with an imperative verb"
    elif kind == "query":
        verdict = naming.query_verb(name)
        label = "Queries ask for data (Get, Find, List…)"
    if verdict is None or verdict.ok:
        return []
    suggestion = getattr(verdict, "suggestion", "") or ""
    msg = f"{label}: {verdict.reason}" if getattr(verdict, "reason", "") else label
    if suggestion:
        msg += f" — {suggestion}?"
    return [{"message": msg, "suggestion": suggestion}]
