"""The one write path of the catalog (HackSoft style: ``<entity>_<action>(*, ...)``), a module
per entity.

Every function here runs in one transaction that also records a ``Change`` row (who, when,
which element, before and after) and bumps the team's revision — the outbox pattern the product
teaches. After commit, ``live.publish_changes`` relays the change to open browsers.
Views, forms, commands, tasks and other features call these functions and never write the
catalog's tables themselves.
"""
from __future__ import annotations

from .changes import change_record, user_label
from .changesets import changeset_apply, team_settings_write
from .elements import element_create, element_delete, element_dependents, element_update, element_write
from .errors import Conflict, ServiceError, ValidationFailed
from .flows import flow_step_add, flow_steps_set, relation_by_names
from .imports import ImportReport, model_import
from .members import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set,
)
from .relations import relation_add, relation_remove
from .restores import Restore, element_key, restore_apply, restore_plan, team_change
from .teams import team_create, team_delete, team_settings_update
from .tokens import TOKEN_PREFIX, secret_hash, token_authenticate, token_create, token_revoke
from .versions import next_minor, version_save, version_set_status

__all__ = [
    "TOKEN_PREFIX", "Conflict", "ImportReport", "Restore", "ServiceError", "ValidationFailed",
    "element_key", "restore_apply", "restore_plan", "team_change",
    "change_record", "changeset_apply", "element_create", "element_delete", "element_dependents",
    "element_update", "element_write", "flow_step_add", "flow_steps_set", "relation_by_names", "invitation_accept", "invitation_create",
    "invitation_revoke", "membership_remove", "membership_set", "model_import", "next_minor",
    "relation_add", "relation_remove", "secret_hash", "team_create", "team_delete", "team_settings_update",
    "team_settings_write", "token_authenticate", "token_create", "token_revoke", "user_label",
    "version_save", "version_set_status",
]
