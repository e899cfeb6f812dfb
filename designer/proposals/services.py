"""Writes of proposals: open one (empty, or from a design file), change elements in it, comment,
approve, close, resolve conflicts and merge — the merge applies the proposal to the live model
as one recorded change, through the same change-set path as imports and restores."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from designer.catalog.models import Change, Team
from designer.catalog.selectors import model_snapshot, team_model
from designer.catalog.services import ValidationFailed, change_record, changeset_apply
from designer.catalog.services.changesets import changeset_record
from designer.core import model as core
from designer.core.changeset import ChangeSet, ElementChange, dangling, diff_models, model_states, rebase

from .models import OPEN, Proposal, ProposalApproval, ProposalComment, ProposalElement, ProposalSettings

Key = tuple[str, str]


class ProposalConflict(ValidationFailed):
    """The live model changed the same fields as the proposal: they must be resolved first."""

    def __init__(self, conflicts: list[dict[str, Any]]):
        self.conflicts = conflicts
        names = ", ".join(sorted({f"{c['kind']} {c['name']} ({c['field']})" for c in conflicts}))
        super().__init__(f"The live model changed the same fields meanwhile: {names}. "
                         "Choose a side for each one, then merge.")


@dataclass
class Plan:
    """What merging a proposal now would do: the change set, and the fields in conflict."""

    changes: ChangeSet
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def proposal_settings(team: Team) -> ProposalSettings:
    found, _ = ProposalSettings.objects.get_or_create(team=team)
    return found


def proposal_settings_update(*, team: Team, approvals_required: int, proposer_may_merge: bool) -> ProposalSettings:
    if not 0 <= approvals_required <= 20:
        raise ValidationFailed({"approvals_required": ["Between 0 and 20 approvals."]})
    found = proposal_settings(team)
    found.approvals_required, found.proposer_may_merge = approvals_required, proposer_may_merge
    found.save()
    return found


def _no_nul(field: str, value: str) -> str:
    """PostgreSQL cannot store a NUL character: refuse it with a message instead of a 500."""
    if "\x00" in value:
        raise ValidationFailed({field: ["Remove the NUL character (\\u0000): it cannot be stored."]})
    return value


def _title(title: str) -> str:
    title = " ".join(_no_nul("title", title or "").split())
    if not title:
        raise ValidationFailed({"title": ["A proposal needs a title."]})
    return title[:200]


def _open(proposal: Proposal) -> None:
    if proposal.status != OPEN:
        raise ValidationFailed(f"This proposal is {proposal.status}; it can no longer change.")


def proposal_open(*, team: Team, user: Any, title: str) -> Proposal:
    """An empty proposal on top of the team's current model."""
    return Proposal.objects.create(team=team, title=_title(title), author=_user(user),
                                   base_revision=Team.objects.get(pk=team.pk).revision)


def proposal_from_model(*, team: Team, user: Any, title: str, model: core.Model, mode: str = "merge") -> Proposal:
    """A proposal holding what importing ``model`` would change (nothing live is written)."""
    try:
        changes = diff_models(team_model(team), model, mode=mode)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    with transaction.atomic():
        proposal = proposal_open(team=team, user=user, title=title)
        ProposalElement.objects.bulk_create(
            ProposalElement(proposal=proposal, kind=c.kind, name=c.name, base=c.before, proposed=c.after)
            for c in changes.elements)
    return proposal


