"""One-click fixes: what a finding's mechanical fix would change (a preview) and applying it.

``fix_plan`` reads (the element, the value before and after, a diff); ``fix_apply`` writes
through the catalog's services, so the change is recorded in history like any edit. The fix
itself is computed by the core (``designer.core.lint.fixes``); nothing here knows a rule.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.urls import reverse

from designer.catalog import services as catalog
from designer.catalog.kinds.message import RELATION
from designer.catalog.models import Message, Relation, Team
from designer.catalog.selectors import element_by_key
from designer.core.lint.finding import Finding
from designer.core.lint.fixes import fix_target, fixed_schema, json_diff, relation_fix


def _latest(message: Any) -> Any:
    return message.versions.order_by("-position").first()


def fix_plan(team: Team, finding: Finding) -> dict[str, Any] | None:
    """What applying ``finding``'s fix would do, or None when it has none that applies now.

    {"target", "description", "element" (row), "diff" (lines), "note" (what else happens)}.
    """
    fix = finding.fix
    target = fix_target(fix)
    obj = element_by_key(team, finding.key) if target else None
    if fix is None or obj is None:
        return None
    plan: dict[str, Any] = {"target": target, "description": fix.description, "element": obj, "diff": [], "note": ""}
    if target == "rename":
        if not isinstance(fix.value, str):
            return None
        plan["diff"] = [f"-name: {obj.name}", f"+name: {fix.value}"]
        return plan
    if not isinstance(obj, Message):
        return None
    latest = _latest(obj)
    if latest is None:
        return None
    if target == "schema":
        after = fixed_schema(latest.schema, fix)
        if after is None:
            return None
        plan["diff"] = json_diff(latest.schema, after)
        plan["schema"] = after
        plan["note"] = (f"Changes the draft version {latest.version}." if latest.status == "draft" else
                        f"Version {latest.version} is {latest.status}, so this adds a new draft version.")
    elif target == "compat":
        if fix.value == latest.compat:
            return None
        plan["diff"] = [f"-compat: {latest.compat or '(team default)'}", f"+compat: {fix.value}"]
        plan["note"] = (f"Sets it on the draft version {latest.version}." if latest.status == "draft" else
                        f"Version {latest.version} is {latest.status}, so this adds a new draft version.")
    elif target == "version":
        # Only a draft can be renumbered; the finding names the version it is about.
        if latest.status != "draft" or finding.path != f"versions.{latest.version}.version":
            return None
        plan["diff"] = [f"-version: {latest.version}", f"+version: {fix.value}"]
    elif target == "relation":
        service, attr = relation_fix(fix) or ("", "")
        rel = Relation.objects.filter(team=team, message=obj, role="consumes", service__name=service).first()
        if rel is None:
            return None
        plan["relation"] = rel
        before = getattr(rel, RELATION.column(attr)) or "(none)"
        plan["diff"] = [f"-{service} {attr}: {before}", f"+{service} {attr}: {fix.value}"]
    else:
        return None
    return plan


def fix_apply(*, team: Team, user: Any, finding: Finding) -> str:
    """Apply ``finding``'s fix; returns what was done, in words. Raises ``catalog.ServiceError``
    (ValidationFailed, Conflict) when the change is refused — nothing is written then."""
    plan = fix_plan(team, finding)
    if plan is None:
        raise catalog.ValidationFailed("That finding has no fix that applies any more.")
    fix = finding.fix
    assert fix is not None  # fix_plan returns None without one
    obj = plan["element"]
    where = finding.element or "the model"
    with transaction.atomic():
        if plan["target"] == "rename":
            obj = catalog.element_update(team=team, user=user, obj=obj, data={"name": fix.value}, lock_version=None)
            return f"Renamed {where} to {obj.name}."
        if plan["target"] == "relation":
            rel = plan["relation"]
            attrs = {RELATION.column(a): getattr(rel, RELATION.column(a)) for a in RELATION.core.attrs
                     if a.name not in ("service", "message", "role")}
            _, attr = relation_fix(fix) or ("", "")
            attrs[RELATION.column(attr)] = fix.value
            catalog.relation_add(team=team, user=user, service=rel.service, message=obj, role="consumes", **attrs)
            return f"{fix.description} on {where}."
        latest = _latest(obj)
        schema = plan.get("schema", latest.schema)
        compat = fix.value if plan["target"] == "compat" else latest.compat
        version = fix.value if plan["target"] == "version" else ""
        v = catalog.version_save(team=team, user=user, message=obj, schema=schema, example=latest.example,
                                 version=version, compat=compat, lock_version=None)
    return f"{fix.description} on {where} (version {v.version})."


def editor_url(slug: str, f: Finding, pk: int | None, back: str = "") -> str:
    """The page that can change what ``f`` is about, scrolled to it: the schema editor at the
    JSON path for schema findings, the relations of a message, a flow's steps, else the
    element's edit form at the field. ``back`` is where saving returns to."""
    nxt = ("next=" + quote(back, safe="/")) if back else ""
    if pk is None:
        return reverse("team_settings", args=[slug]) if f.kind == "model" else ""
    detail = reverse("element_detail", args=[slug, f.collection, pk])
    path = f.path
    if path.startswith("versions."):  # versions.<number>.<rest>: the rest is inside that version
        rest = path.split(".", 1)[1]
        path = next((rest[i + 1:] for i in range(len(rest)) if rest[i] == "." and rest[i + 1:].split(".")[0]
                     in ("schema", "compat", "version", "example")), "schema")
    head = path.split(".")[0].split("[")[0]
    if f.collection == "messages" and head in ("schema", "example", "compat", "version", "headers"):
        query = "&".join(q for q in ("path=" + quote(path, safe="/"), nxt) if q)
        return f"{detail}?{query}#version-editor"
    if f.collection == "messages" and head in ("consumers", "producers"):
        return f"{detail}#relations"
    if f.collection == "flows" and head == "steps":
        return f"{detail}#steps"
    edit = reverse("element_edit", args=[slug, f.collection, pk]) + ("?" + nxt if nxt else "")
    return edit + (f"#id_{head}" if head.isidentifier() else "")
