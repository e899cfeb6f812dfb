"""Element kinds, declared once: the attributes of each kind, read from its core dataclass.

A kind (service, channel, message, flow) and each part of one (a message's versions, the
relations between services and messages, a flow's steps) is a frozen dataclass in
``designer.core.model``. This module reads those dataclasses into :class:`Kind` declarations
that every layer works from, so an attribute added to a dataclass is picked up everywhere:

- the design file reads and writes it (``formats/native.py``), with its default left out;
- the history records it in the element's state (``Kind.state``), and restores build the
  element back from that state (``Kind.build``);
- the web app stores it in a column, edits it in the form and shows it on the element's page
  (``designer.catalog.kinds``) — adding a plain field is one line in the dataclass plus a
  database migration.

A dataclass attribute's type decides how it is handled: ``str`` is text, ``bool`` a flag,
``JSON`` any JSON value, ``Mapping[str, JSON]`` the ``x-`` extensions, a tuple the kind's
children (handled by per-kind code). The ``overrides`` of each ``declare()`` below say what
the type alone cannot: the allowed values of a choice, and which attributes name another element.

>>> [a.name for a in SERVICE.attrs][:3]
['name', 'description', 'owner']
>>> MESSAGE.attr("channel").ref, MESSAGE.children
('channel', ('versions',))
>>> SERVICE.state(Service(name="orders", owner="team-a", extensions={"x-tier": 1}))["extensions"]
{'x-tier': 1}
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from designer.core.model import (
    BROKERS,
    COMPAT_MODES,
    DELIVERY_GUARANTEES,
    FLOW_STYLES,
    MESSAGE_KINDS,
    ROLES,
    VERSION_STATUSES,
    Channel,
    Flow,
    FlowStep,
    Message,
    Model,
    Relation,
    Service,
    Version,
)

OUTBOX_MODES: tuple[str, ...] = ("outbox", "cdc")
STEP_ACTIONS: tuple[str, ...] = ("sends", "receives")

# What an attribute holds; each layer has one way to read, write, store and show each type.
TEXT, FLAG, CHOICE, REF, JSON_VALUE = "text", "flag", "choice", "ref", "json"
_TYPES = {"str": TEXT, "bool": FLAG, "JSON": JSON_VALUE}

State = dict[str, Any]  # an element as plain JSON data: attribute name -> value


@dataclass(frozen=True)
class Attr:
    """One attribute of a kind. Its name is the dataclass field, the design-file key and the
    key in history states alike."""

    name: str
    type: str  # TEXT | FLAG | CHOICE | REF | JSON_VALUE
    default: Any
    choices: tuple[str, ...] = ()  # CHOICE: the allowed values
    blank: bool = False  # CHOICE: "" is allowed too and means "not declared"
    ref: str = ""  # REF: the key of the kind whose element this names ("" when it names none)
    required: bool = False  # must be given (and not empty) in a design file
    hint: str = ""  # CHOICE: said after the allowed values when a file gives another one
    missing: str = ""  # REF: the design-file error when the name is not declared ({what}, {value})


@dataclass(frozen=True)
class Kind:
    """An element kind or a part of one, as data."""

    key: str  # "service": the history key and the noun in messages
    section: str  # "services": the design-file section, the ``Model`` tuple and element keys
    cls: type[Any]  # the core dataclass
    attrs: tuple[Attr, ...]  # in design-file order
    children: tuple[str, ...] = ()  # tuple-valued attributes, handled by per-kind code
    extensions: bool = False  # carries ``x-`` extension keys

    def attr(self, name: str) -> Attr:
        """The attribute called ``name`` (KeyError when the kind has none)."""
        for a in self.attrs:
            if a.name == name:
                return a
        raise KeyError(f"{self.key} has no attribute {name!r}")

    @cached_property
    def attrs_but_name(self) -> tuple[Attr, ...]:
        """The attributes besides the name (which readers take first, to name the element)."""
        return tuple(a for a in self.attrs if a.name != "name")

    @property
    def refs(self) -> tuple[Attr, ...]:
        """The attributes that name another element."""
        return tuple(a for a in self.attrs if a.type == REF)

    def state(self, obj: Any) -> State:
        """The element's own attributes as plain data (children are per-kind: see ``changeset``).

        Extensions are included only when there are any, so states of elements made in the web
        app (which has no extensions) stay short in the history.
        """
        out: State = {a.name: _plain(getattr(obj, a.name)) for a in self.attrs}
        if self.extensions and getattr(obj, "extensions", None):
            out["extensions"] = _plain(obj.extensions)
        return out

    def build(self, state: Mapping[str, Any], **children: Any) -> Any:
        """The core element for ``state``: absent attributes take their defaults."""
        values: dict[str, Any] = {a.name: state.get(a.name, a.default) for a in self.attrs}
        if self.extensions:
            values["extensions"] = dict(state.get("extensions") or {})
        values.update(children)
        return self.cls(**values)

    def elements(self, model: Model) -> tuple[Any, ...]:
        """The model's elements of this kind (a part has none at the model's top level)."""
        found: tuple[Any, ...] = getattr(model, self.section, ())
        return found


def _plain(value: Any) -> Any:
    """Read-only mappings and tuples of a snapshot as plain dicts and lists (JSON data)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def choice(choices: tuple[str, ...], *, blank: bool = False, hint: str = "") -> dict[str, Any]:
    """An override: the attribute takes one of ``choices`` (or "" when ``blank``)."""
    return {"type": CHOICE, "choices": choices, "blank": blank, "hint": hint}


