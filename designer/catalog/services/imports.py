"""Import a whole model (a design file or an AsyncAPI document) into a team."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from designer.catalog.models import Team
from designer.catalog.schemas import schema_errors
from designer.catalog.selectors.model import model_snapshot
from designer.core import model as core
from designer.core.changeset import MODES, ChangeSet, diff_models, model_states

from .changes import change_record
from .changesets import changeset_apply, changeset_record
from .errors import ValidationFailed


@dataclass
class ImportReport:
    created: dict[str, int]
    updated: dict[str, int]
    deleted: dict[str, int]

    def summary(self) -> str:
        parts = []
        for label, counts in (("created", self.created), ("updated", self.updated), ("deleted", self.deleted)):
            items = [f"{n} {k}" for k, n in sorted(counts.items()) if n]
            if items:
                parts.append(f"{label} " + ", ".join(items))
        return "; ".join(parts) or "no changes"


def model_import(*, team: Team, user: Any, model: core.Model, mode: str = "replace",
                 replace_all: bool = False) -> ImportReport:
    """Write a whole core Model into the team, in one transaction.

    ``replace``: the team's model becomes exactly ``model`` (elements not in it are deleted).
    ``merge``: elements are created or updated by name, setting only the fields the file
    carries; nothing is deleted (``designer.core.changeset.merge_state``). The team's name and
    description are never taken from a file. A replace that would swap every element of the team
    for others is refused unless ``replace_all`` says it is meant.
    Only what differs is written; everything is written or nothing is (a failure rolls the whole
    import back). The history keeps each element touched, before and after.
    """
    if mode not in MODES:
        raise ValidationFailed(f"Unknown import mode {mode!r}: use replace or merge.")
    for msg in model.messages:
        for v in msg.versions:
            # The loader already refused invalid schemas; this guards callers that build a model
            # themselves. An example that does not match is kept: lint reports it
            # (schema-examples-valid), as the AsyncAPI tools accept such documents.
            errs = schema_errors(v.schema)
            if errs:
                raise ValidationFailed({f"messages/{msg.name} version {v.version}": errs})
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()  # one import of a team at a time
        live = model_snapshot(team)
        try:
            changes = diff_models(live, model, mode=mode)
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from None
        if not replace_all:
            _refuse_a_whole_other_model(live, changes)
        changeset_apply(team=team, changes=changes)
        report = ImportReport(**changes.counts())
        change_record(team=team, user=user, action="import", kind="team", obj_id=team.pk, name=team.name,
                      summary=f"Imported a model ({mode}): {report.summary()}", states=changeset_record(team, changes))
    return report


def _refuse_a_whole_other_model(live: core.Model, changes: ChangeSet) -> None:
    """A file that shares no element with a team that has some would replace every element (as
    a file of another team, or one with every name changed): refused rather than applied."""
    existing = sum(1 for _ in model_states(live))
    deleted = sum(1 for c in changes.elements if c.action == "delete")
    if existing >= 2 and deleted == existing:
        raise ValidationFailed(
            f"This file would delete every one of the team's {existing} elements and create others "
            "(no element name in common): it looks like another team's model or one with every "
            "element renamed. Nothing was changed; import it with mode merge, into a new team, or with "
            "import_model --replace-all if that is meant.")
