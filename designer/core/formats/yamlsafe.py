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

Speed (``manage.py lint`` on a 5,000-message file reads 6-15 MB here). Positions are recorded
while parsing only for paths up to ``POSITION_DEPTH`` long: the elements a finding points at
and their keys. A deeper position is only ever asked for in an error message; the first such
question re-reads the document once with every position recorded, so answers stay exact. An
error is reported at the event where it is found; a duplicate key whose first spelling lies
deeper than the recorded paths is reported by that complete pass. A document
that is valid JSON (it starts with ``{`` or ``[``) is read by the C JSON decoder with RFC 8259
semantics (``1e5`` is a number, as JSON says, where YAML 1.1 would read the text ``"1e5"``),
the levels that carry positions walked in Python; anything ``json`` refuses is read as YAML.
"""
from __future__ import annotations

import copy
import gc
import itertools
import json
import math
import re
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
)
from yaml.nodes import ScalarNode

from .errors import FormatError

try:  # libyaml is about 10x faster; the pure-Python parser produces the same events.
    from yaml._yaml import CParser as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

# A design file of 5,000 messages is about 6 MB and the same model as indented AsyncAPI JSON about
# 15 MB; 32 MB leaves room for such documents while bounding parse time and memory. (Uploads in
# the web app have their own, smaller limit: DESIGNER_MAX_UPLOAD_BYTES.)
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
# JSON Schemas nest deeply (properties -> items -> properties ...) but 64 levels is far beyond
# any real document; deeper input is a mistake or an attack.
DEFAULT_MAX_DEPTH = 64
# Anchors/aliases are legitimate YAML reuse (a shared schema fragment); a real document resolves
# tens of them, an alias bomb millions.
DEFAULT_MAX_ALIASES = 1_000
# Nodes that aliases may copy in, all references together. Nested aliases count their full
# expansion, so the exponential growth of a "billion laughs" document trips this in microseconds.
DEFAULT_MAX_ALIAS_NODES = 100_000
# Paths up to this long get positions while parsing: ("messages", 3, "versions", 0, "schema") in
# a design file, ("channels", id, "messages", key) in AsyncAPI. Deeper ones are found on demand.
POSITION_DEPTH = 5
# Shorter limits under top-level keys whose deeper positions no reader looks up on a good
# document (AsyncAPI operations, components): fewer nodes walked in Python for JSON input.
POSITION_DEPTHS: dict[str, int] = {"operations": 2, "components": 3, "info": 1, "servers": 2}
_UNLIMITED = 1 << 30  # the depth of a complete pass: every path recorded

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


def _recorded_depth(path: Path, depth: int) -> int:
    """How long the recorded paths under ``path``'s top-level key are (see POSITION_DEPTHS).

    A complete pass (``depth`` unlimited, ``_UNLIMITED``) records every path.
    """
    if not path or depth >= _UNLIMITED:
        return depth
    return POSITION_DEPTHS.get(str(path[0]), depth)


@dataclass
class Positions:
    """Where each element of a parsed document was written (1-based line and column).

    ``key(path)`` is the position of the last path element: the key of a mapping member, or the
    start of a sequence item. ``value(path)`` is the position of the value node itself (for the
    root, the path ``()``). Paths inside an alias expansion are not recorded; ``nearest`` and
    ``nearest_value`` fall back to the closest recorded ancestor, so an error always has a place.
    When the parse recorded paths only up to ``depth`` long, a question about a longer path
    first completes the map from the source (once); ``keys``/``values`` hold what is recorded.
    """

    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    depth: int | None = field(default=None, compare=False)  # None: every path is recorded
    _source: str | None = field(default=None, repr=False, compare=False)
    _limits: tuple[int, int, int] = field(default=(0, 0, 0), repr=False, compare=False)

    def _covers(self, path: Path) -> None:
        if self.depth is None or len(path) <= _recorded_depth(path, self.depth):
            return
        source, self._source = self._source, None
        self.depth = None
        if source is not None:
            full = Positions()
            _build(source, full, *self._limits, None)
            self.keys, self.values = full.keys, full.values

    def key(self, path: Path) -> tuple[int, int] | None:
        """Position of the key (or sequence item) at ``path``, or None if not recorded."""
        p = tuple(path)
        self._covers(p)
        return self.keys.get(p)

    def value(self, path: Path) -> tuple[int, int] | None:
        """Position of the value node at ``path``, or None if not recorded."""
        p = tuple(path)
        self._covers(p)
        return self.values.get(p)

    def nearest(self, path: Path) -> tuple[int, int] | None:
        """The key position of ``path`` or of its closest recorded ancestor (None for none)."""
        p = tuple(path)
        self._covers(p)
        while p:
            found = self.keys.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return self.values.get(())

    def nearest_value(self, path: Path) -> tuple[int, int] | None:
        """The value position of ``path``, else the nearest key/value position above it."""
        p = tuple(path)
        self._covers(p)
        found = self.values.get(p)
        if found is not None:
            return found
        return self.nearest(p)


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
    # Building allocates one container per node and no cycles: the cyclic collector's passes
    # over the growing result would cost a third of the time (measured on 6 MB). Re-enabled
    # (if it was on) before returning.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, max_depth, max_aliases, max_alias_nodes)
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, max_depth: int, max_aliases: int, max_alias_nodes: int) -> tuple[Any, Positions]:
    limits = (max_depth, max_aliases, max_alias_nodes)
    positions = Positions(depth=POSITION_DEPTH, _source=text, _limits=limits)
    if _JSON_START.match(text):
        root = _read_json(text, positions, max_depth)
        if root is not _NOT_JSON:
            return root, positions
        positions = Positions(depth=POSITION_DEPTH, _source=text, _limits=limits)
    try:
        root = _read(text, positions, limits, POSITION_DEPTH)
    except _Incomplete:
        # A duplicate key deep down: the complete pass knows where its first spelling was.
        positions = Positions()
        root = _read(text, positions, limits, None)
    return root, positions


def _read(text: str, positions: Positions, limits: tuple[int, int, int], depth: int | None) -> Any:
    """``_build`` with PyYAML's errors turned into :class:`FormatError`."""
    try:
        return _build(text, positions, *limits, depth)
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


def _too_big(size: int, limit: int) -> str:
    return f"the document is {size:,} bytes; the limit is {limit:,} bytes"


_MISSING = object()


def _plain(value: str, event: ScalarEvent) -> Any:
    """The value of a plain, untagged scalar, as ``_scalar_value`` computes it."""
    # Most plain scalars are words ("string", "object", an id): YAML 1.1 resolves a plain scalar
    # to bool/null/int/float/timestamp/merge only when it starts with one of the characters
    # below; every other first character is decided in one dict lookup of the resolver table.
    if value and value[0] not in _RESOLVER.yaml_implicit_resolvers:
        return value
    return _scalar_value(event)


class _Incomplete(Exception):
    """An error whose message needs a position the fast pass did not record."""


def _duplicate(key: str, path: Path, keys_at: dict[Path, tuple[int, int]], event: Event,
               complete: bool) -> FormatError:
    first = keys_at.get(path + (key,))
    if first is None and not complete:
        raise _Incomplete
    where = f" (first at line {first[0]}, column {first[1]})" if first else ""
    return _fail(f"duplicate key {key!r}{where}", event)


def _build(
    text: str, positions: Positions, max_depth: int, max_aliases: int, max_alias_nodes: int,
    pos_depth: int | None = None,
) -> Any:
    """Build the data from libyaml's events; record positions of paths up to ``pos_depth`` long.

    The loop is the hot path of reading a big design file (hundreds of thousands of events):
    it dispatches on the event class, keeps the open container in locals, and resolves each
    distinct plain scalar once.
    """
    loader = _Loader(text)
    get_event = loader.get_event
    keys_at, values_at = positions.keys, positions.values
    limit = _UNLIMITED if pos_depth is None else pos_depth
    depths: dict[str, int] = POSITION_DEPTHS if limit < _UNLIMITED else {}
    memo: dict[str, Any] = {}  # plain scalar text -> its value (scalars repeat: "string" ...)
    stack: list[tuple[Any, ...]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    # The open container: its object, whether a mapping, its path, whether its children's
    # positions are recorded, the pending mapping key, anchor and node count at its start.
    cont: Any = None
    is_map = False
    path: Path = ()
    record = True
    pending: Any = _MISSING
    anchor: str | None = None
    start_nodes = 0
    root: Any = None
    documents = 0
    nodes = 0
    alias_refs = 0
    alias_nodes = 0
    depth = 0

    def place(event: Any) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1)

    try:
        while True:
            event: Any = get_event()
            cls = event.__class__
            if cls is ScalarEvent:
                nodes += 1
                if is_map and pending is _MISSING:  # a mapping key: kept as written
                    key = event.value
                    if event.tag in (None, "!") and event.implicit[0] and key == "<<":
                        raise _fail("merge keys (<<) are not supported; write the keys out", event)
                    if key in cont:
                        raise _duplicate(key, path, keys_at, event, pos_depth is None)
                    if record:
                        mark = event.start_mark
                        keys_at[path + (key,)] = (mark.line + 1, mark.column + 1)
                    pending = key
                    if event.anchor is not None:
                        anchors[event.anchor] = (key, 1)
                    continue
                if event.tag is None and event.implicit[0]:
                    raw = event.value
                    value = memo.get(raw, _MISSING)
                    if value is _MISSING:
                        value = memo[raw] = _plain(raw, event)
                else:
                    value = _scalar_value(event)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                if cont is None:
                    values_at[()] = place(event)
                    root = value
                elif is_map:
                    if record:
                        mark = event.start_mark
                        values_at[path + (pending,)] = (mark.line + 1, mark.column + 1)
                    cont[pending] = value
                    pending = _MISSING
                else:
                    if record:
                        mark = event.start_mark
                        item = path + (len(cont),)
                        keys_at[item] = values_at[item] = (mark.line + 1, mark.column + 1)
                    cont.append(value)
                continue
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                nodes += 1
                new_map = cls is MappingStartEvent
                if is_map and pending is _MISSING:
                    raise _fail("a mapping key must be a plain value, not a list or mapping", event)
                if depth >= max_depth:
                    raise _fail(f"the document nests deeper than {max_depth} levels", event)
                if event.tag not in (_MAP_TAGS if new_map else _SEQ_TAGS):
                    raise _fail(f"unsupported YAML tag {event.tag!r}: only plain JSON values are allowed", event)
                if cont is None:
                    child: Path = ()
                    values_at[()] = place(event)
                else:
                    child = path + ((pending,) if is_map else (len(cont),))
                    if record:
                        mark = event.start_mark
                        values_at[child] = (mark.line + 1, mark.column + 1)
                        if not is_map:
                            keys_at[child] = values_at[child]
                stack.append((cont, is_map, path, record, pending, anchor, start_nodes))
                cont = {} if new_map else []
                is_map, path, pending = new_map, child, _MISSING
                # _recorded_depth, inlined (a call per container of a big file adds up)
                record = len(child) < (depths.get(str(child[0]), limit) if child else limit)
                anchor, start_nodes = event.anchor, nodes
                depth += 1
                continue
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                value, size, own_anchor = cont, nodes - start_nodes + 1, anchor
                cont, is_map, path, record, pending, anchor, start_nodes = stack.pop()
                depth -= 1
                if own_anchor is not None:
                    anchors[own_anchor] = (value, size)
                if cont is None:
                    root = value
                elif is_map:
                    cont[pending] = value
                    pending = _MISSING
                else:
                    cont.append(value)
                continue
            if cls is AliasEvent:
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
                if is_map and pending is _MISSING:
                    if not isinstance(value, str):
                        raise _fail("a mapping key must be a plain value, not a list or mapping", event)
                    if value in cont:
                        raise _duplicate(value, path, keys_at, event, pos_depth is None)
                    if record:
                        keys_at[path + (value,)] = place(event)
                    pending = value
                    continue
                copied = copy.deepcopy(value)
                if cont is None:
                    values_at[()] = place(event)
                    root = copied
                elif is_map:
                    if record:
                        values_at[path + (pending,)] = place(event)
                    cont[pending] = copied
                    pending = _MISSING
                else:
                    if record:
                        item = path + (len(cont),)
                        keys_at[item] = values_at[item] = place(event)
                    cont.append(copied)
                continue
            if cls is StreamEndEvent or event is None:
                break
            if cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _fail("expected one document, found a second one (remove the '---')", event)
            # StreamStartEvent, DocumentEndEvent: nothing to do.
    finally:
        if hasattr(loader, "dispose"):
            loader.dispose()
    return root


# ---- JSON ----------------------------------------------------------------------------------

_JSON_START = re.compile(r"[ \t\r\n]*[\[{]")
_WS = re.compile(r"[ \t\r\n]*")
_NOT_JSON = object()  # _read_json's answer for "read it as YAML"
_DEPTH_STEP = {"{": 1, "[": 1, "}": -1, "]": -1}
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NON_BRACKETS = re.compile(r"[^\[\]{}]+")


class _NotJSON(Exception):
    """The text is not JSON as the fast reader takes it: read it as YAML instead."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _NotJSON  # a duplicate key: the YAML pass reports it with its place
    return found


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NotJSON  # 1e400: the YAML pass reports it
    return value


def _no_constant(literal: str) -> Any:
    raise _NotJSON  # NaN / Infinity are not JSON


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_float=_finite, parse_constant=_no_constant)
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


def _nesting(segment: str) -> int:
    """How deeply brackets nest in a JSON text (strings left out), computed in C."""
    brackets = _NON_BRACKETS.sub("", _STRINGS.sub("", segment))
    if not brackets:
        return 0
    return max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets)))


def _read_json(text: str, positions: Positions, max_depth: int) -> Any:
    """Read a JSON document, recording positions of paths up to ``positions.depth`` long.

    Returns ``_NOT_JSON`` when the text is not (strict, finite, duplicate-free) JSON or nests
    deeper than ``max_depth``: the YAML reader then reads it and reports what is wrong.
    """
    keys_at, values_at = positions.keys, positions.values
    limit = positions.depth if positions.depth is not None else _UNLIMITED
    decode = _DECODER.raw_decode
    # Line and column of a character offset: offsets are asked for in increasing order, so a
    # cursor moves forward through the text counting newlines in C.
    cursor = [0, 1, 0]  # offset reached, its line, offset of that line's start

    def place(at: int) -> tuple[int, int]:
        offset, line, line_start = cursor
        newlines = text.count("\n", offset, at)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", offset, at) + 1
        cursor[:] = [at, line, line_start]
        return (line, at - line_start + 1)

    recurse: list[Any] = []

    def value_at(at: int, path: Path, depth: int) -> tuple[Any, int]:
        at = _WS.match(text, at).end()  # type: ignore[union-attr]
        values_at[path] = place(at)
        char = text[at:at + 1]
        if len(path) < _recorded_depth(path, limit) and char in ("{", "["):
            if depth >= max_depth:
                raise _NotJSON
            at = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
            if char == "{":
                obj: dict[str, Any] = {}
                if text[at:at + 1] == "}":
                    return obj, at + 1
                while True:
                    if text[at:at + 1] != '"':
                        raise _NotJSON
                    key_at = at
                    key, at = _scanstring(text, at + 1, True)
                    if key in obj:
                        raise _NotJSON
                    child = path + (key,)
                    keys_at[child] = place(key_at)
                    at = _WS.match(text, at).end()  # type: ignore[union-attr]
                    if text[at:at + 1] != ":":
                        raise _NotJSON
                    obj[key], at = recurse[0](at + 1, child, depth + 1)
                    at = _WS.match(text, at).end()  # type: ignore[union-attr]
                    sep = text[at:at + 1]
                    if sep == "}":
                        return obj, at + 1
                    if sep != ",":
                        raise _NotJSON
                    at = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
            items: list[Any] = []
            if text[at:at + 1] == "]":
                return items, at + 1
            while True:
                child = path + (len(items),)
                item_at = _WS.match(text, at).end()  # type: ignore[union-attr]
                keys_at[child] = place(item_at)
                value, at = recurse[0](item_at, child, depth + 1)
                items.append(value)
                at = _WS.match(text, at).end()  # type: ignore[union-attr]
                sep = text[at:at + 1]
                if sep == "]":
                    return items, at + 1
                if sep != ",":
                    raise _NotJSON
                at += 1
        value, end = decode(text, at)
        # Counting brackets (in C) bounds the nesting; only a subtree with many is measured.
        if (isinstance(value, (dict, list))
                and depth + text.count("{", at, end) + text.count("[", at, end) > max_depth
                and depth + _nesting(text[at:end]) > max_depth):
            raise _NotJSON
        return value, end

    # value_at calls itself through this list, emptied at the end: a closure that named itself
    # would be a reference cycle holding the text and the position maps, which the command
    # line (cyclic collector off) would keep until exit.
    recurse.append(value_at)
    try:
        root, end = value_at(0, (), 0)
    except (_NotJSON, ValueError, RecursionError, IndexError):
        return _NOT_JSON
    finally:
        recurse.clear()
    if _WS.match(text, end).end() != len(text):  # type: ignore[union-attr]
        return _NOT_JSON  # trailing text: not one JSON document
    return root
