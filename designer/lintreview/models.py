"""Waivers: a reviewed finding that the team accepts, with the reason, who and when."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from designer.catalog.models import Team


class Waiver(models.Model):
    """A finding waived with a required reason.

    It matches findings by ``fingerprint`` (rule, element key, path — not the message text) and
    lapses when the digest of what the rule looks at in the element (``element_digest``, see
    ``designer.lintreview.digest``) differs from the one stored when it was created. Revoking
    keeps the row (who and when) so the history stays readable.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="waivers")
    rule = models.CharField(max_length=80)
    element_key = models.CharField(max_length=220)  # "<collection>/<name>", names <= 200  # e.g. "messages/OrderPlaced", "model"
    path = models.TextField(blank=True)  # schema paths can be long; no length to overflow
    fingerprint = models.TextField()  # Finding.fingerprint: rule|element key|path
    reason = models.TextField()
    element_digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["team", "revoked_at"]),)

    def __str__(self) -> str:
        return f"{self.rule} on {self.element_key}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
