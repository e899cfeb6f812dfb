"""Services: deployable units that send and receive messages."""
from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import Count, Q

from designer.core import kinds

from .base import Column, ElementKind, Field

LANGUAGES = ["", "python", "typescript", "java", "go", "kotlin", "csharp", "ruby", "rust", "other"]


class ServiceKind(ElementKind):
    def clean_form(self, form: forms.Form, data: dict[str, Any]) -> None:
        url = (data.get("repository") or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https", "ssh", "git"])(url)
            except forms.ValidationError:
                form.add_error("repository", "Enter a full URL such as https://git.example.com/team/repo.")
        data["repository"] = url

    def annotate(self, qs: Any) -> Any:
        return qs.annotate(
            n_produces=Count("relations", filter=Q(relations__role="produces")),
            n_consumes=Count("relations", filter=Q(relations__role="consumes")),
        )

    def detail_context(self, request: Any, obj: Any) -> dict[str, Any]:
        from designer.catalog.models import Flow

        rels = list(obj.relations.select_related("message", "channel"))
        return {
            "produces": [r for r in rels if r.role == "produces"],
            "consumes": [r for r in rels if r.role == "consumes"],
            "flows": Flow.objects.filter(Q(steps__service=obj) | Q(orchestrator=obj)).distinct(),
        }

    def dependents(self, obj: Any) -> list[str]:
        from designer.catalog.models import Flow, FlowStep

        out = [f"{r.role} {r.message.kind} {r.message.name}" for r in obj.relations.select_related("message")]
        out += [f"step {s.position} of flow {s.flow.name}"
                for s in FlowStep.objects.filter(service=obj).select_related("flow")]
        out += [f"orchestrates flow {f.name}" for f in Flow.objects.filter(orchestrator=obj)]
        return out

    def affected(self, obj: Any) -> list[Any]:
        from designer.catalog.models import Flow, Message

        return [*Message.objects.filter(relations__service=obj).distinct(),
                *Flow.objects.filter(Q(steps__service=obj) | Q(orchestrator=obj)).distinct()]


KIND = ServiceKind(
    kinds.SERVICE, "Service", label="service",
    fields={
        "description": Field(long=True),
        "owner": Field(help="A person or a team.", max_length=120),
        "repository": Field(label="Repository URL", max_length=500, display="link"),
        "language": Field(max_length=40, options=tuple((x, x or "—") for x in LANGUAGES)),
        "writes_database": Field(label="Writes its own database"),
        "outbox": Field(label="Publishes through", max_length=10, options=(
            ("", "nothing declared"), ("outbox", "transactional outbox"), ("cdc", "change data capture"))),
    },
    list_columns=(Column("Owner", "owner"), Column("Language", "language"),
                  Column("Sends", "n_produces"), Column("Receives", "n_consumes")),
    template="elements/kinds/service.html",
)
