"""The team's model as frozen dataclasses: the one value every part of the core works on.

Nothing here imports Django or touches I/O. A ``Model`` is a snapshot of one team's design:
services, messages (event / command / query) with schema versions, channels, the relations
between services and messages, flows, the envelope profile and the lint configuration.

Schemas, examples and extension maps are plain JSON-like values (dicts, lists); treat them as
read-only. Collections are tuples so a snapshot can be shared between threads safely.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

MessageKind = Literal["event", "command", "query"]
MESSAGE_KINDS: tuple[str, ...] = ("event", "command", "query")
Role = Literal["produces", "consumes"]
ROLES: tuple[str, ...] = ("produces", "consumes")
VERSION_STATUSES: tuple[str, ...] = ("draft", "released", "deprecated")
BROKERS: tuple[str, ...] = ("kafka", "rabbitmq", "sns-sqs", "eventbridge", "nats", "redis", "mqtt", "other")
DELIVERY_GUARANTEES: tuple[str, ...] = ("at-most-once", "at-least-once", "exactly-once")
FLOW_STYLES: tuple[str, ...] = ("choreography", "orchestration")
ENVELOPE_PROFILES: tuple[str, ...] = ("cloudevents", "brief", "custom")
COMPAT_MODES: tuple[str, ...] = (
    "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
    "FULL", "FULL_TRANSITIVE", "NONE",
)
SEVERITIES: tuple[str, ...] = ("error", "warning", "info", "hint")

JSON = Any  # a JSON-compatible value (dict, list, str, int, float, bool, None)


@dataclass(frozen=True)
class Service:
    """A deployable unit that produces and/or consumes messages."""

    name: str
    description: str = ""
    owner: str = ""
    repository: str = ""
    language: str = ""
    # Reliability facts the linter needs: does the service write its own database, and how
    # does it publish safely ("outbox", "cdc" or "" for nothing declared).
    writes_database: bool = False
    outbox: str = ""
    extensions: Mapping[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True)
class Version:
    """One version of a message's JSON Schema (2020-12) with its example payload."""

    version: str = "1.0.0"
    schema: JSON = None  # None: no schema declared
    status: str = "draft"  # draft | released | deprecated
    example: JSON = None
    compat: str = ""  # a COMPAT_MODES value, "" for the team default


@dataclass(frozen=True)
class Message:
    """An event (fact), command (request to one handler) or query (request/reply)."""

    name: str
    kind: str = "event"  # a MESSAGE_KINDS value
    type: str = ""  # wire type, e.g. "order.placed"; "" when not declared
    description: str = ""
    owner: str = ""
    channel: str = ""  # default channel for its relations
    reply: str = ""  # a query's (or answering command's) reply: another message's name, "" for none
    versions: tuple[Version, ...] = ()
    extensions: Mapping[str, JSON] = field(default_factory=dict)

    # Computed once per (immutable) message: lint rules ask for them ~30 times a message.
    @cached_property
    def latest(self) -> Version | None:
        """The newest version (last in ``versions``), or None."""
        return self.versions[-1] if self.versions else None

    @cached_property
    def schema(self) -> JSON:
        """The newest version's schema, or None."""
        return self.latest.schema if self.latest else None


@dataclass(frozen=True)
class Channel:
    """A topic, queue, subject or bus on one broker."""

    name: str
    broker: str = "kafka"
    description: str = ""
    owner: str = ""
    partition_key: str = ""  # a property path in the payload/envelope, "" for none
    ordered: bool = False
    delivery: str = "at-least-once"
    extensions: Mapping[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True)
class Relation:
    """A service producing (sending) or consuming (receiving) a message.

    For a command the consumer is its handler; for a query the consumer is its responder and
    the producer the requester.
    """

    service: str
    message: str
    role: str  # "produces" | "consumes"
    channel: str = ""  # "" means the message's default channel
    idempotent: bool = False  # consumers: declared idempotent
    dedup_key: str = ""  # consumers: the key they deduplicate on (e.g. "id")
    version: str = ""  # consumers: pinned message version, "" for latest


@dataclass(frozen=True)
class FlowStep:
    """One step of a flow: ``service`` sends or receives ``message``."""

    service: str
    message: str
    action: str = "sends"  # "sends" | "receives"
    note: str = ""


