"""A payload's worst-case size is bounded and within the budget (64 KB by default).

Brokers and bindings cap message size (Kafka's default ``message.max.bytes`` is about 1 MB,
SNS/SQS 256 KB, EventBridge 256 KB, CloudEvents advises staying under 64 KB for intermediaries).
A payload that *may* exceed the cap fails in production on the one large order, not in tests.
The rule computes the true worst-case JSON size from the schema: a string costs up to 6 bytes
per character of ``maxLength`` plus its quotes (a JSON encoder may write any character as a
``\\u00XX`` escape), an array ``maxItems`` times its item, an object its keys and values,
``enum``/``const`` their longest value, fixed-size formats (date-time, uuid, email…) their
longest form, numbers 24 bytes. Anything without a bound has an infinite worst case and is
listed: a string without ``maxLength``/format/enum, an array without ``maxItems``, an *open*
object (``additionalProperties`` not false, or ``patternProperties``: any number of extra keys)
and a schema that accepts any value.

Flags: a schema whose worst case exceeds ``budget_bytes``; unbounded strings, arrays, open
objects and untyped values (one finding per message, listing them), unless ``flag_unbounded``
is false.
Why: oversized messages are rejected by the broker or truncated by a binding, far from the
producer's tests; bounds also document intent for consumers.
Source: CloudEvents 1.0.2 "Size Limits" (64 KB); broker limits (Kafka, SQS, EventBridge);
RFC 8259 section 7 (string escapes).
Fails:
    version: 1
    messages:
      - name: DocumentUploaded
        schema:
          type: object
          additionalProperties: false
          properties:
            documentId: {type: string, format: uuid}
            content: {type: string}
Passes:
    version: 1
    messages:
      - name: DocumentUploaded
        schema:
          type: object
          additionalProperties: false
          properties:
            documentId: {type: string, format: uuid}
            title: {type: string, maxLength: 200}
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from designer.core.lint.finding import Finding, Fix
from designer.core.model import JSON, Model
from designer.core.schema_walk import resolve, types_of

ID = "payload-size-budget"
DEFAULT_SEVERITY = "warning"
CATEGORY = "payload"
# 64 KB: the CloudEvents spec's advice for events that cross intermediaries.
OPTIONS: dict[str, Any] = {"budget_bytes": 65536, "flag_unbounded": True}

# Worst-case serialised sizes of bounded formats (quotes included). These formats are ASCII by
# definition, so one byte a character; email: RFC 5321 caps an address at 254 characters.
_FORMAT_SIZES: dict[str, int] = {
    "date-time": 37, "date": 12, "time": 24, "uuid": 38, "email": 256,
    "ipv4": 17, "ipv6": 47, "duration": 40, "hostname": 255, "decimal": 42, "int32": 13, "int64": 22,
}
# Internationalised formats may hold any character: their length caps cost 6 bytes a character.
_FORMAT_CHARS: dict[str, int] = {"idn-email": 254, "idn-hostname": 253}
# The longest escape a JSON encoder writes for one character is ``\\u001f`` (6 bytes); UTF-8 needs
# at most 4. So a string of ``maxLength`` n costs at most 2 + 6n bytes on the wire.
_BYTES_PER_CHAR = 6
_NUMBER_SIZE = 24  # the longest JSON rendering of a double (e.g. -1.2345678901234567e-308)
_MAX_DEPTH = 32  # deeper schemas are treated as unbounded rather than walked further
_SHOW = 5  # how many unbounded paths to list in one message
# The one-click fix's bound for an unbounded string: room for a name or a title, 1.2 KB at worst;
# the preview shows it, and a longer text should say so with its own maxLength.
_DEFAULT_MAX_LENGTH = 200
# Keys that say what a value may be; a schema node with none of them accepts any JSON value.
_CONSTRAINING = frozenset({"type", "properties", "items", "prefixItems", "enum", "const", "$ref",
                           "oneOf", "anyOf", "allOf", "additionalProperties", "patternProperties"})


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield findings for payloads over budget and for unbounded strings, arrays and objects."""
    budget = int(options.get("budget_bytes", OPTIONS["budget_bytes"]))
    flag_unbounded = bool(options.get("flag_unbounded", OPTIONS["flag_unbounded"]))
    for message in model.messages:
        schema = message.schema
        if schema is None:
            continue
        unbounded: list[tuple[str, str]] = []
        size = _size(schema, schema, "schema", unbounded, 0, frozenset())
        if math.isfinite(size) and size > budget:
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"The worst-case payload is {int(size):,} bytes, over the {budget:,}-byte budget; "
                f"lower maxLength/maxItems, or send a reference (a claim check URL) to large content.",
                path="schema",
            )
        if flag_unbounded and unbounded:
            more = f" and {len(unbounded) - _SHOW} more" if len(unbounded) > _SHOW else ""
            listed = ", ".join(f"{path} ({what})" for path, what in unbounded[:_SHOW])
            first, what = unbounded[0]
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"Unbounded worst-case size: {listed}{more}; add maxLength / maxItems (or a "
                f"format/enum), close objects with additionalProperties: false, so the worst case "
                f"stays under {budget:,} bytes.",
                fix=Fix("set", f"{first}.maxLength", _DEFAULT_MAX_LENGTH,
                        f"Set maxLength: {_DEFAULT_MAX_LENGTH} on {first.rsplit('.', 1)[-1]}")
                if what == "string without maxLength" else None,
                path=first,
            )


