"""Code bundles built in the background: a zip of generated projects for a team."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from designer.catalog.models import Team


class CodeBundle(models.Model):
    STATUSES = [("queued", "queued"), ("running", "running"), ("ready", "ready"), ("failed", "failed")]

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="code_bundles")
    revision = models.PositiveIntegerField()
    lang = models.CharField(max_length=20)  # a codegen language or "all"
    status = models.CharField(max_length=10, choices=STATUSES, default="queued")
    done = models.PositiveIntegerField(default=0)  # progress: steps finished
    total = models.PositiveIntegerField(default=0)  # progress: steps in all
    error = models.TextField(blank=True)
    data = models.BinaryField(null=True, blank=True)  # the zip, when ready
    files = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == "ready" else 0)
