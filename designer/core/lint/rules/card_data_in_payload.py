"""Messages never carry card numbers, verification codes, PINs or track data.

Cardholder data in a message puts the broker, every consumer, every log and every replica in
PCI DSS scope; sensitive authentication data (CVV/CVC, PIN, track data) may not be stored after
authorisation at all. Send a payment token, or a masked/truncated form (``cardLast4``,
``maskedPan``), never the data. Property names are matched on whole words; names with ``last4``,
``masked``, ``token``, ``brand``, ``fingerprint`` are safe. Example values that look like a
card number (13-19 digits passing the Luhn check) are flagged too.

Flags: a property named like a PAN, CVV/CVC, PIN or track data, in the payload or headers; an
example value that is a plausible card number.
Why: one card number in a topic makes the whole event platform a PCI-regulated system.
Source: PCI DSS v4.0 requirements 3.3.1 (no sensitive authentication data after
authorisation) and 3.5.1 (PAN unreadable wherever stored).
Fails:
    version: 1
    messages:
      - name: PaymentRequested
        schema: {type: object, properties: {cardNumber: {type: string}, cvv: {type: string}}}
Passes:
    version: 1
    messages:
      - name: PaymentRequested
        schema: {type: object, properties: {cardToken: {type: string}, cardLast4: {type: string}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.pii import card_category, looks_like_pan
from designer.core.schema_walk import all_props, example_values, headers_schema, walk

ID = "card-data-in-payload"
DEFAULT_SEVERITY = "error"
CATEGORY = "security"
OPTIONS: dict[str, Any] = {"extra_words": [], "check_examples": True}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per card-data property and per card-number-like example value."""
    extra = [str(w) for w in options.get("extra_words", ())]
    for message in model.messages:
        props = list(all_props(model, message))
        headers = headers_schema(message)
        if headers is not None:
            props += list(walk(headers, "headers"))
        for prop in props:
            category = card_category(prop.name, extra)
            if category:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"'{prop.name}' looks like card data ({category}); never publish it. Send a "
                    f"payment token or a masked form (last 4 digits) instead.",
                    path=prop.path,
                )
        if options.get("check_examples", True) and message.latest is not None:
            for keys, value in example_values(message.latest.example):
                if looks_like_pan(value):
                    yield Finding(
                        ID, DEFAULT_SEVERITY, message.kind, message.name,
                        f"The example value at '{'.'.join(keys) or '(root)'}' is a plausible card "
                        f"number (Luhn-valid); use a token or a masked value, even in examples.",
                        path="example." + ".".join(keys),
                    )
