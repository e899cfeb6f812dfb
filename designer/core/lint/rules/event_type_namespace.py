"""Wire types follow the team's namespace pattern.

A message's ``type`` is what travels on the wire (the CloudEvents ``type`` attribute, Zalando's
event type name). Option ``style`` picks the pattern: ``zalando`` (``domain.event-name[.vN]``,
lower case, hyphens inside segments), ``cloudevents`` (reverse-DNS ``com.acme.order.placed``),
``any`` (the default: either of them) or ``pattern`` with a regular expression in option
``pattern``. Messages without a declared type are not checked.

Flags: a wire type that does not match the chosen pattern (OrderPlaced, order_placed,
Order.Placed).
Why: consumers route and filter on the type; a predictable, namespaced, lower-case type avoids
collisions between teams and survives case-insensitive brokers.
Source: Zalando RESTful API Guidelines rules 213 and 223; CloudEvents 1.0.2 ``type`` attribute.

Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        type: OrderPlaced
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
        type: com.acme.order.placed
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.naming import REVERSE_DNS_TLDS
from designer.core.user_regex import compile_user_regex, regex_problem

ID = "event-type-namespace"
DEFAULT_SEVERITY = "warning"
CATEGORY = "naming"
OPTIONS: dict[str, Any] = {"style": "any", "pattern": ""}

_SEGMENT = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
# Zalando: at least a functional name and an event name, optional .vN version.
ZALANDO = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})+(?:\.v[0-9]+)?")
# CloudEvents recommends a reverse-DNS prefix: a TLD, an organisation, then at least one more.
CLOUDEVENTS = re.compile(rf"[a-z]{{2,}}\.{_SEGMENT}(?:\.{_SEGMENT})+(?:\.v[0-9]+)?")
_DESCRIBE = {
    "zalando": "domain.event-name[.vN] in lower case (e.g. order.placed)",
    "cloudevents": "reverse-DNS com.<org>.<domain>.<event> (e.g. com.acme.order.placed)",
    "any": "domain.event-name[.vN] (e.g. order.placed) or reverse-DNS com.acme.order.placed",
}


def matches(wire_type: str, style: str, pattern: str = "") -> bool:
    """Does ``wire_type`` follow ``style`` (zalando | cloudevents | any | pattern)?"""
    if style == "pattern" or (pattern and style not in _DESCRIBE):
        # A team's pattern runs on RE2 (linear time): a catastrophic pattern cannot freeze lint.
        return compile_user_regex(pattern).fullmatch(wire_type) is not None
    if style == "cloudevents":
        return (CLOUDEVENTS.fullmatch(wire_type) is not None
                and wire_type.split(".", 1)[0] in REVERSE_DNS_TLDS)
    if style == "zalando":
        return ZALANDO.fullmatch(wire_type) is not None
    return ZALANDO.fullmatch(wire_type) is not None  # any: reverse-DNS is a dotted lower name too


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag declared wire types that break the team's namespace pattern."""
    style = str(options.get("style", "any"))
    pattern = str(options.get("pattern", ""))
    if style == "pattern" and not pattern:
        return
    if style == "pattern" or (pattern and style not in _DESCRIBE):
        problem = regex_problem(pattern)
        if problem:
            yield Finding(ID, DEFAULT_SEVERITY, "model", "", f"The team's wire-type pattern cannot be used: "
                          f"{problem}. Fix the option 'pattern' of {ID}.", None, "lint.options")
            return
    expected = _DESCRIBE.get(style, f"the pattern {pattern!r}")
    for message in model.messages:
        if not message.type or matches(message.type, style, pattern):
            continue
        yield Finding(
            ID, DEFAULT_SEVERITY, message.kind, message.name,
            f"Wire type {message.type!r} of {message.name!r} does not follow {expected}.",
            None, "type",
        )