@dataclass(frozen=True)
class Flow:
    """A named business process over the model's elements."""

    name: str
    description: str = ""
    style: str = "choreography"  # a FLOW_STYLES value
    orchestrator: str = ""  # service name, for orchestration
    steps: tuple[FlowStep, ...] = ()
    owner: str = ""  # a person or a team, like every other element's owner


@dataclass(frozen=True)
class Envelope:
    """The team's envelope: messages' schemas describe the payload inside it."""

    profile: str = "cloudevents"  # an ENVELOPE_PROFILES value
    schema: JSON = None  # the custom profile's JSON Schema

    @property
    def id_name(self) -> str:
        """What this envelope calls an event's id (what consumers deduplicate on): ``id`` in
        CloudEvents, ``eventId`` in the brief envelope, a custom schema's id-like property
        ("" when it has none)."""
        if self.profile == "cloudevents":
            return "id"
        if self.profile == "brief":
            return "eventId"
        props = self.schema.get("properties") if isinstance(self.schema, dict) else None
        if not isinstance(props, dict):
            return ""
        for name in ("id", "eventId", "event_id", "messageId", "message_id"):
            if name in props:
                return name
        return next((n for n in props if n.lower().endswith("id")), "")


@dataclass(frozen=True)
class LintConfig:
    """Per-team lint settings: severity overrides ("off" disables) and rule options."""

    severities: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, JSON]] = field(default_factory=dict)


@dataclass(frozen=True)
class Model:
    """A snapshot of one team's whole design."""

    name: str = ""
    description: str = ""
    services: tuple[Service, ...] = ()
    messages: tuple[Message, ...] = ()
    channels: tuple[Channel, ...] = ()
    relations: tuple[Relation, ...] = ()
    flows: tuple[Flow, ...] = ()
    envelope: Envelope = Envelope()
    lint: LintConfig = LintConfig()
    default_compat: Mapping[str, str] = field(
        default_factory=lambda: {"event": "FORWARD", "command": "BACKWARD", "query": "BACKWARD"}
    )
    revision: str = ""  # an opaque id of this snapshot (e.g. the team's change counter)
    # Where each element was declared in its source file: "messages/OrderPlaced" -> (line, col),
    # 1-based. Empty when the model did not come from a file.
    locations: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    # ---- indexes (computed once per snapshot) ---------------------------------------------
    @cached_property
    def services_by_name(self) -> dict[str, Service]:
        """Services keyed by name."""
        return {s.name: s for s in self.services}

    @cached_property
    def messages_by_name(self) -> dict[str, Message]:
        """Messages keyed by name."""
        return {m.name: m for m in self.messages}

    @cached_property
    def channels_by_name(self) -> dict[str, Channel]:
        """Channels keyed by name."""
        return {c.name: c for c in self.channels}

    @cached_property
    def _by_message(self) -> dict[tuple[str, str], tuple[Relation, ...]]:
        out: dict[tuple[str, str], list[Relation]] = {}
        for r in self.relations:
            out.setdefault((r.message, r.role), []).append(r)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _by_service(self) -> dict[tuple[str, str], tuple[Relation, ...]]:
        out: dict[tuple[str, str], list[Relation]] = {}
        for r in self.relations:
            out.setdefault((r.service, r.role), []).append(r)
        return {k: tuple(v) for k, v in out.items()}

    def producers(self, message: str) -> tuple[Relation, ...]:
        """Relations of services that produce (send) ``message``."""
        return self._by_message.get((message, "produces"), ())

    def consumers(self, message: str) -> tuple[Relation, ...]:
        """Relations of services that consume (receive/handle/answer) ``message``."""
        return self._by_message.get((message, "consumes"), ())

    def produced_by(self, service: str) -> tuple[Relation, ...]:
        """Relations of the messages ``service`` produces."""
        return self._by_service.get((service, "produces"), ())

    def consumed_by(self, service: str) -> tuple[Relation, ...]:
        """Relations of the messages ``service`` consumes."""
        return self._by_service.get((service, "consumes"), ())

    def channel_of(self, relation: Relation) -> Channel | None:
        """The channel a relation uses (its own, else its message's default), or None."""
        name = relation.channel
        if not name:
            msg = self.messages_by_name.get(relation.message)
            name = msg.channel if msg else ""
        return self.channels_by_name.get(name) if name else None

    def location(self, key: str) -> tuple[int, int] | None:
        """Source (line, column) of an element such as ``"messages/OrderPlaced"``, if known."""
        return self.locations.get(key)
