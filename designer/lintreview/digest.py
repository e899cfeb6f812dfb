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


def _element(model: Model, key: str) -> Any:
    coll, _, name = key.partition("/")
    tables: dict[str, Mapping[str, Any]] = {
        "messages": model.messages_by_name, "services": model.services_by_name,
        "channels": model.channels_by_name, "flows": {f.name: f for f in model.flows},
    }
    return tables.get(coll, {}).get(name)


def relevant_state(model: Model, element_key: str, category: str) -> Any:
    """The part of ``model`` a rule of ``category`` looks at for the element ``element_key``."""
    if element_key == "model":
        return {"envelope": _plain(model.envelope), "compat": _plain(model.default_compat),
                "names": sorted(f"{k}" for k in (
                    [f"messages/{m.name}" for m in model.messages]
                    + [f"services/{s.name}" for s in model.services]
                    + [f"channels/{c.name}" for c in model.channels]
                    + [f"flows/{f.name}" for f in model.flows]))}
    obj = _element(model, element_key)
    if obj is None:
        return None  # the element is gone: any stored digest differs from this one
    coll = element_key.partition("/")[0]
    if category in IDENTITY_CATEGORIES:
        state: dict[str, Any] = {"name": obj.name}
        for attr in ("kind", "type", "broker"):
            if hasattr(obj, attr):
                state[attr] = getattr(obj, attr)
        return state
    if category in SCHEMA_CATEGORIES and coll == "messages":
        return {"name": obj.name, "kind": obj.kind, "type": obj.type,
                "versions": _plain(obj.versions), "envelope": _plain(model.envelope)}
    state = {"element": _plain(obj)}
    if category in NEIGHBOUR_CATEGORIES or category not in IDENTITY_CATEGORIES | SCHEMA_CATEGORIES:
        name: str = obj.name
        attr = {"messages": "message", "services": "service", "channels": "channel"}.get(coll, "")
        if attr:
            rels = [r for r in model.relations if str(getattr(r, attr)) == name]
            state["relations"] = sorted(json.dumps(_plain(r), sort_keys=True) for r in rels)
        if coll == "messages" and obj.channel:
            state["channel"] = _plain(model.channels_by_name.get(obj.channel))
        if coll == "channels":
            state["messages"] = sorted(m.name + "/" + m.kind for m in model.messages if m.channel == name)
    return state


def element_digest(model: Model, element_key: str, category: str) -> str:
    """A SHA-256 hex digest of ``relevant_state`` (stable across processes and runs)."""
    text = json.dumps(relevant_state(model, element_key, category), sort_keys=True,
                      ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()