def proposal_element_set(*, proposal: Proposal, kind: str, name: str, state: dict[str, Any] | None) -> None:
    """Propose ``state`` (None: delete) for the element ``kind``/``name`` — the live model is not
    touched. The element's live state is kept as the base the first time the proposal touches it."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open(proposal)
        row = ProposalElement.objects.filter(proposal=proposal, kind=kind, name=name).first()
        if row is None:
            base = model_states(team_model(proposal.team)).get((kind, name))
            row = ProposalElement(proposal=proposal, kind=kind, name=name, base=base)
        if state is not None and state.get("name", name) != name:
            raise ValidationFailed({"name": ["Renaming is not proposed yet: propose a new element and the "
                                             "deletion of the old one."]})
        row.proposed = state
        if row.proposed == row.base:
            if row.pk:
                row.delete()
            return
        row.save()


def proposal_comment(*, proposal: Proposal, user: Any, text: str, element: str = "") -> ProposalComment:
    text = _no_nul("text", text or "").strip()
    _no_nul("element", element or "")
    if not text:
        raise ValidationFailed({"text": ["Write something."]})
    if len(text) > 5000:
        raise ValidationFailed({"text": ["Comments are at most 5,000 characters."]})
    return ProposalComment.objects.create(proposal=proposal, user=_user(user), text=text, element=element[:220])


def proposal_approve(*, proposal: Proposal, user: Any) -> None:
    _open(proposal)
    if proposal.author_id is not None and proposal.author_id == getattr(user, "pk", None):
        raise ValidationFailed("You opened this proposal; someone else approves it.")
    ProposalApproval.objects.get_or_create(proposal=proposal, user=user)


def proposal_close(*, proposal: Proposal, user: Any) -> None:
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open(locked)
        locked.status = "closed"
        locked.save(update_fields=["status"])


def proposal_plan(proposal: Proposal, live: dict[Key, Any] | None = None) -> Plan:
    """Rebase the proposal on the live model (``live``: its element states; read when not
    given): fields only one side changed merge silently; fields both changed are conflicts."""
    live = live if live is not None else model_states(team_model(proposal.team))
    elements: list[ElementChange] = []
    conflicts: list[dict[str, Any]] = []
    for row in proposal.elements.all():
        now = live.get((row.kind, row.name))
        merged, fields = rebase(row.base, row.proposed, now)
        for f in fields:
            conflicts.append({"kind": row.kind, "name": row.name, "field": f,
                              "base": _pick(row.base, f), "mine": _pick(row.proposed, f), "live": _pick(now, f)})
        if merged != now:
            elements.append(ElementChange(row.kind, row.name, now, merged))
    return Plan(ChangeSet(elements=tuple(elements)), conflicts)


def _pick(state: dict[str, Any] | None, f: str) -> Any:
    if state is None:
        return None
    return state if f == "(the whole element)" else state.get(f)


def proposal_resolve(*, proposal: Proposal, choices: dict[tuple[str, str, str], str]) -> None:
    """Settle conflicts: for each (kind, name, field) keep ``mine`` or take ``live``. The
    element's base becomes the live state, so those fields no longer conflict."""
    live = model_states(team_model(proposal.team))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open(locked)
        for row in locked.elements.all():
            now = live.get((row.kind, row.name))
            merged, fields = rebase(row.base, row.proposed, now)
            if not fields:
                continue
            missing = [f for f in fields if (row.kind, row.name, f) not in choices]
            if missing:
                raise ValidationFailed(f"Choose a side for {row.kind} {row.name}: {', '.join(missing)}.")
            if "(the whole element)" in fields:
                merged = row.proposed if choices[(row.kind, row.name, "(the whole element)")] == "mine" else now
            else:
                assert merged is not None and now is not None
                for f in fields:
                    if choices[(row.kind, row.name, f)] == "live":
                        if f in now:
                            merged[f] = now[f]
                        else:
                            merged.pop(f, None)
            row.base, row.proposed = now, merged
            if row.base == row.proposed:
                row.delete()
            else:
                row.save()


def merge_allowed(proposal: Proposal, user: Any) -> str:
    """Why ``user`` cannot merge now ("" when they can), by the team's setting."""
    rules = proposal_settings(proposal.team)
    if proposal.status != OPEN:
        return f"This proposal is {proposal.status}."
    if proposal.author_id is not None and proposal.author_id == getattr(user, "pk", None) and not rules.proposer_may_merge:
        return "The team's setting says the proposer does not merge their own proposal."
    approvals = proposal.approvals.exclude(user_id=proposal.author_id).count()
    if approvals < rules.approvals_required:
        return f"It needs {rules.approvals_required} approval(s); it has {approvals}."
    return ""


def proposal_merge(*, proposal: Proposal, user: Any) -> Change:
    """Apply the proposal to the live model atomically, as one recorded change. Two merges of
    the same proposal at once: the second waits for the first and is refused."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=proposal.team_id)
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        why = merge_allowed(locked, user)
        if why:
            raise ValidationFailed(why + " Nothing was merged.")
        live = model_states(model_snapshot(team))
        plan = proposal_plan(locked, live)
        if plan.conflicts:
            raise ProposalConflict(plan.conflicts)
        if not plan.changes:
            raise ValidationFailed("The proposal changes nothing the live model does not already have.")
        after = {**live, **{(c.kind, c.name): c.after for c in plan.changes.elements}}
        broken = dangling(after)
        if broken:
            lines = "; ".join(f"{k} {n} names {ok} {on}, which would not exist" for k, n, ok, on in broken)
            raise ValidationFailed(f"Merging would leave names pointing nowhere: {lines}. Nothing was merged.")
        changeset_apply(team=team, changes=plan.changes)
        change = change_record(team=team, user=user, action="merge", kind="team", obj_id=team.pk, name=team.name,
                               summary=f"Merged proposal #{locked.pk}: {locked.title}"[:300],
                               states=changeset_record(team, plan.changes))
        locked.status, locked.merged_change, locked.merged_by = "merged", change, _user(user)
        locked.save(update_fields=["status", "merged_change", "merged_by"])
    return change


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None
