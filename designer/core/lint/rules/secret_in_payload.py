"""Messages never carry passwords, secrets, tokens, API keys, private keys or one-time codes.

A message is copied to the broker's disks, every consumer, dead-letter queues, logs and
replays: a secret in it is a secret shared with everyone who can read the topic, for as long as
it is retained. Send a reference (a secret manager path) or nothing. Names are matched on whole
words; a qualifying last word (``passwordChangedAt``, ``tokenType``, ``apiKeyId``) or a
non-credential token (``pageToken``, ``idempotencyToken``, ``cardToken``) is not a secret, nor
is a boolean, number or date (``passwordResetRequired``).

Flags: a property named like a password, secret, token, API key, private key or OTP, in the
payload or headers.
Why: credentials in events leak to every reader and cannot be revoked from a retained log.
Source: OWASP ASVS 4.0.3 V7.1.1 (no credentials or session tokens in logs), V8.3.
Fails:
    version: 1
    messages:
      - name: UserRegistered
        schema: {type: object, properties: {userId: {type: string}, password: {type: string}}}
Passes:
    version: 1
    messages:
      - name: UserRegistered
        schema: {type: object, properties: {userId: {type: string}, passwordSetAt: {type: string, format: date-time}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.pii import secret_category
from designer.core.schema_walk import all_props, headers_schema, types_of, walk

ID = "secret-in-payload"
DEFAULT_SEVERITY = "error"
CATEGORY = "security"
OPTIONS: dict[str, Any] = {"extra_words": []}

_NOT_SECRET_TYPES = frozenset({"boolean", "integer", "number", "null"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per property that looks like a secret."""
    extra = [str(w) for w in options.get("extra_words", ())]
    for message in model.messages:
        props = list(all_props(model, message))
        headers = headers_schema(message)
        if headers is not None:
            props += list(walk(headers, "headers"))
        for prop in props:
            types = types_of(prop.schema)
            if types and types <= _NOT_SECRET_TYPES:
                continue
            if prop.schema.get("format") in ("date-time", "date"):
                continue
            category = secret_category(prop.name, extra)
            if category:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"'{prop.name}' looks like a secret ({category}); never publish it. Remove it, or "
                    f"send a reference to a secret store that only the intended service can read.",
                    path=prop.path,
                )
