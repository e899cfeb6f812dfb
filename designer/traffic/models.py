"""What live traffic leaves behind: grouped findings, per-minute counters and the last payloads.

Everything here is bounded: findings are grouped by (kind, wire type, JSON path) with a count,
counters are one row per type per minute, samples are a ring of ``SAMPLES_PER_TYPE`` slots per
type; rows older than ``settings.TRAFFIC_RETENTION_MINUTES`` are pruned. The pipeline writes
these in batches (about once a second), never per event.
"""
from __future__ import annotations

from django.db import models

from designer.catalog.models import Team

# Payloads kept per message type (matches the checker's in-memory sample store).
SAMPLES_PER_TYPE = 20


class KeptFinding(models.Model):
    """One kind of disagreement for one wire type (and path), counted, with its latest example."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, default="warning")
    message_type = models.CharField(max_length=200)
    message = models.CharField(max_length=200, blank=True)  # the model message matched, if any
    path = models.CharField(max_length=300, blank=True)
    detail = models.TextField()
    count = models.PositiveBigIntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    last_event_id = models.CharField(max_length=200, blank=True)
    last_source = models.CharField(max_length=300, blank=True)
    inferred_schema = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["team", "kind", "message_type", "path"], name="kept_finding_unique"),
        ]


class TrafficCounter(models.Model):
    """Events and findings of one wire type in one minute."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    message_type = models.CharField(max_length=200)
    events = models.PositiveBigIntegerField(default=0)
    findings = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-minute"]
        constraints = [
            models.UniqueConstraint(fields=["team", "minute", "message_type"], name="traffic_counter_unique"),
        ]
        indexes = [models.Index(fields=["minute"])]


class TrafficSample(models.Model):
    """One of the last ``SAMPLES_PER_TYPE`` events of a wire type (a ring of slots)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    message_type = models.CharField(max_length=200)
    slot = models.PositiveSmallIntegerField()
    at = models.DateTimeField(db_index=True)
    event_id = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True)
    event = models.JSONField()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["team", "message_type", "slot"], name="traffic_sample_slot_unique"),
        ]
