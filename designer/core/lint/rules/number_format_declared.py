"""Numbers declare their format, and money is never a binary float.

``type: number`` says nothing about range or precision: one consumer reads a double, another a
32-bit float, a third a decimal. Integers need ``int32`` or ``int64``; other numbers ``float``,
``double`` or ``decimal``. A property that holds money (price, amount, total, cost, fee, tax,
balance…) must not be a binary floating-point number at all: 0.1 + 0.2 != 0.3. Use a decimal
string (``type: string, format: decimal``) or an integer of minor units (cents) with a currency.

Flags: a money property typed ``number`` (as float); a ``number`` or ``integer`` property without
a ``format``.
Why: precision and overflow bugs appear in the consumer written in another language, far from
the producer that chose the type.
Source: Zalando RESTful API Guidelines rules 171 (formats for numbers) and 173 (money object).
Fails:
    version: 1
    messages:
      - name: OrderPlaced
        schema: {type: object, properties: {orderId: {type: string}, total: {type: number}}}
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        schema:
          type: object
          properties:
            orderId: {type: string}
            total: {type: string, format: decimal}
            quantity: {type: integer, format: int32}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Model
from designer.core.schema_walk import all_props, tokens, types_of

ID = "number-format-declared"
DEFAULT_SEVERITY = "warning"
CATEGORY = "payload"
OPTIONS: dict[str, Any] = {
    "money_words": ["price", "amount", "total", "subtotal", "cost", "fee", "fees", "tax", "vat",
                    "balance", "charge", "refund", "payout", "discount", "salary", "revenue",
                    "money", "tip", "shipping", "credit", "debit"],
}
# Words that make a money-ish name not money: counts, ratios and percentages.
_NOT_MONEY = frozenset({"count", "quantity", "qty", "percent", "percentage", "rate", "ratio", "items", "id"})
_INTEGER_FORMATS = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per money-as-float property and per number without a format."""
    money_words = frozenset(str(w).lower() for w in options.get("money_words", OPTIONS["money_words"]))
    for message in model.messages:
        for prop in all_props(model, message):
            types = types_of(prop.schema) - {"null"}
            fmt = prop.schema.get("format")
            words = tokens(prop.name)
            if "number" in types and money_words.intersection(words) and not _NOT_MONEY.intersection(words):
                if fmt != "decimal":
                    yield Finding(
                        ID, DEFAULT_SEVERITY, message.kind, message.name,
                        f"'{prop.name}' looks like money but is a binary floating-point number; use "
                        f"type: string with format: decimal (e.g. \"59.98\") or an integer amount of "
                        f"minor units (cents) next to a currency code.",
                        path=prop.path,
                    )
                continue
            if types == {"integer"} and fmt not in _INTEGER_FORMATS:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"The integer '{prop.name}' has no format; add format: int32 or int64 so every "
                    f"language picks a type that cannot overflow.",
                    path=prop.path,
                )
            elif types == {"number"} and not fmt:
                yield Finding(
                    ID, DEFAULT_SEVERITY, message.kind, message.name,
                    f"The number '{prop.name}' has no format; add format: double (or float, or "
                    f"decimal) so every consumer reads the same precision.",
                    fix=Fix("set", f"{prop.path}.format", "double", "Declare format: double"),
                    path=prop.path,
                )
