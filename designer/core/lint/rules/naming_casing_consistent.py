"""One casing style per kind of name: services, message names, channels, payload properties, enums.

Within each kind the most common style wins (PascalCase, camelCase, snake_case,
SCREAMING_SNAKE_CASE, kebab-case, dot.case) and the names written otherwise are flagged. A
single word fits several styles (``order`` is camelCase, snake_case and kebab-case at once), so
it is never the odd one out by itself. Option ``styles`` fixes the style per kind instead of
taking the majority, e.g. ``{"properties": "camelCase", "messages": "PascalCase"}``; kinds are
``services``, ``messages``, ``channels``, ``properties`` and ``enums`` (``OrderService`` beside
``payment-service`` and ``shipping-service`` is flagged: ``order-service``). A channel name is
judged by the casing of its levels: ``smartylighting/streetlights/{streetlightId}/dim`` is written
like ``some.channel`` (a ``/`` or ``.`` between levels, and a ``{parameter}``, are not casing).

Flags: a name whose casing differs from the one used by the rest of its kind, with the name
rewritten in that style.
Why: mixed casing breaks code generation (two spellings of one field), makes consumers guess,
and reads as two teams' conventions colliding.
Source: Zalando RESTful API Guidelines rules 118 (snake_case property names) and 240
(UPPER_SNAKE_CASE enum values); consistency over any particular choice.

Fails:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
      - name: OrderShipped
        kind: event
      - name: order_cancelled
        kind: event
Passes:
    version: 1
    messages:
      - name: OrderPlaced
        kind: event
      - name: OrderShipped
        kind: event
      - name: OrderCancelled
        kind: event
"""
from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.lint.rules import _names
from designer.core.model import Message, Model
from designer.core.naming import (
    CASING_STYLES,
    casing_styles,
    channel_casing_form,
    render,
    render_channel,
    split_identifier,
)
from designer.core.provenance import channel_name_written_by_author

ID = "naming-casing-consistent"
DEFAULT_SEVERITY = "warning"
CATEGORY = "naming"
SCOPE = "model"  # the majority style is a property of the whole model
OPTIONS: dict[str, Any] = {"styles": {}}

# How deep to walk nested schemas: deeper than any hand-written payload, and a bound on
# self-referencing or generated schemas.
MAX_DEPTH = 12
# Memo of the names inside each message's schema, keyed by object identity (the message value
# is kept alongside so an id is never reused): a re-lint re-walks only changed messages.
# Bounded so a long-lived linter does not grow without limit.
_MEMO_LIMIT = 100_000
_SEP = "\0"  # joins a kind and a name into one hashable key; cannot occur in a kind
_memo: dict[int, tuple[Message, list[tuple[str, str, str]], frozenset[str]]] = {}


_SUBSCHEMA_KEYS = ("items", "additionalProperties", "not", "if", "then", "else")
_LIST_KEYS = ("allOf", "anyOf", "oneOf", "prefixItems")
_DEFS_KEYS = ("$defs", "definitions")
# Every key the walk reads: a node with none of them (most nodes are leaves) is skipped in C.
_WALKED_KEYS = frozenset({"properties", "enum", *_SUBSCHEMA_KEYS, *_LIST_KEYS, *_DEFS_KEYS})


def _walk(schema: Any, path: str, out: list[tuple[str, str, str]], depth: int) -> None:
    # Subschemas are type-checked before recursing and paths built only for present keys:
    # this walk visits every node of 5,000 schemas on a full lint.
    if depth > MAX_DEPTH or _WALKED_KEYS.isdisjoint(schema):  # a leaf ({"type": "string"})
        return
    get = schema.get
    props = get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            p = f"{path}.properties.{name}"
            out.append(("properties", str(name), p))
            if isinstance(sub, dict):
                _walk(sub, p, out, depth + 1)
    enum = get("enum")
    if isinstance(enum, list):
        out.extend(("enums", v, f"{path}.enum[{i}]") for i, v in enumerate(enum) if isinstance(v, str) and v)
    for key in _SUBSCHEMA_KEYS:
        sub = get(key)
        if isinstance(sub, dict):
            _walk(sub, f"{path}.{key}", out, depth + 1)
    for key in _LIST_KEYS:
        subs = get(key)
        if isinstance(subs, list):
            for i, sub in enumerate(subs):
                if isinstance(sub, dict):
                    _walk(sub, f"{path}.{key}[{i}]", out, depth + 1)
    for key in _DEFS_KEYS:
        defs = get(key)
        if isinstance(defs, dict):
            for name, sub in defs.items():
                if isinstance(sub, dict):
                    _walk(sub, f"{path}.{key}.{name}", out, depth + 1)


def _schema_entry(message: Message) -> tuple[list[tuple[str, str, str]], frozenset[str]]:
    hit = _memo.get(id(message))
    if hit is not None and hit[0] is message:
        return hit[1], hit[2]
    out: list[tuple[str, str, str]] = []
    schema = message.schema
    if isinstance(schema, dict):
        _walk(schema, "schema", out, 0)
    keys = frozenset(kind + _SEP + name for kind, name, _ in out)
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[id(message)] = (message, out, keys)
    return out, keys


_Entry = tuple[Message, list[tuple[str, str, str]], frozenset[str]]
# The last messages tuple seen, its entries and how many messages use each schema key: a
# re-lint (same number of messages, a few replaced) updates the counts instead of re-uniting
# 5,000 key sets. One entry: successive snapshots of one model.
_last: list[tuple[tuple[Message, ...], list[_Entry], Counter[str]]] = []


