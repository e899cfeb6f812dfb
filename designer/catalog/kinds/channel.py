"""Channels: topics, queues, subjects or buses on one broker."""
from __future__ import annotations

from typing import Any

from designer.core import kinds

from .base import Column, ElementKind, Field


class ChannelKind(ElementKind):
    def detail_context(self, request: Any, obj: Any) -> dict[str, Any]:
        return {"messages": list(obj.messages.all()),
                "relations": list(obj.relations.select_related("service", "message"))}

    def dependents(self, obj: Any) -> list[str]:
        out = [f"default channel of {m.kind} {m.name}" for m in obj.messages.all()]
        out += [f"{r.service.name} {r.role} {r.message.name} on it"
                for r in obj.relations.select_related("service", "message")]
        return out

    def affected(self, obj: Any) -> list[Any]:
        from django.db.models import Q

        from designer.catalog.models import Message

        return list(Message.objects.filter(Q(channel=obj) | Q(relations__channel=obj)).distinct())


KIND = ChannelKind(
    kinds.CHANNEL, "Channel", label="channel",
    fields={
        "broker": Field(max_length=20),
        "description": Field(long=True),
        "owner": Field(max_length=120),
        "partition_key": Field(help="Payload property that keeps related messages in order, e.g. orderId.",
                               display="code"),
        "ordered": Field(label="Consumers rely on order"),
        "delivery": Field(max_length=20),
    },
    list_columns=(Column("Broker", "broker"), Column("Partition key", "partition_key", "code"),
                  Column("Ordered", "ordered", "yesno"), Column("Delivery", "delivery")),
    template="elements/kinds/channel.html",
)
