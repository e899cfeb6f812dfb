"""CloudEvents attribute names use only lowercase letters and digits.

With the ``cloudevents`` envelope profile, every header a message declares (``x-headers`` on the
message, a JSON Schema object) becomes a CloudEvents extension context attribute. The spec
restricts those names to ``[a-z0-9]`` so that every protocol binding (HTTP headers ``ce-*``,
Kafka headers, AMQP properties, MQTT user properties) can carry them unchanged; names longer
than 20 characters are allowed but should be avoided, so they get a warning. With a ``custom``
envelope that sets ``x-cloudevents: true`` the envelope schema's properties are checked too.

Flags: an extension attribute name with uppercase letters, ``_``, ``-`` or other characters
(error), or longer than 20 characters (warning).
Why: a name outside ``[a-z0-9]`` is changed or rejected by some bindings, so the attribute is
silently lost between producer and consumer.
Source: CloudEvents 1.0.2, "Attribute Naming Convention".
Fails:
    version: 1
    envelope: {profile: cloudevents}
    messages:
      - name: OrderPlaced
        x-headers:
          type: object
          properties:
            correlation_id: {type: string}
        schema: {type: object, properties: {orderId: {type: string}}}
Passes:
    version: 1
    envelope: {profile: cloudevents}
    messages:
      - name: OrderPlaced
        x-headers:
          type: object
          properties:
            correlationid: {type: string}
        schema: {type: object, properties: {orderId: {type: string}}}
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model
from designer.core.schema_walk import headers_schema, properties_of

ID = "envelope-attribute-name-format"
DEFAULT_SEVERITY = "error"
CATEGORY = "envelope"
# CloudEvents: "SHOULD NOT exceed 20 characters" -> a warning above this length.
OPTIONS: dict[str, Any] = {"max_length": 20}

_VALID = re.compile(r"^[a-z0-9]+$")


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per header/extension attribute name CloudEvents does not allow."""
    if model.envelope.profile not in ("cloudevents", "custom"):
        return
    max_length = int(options.get("max_length", OPTIONS["max_length"]))
    if model.envelope.profile == "custom":
        env = model.envelope.schema
        if isinstance(env, dict) and env.get("x-cloudevents") is True:
            for name in properties_of(env, env):
                yield from _check_name(name, "model", "", f"envelope.schema.properties.{name}", max_length)
        return
    for message in model.messages:
        headers = headers_schema(message)
        for name in properties_of(headers, headers):
            yield from _check_name(name, message.kind, message.name, f"headers.{name}", max_length)


def _check_name(name: str, kind: str, element: str, path: str, max_length: int) -> Iterator[Finding]:
    if not _VALID.match(name):
        fixed = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
        yield Finding(
            ID, DEFAULT_SEVERITY, kind, element,
            f"The attribute name {name!r} is not a valid CloudEvents attribute name (only a-z and "
            f"0-9 are allowed); rename it" + (f" to '{fixed}'." if fixed else "."),
            fix=Fix("rename", path, fixed, f"Rename the attribute to '{fixed}'") if fixed else None,
            path=path,
        )
    elif len(name) > max_length:
        yield Finding(
            ID, "warning", kind, element,
            f"The attribute name '{name}' is {len(name)} characters long; CloudEvents advises at "
            f"most {max_length}: shorten it.",
            path=path,
        )
