"""The team's history, an element's history, and one change with its diff."""
from __future__ import annotations

import difflib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from designer.catalog import kinds
from designer.catalog.access import team_view
from designer.catalog.selectors import change_get, element_changes, element_get, recent_changes
from designer.core.changeset import FieldChange, element_diff

TEAM_HISTORY_SHOWN = 200  # the newest changes; older ones stay in the database


@team_view()
def team_history(request: HttpRequest) -> HttpResponse:
    changes = recent_changes(request.team, TEAM_HISTORY_SHOWN)  # type: ignore[attr-defined]
    return render(request, "history.html", {"changes": changes, "title": "Team history"})


@team_view()
def element_history(request: HttpRequest, coll: str, pk: int) -> HttpResponse:
    kind = kinds.by_coll(coll)
    obj = element_get(request.team, kind, pk)  # type: ignore[attr-defined]
    changes = element_changes(request.team, kind.key, obj.pk)  # type: ignore[attr-defined]
    return render(request, "history.html", {"changes": changes, "obj": obj, "coll": coll,
                                            "title": f"History of {kind.label} {obj.name}"})


@team_view()
def change_detail(request: HttpRequest, cid: int) -> HttpResponse:
    change = change_get(request.team, cid)  # type: ignore[attr-defined]
    return render(request, "change.html", {"change": change, "diff": change_diff(change.before, change.after),
                                           "elements": change_elements(change.before, change.after)})


def change_elements(before: Any, after: Any) -> list[dict[str, Any]]:
    """A change set's record (an import, a restore), element by element, field before → after."""
    if not (isinstance(before, dict) and isinstance(after, dict) and "elements" in before):
        return []
    out = []
    for old, new in zip(before["elements"], after.get("elements") or [], strict=False):
        action = "create" if old["state"] is None else "delete" if new["state"] is None else "update"
        out.append({"kind": old["kind"], "name": old["name"], "action": action,
                    "fields": element_diff(old["kind"], old["state"], new["state"])})
    for key, value in (before.get("settings") or {}).items():
        out.append({"kind": "setting", "name": key, "action": "update", "fields": [
            FieldChange(key, json.dumps(value, sort_keys=True), json.dumps((after.get("settings") or {}).get(key), sort_keys=True), False)]})
    return out


def change_diff(before: Any, after: Any) -> list[dict[str, str]]:
    """A line diff of two JSON values (unified, for the history page)."""

    if isinstance(before, dict) and "elements" in before:
        return []  # shown element by element (change_elements)

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
