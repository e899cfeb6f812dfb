"""Reads for the proposal page: the proposal applied to the live model, its diff, lint delta,
compatibility verdicts and the services whose code it changes."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from designer.catalog.models import Service, Team
from designer.catalog.selectors import team_model
from designer.core import compat
from designer.core.changeset import model_states, model_with
from designer.core.codegen import generate
from designer.core.lint.engine import Linter
from designer.core.model import Model

from .models import Proposal, ProposalComment
from .services import Plan, proposal_plan

RELEASED = ("released", "deprecated")


def proposal_get(team: Team, pid: int) -> Proposal:
    """One proposal of the team; 404 for another team's."""
    return get_object_or_404(Proposal.objects.select_related("author", "team"), pk=pid, team=team)


def proposal_comments(proposal: Proposal) -> list[ProposalComment]:
    """The proposal's comments with their authors, oldest first."""
    return list(ProposalComment.objects.filter(proposal=proposal).select_related("user"))


def team_proposals(team: Team) -> list[Proposal]:
    return list(Proposal.objects.filter(team=team).select_related("author"))


@dataclass
class Review:
    plan: Plan
    live: Model
    proposed: Model
    introduced: list[Any]
    fixed: list[Any]
    verdicts: list[dict[str, Any]]
    services: list[dict[str, Any]]


def proposed_model(proposal: Proposal, live: Model | None = None) -> tuple[Plan, Model, Model]:
    """The plan of the proposal on the live model, the live model, and the model after it."""
    live = live or team_model(proposal.team)
    plan = proposal_plan(proposal, model_states(live))
    return plan, live, model_with(live, {(c.kind, c.name): c.after for c in plan.changes.elements})


def review(proposal: Proposal) -> Review:
    plan, live, proposed = proposed_model(proposal)
    linter = Linter()  # one linter: the proposed model is re-linted incrementally after the live one
    before = {f.fingerprint: f for f in linter.lint(live)}
    after = {f.fingerprint: f for f in linter.lint(proposed)}
    introduced = [f for k, f in after.items() if k not in before]
    fixed = [f for k, f in before.items() if k not in after]
    changed = [c for c in plan.changes.elements if c.kind == "message"]
    return Review(plan, live, proposed, introduced, fixed, compat_verdicts(live, proposed, [c.name for c in changed]),
                  affected_services(proposal.team, live, proposed, [c.name for c in changed]))


def compat_verdicts(live: Model, proposed: Model, names: list[str]) -> list[dict[str, Any]]:
    """For each changed schema of each changed message: compatible with the releases before it
    under its mode, or each break with why and how to fix it (as the release check says)."""
    out = []
    for name in names:
        msg = proposed.messages_by_name.get(name)
        if msg is None:
            continue
        old = live.messages_by_name.get(name)
        old_schemas = {v.version: v.schema for v in old.versions} if old else {}
        for i, v in enumerate(msg.versions):
            if v.version in old_schemas and old_schemas[v.version] == v.schema:
                continue
            earlier = [e for e in msg.versions[:i] if e.status in RELEASED]
            mode = v.compat or proposed.default_compat.get(msg.kind, "BACKWARD")
            row: dict[str, Any] = {"message": name, "version": v.version, "mode": mode, "breaks": []}
            if not earlier or compat.normalize_mode(mode) == "NONE":
                row["verdict"] = "nothing released before it to break" if not earlier else "mode NONE: not checked"
                row["compatible"] = True
            else:
                result = compat.check_history([e.schema for e in earlier] + [v.schema], mode,
                                              labels=[e.version for e in earlier] + [v.version])
                row["compatible"] = result.compatible
                row["verdict"] = "compatible" if result.compatible else "incompatible"
                row["breaks"] = [{"where": b.path or "the schema root", "why": b.why, "fix": b.fix,
                                  "against": b.old_version} for b in result.breaks]
            out.append(row)
    return out


def affected_services(team: Team, live: Model, proposed: Model, names: list[str]) -> list[dict[str, Any]]:
    """Producers and consumers of each changed message (before or after), with their rows."""
    roles: dict[str, set[str]] = {}
    for model in (live, proposed):
        for rel in model.relations:
            if rel.message in names:
                roles.setdefault(rel.service, set()).add(f"{rel.role} {rel.message}")
    rows = {s.name: s.pk for s in Service.objects.filter(team=team, name__in=list(roles))}
    return [{"name": n, "roles": sorted(r), "pk": rows.get(n)} for n, r in sorted(roles.items())]


def code_diff(proposal: Proposal, service: str, lang: str) -> list[dict[str, str]]:
    """The unified diff of ``service``'s generated code, live → proposed."""
    _, live, proposed = proposed_model(proposal)
    old = generate(live, lang, service) if service in live.services_by_name else {}
    new = generate(proposed, lang, service) if service in proposed.services_by_name else {}
    rows: list[dict[str, str]] = []
    for path in sorted(set(old) | set(new)):
        lines = list(difflib.unified_diff(old.get(path, "").splitlines(), new.get(path, "").splitlines(),
                                          f"live/{path}", f"proposed/{path}", lineterm="", n=2))
        for line in lines:
            cls = "add" if line.startswith("+") else "del" if line.startswith("-") else "hunk" if line.startswith("@@") else ""
            rows.append({"cls": "file" if line.startswith(("---", "+++")) else cls, "text": line})
    return rows


def proposal_state(proposal: Proposal, kind: str, name: str) -> tuple[bool, dict[str, Any] | None]:
    """(found, state) of element ``kind``/``name`` as the proposal has it: the proposed state where
    the proposal touches it (None: it deletes it), else the live one; (False, None) when neither has it."""
    row = proposal.elements.filter(kind=kind, name=name).first()
    if row is not None:
        return row.proposed is not None, row.proposed
    live = model_states(team_model(proposal.team)).get((kind, name))
    return live is not None, live


def proposal_created(proposal: Proposal) -> list[tuple[str, str]]:
    """The (kind, name) of the elements the proposal creates (no live base)."""
    return [(r.kind, r.name) for r in proposal.elements.filter(base__isnull=True).exclude(proposed__isnull=True)
            .order_by("kind", "name")]


def proposal_stamp(proposal: Proposal) -> str:
    """A short fingerprint of everything the proposal page shows that others can change: its status,
    its elements' proposed states, comments, approvals and the live model's revision. The page polls
    it and reloads when it moves."""
    import hashlib
    import json

    parts = [
        Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first(),
        list(proposal.elements.order_by("kind", "name").values_list("kind", "name", "proposed")),
        list(ProposalComment.objects.filter(proposal=proposal).values_list("id", flat=True)),
        list(proposal.approvals.order_by("id").values_list("id", flat=True)),
        Team.objects.filter(pk=proposal.team_id).values_list("revision", flat=True).first(),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]
