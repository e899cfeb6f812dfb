"""Where a message's name and role came from, as an AsyncAPI import recorded it.

A tiny module on purpose: lint rules ask it on every run. The AsyncAPI reader
(``designer.core.formats.asyncapi``) writes ``name_source`` and ``role`` into a message's
``x-asyncapi-message`` extension; messages from anywhere else have neither, and everything about
them is as their author wrote it.
"""
from __future__ import annotations

from designer.core.model import Channel, Message

# Where a message name came from. The first ones are names its author wrote; "operationId",
# "channel" and "qualified" are made from the operation or channel of an anonymous message (or
# of a second message of the same name), so naming rules do not judge them.
AUTHOR_NAME_SOURCES: tuple[str, ...] = ("name", "messageId", "component", "key", "title", "extension",
                                        "payload-title")
ROLES: tuple[str, ...] = ("request", "reply")


def _kept(message: Message) -> dict[str, object]:
    kept = message.extensions.get("x-asyncapi-message")
    return kept if isinstance(kept, dict) else {}


def name_written_by_author(message: Message) -> bool:
    """Whether ``message``'s name is one its author wrote (always, unless an AsyncAPI import had
    to make it up from the operation or channel of an anonymous message)."""
    source = _kept(message).get("name_source")
    return source is None or source in AUTHOR_NAME_SOURCES


def message_role(message: Message) -> str:
    """``"request"``, ``"reply"`` or ``""``: the part a message plays in a request/reply exchange,
    as an AsyncAPI import understood it (an operation's ``reply``, or Request/Reply names)."""
    role = _kept(message).get("role")
    return role if isinstance(role, str) and role in ROLES else ""


def channel_name_written_by_author(channel: Channel) -> bool:
    """Whether ``channel``'s name is as its author wrote it (an AsyncAPI 2 import makes channel
    names from addresses: ``user/{id}/signedup`` becomes ``user__id__signedup``)."""
    kept = channel.extensions.get("x-asyncapi-channel")
    return not (isinstance(kept, dict) and kept.get("name_source") == "address")