def ref(kind: str, *, missing: str = "", required: bool = False) -> dict[str, Any]:
    """An override: the attribute names an element of ``kind``."""
    return {"type": REF, "ref": kind, "missing": missing, "required": required}


def declare(
    cls: type[Any], key: str, section: str, *,
    overrides: Mapping[str, Mapping[str, Any]] | None = None, order: tuple[str, ...] = (),
) -> Kind:
    """Read ``cls``'s fields into a :class:`Kind`; ``order`` puts those attributes first.

    An attribute whose type this module does not know is refused at import time, so a new
    kind of value gets a declaration rather than being silently dropped somewhere.
    """
    overrides = overrides or {}
    fields = list(dataclasses.fields(cls))
    fields.sort(key=lambda f: order.index(f.name) if f.name in order else len(order))  # stable
    attrs: list[Attr] = []
    children: list[str] = []
    extensions = False
    for f in fields:
        typ = str(f.type)
        if f.name == "extensions":
            extensions = True
            continue
        if typ.startswith("tuple["):
            children.append(f.name)
            continue
        if typ not in _TYPES:
            raise TypeError(f"{cls.__name__}.{f.name}: declare how a {typ} attribute is handled in core/kinds.py")
        if f.default is not dataclasses.MISSING:
            default = f.default
        else:  # only the name has no default: it is always given
            default = {TEXT: "", FLAG: False, JSON_VALUE: None}[_TYPES[typ]]
        values: dict[str, Any] = {"type": _TYPES[typ], "required": f.default is dataclasses.MISSING}
        values.update(overrides.get(f.name, {}))
        attrs.append(Attr(name=f.name, default=default, **values))
    unknown = set(overrides) - {a.name for a in attrs}
    if unknown:
        raise TypeError(f"{cls.__name__} has no attribute(s) {sorted(unknown)} to override")
    return Kind(key=key, section=section, cls=cls, attrs=tuple(attrs), children=tuple(children),
                extensions=extensions)


_CHANNEL_MISSING = "{what} uses channel {value!r}, which is not declared under 'channels'"

SERVICE = declare(Service, "service", "services", overrides={
    "outbox": choice(OUTBOX_MODES, blank=True,
                     hint="(leave it out when the service publishes without one)"),
})
CHANNEL = declare(Channel, "channel", "channels", overrides={
    "broker": choice(BROKERS),
    "delivery": choice(DELIVERY_GUARANTEES),
})
MESSAGE = declare(Message, "message", "messages", overrides={
    "kind": choice(MESSAGE_KINDS),
    "channel": ref("channel", missing=_CHANNEL_MISSING),
    "reply": ref("message", missing="the reply {value!r} of {what} is not a message"),
})
FLOW = declare(Flow, "flow", "flows", overrides={
    "style": choice(FLOW_STYLES),
    "orchestrator": ref("service", missing="the orchestrator {value!r} of {what} is not a service"),
})

# Parts of elements: a message's versions, the relations of a message, a flow's steps.
VERSION = declare(Version, "version", "versions", order=("version", "status", "compat", "schema", "example"),
                  overrides={"version": {"required": True}, "status": choice(VERSION_STATUSES),
                             "compat": choice(COMPAT_MODES, blank=True)})
RELATION = declare(Relation, "relation", "relations", overrides={
    "service": ref("service", required=True),
    "message": ref("message", required=True),
    "role": choice(ROLES),
    "channel": ref("channel", missing=_CHANNEL_MISSING),
})
STEP = declare(FlowStep, "step", "steps", overrides={
    "service": ref("service", required=True, missing="{what} names service {value!r}, which is not declared"),
    "message": ref("message", required=True, missing="{what} names message {value!r}, which is not declared"),
    "action": choice(STEP_ACTIONS),
})

# The element kinds in the order writes follow: what others name comes before what names it
# (a message names a channel and services; a flow names services and messages).
ELEMENT_KINDS: tuple[Kind, ...] = (SERVICE, CHANNEL, MESSAGE, FLOW)
BY_KEY: dict[str, Kind] = {k.key: k for k in ELEMENT_KINDS}
BY_SECTION: dict[str, Kind] = {k.section: k for k in ELEMENT_KINDS}


def element(model: Model, key: str) -> Any:
    """The element an element key such as ``"messages/OrderPlaced"`` names, or None.

    >>> element(Model(services=(Service("orders"),)), "services/orders").name
    'orders'
    """
    section, _, name = key.partition("/")
    kind = BY_SECTION.get(section)
    if kind is None:
        return None
    for el in kind.elements(model):
        if el.name == name:
            return el
    return None
