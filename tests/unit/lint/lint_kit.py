"""Small builders for lint tests: models straight from the core dataclasses."""
from __future__ import annotations

from typing import Any

from designer.core.lint.finding import Finding
from designer.core.lint.registry import RULES
from designer.core.model import Channel, Message, Model, Relation, Service, Version


def event(name: str, **kw: Any) -> Message:
    return Message(name=name, kind="event", **kw)


def command(name: str, **kw: Any) -> Message:
    return Message(name=name, kind="command", **kw)


def query(name: str, **kw: Any) -> Message:
    return Message(name=name, kind="query", **kw)


def with_schema(message: Message, schema: Any) -> Message:
    return Message(**{**message.__dict__, "versions": (Version(schema=schema),)})


def model(*messages: Message, channels: tuple[Channel, ...] = (), services: tuple[Service, ...] = (),
          relations: tuple[Relation, ...] = ()) -> Model:
    return Model(messages=tuple(messages), channels=channels, services=services, relations=relations)


def run(rule_id: str, m: Model, **options: Any) -> list[Finding]:
    """Run one rule directly, with its default options overridden by ``options``."""
    info = RULES[rule_id]
    return list(info.check(m, {**info.options, **options}))


def flagged(rule_id: str, m: Model, **options: Any) -> list[str]:
    return [f.element for f in run(rule_id, m, **options)]
