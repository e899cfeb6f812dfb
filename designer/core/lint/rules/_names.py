"""What naming rules judge, and when a rename is a breaking change rather than a fix.

Shared by the naming rules (not a rule itself: no ``ID``).

- **Only names an author wrote are judged.** An AsyncAPI import names an anonymous message
  after its operation or channel (see ``designer.core.provenance``); nobody chose that name,
  so tense, mood and casing advice about it helps nobody.
- **A reply is judged as a reply.** ``CameraStatusReply``, ``pong``, ``sendSumResult`` answer a
  request; they are named after it, not as facts (events), orders (commands) or questions
  (queries). A request is judged as the query or command it is.
- **Renaming a released wire-level name breaks consumers.** A message without a wire ``type``
  travels under its name (the traffic checks match it by name), a channel under its name, a
  payload property or enum value under its spelling. Once a version that carries it is
  released (or deprecated: still in use), a rename is a breaking change: the finding says so
  and offers no fix.
"""
from __future__ import annotations

from collections.abc import Iterator

from designer.core.lint.finding import Fix
from designer.core.model import Message, Model
from designer.core.provenance import message_role, name_written_by_author

_LIVE = ("released", "deprecated")  # statuses whose consumers exist


def judged(message: Message, *, replies: bool = False) -> bool:
    """Whether naming rules judge ``message``'s name (replies only when ``replies``)."""
    return name_written_by_author(message) and (replies or message_role(message) != "reply")


def released_version(message: Message) -> str:
    """The newest released (or deprecated) version of ``message``, "" if none."""
    return next((v.version for v in reversed(message.versions) if v.status in _LIVE), "")


def message_rename(message: Message, suggestion: str) -> tuple[str, Fix | None]:
    """The sentence offering ``suggestion`` as the new name, and its fix; or, when the name is
    on the wire and a version is released, the sentence saying the rename breaks consumers."""
    live = released_version(message)
    if live and not message.type:
        return (f" Renaming it to {suggestion!r} would change the name consumers of released version "
                f"{live} receive: a breaking change (give the message a wire type first, or rename it "
                "in a new major version)."), None
    return f" Rename it to {suggestion!r}.", Fix("rename", "name", suggestion, f"Rename to {suggestion}")


# The last model's channels -> first released message on each: one pass per model instead of one
# per flagged channel (a model with 1,000 off-style channels and 5,000 messages took ~1.6 s).
_released_channels: list[tuple[Model, dict[str, str]]] = []


def channel_released(model: Model, channel: str) -> str:
    """A released message version that travels on ``channel`` ("message version"), "" if none."""
    if not _released_channels or _released_channels[0][0] is not model:
        found: dict[str, str] = {}
        for m in model.messages:
            live = released_version(m)
            if not live:
                continue
            for ch in (m.channel, *(r.channel for r in (*model.producers(m.name), *model.consumers(m.name)))):
                if ch and ch not in found:
                    found[ch] = f"{m.name} {live}"
        _released_channels[:] = [(model, found)]
    return _released_channels[0][1].get(channel, "")


def schema_name_released(message: Message, name: str) -> str:
    """The released version of ``message`` whose schema spells ``name`` (a property or enum
    value), "" if none: renaming it there breaks that version's readers."""
    for v in reversed(message.versions):
        if v.status in _LIVE and _mentions(v.schema, name, 0):
            return v.version
    return ""


def _mentions(node: object, name: str, depth: int) -> bool:
    if depth > 32:
        return False
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict) and name in props:
            return True
        enum = node.get("enum")
        if isinstance(enum, list) and name in enum:
            return True
        return any(_mentions(v, name, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
    if isinstance(node, list):
        return any(_mentions(v, name, depth + 1) for v in node)
    return False


def authored(messages: tuple[Message, ...]) -> Iterator[Message]:
    """The messages whose names are judged at all (replies included)."""
    return (m for m in messages if name_written_by_author(m))
