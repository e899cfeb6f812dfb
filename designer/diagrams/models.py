"""Cached diagram renders: one row per (team, model revision, view options)."""
from __future__ import annotations

from typing import ClassVar

from django.db import models

from designer.catalog.models import Team


class DiagramRender(models.Model):
    """A diagram drawn once for one revision of a team's model and one set of view options.

    Rows are written only by ``services`` (request) and the ``tasks.render_diagram`` task
    (result). Old revisions' rows are dropped by ``services.prune`` when a new one is drawn.
    """

    PENDING, READY, FAILED = "pending", "ready", "failed"
    STATUSES: ClassVar[list[tuple[str, str]]] = [(PENDING, "pending"), (READY, "ready"), (FAILED, "failed")]

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    options_key = models.CharField(max_length=40)
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    svg = models.TextField(blank=True)  # sanitised, ready to inline
    dot = models.TextField(blank=True)
    png = models.BinaryField(null=True, blank=True)  # drawn on the first PNG download
    engine = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=300, blank=True)  # why sfdp drew it, for the page
    error = models.TextField(blank=True)
    seconds = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["team", "revision", "options_key"], name="diagram_render_unique"),
        ]

    def __str__(self) -> str:
        return f"diagram of team {self.team_id} r{self.revision} {self.options_key[:8]} ({self.status})"
