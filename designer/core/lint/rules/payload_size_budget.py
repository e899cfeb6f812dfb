"""A payload's worst-case size is bounded and within the budget (64 KB by default).

Brokers and bindings cap message size (Kafka's default ``message.max.bytes`` is about 1 MB,
SNS/SQS 256 KB, EventBridge 256 KB, CloudEvents advises staying under 64 KB for intermediaries).
A payload that *may* exceed the cap fails in production on the one large order, not in tests.
The rule computes the worst-case JSON size from the schema: ``maxLength`` of strings (one byte a
character, plus quotes), ``maxItems`` of arrays, ``enum``/``const`` values, fixed-size formats
(date-time, uuid, email…), numbers and booleans; and lists the strings and arrays without a
bound, since their worst case is infinite.

Flags: a schema whose worst case exceeds ``budget_bytes``; unbounded strings or arrays (one
finding per message, listing them), unless ``flag_unbounded`` is false.
Why: oversized messages are rejected by the broker or truncated by a binding, far from the
producer's tests; bounds also document intent for consumers.
Source: CloudEvents 1.0.2 "Size Limits" (64 KB); broker limits (Kafka, SQS, EventBridge).
Fails:
    version: 1
    messages:
      - name: DocumentUploaded
        schema:
          type: object
          properties:
            documentId: {type: string, format: uuid}
            content: {type: string}
Passes:
    version: 1
    messages:
      - name: DocumentUploaded
        schema:
          type: object
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

from designer.core.lint.finding import Finding
from designer.core.model import JSON, Model
from designer.core.schema_walk import resolve, types_of

ID = "payload-size-budget"
DEFAULT_SEVERITY = "warning"
CATEGORY = "payload"
# 64 KB: the CloudEvents spec's advice for events that cross intermediaries.
OPTIONS: dict[str, Any] = {"budget_bytes": 65536, "flag_unbounded": True}

# Worst-case serialised sizes of bounded formats (quotes included). Email: RFC 5321 caps 254.
_FORMAT_SIZES: dict[str, int] = {
    "date-time": 37, "date": 12, "time": 24, "uuid": 38, "email": 256, "idn-email": 256,
    "ipv4": 17, "ipv6": 47, "duration": 40, "hostname": 255, "decimal": 42, "int32": 13, "int64": 22,
}
_NUMBER_SIZE = 24  # the longest JSON rendering of a double (e.g. -1.2345678901234567e-308)
_MAX_DEPTH = 32  # deeper schemas are treated as unbounded rather than walked further
_SHOW = 5  # how many unbounded paths to list in one message


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield findings for payloads over budget and for unbounded strings/arrays."""
    budget = int(options.get("budget_bytes", OPTIONS["budget_bytes"]))
    flag_unbounded = bool(options.get("flag_unbounded", OPTIONS["flag_unbounded"]))
    for message in model.messages:
        schema = message.schema
        if schema is None:
            continue
        unbounded: list[str] = []
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
            yield Finding(
                ID, DEFAULT_SEVERITY, message.kind, message.name,
                f"Unbounded strings or arrays: {', '.join(unbounded[:_SHOW])}{more}; add maxLength "
                f"/ maxItems (or a format/enum) so the worst-case size stays under {budget:,} bytes.",
                path=unbounded[0],
            )


@lru_cache(maxsize=65536)  # property names repeat across messages; bounded
def _key_size(name: str) -> int:
    """Serialised size of a property name as a JSON key (quotes and escapes included)."""
    return len(json.dumps(name))


def _size(node: JSON, root: JSON, path: str, unbounded: list[str], depth: int,
          refs: frozenset[str]) -> float:
    """Worst-case JSON size of values of ``node``; ``inf`` when unbounded (path recorded)."""
    if depth > _MAX_DEPTH or not isinstance(node, dict):
        return math.inf if node is True or depth > _MAX_DEPTH else 4.0
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in refs:  # recursive structure: unbounded depth
            unbounded.append(path)
            return math.inf
        refs = refs | {ref}
        node = resolve(node, root)
        if not isinstance(node, dict):
            return 4.0
    if "const" in node:
        return float(len(json.dumps(node["const"])))
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        return float(max(len(json.dumps(v)) for v in enum))
    one_of, any_of = node.get("oneOf"), node.get("anyOf")
    if one_of is not None or any_of is not None:  # most nodes have neither: skip the list
        branches = [b for k in (one_of, any_of) if isinstance(k, list) for b in k]
        if branches:
            return max(_size(b, root, f"{path}.{i}", unbounded, depth + 1, refs)
                       for i, b in enumerate(branches))
    declared = node.get("type")
    # One declared type is the common case: skip building a frozenset for it.
    types: Iterable[str] = (declared,) if isinstance(declared, str) else types_of(node)
    if not types and isinstance(node.get("properties"), dict):
        types = ("object",)
    best = 4.0  # null
    for t in types:
        if t == "object":
            raw = node.get("properties")
            props: dict[str, Any] = raw if isinstance(raw, dict) else {}
            total = 2.0
            for name, sub in props.items():
                total += _key_size(name) + 2 + _size(sub, root, f"{path}.properties.{name}",
                                                           unbounded, depth + 1, refs)
            best = max(best, total)
        elif t == "array":
            items = node.get("items")
            max_items = node.get("maxItems")
            item = _size(items, root, f"{path}.items", unbounded, depth + 1, refs) if items is not None else 4.0
            if not isinstance(max_items, int):
                unbounded.append(path)
                return math.inf
            best = max(best, 2.0 + max_items * (item + 1))
        elif t == "string":
            max_length = node.get("maxLength")
            fmt = node.get("format")
            if isinstance(max_length, int):
                best = max(best, 2.0 + max_length)
            elif isinstance(fmt, str) and fmt in _FORMAT_SIZES:
                best = max(best, float(_FORMAT_SIZES[fmt]))
            else:
                unbounded.append(path)
                return math.inf
        elif t in ("number", "integer"):
            best = max(best, float(_NUMBER_SIZE))
        elif t == "boolean":
            best = max(best, 5.0)
    return best
