"""The values lint produces: findings and the fixes they suggest."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The kinds of element a finding can concern; "model" for team-wide findings (envelope, config).
ELEMENT_KINDS: tuple[str, ...] = ("event", "command", "query", "service", "channel", "flow", "model")
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2, "hint": 3}


@dataclass(frozen=True)
class Fix:
    """A suggested fix, offered only when unambiguous.

    ``action`` is "rename" (set the element's name to ``value``), "set" (set ``field`` to
    ``value``) or "add-property" (add the schema property ``field`` with schema ``value``).
    """

    action: str
    field: str
    value: Any
    description: str


@dataclass(frozen=True)
class Finding:
    """One problem found by one rule on one element."""

    rule: str  # the catalog id, e.g. "event-name-past-tense"
    severity: str  # error | warning | info | hint (after the team's overrides)
    kind: str  # an ELEMENT_KINDS value
    element: str  # the element's name ("" for the model itself)
    message: str  # what is wrong and how to fix it
    fix: Fix | None = None
    path: str = ""  # where inside the element, e.g. "schema.properties.email"; "" for the element

    @property
    def collection(self) -> str:
        """The collection the element lives in: messages, services, channels, flows or model."""
        if self.kind in ("event", "command", "query"):
            return "messages"
        if self.kind == "model":
            return "model"
        return self.kind + "s"

    @property
    def key(self) -> str:
        """The element's fully qualified name, e.g. ``messages/OrderPlaced``."""
        return f"{self.collection}/{self.element}" if self.kind != "model" else "model"

    @property
    def fingerprint(self) -> str:
        """A stable identity for waivers: rule, element and path (not the message text)."""
        return f"{self.rule}|{self.key}|{self.path}"
