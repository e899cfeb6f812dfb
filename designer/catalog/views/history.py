"""The team's history, an element's history, and one change with its diff."""
from __future__ import annotations

import difflib
import json
from typing import Any

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from designer.catalog import kinds
from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.models import Change
from designer.catalog.selectors import change_get, changes_of_element, element_get, recent_changes
from designer.catalog.views.design_files import changeset_preview
from designer.core.changeset import SETTINGS, FieldChange, element_diff

TEAM_HISTORY_SHOWN = 200  # the newest changes; older ones stay in the database


@team_view()
def team_history(request: HttpRequest) -> HttpResponse:
    changes = recent_changes(request.team, TEAM_HISTORY_SHOWN)  # type: ignore[attr-defined]
    return render(request, "history.html", {"changes": changes, "title": "Team history"})


@team_view()
def element_history(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    kind = kinds.by_coll(coll)
    obj = element_get(request.team, kind, pk)  # type: ignore[attr-defined]
    changes = changes_of_element(request.team, kind.key, obj.name, obj.pk)  # type: ignore[attr-defined]
    return render(request, "history.html", {"changes": changes, "obj": obj, "coll": coll,
                                            "title": f"History of {kind.label} {obj.name}"})


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def change_restore(request: HttpRequest, cid: int) -> HttpResponse:
    """Restore from a history entry: ``scope=undo`` (what the change touched, back to before it),
    ``model`` (the whole model to right after it) or ``element`` (``element=messages/NAME`` to
    right after it). GET previews the change set; POST applies it as one recorded change, refused
    when the model moved since the preview. ``immediate`` (the Undo button after a delete)
    applies without a preview."""
    team = request.team  # type: ignore[attr-defined]
    change = change_get(team, cid)
    scope = request.GET.get("scope", "model")
    error = None
    plan = None
    try:
        element = svc.element_key(request.GET["element"]) if request.GET.get("element") else None
        if request.method == "POST":
            immediate = bool(request.POST.get("immediate"))
            revision = parse_id(request.POST.get("revision"))
            if revision is None and not immediate:
                raise svc.ValidationFailed("The form is missing its revision; open the preview again.")
            done = svc.restore_apply(team=team, user=request.user, change=change, scope=scope, element=element,
                                     revision=None if immediate else revision)
            flash.success(request, f"{done.summary}: done, recorded as change #{done.pk}.")
            return redirect("change_detail", slug=team.slug, cid=done.pk)
        plan = svc.restore_plan(team=team, change=change, scope=scope, element=element)
    except svc.ValidationFailed as exc:
        error = str(exc)
        try:
            plan = svc.restore_plan(team=team, change=change, scope=scope, element=element)
        except (svc.ValidationFailed, NameError):  # NameError: the element key itself was refused
            plan = None
    team.refresh_from_db(fields=["revision"])
    ctx = {"change": change, "plan": plan, "error": error, "revision": team.revision, "scope": scope,
           "element": request.GET.get("element", ""),
           "preview": changeset_preview(plan.changes) if plan is not None else None}
    return render(request, "restore.html", ctx, status=422 if error else 200)


@team_view()
def change_detail(request: HttpRequest, cid: int) -> HttpResponse:
    change = change_get(request.team, cid)  # type: ignore[attr-defined]
    touched = list(change.states.exclude(kind="settings").values_list("kind", "name"))
    return render(request, "change.html", {"change": change, "diff": change_diff(change.before, change.after),
                                           "elements": change_elements(change) if change.before is None and change.after is None else [],
                                           "touched": [{"kind": k, "name": n, "key": f"{kinds.by_key(k).coll}/{n}"}
                                                       for k, n in touched]})


def change_elements(change: Change) -> list[dict[str, Any]]:
    """The elements a change touched (its recorded states), field by field, before → after;
    empty for a change that records its own before/after (shown as a line diff)."""
    out = []
    for st in change.states.all():
        if st.kind == "settings":
            fields = [FieldChange(k, json.dumps((st.before or {}).get(k), sort_keys=True),
                                  json.dumps((st.after or {}).get(k), sort_keys=True), False)
                      for k in SETTINGS if (st.before or {}).get(k) != (st.after or {}).get(k)]
            out.append({"kind": "team", "name": "settings", "action": "update", "fields": fields})
            continue
        action = "create" if st.before is None else "delete" if st.after is None else "update"
        out.append({"kind": st.kind, "name": st.name, "action": action,
                    "fields": element_diff(st.kind, st.before, st.after) if action == "update" else []})
    return out


def change_diff(before: Any, after: Any) -> list[dict[str, str]]:
    """A line diff of two JSON values (unified, for the history page)."""

    def text(v: Any) -> list[str]:
        if isinstance(v, dict) and set(v) == {"document"}:
            return str(v["document"]).splitlines()
        return json.dumps(v, indent=2, ensure_ascii=False, sort_keys=True).splitlines() if v is not None else []

    rows = []
    for line in difflib.unified_diff(text(before), text(after), "before", "after", lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else "hunk" if line.startswith("@@") else ""
        rows.append({"cls": cls, "text": line})
    return rows
