"""Channel names are legal for their broker.

Each broker has its own rules for topic, queue and subject names, and a name it rejects is
found only at deploy time. Checked per broker: Kafka (``[a-zA-Z0-9._-]``, at most 249
characters, not ``.`` or ``..``; mixing ``.`` and ``_`` is a warning because Kafka's metrics
names collide on them), Google Pub/Sub (a letter first, 3-255 characters of
``[A-Za-z0-9-_.~+%]``, not starting with ``goog``), SNS/SQS (``[A-Za-z0-9_-]``, at most 256,
optional ``.fifo``), EventBridge buses (``[/.\\-_A-Za-z0-9]``, at most 256), NATS subjects
(no whitespace, no empty tokens, wildcards only as whole tokens, ``>`` last), MQTT topics (not
empty, no NUL, wildcards ``+``/``#`` only as whole levels, ``#`` last; ``$`` prefix reserved),
RabbitMQ (at most 255 bytes, ``amq.`` prefix reserved) and Redis (no whitespace).

Flags: a channel name its broker would reject.
Why: topic names cannot be changed after the fact; an illegal one fails the first deploy.
Source: Apache Kafka topic name validation (Topic.java); Google Cloud Pub/Sub resource names;
AWS SNS/SQS and EventBridge quotas; NATS subject docs; MQTT 3.1.1/5 section 4.7; RabbitMQ docs.

Fails:
    version: 1
    channels:
      - name: "orders placed!"
        broker: kafka
Passes:
    version: 1
    channels:
      - name: orders.placed
        broker: kafka
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Channel, Model

ID = "channel-name-broker-valid"
DEFAULT_SEVERITY = "error"
CATEGORY = "naming"

KAFKA_MAX = 249  # Kafka's limit: 255 minus room for partition suffixes in log dir names
_KAFKA = re.compile(r"[a-zA-Z0-9._-]+")
_PUBSUB = re.compile(r"[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}")
_SNS = re.compile(r"[A-Za-z0-9_-]{1,256}(?:\.fifo)?")
_EVENTBRIDGE = re.compile(r"[/.\-_A-Za-z0-9]{1,256}")
PUBSUB_NAMES = ("pubsub", "google-pubsub", "gcp-pubsub")


def problems(channel: Channel) -> list[tuple[str, str]]:
    """(severity, reason) for each way ``channel.name`` is illegal on its broker."""
    name = channel.name
    broker = channel.broker.lower()
    if broker == "other":
        declared = channel.extensions.get("broker") or channel.extensions.get("x-broker")
        broker = str(declared).lower() if declared else broker
    out: list[tuple[str, str]] = []
    if not name:
        return [("error", "the name is empty")]
    if broker == "kafka":
        if name in (".", ".."):
            out.append(("error", "Kafka does not allow '.' or '..' as a topic name"))
        if not _KAFKA.fullmatch(name):
            bad = sorted({c for c in name if not _KAFKA.fullmatch(c)})
            out.append(("error", (f"Kafka topic names allow only letters, digits, '.', '_' and '-' "
                                 f"(found {''.join(bad)!r})")))
        if len(name) > KAFKA_MAX:
            out.append(("error", f"Kafka topic names are at most {KAFKA_MAX} characters ({len(name)})"))
        if "." in name and "_" in name:
            out.append(("warning", ("mixes '.' and '_': Kafka metric names treat them as the same "
                                   "character, so topics can collide")))
    elif broker in PUBSUB_NAMES:
        if not _PUBSUB.fullmatch(name):
            out.append(("error", ("Pub/Sub names start with a letter and have 3-255 characters of "
                                 "letters, digits and - _ . ~ + %")))
        if name.lower().startswith("goog"):
            out.append(("error", "Pub/Sub names must not start with 'goog'"))
    elif broker == "sns-sqs":
        if not _SNS.fullmatch(name):
            out.append(("error", ("SNS/SQS names allow letters, digits, '-' and '_' (at most 256, "
                                 "optionally ending in .fifo)")))
    elif broker == "eventbridge":
        if not _EVENTBRIDGE.fullmatch(name):
            out.append(("error", "EventBridge bus names allow letters, digits and / . - _ (at most 256)"))
    elif broker == "nats":
        tokens = name.split(".")
        if any(c.isspace() for c in name):
            out.append(("error", "NATS subjects must not contain whitespace"))
        if any(t == "" for t in tokens):
            out.append(("error", "NATS subjects must not have empty tokens ('..', leading or trailing '.')"))
        if any(("*" in t and t != "*") or (">" in t and t != ">") for t in tokens) or \
                (">" in tokens[:-1]):
            out.append(("error", "NATS wildcards '*' and '>' must be whole tokens, '>' only last"))
    elif broker == "mqtt":
        levels = name.split("/")
        if "\x00" in name:
            out.append(("error", "MQTT topics must not contain NUL"))
        if any(("+" in lv and lv != "+") or ("#" in lv and lv != "#") for lv in levels) or \
                ("#" in levels[:-1]):
            out.append(("error", "MQTT wildcards '+' and '#' must be whole levels, '#' only last"))
        if name.startswith("$"):
            out.append(("warning", "MQTT topics starting with '$' are reserved for the broker"))
        if len(name.encode()) > 65535:
            out.append(("error", "MQTT topics are at most 65535 bytes"))
    elif broker == "rabbitmq":
        if len(name.encode()) > 255:
            out.append(("error", "RabbitMQ names are at most 255 bytes"))
        if name.startswith("amq."):
            out.append(("error", "RabbitMQ reserves names starting with 'amq.'"))
    elif broker == "redis" and any(c.isspace() for c in name):
        out.append(("error", "whitespace in a Redis key or channel breaks most tooling"))
    return out


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag channel names their broker would reject."""
    for channel in model.channels:
        for severity, reason in problems(channel):
            yield Finding(
                ID, "warning" if severity == "warning" else DEFAULT_SEVERITY, "channel", channel.name,
                f"Channel {channel.name!r} ({channel.broker}): {reason}.", None, "name",
            )
