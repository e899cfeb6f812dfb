"""Restore a team's model (or one element) to how it was right after a change of its history."""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.catalog import services as svc
from designer.catalog.models import Team
from designer.core.changeset import element_diff


class Command(BaseCommand):
    help = ("Bring team SLUG's model — or with --element KEY one element — back to how it was right after "
            "change ID (see `history`), as one new recorded change. --undo: put back what change ID "
            "changed, as it was before it. --dry-run: print what would change and change nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True)
        parser.add_argument("--to", required=True, help="a change id from `history`")
        parser.add_argument("--element", default="", help="an element key: messages/NAME, services/NAME...")
        parser.add_argument("--undo", action="store_true", help="undo change ID instead")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        team = Team.objects.filter(slug=opts["team"]).first()
        if team is None:
            raise CommandError(f"no team with slug {opts['team']!r}")
        try:
            change = svc.team_change(team, opts["to"])
            element = svc.element_key(opts["element"]) if opts["element"] else None
            scope = "undo" if opts["undo"] else "element" if element else "model"
            plan = svc.restore_plan(team=team, change=change, scope=scope, element=element)
            self.stdout.write(plan.title + ":")
            for c in plan.changes.elements:
                self.stdout.write(f"  {c.action} {c.kind} {c.name}")
                for f in element_diff(c.kind, c.before, c.after) if c.action == "update" else ():
                    self.stdout.write(f"    {f.what}: {f.before or '—'} → {f.after or '—'}")
            for key, (old, new) in plan.changes.settings.items():
                self.stdout.write(f"  team setting {key}: {old} → {new}")
            if not plan.changes:
                self.stdout.write("  nothing to change: it is already that way.")
            if plan.conflicts:
                raise CommandError("cannot restore: " + " ".join(plan.conflicts) + " Nothing was changed.")
            if opts["dry_run"] or not plan.changes:
                self.stdout.write("Dry run: nothing was changed." if opts["dry_run"] else "Nothing was changed.")
                return
            done = svc.restore_apply(team=team, user=None, change=change, scope=scope, element=element,
                                     revision=team.revision)
        except svc.ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored; recorded as change {done.pk}.")
