"""Reads of the catalog (HackSoft selectors), a module per entity: access checks, elements
through the kind registry, the team's model as a core snapshot, history, members and tokens."""
from __future__ import annotations

from .elements import (
    element_by_key,
    element_get,
    element_list,
    element_name_taken,
    element_pks,
    message_relation,
    message_version,
    message_versions,
)
from .history import change_get, changes_of_element, element_changes, recent_changes, team_changes
from .members import (
    invitation_for_secret,
    invitation_get,
    membership_get,
    open_invitations,
    team_memberships,
    team_tokens,
    token_get,
    user_by_username,
)
from .model import model_snapshot, team_model
from .teams import ROLE_RANK, membership_for, team_counts, user_teams

__all__ = [
    "ROLE_RANK", "change_get", "changes_of_element", "element_by_key", "element_changes", "element_get", "element_list",
    "element_name_taken", "element_pks", "invitation_for_secret", "invitation_get", "membership_for",
    "membership_get", "message_relation", "message_version", "message_versions", "model_snapshot", "open_invitations", "recent_changes", "team_counts",
    "team_changes", "team_memberships", "team_model", "team_tokens", "token_get", "user_by_username", "user_teams",
]
