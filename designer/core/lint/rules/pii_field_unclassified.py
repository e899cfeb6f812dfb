"""Properties that look like personal data carry a privacy classification.

Personal data in events spreads to every consumer, log and replayed topic, so the team must
know where it is (GDPR records of processing, erasure requests, retention). A property is
*classified* when its schema carries ``x-pii: true|false`` or ``x-classification: <anything>``
(e.g. ``personal``, ``public``, ``internal``); ``x-pii: false`` records a deliberate "this is
not personal". Names are matched on whole words (see ``designer.core.pii``): email, phone,
person names (firstName, lastName, fullName…), address/street/postcode, birth date, IP address,
national ids (ssn, passport, tax id), IBAN/account numbers, location (latitude, geolocation…).
Booleans (``emailVerified``) are not personal data and are skipped.

Flags: a property whose name suggests personal data and that has neither ``x-pii`` nor
``x-classification``.
Why: unclassified personal data cannot be found when a customer asks to be forgotten.
Source: Zalando RESTful API Guidelines rule 200 (data classification); CloudEvents privacy
considerations; GDPR articles 5 and 30.
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {userEmail: {type: string, format: email}}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {userEmail: {type: string, format: email, x-pii: true}}}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model
from designer.core.pii import pii_category
from designer.core.schema_walk import all_props, headers_schema, types_of, walk

ID = "pii-field-unclassified"
DEFAULT_SEVERITY = "warning"
CATEGORY = "security"
# extra_words: team-specific personal data names (e.g. "loyaltyNumber"); ignore: names to skip.
OPTIONS: dict[str, Any] = {"extra_words": [], "ignore": []}

_NOT_DATA = frozenset({"boolean"})
_NOT_DATA_OR_NULL = _NOT_DATA | {"null"}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per unclassified property that looks like personal data."""
    extra = [str(w) for w in options.get("extra_words", ())]
    ignore = {str(w) for w in options.get("ignore", ())}
    for message in model.messages:
        props = list(all_props(model, message))
        headers = headers_schema(message)
        if headers is not None:
            props += list(walk(headers, "headers"))
        for prop in props:
            if prop.name in ignore or "x-pii" in prop.schema or "x-classification" in prop.schema:
                continue
            category = pii_category(prop.name, extra)  # cached by name: the cheap test first
            if not category:
                continue
            types = types_of(prop.schema)
            if types and types <= _NOT_DATA_OR_NULL:
                continue
            if category:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"'{prop.name}' looks like personal data ({category}) but is not classified; add "
                    f"x-pii: true (or x-classification: personal), or x-pii: false if it is not.",
                    fix=Fix("set", f"{prop.path}.x-pii", True, "Mark it as personal data"),
                    path=prop.path,
                )