@lru_cache(maxsize=65536)  # property names repeat across messages; bounded
def _key_size(name: str) -> int:
    """Worst-case serialised size of a property name as a JSON key (quotes and escapes)."""
    return len(json.dumps(name))


def _size(node: JSON, root: JSON, path: str, unbounded: list[tuple[str, str]], depth: int,
          refs: frozenset[str]) -> float:
    """Worst-case JSON size of values of ``node``; ``inf`` when unbounded (path recorded)."""
    if depth > _MAX_DEPTH:
        unbounded.append((path, "nested too deep to bound"))
        return math.inf
    if not isinstance(node, dict):
        if node is False:
            return 0.0  # no value allowed
        unbounded.append((path, "any value"))
        return math.inf
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in refs:  # recursive structure: unbounded depth
            unbounded.append((path, "recursive"))
            return math.inf
        refs = refs | {ref}
        node = resolve(node, root)
        if not isinstance(node, dict):
            unbounded.append((path, "any value"))
            return math.inf
    if "const" in node:
        return float(len(json.dumps(node["const"])))
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        return float(max(len(json.dumps(v)) for v in enum))
    if _CONSTRAINING.isdisjoint(node):
        unbounded.append((path, "any value"))
        return math.inf
    one_of, any_of = node.get("oneOf"), node.get("anyOf")
    if one_of is not None or any_of is not None:  # most nodes have neither: skip the list
        branches = [b for k in (one_of, any_of) if isinstance(k, list) for b in k]
        if branches:
            return max(_size(b, root, f"{path}.{i}", unbounded, depth + 1, refs)
                       for i, b in enumerate(branches))
    all_of = node.get("allOf")
    if isinstance(all_of, list) and all_of:
        # A value must satisfy every branch, so the tightest branch bounds it.
        sizes = [_size(b, root, f"{path}.allOf.{i}", unbounded, depth + 1, refs)
                 for i, b in enumerate(all_of)]
        if not ({"type", "properties", "items"} & node.keys()):
            return min(sizes)
        own = _typed_size(node, root, path, unbounded, depth, refs)
        return min([own, *sizes])
    return _typed_size(node, root, path, unbounded, depth, refs)


def _typed_size(node: dict[str, Any], root: JSON, path: str, unbounded: list[tuple[str, str]],
                depth: int, refs: frozenset[str]) -> float:
    declared = node.get("type")
    # One declared type is the common case: skip building a frozenset for it.
    types: Iterable[str] = (declared,) if isinstance(declared, str) else types_of(node)
    if not types:
        if isinstance(node.get("properties"), dict) or "additionalProperties" in node:
            types = ("object",)
        elif "items" in node or "prefixItems" in node:
            types = ("array",)
        else:
            unbounded.append((path, "any value"))
            return math.inf
    best = 4.0  # null
    for t in types:
        if t == "object":
            raw = node.get("properties")
            props: dict[str, Any] = raw if isinstance(raw, dict) else {}
            total = 2.0 + max(0, len(props) - 1)  # braces, commas between members
            for name, sub in props.items():
                total += _key_size(name) + 1 + _size(sub, root, f"{path}.properties.{name}",
                                                           unbounded, depth + 1, refs)
            if node.get("additionalProperties", True) is not False or node.get("patternProperties"):
                if node.get("unevaluatedProperties", True) is not False or node.get("patternProperties"):
                    unbounded.append((path, "open object"))
                    return math.inf
            best = max(best, total)
        elif t == "array":
            items = node.get("items")
            max_items = node.get("maxItems")
            item = _size(items, root, f"{path}.items", unbounded, depth + 1, refs) if items is not None else 4.0
            if not isinstance(max_items, int):
                unbounded.append((path, "array without maxItems"))
                return math.inf
            best = max(best, 2.0 + max_items * item + max(0, max_items - 1))
        elif t == "string":
            max_length = node.get("maxLength")
            fmt = node.get("format")
            if isinstance(max_length, int):
                best = max(best, 2.0 + _BYTES_PER_CHAR * max_length)
            elif isinstance(fmt, str) and fmt in _FORMAT_SIZES:
                best = max(best, float(_FORMAT_SIZES[fmt]))
            elif isinstance(fmt, str) and fmt in _FORMAT_CHARS:
                best = max(best, 2.0 + _BYTES_PER_CHAR * _FORMAT_CHARS[fmt])
            else:
                unbounded.append((path, "string without maxLength"))
                return math.inf
        elif t in ("number", "integer"):
            best = max(best, float(_NUMBER_SIZE))
        elif t == "boolean":
            best = max(best, 5.0)
    return best
