"""Lint for the web, read side: the team's findings for its revision, shaped for templates.

This is the lint review feature's public face to the rest of the app: catalog pages, diagrams
and the findings page call ``team_findings`` (and ``name_hints`` while a name is typed); none of
them runs the linter or reads lint review's tables. No request runs a full lint:

- A process keeps, per team, the ``Linter`` that produced its last findings (it remembers the
  snapshot it saw). A change re-lints incrementally: only what the change can affect.
- Processes share lint state through the Django cache (Redis in production mode): the last
  linter state (its snapshot and findings per rule, pickled) so that a process that never linted
  the team starts warm, and the findings of each revision linted in the background.
- When neither gives a cheap re-lint (first view after a deploy or a cache flush, or a change
  touching more than ``INCREMENTAL_LIMIT`` messages, e.g. an import), the full lint runs as a
  background task (``lintreview.lint_team``: Celery in production mode, in-process on the
  embedded default, as all background work there). Meanwhile the page shows the newest findings
  it has, marked as being re-checked, with the task's progress, and refreshes when they arrive.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from designer.catalog.models import Team
from designer.catalog.selectors import team_model
from designer.core import naming
from designer.core.lint.finding import SEVERITY_RANK, Finding
from designer.core.lint.registry import RULES
from designer.core.model import Model

from . import relint
from .digest import element_digest
from .models import Waiver


@dataclass
class TeamLint:
    """The team's findings shaped for templates.

    ``findings`` are the ones to review (waived ones left out; a finding whose waiver lapsed
    is back in, with the waiver in ``lapsed``); ``all_findings`` is the linter's whole output,
    the same list ``manage.py lint`` prints for the exported file; ``waived`` pairs each active
    waiver with the finding it covers (None when the finding is gone). ``pending`` is true while
    a background lint of the current revision runs: the findings are then those of
    ``revision`` (an earlier one, or none yet) and ``progress`` says how far the lint got.
    """

    findings: list[Finding]
    counts: dict[str, int] = field(default_factory=dict)
    by_element: dict[str, list[Finding]] = field(default_factory=dict)
    badges: dict[str, tuple[str, int]] = field(default_factory=dict)
    url: str = ""
    all_findings: list[Finding] = field(default_factory=list)
    waived: list[tuple[Any, Finding | None]] = field(default_factory=list)
    lapsed: dict[str, Any] = field(default_factory=dict)  # fingerprint -> lapsed waiver
    revision: str = ""
    pending: bool = False
    progress: tuple[int, int] | None = None  # (rules done, rules in all) of the background lint
    status_url: str = ""

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def waived_count(self) -> int:
        return sum(1 for w, f in self.waived if f is not None and not getattr(w, "lapsed", False))

    @property
    def percent(self) -> int:
        """How far the background lint got, 0-100 (0 when none runs)."""
        if not self.progress or not self.progress[1]:
            return 0
        return min(100, round(100 * self.progress[0] / self.progress[1]))


# Shaped results per team identity: (revision, TeamLint). Bounded like relint's linters.
_SHAPED: OrderedDict[str, tuple[str, TeamLint]] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 16


def team_findings(team: Team) -> TeamLint:
    """Findings for the team's current revision; never a full lint on the calling thread."""
    model = team_model(team)
    ident = relint.identity(team)
    with _LOCK:
        hit = _SHAPED.get(ident)
    if hit is not None and hit[0] == model.revision:
        return hit[1]
    result = relint.findings_for(team, model)
    if result.findings is None:
        # Nothing for this revision yet: the newest shaped findings this process has, marked.
        base = hit[1] if hit is not None else None
        out = TeamLint(findings=list(base.findings) if base else [])
        if base is not None:
            out.counts, out.by_element, out.badges = base.counts, base.by_element, base.badges
            out.all_findings, out.waived, out.lapsed = base.all_findings, base.waived, base.lapsed
            out.revision = base.revision
        out.pending, out.progress = True, result.progress
        out.url, out.status_url = _url("lint_findings", team), _url("lint_status", team)
        return out
    shaped = _with_waivers(team, model, result.findings)
    shaped.revision = model.revision
    with _LOCK:
        _SHAPED[ident] = (model.revision, shaped)
        _SHAPED.move_to_end(ident)
        while len(_SHAPED) > _KEEP:
            _SHAPED.popitem(last=False)
    return shaped


def shape(findings: list[Finding]) -> TeamLint:
    """Counts per severity, findings per element and the worst severity per element (badges)."""
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


def _url(name: str, team: Team) -> str:
    return reverse(name, args=[team.slug])


def team_waiver(team: Team, waiver_id: int) -> Waiver | None:
    """The waiver ``waiver_id`` of ``team``, or None (none such, or another team's)."""
    return Waiver.objects.filter(pk=waiver_id, team=team).first()


def _with_waivers(team: Team, model: Model, findings: list[Finding]) -> TeamLint:
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
            w.lapsed = True  # type: ignore[attr-defined]
            lapsed[f.fingerprint] = w
            keep.append(f)
    out = shape(keep)
    out.all_findings = list(findings)
    out.lapsed = lapsed
    for fp, w in waivers.items():
        if not getattr(w, "lapsed", False):
            w.lapsed = False  # type: ignore[attr-defined]
        out.waived.append((w, by_fp.get(fp)))
    out.url = _url("lint_findings", team)
    out.status_url = _url("lint_status", team)
    return out


def name_hints(name: str, kind: str) -> list[dict[str, str]]:
    """Inline hints while typing a message name ("events are past tense — OrderPlaced?")."""
    verdict: Any = None
    label = ""
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
