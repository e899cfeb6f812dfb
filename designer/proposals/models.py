"""Proposals: a named change set on top of the team's live model, reviewed before it lands."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from designer.catalog.models import Change, Team

OPEN, MERGED, CLOSED = "open", "merged", "closed"


class ProposalSettings(models.Model):
    """How a team reviews proposals: approvals a merge needs, and whether the proposer may merge."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="proposal_settings")
    approvals_required = models.PositiveSmallIntegerField(default=1)
    proposer_may_merge = models.BooleanField(default=False)


class Proposal(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    status = models.CharField(max_length=8, default=OPEN)  # open | merged | closed
    created_at = models.DateTimeField(auto_now_add=True)
    base_revision = models.PositiveIntegerField()  # the team revision the proposal started from
    merged_change = models.ForeignKey(Change, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    class Meta:
        ordering = ["-id"]


class ProposalElement(models.Model):
    """One element the proposal changes: its live state when the proposal first touched it
    (``base``, None: new) and the proposed one (``proposed``, None: deleted)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    base = models.JSONField(null=True, blank=True)
    proposed = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["proposal", "kind", "name"], name="one_change_per_element")]


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    element = models.CharField(max_length=220, blank=True)  # "messages/OrderPlaced"; "" for the proposal
    text = models.TextField(max_length=5000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class ProposalApproval(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_approval_per_member")]
