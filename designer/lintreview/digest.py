"""What a rule looks at in an element, digested, so a waiver lapses when *that* changes.

A waiver stores the digest of the element's relevant state when it is created; when the
current digest differs, the waiver has lapsed and the finding is shown again (marked as such).
The state comes from the core snapshot (``selectors.team_model``), so it is exactly what the
linter saw. What each rule category looks at (deliberately a little wider than the narrowest
possible, because a waiver that lapses once too often costs a click, one that stays on a
changed element hides a real problem):

- naming: the element's identity — name, kind, wire type (messages), broker (channels).
  Editing a description does not lapse a naming waiver.
- payload, envelope, security, evolution: the message's identity plus every version (schema,
  example, status, compatibility mode) and the team's envelope profile and schema.
- topology, reliability: the element as a whole (its core dataclass) plus the relations that
  touch it, the channels it uses and, for flows, their steps.
- any other category, and findings about the model itself: the element as a whole (for
  "model" the envelope, compatibility defaults and every element's name).

No Django here: this is a pure function of the core snapshot, tested without a database.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from designer.core import kinds
from designer.core.model import Model

IDENTITY_CATEGORIES = frozenset({"naming"})
SCHEMA_CATEGORIES = frozenset({"payload", "envelope", "security", "evolution"})
NEIGHBOUR_CATEGORIES = frozenset({"topology", "reliability"})


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "locations"}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def relevant_state(model: Model, element_key: str, category: str) -> Any:
    """The part of ``model`` a rule of ``category`` looks at for the element ``element_key``."""
    if element_key == "model":
        return {"envelope": _plain(model.envelope), "compat": _plain(model.default_compat),
                "names": sorted(f"{kind.section}/{el.name}" for kind in kinds.ELEMENT_KINDS
                                for el in kind.elements(model))}
    kind = kinds.BY_SECTION.get(element_key.partition("/")[0])
    obj = kinds.element(model, element_key)
    if kind is None or obj is None:
        return None  # the element is gone: any stored digest differs from this one
    if category in IDENTITY_CATEGORIES:
        state: dict[str, Any] = {"name": obj.name}
        for attr in ("kind", "type", "broker"):
            if hasattr(obj, attr):
                state[attr] = getattr(obj, attr)
        return state
    if category in SCHEMA_CATEGORIES and "versions" in kind.children:
        return {"name": obj.name, "kind": obj.kind, "type": obj.type,
                "versions": _plain(obj.versions), "envelope": _plain(model.envelope)}
    state = {"element": _plain(obj)}
    if category in NEIGHBOUR_CATEGORIES or category not in IDENTITY_CATEGORIES | SCHEMA_CATEGORIES:
        name: str = obj.name
        # The relations that name it (a message's, a service's, a channel's), as the kind
        # registry declares what a relation names.
        attr = next((a.name for a in kinds.RELATION.refs if a.ref == kind.key), "")
        if attr:
            rels = [r for r in model.relations if str(getattr(r, attr)) == name]
            state["relations"] = sorted(json.dumps(_plain(r), sort_keys=True) for r in rels)
        # The channel it uses, and for a channel the messages that use it.
        for ref in kind.refs:
            if ref.ref == kinds.CHANNEL.key and getattr(obj, ref.name):
                state[ref.name] = _plain(kinds.element(model, f"{kinds.CHANNEL.section}/{getattr(obj, ref.name)}"))
        if kind is kinds.CHANNEL:
            on_it = [(other, a) for other in kinds.ELEMENT_KINDS for a in other.refs if a.ref == kind.key]
            state["messages"] = sorted(el.name + "/" + el.kind for other, a in on_it
                                       for el in other.elements(model) if getattr(el, a.name) == name)
    return state


def element_digest(model: Model, element_key: str, category: str) -> str:
    """A SHA-256 hex digest of ``relevant_state`` (stable across processes and runs)."""
    text = json.dumps(relevant_state(model, element_key, category), sort_keys=True,
                      ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()
