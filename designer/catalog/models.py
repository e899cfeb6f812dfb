"""Database tables of the catalog: teams, members, tokens and the team's model.

Writes go through ``designer.catalog.services`` only; reads through ``selectors``.
Every model element carries ``lock_version`` for optimistic locking: a save based on a stale
copy is refused instead of silently overwriting someone else's change.

The columns of an element's attributes (a service's ``repository``, a channel's ``broker``...)
are not written here: each kind's declaration (``designer.catalog.kinds``, read from the core
dataclass) adds them, so adding an attribute is one line in ``designer/core/model.py`` plus a
migration. A model spells out only what a declaration cannot say: references to other rows,
identity, order and bookkeeping.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from designer.core import model as core

from .kinds import KINDS
from .kinds.flow import STEP
from .kinds.message import RELATION, VERSION

ROLE_OWNER, ROLE_EDITOR, ROLE_VIEWER = "owner", "editor", "viewer"
ROLES = [(ROLE_OWNER, "Owner"), (ROLE_EDITOR, "Editor"), (ROLE_VIEWER, "Viewer")]


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Team(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    envelope_profile = models.CharField(
        max_length=20, choices=_choices(core.ENVELOPE_PROFILES), default="cloudevents"
    )
    envelope_schema = models.JSONField(null=True, blank=True)
    lint_config = models.JSONField(default=dict, blank=True)  # {"severities": {}, "options": {}}
    default_compat = models.JSONField(default=dict, blank=True)
    # Bumped by every write in the same transaction: caches (lint, diagrams, codegen) key on it.
    revision = models.PositiveIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=ROLES, default=ROLE_VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_user")]
        ordering = ["user__username"]


class Invitation(models.Model):
    """A one-time invitation link (there is no mail server): only the hash is stored."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=ROLES, default=ROLE_EDITOR)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A team API token. The secret is shown once; only its SHA-256 is kept."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=80, blank=True)
    prefix = models.CharField(max_length=12)  # shown in lists so people can tell tokens apart
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Element(models.Model):
    """Fields shared by every model element."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=120, blank=True)
    extensions = models.JSONField(default=dict, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(Element):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="services")

    class Meta(Element.Meta):
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="service_name_unique")]


class Channel(Element):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="channels")

    class Meta(Element.Meta):
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="channel_name_unique")]


class Message(Element):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="messages")
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    # A query's reply (another message of the team); deleting the reply clears the link (recorded).
    reply = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies_to")

    class Meta(Element.Meta):
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="message_name_unique")]


class MessageVersion(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    position = models.PositiveIntegerField()  # order of versions, oldest first
    override_reason = models.TextField(blank=True)  # why an incompatible release was forced
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["message", "position"]
        constraints = [
            models.UniqueConstraint(fields=["message", "version"], name="version_unique"),
            models.UniqueConstraint(fields=["message", "position"], name="version_position_unique"),
        ]


class Relation(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="relations")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="relations")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="relations")
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="relations")

    class Meta:
        ordering = ["message__name", "role", "service__name"]
        constraints = [models.UniqueConstraint(fields=["service", "message", "role"], name="relation_unique")]


class Flow(Element):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="flows")
    orchestrator = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(Element.Meta):
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="flow_name_unique")]


class FlowStep(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["flow", "position"]


# The attributes' columns, from each kind's declaration (see the module docstring).
for _spec in (*KINDS, VERSION, RELATION, STEP):
    _spec.add_columns(globals()[_spec.model_name])


class Change(models.Model):
    """The outbox: one row per write, stored in the same transaction as the write.

    A relay (``designer.catalog.live``) publishes unpublished rows to browsers after commit.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    revision = models.PositiveIntegerField()  # the team revision this change produced
    action = models.CharField(max_length=12)  # create | update | delete | import | settings | ...
    element_kind = models.CharField(max_length=20)  # service | message | channel | flow | team | ...
    element_id = models.BigIntegerField(null=True, blank=True)
    element_name = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["team", "element_kind", "element_id"])]


class ElementState(models.Model):
    """What one change did to one element: its whole state before and after (None: it did not
    exist on that side), keyed by kind and name — what restores read. The model right after a
    change is, per element, the ``after`` of its last record up to that change (or the
    ``before`` of its first record after it). Storage grows with what changes, not with the
    size of the model. Kind ``settings`` (name ``team``) holds the team's design-file settings."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="states")
    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["change_id", "id"]
        indexes = [models.Index(fields=["team", "kind", "name", "change"])]
