"""Messages (events, commands, queries), with their schema versions and relations.

What only messages have: the first schema version is written with the message; the state
carries ``versions`` and ``relations`` (who produces and consumes it, as in the design file);
the list filters by kind; typing a name gets tense and mood hints.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Count, F, Q

from designer.catalog.formfields import JSONTextField
from designer.catalog.schemas import example_errors, schema_errors
from designer.core import kinds
from designer.core.changeset import relations_sorted
from designer.core.kinds import State

from .base import Column, ElementKind, Field, Filter, Refs, Spec

NEW_SCHEMA = {"type": "object", "properties": {}, "required": []}  # what a new message's editor starts from
_CODE = {"class": "code", "spellcheck": "false"}

VERSION = Spec(kinds.VERSION, "MessageVersion", {
    "version": Field(max_length=40, help="Leave empty to keep the draft's number or take the next minor."),
    "status": Field(max_length=12),
    "compat": Field(label="Compatibility mode", max_length=24, options=(("", "team default"),)),
    "schema": Field(label="JSON Schema (2020-12)"),
    "example": Field(label="Example payload"),
})
RELATION = Spec(kinds.RELATION, "Relation", {
    "role": Field(max_length=10, options=(("produces", "produces (sends)"),
                                          ("consumes", "consumes (receives / handles / answers)"))),
    "idempotent": Field(label="Idempotent consumer"),
    "dedup_key": Field(label="Dedup key", help="e.g. eventId", max_length=120),
    "version": Field(label="Pinned version", column="pinned_version", max_length=40),
})


def version_states(message: Any) -> list[State]:
    return [VERSION.row_state(v) for v in message.versions.order_by("position")]


def relation_states(message: Any) -> list[State]:
    rows = message.relations.select_related("service", "message", "channel")
    states = []
    for r in rows:
        state = RELATION.row_state(r)
        del state["message"]
        states.append(state)
    return relations_sorted(states)


def schema_check(form: forms.Form, data: Mapping[str, Any]) -> None:
    """The schema must be a valid JSON Schema, and the example must match it."""
    if "schema" not in form.fields or form.errors.get("schema"):
        return
    errs = schema_errors(data.get("schema"))
    if errs:
        form.add_error("schema", errs)
        return
    if "example" in form.fields and not form.errors.get("example"):
        errs = example_errors(data.get("schema"), data.get("example"))
        if errs:
            form.add_error("example", errs)


class MessageKind(ElementKind):
    # ---- state --------------------------------------------------------------------------
    def children_state(self, row: Any) -> State:
        return {"versions": version_states(row), "relations": relation_states(row)}

    def core_children(self, rows: list[Any], names: Mapping[str, Mapping[int, str]], *,
                      subset: bool = False) -> dict[int, State]:
        from designer.catalog.models import MessageVersion

        out: dict[int, State] = {r.pk: {"versions": []} for r in rows}
        which = {"message_id__in": list(out)} if subset else {"message__team_id__in": {r.team_id for r in rows}}
        for v in MessageVersion.objects.filter(**which).order_by("message_id", "position"):
            out[v.message_id]["versions"].append(VERSION.row_state(v))
        return out

    def creation_state(self, data: Mapping[str, Any]) -> State:
        """A new message has its first version (with the form's schema and example)."""
        state = self.from_form(data)
        state["versions"] = [{"version": data.get("version") or "1.0.0", "status": "draft", "compat": "",
                              "schema": data.get("schema"), "example": data.get("example")}]
        state["relations"] = []
        return state

    def write_children(self, row: Any, state: Mapping[str, Any], refs: Refs, *, created: bool) -> None:
        if "versions" in state:
            _sync_versions(row, state["versions"], created=created)
        if "relations" in state:
            _sync_relations(row, state["relations"], refs, created=created)

    # ---- forms --------------------------------------------------------------------------
    def new_initial(self, params: Mapping[str, str]) -> dict[str, Any]:
        kind = params.get("kind", "")
        return {**super().new_initial(params), "kind": kind if kind in kinds.MESSAGE.attr("kind").choices else "event",
                "schema": NEW_SCHEMA}

    def form_fields(self, team: Any, *, creating: bool) -> dict[str, forms.Field]:
        out = super().form_fields(team, creating=creating)
        if creating:  # later versions are edited on their own form
            out["schema"] = JSONTextField(label="JSON Schema (2020-12)", widget=forms.Textarea(attrs={"rows": 14, **_CODE}))
            out["example"] = JSONTextField(label="Example payload", widget=forms.Textarea(attrs={"rows": 8, **_CODE}))
        return out

    def clean_form(self, form: forms.Form, data: dict[str, Any]) -> None:
        schema_check(form, data)
        reply = data.get("reply")
        if reply is not None and not form.errors.get("reply"):
            if data.get("kind") == "event":
                form.add_error("reply", "An event has no reply; only a query or a command answers.")
            elif reply.name == data.get("name"):
                form.add_error("reply", "A message cannot be its own reply.")

    def name_hints(self, name: str, params: Mapping[str, str]) -> list[dict[str, str]]:
        from designer.lintreview import selectors as linting

        return linting.name_hints(name, params.get("kind", "event"))

    def name_suggestions(self, team: Any, name: str, params: Mapping[str, str]) -> dict[str, str]:
        from designer.catalog.models import Message
        from designer.core.naming import suggest_wire_type

        existing = list(Message.objects.filter(team=team).exclude(wire_type="").values_list("wire_type", flat=True)[:200])
        wire = suggest_wire_type(name, params.get("kind", "event"), existing)
        return {"wire_type": wire} if wire else {}

    # ---- pages --------------------------------------------------------------------------
    def annotate(self, qs: Any) -> Any:
        return qs.annotate(
            n_producers=Count("relations", filter=Q(relations__role="produces")),
            n_consumers=Count("relations", filter=Q(relations__role="consumes")),
        ).select_related("channel")

    def detail_context(self, request: Any, obj: Any) -> dict[str, Any]:
        from designer.catalog.forms import RelationForm, VersionForm
        from designer.catalog.models import Flow

        rels = list(obj.relations.select_related("service", "channel"))
        versions = list(obj.versions.order_by("-position"))
        latest = versions[0] if versions else None
        return {
            "producers": [r for r in rels if r.role == "produces"],
            "consumers": [r for r in rels if r.role == "consumes"],
            "versions": versions,
            "latest": latest,
            "relation_form": RelationForm(team=request.team),
            "version_form": VersionForm(initial={
                "schema": latest.schema if latest else None, "example": latest.example if latest else None,
                "lock_version": latest.lock_version if latest and latest.status == "draft" else None,
                "version": "", "compat": latest.compat if latest else "",
            }),
            "fields_table": schema_fields(latest.schema if latest else None),
            "flows": Flow.objects.filter(steps__message=obj).distinct(),
        }

    def dependents(self, obj: Any) -> list[str]:
        from designer.catalog.models import FlowStep

        out = [f"{r.service.name} {r.role} it" for r in obj.relations.select_related("service")]
        out += [f"step {s.position} of flow {s.flow.name}"
                for s in FlowStep.objects.filter(message=obj).select_related("flow")]
        out.append(f"{obj.versions.count()} schema version(s)")
        out += [f"the reply of {m.kind} {m.name} (the link is cleared)" for m in obj.replies_to.all()]
        return out

    def affected(self, obj: Any) -> list[Any]:
        from designer.catalog.models import Flow

        return [*Flow.objects.filter(steps__message=obj).distinct(), *obj.replies_to.exclude(pk=obj.pk)]


def _sync_versions(message: Any, states: list[Mapping[str, Any]], *, created: bool) -> None:
    """Versions become ``states`` (in order). A version kept by number keeps its row, so its
    history, release override and links stay; the rest are deleted or created."""
    from designer.catalog.models import MessageVersion

    existing = {} if created else {v.version: v for v in message.versions.all()}
    wanted = {s["version"] for s in states}
    gone = [v.pk for n, v in existing.items() if n not in wanted]
    if gone:
        MessageVersion.objects.filter(pk__in=gone).delete()
    if existing:  # move kept rows out of the way of the (message, position) constraint first
        message.versions.update(position=F("position") + 1_000_000)
    new = []
    for position, state in enumerate(states, start=1):
        row = existing.get(state["version"])
        if row is None:
            row = MessageVersion(message=message, position=position)
            VERSION.set_attrs(row, state, Refs(message.team))
            new.append(row)
            continue
        before = VERSION.row_state(row)
        VERSION.set_attrs(row, state, Refs(message.team))
        row.position = position
        if VERSION.row_state(row) != before:
            row.lock_version += 1
        row.save()
    MessageVersion.objects.bulk_create(new)


def _sync_relations(message: Any, states: list[Mapping[str, Any]], refs: Refs, *, created: bool) -> None:
    """Relations of the message become ``states``, matched by service and role."""
    from designer.catalog.models import Relation

    existing = {} if created else {(r.service.name, r.role): r for r in message.relations.select_related("service")}
    wanted = {(s["service"], s["role"]): s for s in states}
    gone = [r.pk for k, r in existing.items() if k not in wanted]
    if gone:
        Relation.objects.filter(pk__in=gone).delete()
    new = []
    for key, state in wanted.items():
        row = existing.get(key) or Relation(team=message.team, message=message)
        RELATION.set_attrs(row, {k: v for k, v in state.items() if k != "message"}, refs)
        if row.pk is None:
            new.append(row)
        else:
            row.save()
    Relation.objects.bulk_create(new)


def schema_fields(schema: Any, prefix: str = "", depth: int = 0) -> list[dict[str, Any]]:
    """Flatten an object schema into rows (path, type, required, format, description)."""
    rows: list[dict[str, Any]] = []
    if not isinstance(schema, dict) or depth > 8:  # deep enough for real payloads, bounded for hostile ones
        return rows
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    if not isinstance(props, dict):
        return rows
    for name, sub in props.items():
        sub = sub if isinstance(sub, dict) else {}
        typ = sub.get("type", "")
        if isinstance(typ, list):
            typ = " | ".join(map(str, typ))
        rows.append({
            "path": f"{prefix}{name}", "type": typ or ("ref" if "$ref" in sub else "any"),
            "required": name in required, "format": sub.get("format", ""),
            "enum": ", ".join(map(str, sub.get("enum", []))) if isinstance(sub.get("enum"), list) else "",
            "description": sub.get("description", ""), "depth": depth,
        })
        if sub.get("type") == "object":
            rows.extend(schema_fields(sub, f"{prefix}{name}.", depth + 1))
        elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
            rows.extend(schema_fields(sub["items"], f"{prefix}{name}[].", depth + 1))
    return rows


KIND = MessageKind(
    kinds.MESSAGE, "Message", label="message",
    fields={
        "kind": Field(max_length=10, options=(("event", "event — a fact, past tense"),
                                              ("command", "command — a request to one handler"),
                                              ("query", "query — asks for data"))),
        "type": Field(label="Wire type", column="wire_type", help="The type on the wire, e.g. order.placed",
                      display="code"),
        "description": Field(long=True),
        "owner": Field(max_length=120),
        "reply": Field(label="Reply", help="For a query (or a command that answers): the message sent back."),
    },
    list_columns=(Column("Kind", "kind", "kind"), Column("Wire type", "wire_type", "code"),
                  Column("Producers", "n_producers"), Column("Consumers", "n_consumers")),
    search=("name", "wire_type", "description"),
    search_label="Search name, type or description",
    filters=(Filter("kind", "Kind", "all kinds", (("event", "events"), ("command", "commands"), ("query", "queries"))),),
    badge="kind",
    template="elements/kinds/message.html",
)
