"""Every service, message and channel has an owner and a description; every flow a description.

The catalog is how teams find whom to ask before changing or consuming something. An element
without an owner has nobody to approve a breaking change or answer an incident; one without a
description forces every reader to reverse-engineer its meaning from its name.

Flags: a service, message or channel with an empty ``owner`` or ``description``, and a flow with
an empty ``description`` (one finding per missing field).
Why: ownerless contracts rot; undocumented ones are misused.
Source: Zalando RESTful API Guidelines rule 207 (event type ownership); EventCatalog linter
(owners); Spectral AsyncAPI ruleset (descriptions).
Fails:
    version: 1
    services:
      - {name: order-service}
Passes:
    version: 1
    services:
      - {name: order-service, owner: team-orders, description: Takes and tracks orders.}
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "owner-and-docs-required"
DEFAULT_SEVERITY = "warning"
CATEGORY = "topology"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per missing owner or description."""
    elements: list[tuple[str, str, str, str | None]] = []
    elements += [("service", s.name, s.description, s.owner) for s in model.services]
    elements += [(m.kind, m.name, m.description, m.owner) for m in model.messages]
    elements += [("channel", c.name, c.description, c.owner) for c in model.channels]
    elements += [("flow", f.name, f.description, None) for f in model.flows]
    for kind, name, description, owner in elements:
        noun = kind if kind in ("service", "channel", "flow") else "message"
        if owner is not None and not owner.strip():
            yield Finding(ID, DEFAULT_SEVERITY, kind, name,
                          f"The {noun} has no owner; set 'owner' to the team that approves its "
                          f"changes and answers for it.", path="owner")
        if not description.strip():
            yield Finding(ID, DEFAULT_SEVERITY, kind, name,
                          f"The {noun} has no description; say in one sentence what it is for.",
                          path="description")
