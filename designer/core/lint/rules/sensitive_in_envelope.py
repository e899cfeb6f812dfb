"""No personal data or secrets in headers, envelope attributes, channel parameters or keys.

Everything outside the payload is visible to far more than the message's consumers: brokers
index headers and keys, routers and gateways log attributes, monitoring copies topic names and
partition keys, and none of it can be encrypted with the payload. CloudEvents' privacy section
says exactly this. Checked here: message headers / CloudEvents extension attributes
(``x-headers``), the envelope's own attributes (top-level properties other than ``data`` with
the brief profile, the custom envelope schema), channel parameters (``{email}`` in a channel
name, keys of the channel's ``x-parameters``) and channel partition keys. Classification does
not help here: personal data must move into the payload.

Flags: a header, envelope attribute, channel parameter or partition key whose name suggests
personal data, card data or a secret.
Why: envelope data leaks into logs, metrics and broker tooling that payload protections never
cover.
Source: CloudEvents 1.0.2 "Privacy and Security"; GDPR; PCI DSS v4.0.
Fails:
    version: 1
    channels:
      - {name: user-events, broker: kafka, partition_key: userEmail}
Passes:
    version: 1
    channels:
      - {name: user-events, broker: kafka, partition_key: userId}
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.pii import card_category, pii_category, secret_category
from designer.core.schema_walk import headers_schema, properties_of

ID = "sensitive-in-envelope"
DEFAULT_SEVERITY = "error"
CATEGORY = "security"
OPTIONS: dict[str, Any] = {"extra_words": []}

_PARAM = re.compile(r"\{([^{}]{1,200})\}")


def _sensitive(name: str, extra: list[str]) -> str | None:
    return card_category(name) or secret_category(name) or pii_category(name, extra)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per sensitive name outside the payload."""
    extra = [str(w) for w in options.get("extra_words", ())]
    env = model.envelope.schema if model.envelope.profile == "custom" else None
    for name in properties_of(env, env):
        what = _sensitive(name, extra)
        if what:
            yield _finding("model", "", f"envelope.schema.properties.{name}",
                           f"The envelope attribute '{name}' looks like {what}")
    for message in model.messages:
        headers = headers_schema(message)
        for name in properties_of(headers, headers):
            what = _sensitive(name, extra)
            if what:
                yield _finding(message.kind, message.name, f"headers.{name}",
                               f"The header '{name}' looks like {what}")
        if model.envelope.profile == "brief" and message.schema is not None:
            top = properties_of(message.schema, message.schema)
            meta = properties_of(top.get("metadata"), message.schema)
            for prefix, names in (("schema.properties.", top), ("schema.properties.metadata.properties.", meta)):
                for name in names:
                    if name in ("data", "metadata"):
                        continue
                    what = _sensitive(name, extra)
                    if what:
                        yield _finding(message.kind, message.name, prefix + name,
                                       f"The envelope attribute '{name}' looks like {what}")
    for channel in model.channels:
        params = set(_PARAM.findall(channel.name))
        declared = channel.extensions.get("x-parameters")
        if isinstance(declared, dict):
            params |= {k for k in declared if isinstance(k, str)}
        for name in sorted(params):
            what = _sensitive(name, extra)
            if what:
                yield _finding("channel", channel.name, f"parameters.{name}",
                               f"The channel parameter '{name}' looks like {what}")
        key = channel.partition_key.strip()
        if key:
            what = _sensitive(key.split(".")[-1], extra)
            if what:
                yield _finding("channel", channel.name, "partition_key",
                               f"The partition key '{key}' looks like {what}")


def _finding(kind: str, element: str, path: str, what: str) -> Finding:
    return Finding(
        ID, DEFAULT_SEVERITY, kind, element,
        f"{what}; envelopes, channel names and keys are logged and indexed outside the payload's "
        f"protection. Use an opaque id (e.g. userId) there and keep the value in the payload.",
        path=path,
    )