def _entries(messages: tuple[Message, ...]) -> tuple[list[_Entry], Counter[str]]:
    """Per message its schema names and keys, and the count of messages using each key."""
    if _last and len(_last[0][0]) == len(messages):
        old_messages, old_entries, old_counts = _last[0]
        diff = [i for i, differs in enumerate(map(operator.is_not, old_messages, messages)) if differs]
        if len(diff) * 8 < len(messages):  # a few changed: patch; many: rebuild
            entries = list(old_entries)
            counts = Counter(old_counts)
            for i in diff:
                counts.subtract(entries[i][2])
                entries[i] = (messages[i], *_schema_entry(messages[i]))
                counts.update(entries[i][2])
            counts = +counts  # drop keys no message uses any more
            _last[:] = [(messages, entries, counts)]
            return entries, counts
    entries = [(m, *_schema_entry(m)) for m in messages]
    counts = Counter()
    for _, _, keys in entries:
        counts.update(keys)
    _last[:] = [(messages, entries, counts)]
    return entries, counts


def schema_names(message: Message) -> list[tuple[str, str, str]]:
    """(kind, name, path) of every property name and string enum value in the latest schema."""
    return _schema_entry(message)[0]


def dominant(names: Iterable[str]) -> str | None:
    """The style most names fit (ties: CASING_STYLES order), or None if none fits any."""
    counts: Counter[str] = Counter()
    # Count the (few) distinct style sets first: one C-level pass instead of one update a name.
    for styles, n in Counter(casing_styles(name) for name in names).items():
        for style in styles:
            counts[style] += n
    if not counts:
        return None
    return max(CASING_STYLES, key=lambda s: (counts[s], -CASING_STYLES.index(s)))


def _flag(kind: str, name: str, style: str, element_kind: str, element: str, path: str,
          released: str = "") -> Finding:
    words = split_identifier(name)
    if kind == "channels":
        better = render_channel(name, style) if words else None
    else:
        better = render(words, style) if words else None
    label = {"services": "Service name", "messages": "Message name", "channels": "Channel name",
             "properties": "Property", "enums": "Enum value"}[kind]
    text = f"{label} {name!r} is not in {style} like the other {kind}"
    fix = None
    if better and better != name and released:
        # On the wire in a released version: a rename breaks its consumers, so no fix is offered.
        text += (f"; writing it {better!r} would rename what consumers of {released} read: a breaking "
                 "change (keep it, or rename it in a new major version).")
    elif better and better != name:
        text += f"; write it {better!r}."
        if kind in ("services", "messages", "channels"):
            fix = Fix("rename", "name", better, f"Rename to {better}")
    else:
        text += "."
    return Finding(ID, DEFAULT_SEVERITY, element_kind, element, text, fix, path)


def _style_of(kind: str, names: set[str], fixed: Mapping[str, str]) -> str | None:
    if len(names) < 2 and kind not in fixed:
        return None
    style = fixed.get(kind) or dominant(names)
    return style if style in CASING_STYLES else None


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag names whose casing differs from the style of the rest of their kind."""
    fixed: Mapping[str, str] = options.get("styles") or {}
    # Distinct names per kind first (a few hundred even in big models), then only the elements
    # that use an off-style name are visited again: this rule runs on every re-lint.
    entries, counts = _entries(model.messages)
    schema_distinct: dict[str, set[str]] = {"properties": set(), "enums": set()}
    for key in counts:
        kind, name = key.split(_SEP, 1)
        schema_distinct[kind].add(name)
    for kind, elements in (("services", [(s.name, "service", s.name) for s in model.services]),
                           ("messages", [(m.name, m.kind, m.name) for m in _names.authored(model.messages)]),
                           ("channels", [(c.name, "channel", c.name) for c in model.channels
                                         if channel_name_written_by_author(c)])):
        # A channel is judged by its levels' casing, not by its separator or parameters.
        # (Names of other kinds are judged as written: no per-name call on the 5,000 messages.)
        written = {e[0]: channel_casing_form(e[0]) for e in elements} if kind == "channels" else None
        style = _style_of(kind, (set(written.values()) - {""}) if written is not None else {e[0] for e in elements},
                          fixed)
        if style is None:
            continue
        for name, element_kind, element in elements:
            judged = written[name] if written is not None else name
            if judged and style not in casing_styles(judged):
                yield _flag(kind, name, style, element_kind, element, "name", _released_name(model, kind, name))
    bad: dict[str, str] = {}  # off-style schema name -> the style it should have
    for kind in ("properties", "enums"):
        style = _style_of(kind, schema_distinct[kind], fixed)
        if style is not None:
            bad.update({(kind + _SEP + n): style for n in schema_distinct[kind]
                        if style not in casing_styles(n)})
    if not bad:
        return
    bad_keys = bad.keys()
    for message, names, keys in entries:
        if keys.isdisjoint(bad_keys):
            continue
        seen: set[tuple[str, str]] = set()
        for kind, name, path in names:
            style = bad.get(kind + _SEP + name)
            if style is None or (path, name) in seen:
                continue
            seen.add((path, name))
            live = _names.schema_name_released(message, name)
            yield _flag(kind, name, style, message.kind, message.name, path,
                        f"{message.name} {live}" if live else "")


def _released_name(model: Model, kind: str, name: str) -> str:
    """For a message or channel name on the wire: the released version a rename would break."""
    if kind == "channels":
        return _names.channel_released(model, name)
    if kind == "services":
        return ""  # a service's name is not on the wire: renaming it breaks no consumer
    message = model.messages_by_name[name]
    live = _names.released_version(message)
    return f"{name} {live}" if live and not message.type else ""
