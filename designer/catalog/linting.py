"""Lint for the web: the team's findings per revision, name hints, release checks.

The core does the work (``designer.core.lint``); this module caches results per team revision
and shapes them for templates.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from designer.core import naming
from designer.core.lint import engine
from designer.core.lint.finding import SEVERITY_RANK, Finding
from designer.core.lint.registry import RULES
from designer.lintreview.digest import element_digest
from designer.lintreview.models import Waiver

from .models import Team
from .selectors import team_model


@dataclass
class TeamLint:
    """The team's findings shaped for templates.

    ``findings`` are the ones to review (waived ones left out; a finding whose waiver lapsed
    is back in, with the waiver in ``lapsed``); ``all_findings`` is the linter's whole output,
    the same list ``manage.py lint`` prints for the exported file; ``waived`` pairs each active
    waiver with the finding it covers (None when the finding is gone).
    """

    findings: list[Finding]
    counts: dict[str, int] = field(default_factory=dict)
    by_element: dict[str, list[Finding]] = field(default_factory=dict)
    badges: dict[str, tuple[str, int]] = field(default_factory=dict)
    url: str = ""
    all_findings: list[Finding] = field(default_factory=list)
    waived: list[tuple[Any, Finding | None]] = field(default_factory=list)
    lapsed: dict[str, Any] = field(default_factory=dict)  # fingerprint -> lapsed waiver

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def waived_count(self) -> int:
        return sum(1 for w, f in self.waived if f is not None and not getattr(w, "lapsed", False))


_CACHE: dict[int, tuple[str, TeamLint]] = {}
_LOCK = threading.Lock()


def team_findings(team: Team) -> TeamLint:
    """Findings for the team's current revision (computed once per revision)."""
    model = team_model(team)
    with _LOCK:
        hit = _CACHE.get(team.pk)
    if hit and hit[0] == model.revision:
        return hit[1]
    findings = engine.lint(model)
    result = _with_waivers(team, model, findings)
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


def _with_waivers(team: Team, model: Any, findings: list[Finding]) -> TeamLint:
    """Leave out findings covered by an active waiver that has not lapsed."""
    waivers = {w.fingerprint: w for w in Waiver.objects.filter(team=team, revoked_at__isnull=True)
               .select_related("created_by").order_by("created_at")}
    by_fp = {f.fingerprint: f for f in findings}
    keep: list[Finding] = []
    lapsed: dict[str, Any] = {}
    for f in findings:
        w = waivers.get(f.fingerprint)
        if w is None:
            keep.append(f)
            continue
        info = RULES.get(f.rule)
        digest = element_digest(model, f.key, info.category if info else "")
        if digest != w.element_digest:
            w.lapsed = True
            lapsed[f.fingerprint] = w
            keep.append(f)
    out = shape(keep)
    out.all_findings = list(findings)
    out.lapsed = lapsed
    for fp, w in waivers.items():
        if not getattr(w, "lapsed", False):
            w.lapsed = False
        out.waived.append((w, by_fp.get(fp)))
    out.url = reverse("lint_findings", args=[team.slug])
    return out


def name_hints(name: str, kind: str) -> list[dict[str, str]]:
    """Inline hints while typing a message name ("events are past tense — OrderPlaced?")."""
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
