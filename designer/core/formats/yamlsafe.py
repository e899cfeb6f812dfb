"""A safe YAML (and JSON) reader that returns plain data plus where every element was written.

Why not ``yaml.safe_load``: it expands aliases without limit ("billion laughs"), silently keeps
the last of two duplicate keys, turns ``2025-03-15`` into a ``date`` and ``on:`` into ``True``,
recurses without a depth limit, and forgets positions. Here we read PyYAML's event stream (libyaml
when available) and build the data ourselves, iteratively, so that:

- a document over ``max_bytes`` is refused before it is parsed;
- alias use is bounded twice: the number of alias references resolved, and the number of nodes
  they copy in (nested aliases count their full expansion, so a bomb fails after a few thousand
  nodes, in milliseconds, without expanding);
- nesting deeper than ``max_depth`` is refused (and no recursion is involved anyway);
- a duplicate key is refused with its line and column;
- mapping keys are always strings: a scalar key is kept as written (``on``, ``200``, ``null``
  stay text, as in JSON), a sequence or mapping used as a key is refused;
- only JSON values come out: strings, ints, finite floats, booleans, None, dicts and lists.
  Timestamps stay the strings they were written as; other tags (``!!binary``, ``!!set``,
  ``!!python/...``, local tags) and merge keys (``<<``) are refused.

The result comes with a :class:`Positions` map from paths like ``("messages", 3, "name")`` to
1-based (line, column) pairs.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from .errors import FormatError

try:  # libyaml is about 10x faster; the pure-Python parser produces the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

# A design document of a few thousand messages is well under 1 MB; 10 MB leaves room for huge
# AsyncAPI files while keeping parse time (about 1 s per 5 MB here) and memory bounded.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# JSON Schemas nest deeply (properties -> items -> properties ...) but 64 levels is far beyond
# any real document; deeper input is a mistake or an attack.
DEFAULT_MAX_DEPTH = 64
# Anchors/aliases are legitimate YAML reuse (a shared schema fragment); a real document resolves
# tens of them, an alias bomb millions.
DEFAULT_MAX_ALIASES = 1_000
# Nodes that aliases may copy in, all references together. Nested aliases count their full
# expansion, so the exponential growth of a "billion laughs" document trips this in microseconds.
DEFAULT_MAX_ALIAS_NODES = 100_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_MAP_TAGS = (None, "!", "tag:yaml.org,2002:map")
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class Positions:
    """Where each element of a parsed document was written (1-based line and column).

    ``key(path)`` is the position of the last path element: the key of a mapping member, or the
    start of a sequence item. ``value(path)`` is the position of the value node itself (for the
    root, the path ``()``). Paths inside an alias expansion are not recorded; ``nearest`` and
    ``nearest_value`` fall back to the closest recorded ancestor, so an error always has a place.
    """

    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def key(self, path: Path) -> tuple[int, int] | None:
        """Position of the key (or sequence item) at ``path``, or None if not recorded."""
        return self.keys.get(tuple(path))

    def value(self, path: Path) -> tuple[int, int] | None:
        """Position of the value node at ``path``, or None if not recorded."""
        return self.values.get(tuple(path))

    def nearest(self, path: Path) -> tuple[int, int] | None:
        """The key position of ``path`` or of its closest recorded ancestor (None for none)."""
        p = tuple(path)
        while p:
            found = self.keys.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return self.values.get(())

    def nearest_value(self, path: Path) -> tuple[int, int] | None:
        """The value position of ``path``, else the nearest key/value position above it."""
        p = tuple(path)
        found = self.values.get(p)
        if found is not None:
            return found
        return self.nearest(p)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    anchor: str | None
    nodes_before: int
    pending_key: str | None = None


def _pos(event: Event) -> tuple[int, int]:
    mark = event.start_mark
    if mark is None:  # pragma: no cover - both parsers mark every event
        return (1, 1)
    return (mark.line + 1, mark.column + 1)


def _fail(reason: str, event: Event | None) -> FormatError:
    if event is None:
        return FormatError(reason)
    line, col = _pos(event)
    return FormatError(reason, line, col)


def _resolve(event: ScalarEvent) -> str:
    """The implicit tag YAML gives an untagged scalar (int, bool, null, str ...)."""
    tag: str = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    return tag


def _scalar_value(event: ScalarEvent) -> Any:
    tag = event.tag
    if tag is None and not event.implicit[0]:
        return event.value  # quoted or block scalar without a tag: always a string
    if tag is None or tag == "!":
        tag = _resolve(event)
    if tag == _STR or tag == _TIMESTAMP:
        # Timestamps stay text: JSON has no date type, and schemas say `format: date-time`.
        return event.value
    if tag == _NULL:
        return None
    if tag in (_INT, _FLOAT, _BOOL):
        try:
            value = _CONSTRUCTOR.construct_object(ScalarNode(tag, event.value))
        except (yaml.YAMLError, ValueError) as exc:
            raise _fail(f"{event.value!r} is not a valid {tag.rsplit(':', 1)[-1]}", event) from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail(f"{event.value!r}: infinity and NaN are not JSON numbers", event)
        return value
    if tag == _MERGE:
        raise _fail("merge keys (<<) are not supported; write the keys out", event)
    raise _fail(f"unsupported YAML tag {tag!r}: only plain JSON values are allowed", event)


def _utf8_size_over(text: str, limit: int) -> bool:
    # A character is 1-4 bytes in UTF-8: decide from the length when possible, encode otherwise.
    if len(text) > limit:
        return True
    if len(text) * 4 <= limit:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > limit


def parse(
    text: str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_aliases: int = DEFAULT_MAX_ALIASES,
    max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES,
) -> tuple[Any, Positions]:
    """Parse one YAML or JSON document into plain JSON-like data and its :class:`Positions`.

    Raises :class:`FormatError` (with 1-based line and column where there is one) for malformed
    YAML, a document over ``max_bytes`` (UTF-8), nesting over ``max_depth``, more than
    ``max_aliases`` alias references or ``max_alias_nodes`` nodes copied by aliases, duplicate
    or non-scalar keys, unsupported tags, and more than one document. An empty document gives
    ``None``.
    """
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            raise FormatError(_too_big(len(text), max_bytes))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(f"the document is not UTF-8 text (byte {exc.start + 1})") from exc
    elif _utf8_size_over(text, max_bytes):
        raise FormatError(_too_big(len(text.encode("utf-8", "surrogatepass")), max_bytes))
    positions = Positions()
    try:
        root = _build(text, positions, max_depth, max_aliases, max_alias_nodes)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark if exc.problem_mark is not None else exc.context_mark
        reason = ": ".join(p for p in (exc.context, exc.problem) if p) or "unreadable document"
        reason = f"malformed YAML: {reason}"
        if mark is None:
            raise FormatError(reason) from exc
        raise FormatError(reason, mark.line + 1, mark.column + 1) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a document
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        raise FormatError(
            f"malformed YAML: character U+{char:04X} is not allowed ({exc.reason}); "
            "write it as an escape inside double quotes",
            line,
            column,
        ) from exc
    except yaml.YAMLError as exc:
        raise FormatError(f"malformed YAML: {exc}") from exc
    return root, positions


def _too_big(size: int, limit: int) -> str:
    return f"the document is {size:,} bytes; the limit is {limit:,} bytes"


def _build(
    text: str, positions: Positions, max_depth: int, max_aliases: int, max_alias_nodes: int
) -> Any:
    loader = _Loader(text)
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    root: Any = None
    documents = 0
    nodes = 0
    alias_refs = 0
    alias_nodes = 0

    def attach(value: Any, event: Event, anchor: str | None, size: int) -> None:
        nonlocal root
        if anchor is not None:
            anchors[anchor] = (value, size)
        if not stack:
            root = value
            return
        parent = stack[-1]
        if isinstance(parent.container, list):
            parent.container.append(value)
        else:
            assert parent.pending_key is not None
            parent.container[parent.pending_key] = value
            parent.pending_key = None

    def child_path(event: Event) -> Path | None:
        """Record and return the path of a new value node (None inside alias copies)."""
        if not stack:
            positions.values[()] = _pos(event)
            return ()
        parent = stack[-1]
        if isinstance(parent.container, list):
            path: Path = parent.path + (len(parent.container),)
            positions.keys[path] = _pos(event)
        else:
            assert parent.pending_key is not None
            path = parent.path + (parent.pending_key,)
        positions.values[path] = _pos(event)
        return path

    def expecting_key() -> bool:
        return bool(stack) and isinstance(stack[-1].container, dict) and stack[-1].pending_key is None

    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, StreamEndEvent):
                break
            if isinstance(event, StreamStartEvent):
                continue
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _fail("expected one document, found a second one (remove the '---')", event)
                continue
            if isinstance(event, ScalarEvent):
                nodes += 1
                if expecting_key():
                    frame = stack[-1]
                    if event.tag in (None, "!") and event.implicit[0] and _resolve(event) == _MERGE:
                        raise _fail("merge keys (<<) are not supported; write the keys out", event)
                    key = event.value
                    _add_key(frame, key, event, positions)
                    if event.anchor is not None:
                        anchors[event.anchor] = (key, 1)
                    continue
                value = _scalar_value(event)
                child_path(event)
                attach(value, event, event.anchor, 1)
                continue
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                nodes += 1
                is_map = isinstance(event, MappingStartEvent)
                if expecting_key():
                    raise _fail("a mapping key must be a plain value, not a list or mapping", event)
                if len(stack) >= max_depth:
                    raise _fail(f"the document nests deeper than {max_depth} levels", event)
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    raise _fail(f"unsupported YAML tag {event.tag!r}: only plain JSON values are allowed", event)
                path = child_path(event)
                assert path is not None
                container: dict[str, Any] | list[Any] = {} if is_map else []
                stack.append(_Frame(container, path, event.anchor, nodes))
                continue
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                frame = stack.pop()
                attach(frame.container, event, frame.anchor, nodes - frame.nodes_before + 1)
                continue
            if isinstance(event, AliasEvent):
                alias_refs += 1
                if alias_refs > max_aliases:
                    raise _fail(f"more than {max_aliases} aliases; refusing to expand them", event)
                if event.anchor not in anchors:
                    # An alias to an anchor still open is a recursive structure.
                    raise _fail(f"alias *{event.anchor} refers to an unknown or enclosing anchor", event)
                value, size = anchors[event.anchor]
                alias_nodes += size
                nodes += size
                if alias_nodes > max_alias_nodes:
                    raise _fail(
                        f"aliases expand to more than {max_alias_nodes:,} nodes (an alias bomb?); "
                        "refusing to expand them",
                        event,
                    )
                if expecting_key():
                    if not isinstance(value, str):
                        raise _fail("a mapping key must be a plain value, not a list or mapping", event)
                    _add_key(stack[-1], value, event, positions)
                    continue
                child_path(event)
                attach(copy.deepcopy(value), event, None, size)
                continue
            # DocumentEndEvent: nothing to do.
    finally:
        loader.dispose()
    return root


def _add_key(frame: _Frame, key: str, event: Event, positions: Positions) -> None:
    assert isinstance(frame.container, dict)
    path = frame.path + (key,)
    if key in frame.container:
        first = positions.keys.get(path)
        where = f" (first at line {first[0]}, column {first[1]})" if first else ""
        raise _fail(f"duplicate key {key!r}{where}", event)
    positions.keys[path] = _pos(event)
    frame.pending_key = key
