"""One casing style per kind of name: message names, channels, payload properties, enum values.

Within each kind the most common style wins (PascalCase, camelCase, snake_case,
SCREAMING_SNAKE_CASE, kebab-case, dot.case) and the names written otherwise are flagged. A
single word fits several styles (``order`` is camelCase, snake_case and kebab-case at once), so
it is never the odd one out by itself. Option ``styles`` fixes the style per kind instead of
taking the majority, e.g. ``{"properties": "camelCase", "messages": "PascalCase"}``; kinds are
``messages``, ``channels``, ``properties`` and ``enums``.

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

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import Message, Model
from designer.core.naming import CASING_STYLES, casing_styles, render, split_identifier

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
_memo: dict[int, tuple[Message, list[tuple[str, str, str]]]] = {}


def _walk(schema: Any, path: str, out: list[tuple[str, str, str]], depth: int) -> None:
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            p = f"{path}.properties.{name}"
            out.append(("properties", str(name), p))
            _walk(sub, p, out, depth + 1)
    enum = schema.get("enum")
    if isinstance(enum, list):
        out.extend(("enums", v, f"{path}.enum") for v in enum if isinstance(v, str) and v)
    for key in ("items", "additionalProperties", "not", "if", "then", "else"):
        _walk(schema.get(key), f"{path}.{key}", out, depth + 1)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        subs = schema.get(key)
        if isinstance(subs, list):
            for i, sub in enumerate(subs):
                _walk(sub, f"{path}.{key}[{i}]", out, depth + 1)
    for key in ("$defs", "definitions"):
        defs = schema.get(key)
        if isinstance(defs, dict):
            for name, sub in defs.items():
                _walk(sub, f"{path}.{key}.{name}", out, depth + 1)


def schema_names(message: Message) -> list[tuple[str, str, str]]:
    """(kind, name, path) of every property name and string enum value in the latest schema."""
    hit = _memo.get(id(message))
    if hit is not None and hit[0] is message:
        return hit[1]
    out: list[tuple[str, str, str]] = []
    _walk(message.schema, "schema", out, 0)
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[id(message)] = (message, out)
    return out


def dominant(names: list[str]) -> str | None:
    """The style most names fit (ties: CASING_STYLES order), or None if none fits any."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(casing_styles(name))
    if not counts:
        return None
    return max(CASING_STYLES, key=lambda s: (counts[s], -CASING_STYLES.index(s)))


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag names whose casing differs from the style of the rest of their kind."""
    fixed: Mapping[str, str] = options.get("styles") or {}
    # kind of name -> (name, element kind, element name, path)
    groups: dict[str, list[tuple[str, str, str, str]]] = {
        "messages": [(m.name, m.kind, m.name, "name") for m in model.messages],
        "channels": [(c.name, "channel", c.name, "name") for c in model.channels],
        "properties": [],
        "enums": [],
    }
    for message in model.messages:
        for kind, name, path in schema_names(message):
            groups[kind].append((name, message.kind, message.name, path))
    for kind, entries in groups.items():
        distinct = list(dict.fromkeys(e[0] for e in entries))
        if len(distinct) < 2 and kind not in fixed:
            continue
        style = fixed.get(kind) or dominant(distinct)
        if style is None or style not in CASING_STYLES:
            continue
        seen: set[tuple[str, str, str]] = set()
        for name, element_kind, element, path in entries:
            if style in casing_styles(name) or (element, path, name) in seen:
                continue
            seen.add((element, path, name))
            words = split_identifier(name)
            better = render(words, style) if words else None
            label = {"messages": "Message name", "channels": "Channel name",
                     "properties": "Property", "enums": "Enum value"}[kind]
            text = f"{label} {name!r} is not in {style} like the other {kind}"
            fix = None
            if better and better != name:
                text += f"; write it {better!r}."
                if kind in ("messages", "channels"):
                    fix = Fix("rename", "name", better, f"Rename to {better}")
            else:
                text += "."
            yield Finding(ID, DEFAULT_SEVERITY, element_kind, element, text, fix, path)
