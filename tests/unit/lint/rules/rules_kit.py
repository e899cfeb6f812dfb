"""Builders for the envelope/payload/topology/reliability/security rule tests (no loader needed)."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import (
    Channel,
    Envelope,
    Flow,
    FlowStep,
    Message,
    Model,
    Relation,
    Service,
    Version,
)

# Names that break naive code: markup, SQL, unicode, YAML specials, separators, numbers.
HOSTILE_NAMES = ["<script>alert(1)</script>", "'; DROP TABLE x;--", "名前", "yes", "null",
                 "a:b #c", " lead", "123", "", "x" * 300]


def obj(required: list[str] | None = None, **props: Any) -> dict[str, Any]:
    """An object schema with the given properties."""
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def s(**kw: Any) -> dict[str, Any]:
    """A string schema."""
    return {"type": "string", **kw}


def brief(data: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A complete brief envelope schema around ``data`` (the demo's shape)."""
    props: dict[str, Any] = {
        "eventId": s(minLength=1), "eventType": s(), "version": s(),
        "timestamp": s(format="date-time"), "source": s(),
        "data": data if data is not None else obj(orderId=s()),
    }
    props.update(extra)
    return {"type": "object", "properties": props, "required": list(props)}


def msg(name: str = "OrderPlaced", schema: Any = None, kind: str = "event", example: Any = None,
        versions: tuple[Version, ...] | None = None, **kw: Any) -> Message:
    """A message with one version holding ``schema`` and ``example`` (or explicit versions)."""
    if versions is None:
        versions = (Version(schema=schema, example=example),)
    return Message(name=name, kind=kind, versions=versions, **kw)


def rel(service: str, message: str, role: str = "produces", **kw: Any) -> Relation:
    """A relation."""
    return Relation(service=service, message=message, role=role, **kw)


def wire(message: str, producers: list[str], consumers: list[str], **kw: Any) -> list[Relation]:
    """Producer and consumer relations of one message."""
    return [rel(p, message, "produces") for p in producers] + [
        rel(c, message, "consumes", **kw) for c in consumers]


def model(messages: list[Message] | tuple[Message, ...] = (), *, services: list[Service] | None = None,
          channels: list[Channel] | None = None, relations: list[Relation] | None = None,
          flows: list[Flow] | None = None, profile: str = "cloudevents", envelope_schema: Any = None,
          **kw: Any) -> Model:
    """A model; services named in relations but not given are created."""
    services = list(services or [])
    relations = list(relations or [])
    known = {x.name for x in services}
    for r in relations:
        if r.service not in known:
            services.append(Service(name=r.service))
            known.add(r.service)
    return Model(messages=tuple(messages), services=tuple(services), channels=tuple(channels or ()),
                 relations=tuple(relations), flows=tuple(flows or ()),
                 envelope=Envelope(profile=profile, schema=envelope_schema), **kw)


def run(rule: ModuleType, m: Model, **options: Any) -> list[Finding]:
    """Run one rule with its default options overridden by ``options``; check the findings' shape."""
    merged = {**getattr(rule, "OPTIONS", {}), **options}
    found = list(rule.check(m, merged))
    for f in found:
        assert f.rule == rule.ID
        assert f.severity in ("error", "warning", "info", "hint")
        assert f.kind in ("event", "command", "query", "service", "channel", "flow", "model")
        assert f.message
    return found


def paths(found: list[Finding]) -> list[str]:
    """The paths of findings, for compact assertions."""
    return [f.path for f in found]


__all__ = [
    "HOSTILE_NAMES",
    "Channel",
    "Flow",
    "FlowStep",
    "Service",
    "Version",
    "brief",
    "model",
    "msg",
    "obj",
    "paths",
    "rel",
    "run",
    "s",
    "wire",
]
