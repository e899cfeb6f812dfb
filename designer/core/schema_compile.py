"""The one way to check and compile a JSON Schema: forms, services, import, envelope, lint, live.

Schemas come from strangers (anyone may sign up and own a team), so compiling one must never
reach outside the process or freeze it:

- **References resolve only inside the document.** ``#/$defs/Name`` pointers, ``#anchor``
  names and sub-schemas embedded with their own ``$id`` resolve; the JSON Schema meta-schemas
  (``https://json-schema.org/...``), which jsonschema-rs carries in memory, resolve too. Every
  other ``$ref`` (``http(s)://``, ``file:``, ``urn:``, a path relative to a remote ``$id``) is
  refused with a message naming it, and nothing is fetched or read: the resolver we hand to
  jsonschema-rs refuses every retrieval, so even a reference this module's own walk missed
  cannot reach the network or the disk. References between a team's schemas are not
  supported: a schema is a self-contained document (bundle ``$defs`` into it).
- **Patterns run on a bounded engine.** ``pattern``, ``patternProperties`` and the ``regex``
  format use jsonschema-rs's fancy-regex engine, which hands every pattern without lookaround
  or backreferences to Rust's linear-time ``regex`` crate and stops the others after
  ``BACKTRACK_LIMIT`` steps (the value then counts as not matching). ``(a+)+$`` against 5,000
  ``a``s and a ``!`` takes well under a millisecond; Python's ``re`` took seconds for 25.
- **Size limits.** A schema or an instance nested deeper than ``MAX_DEPTH`` levels, or a schema
  with more than ``MAX_NODES`` values, is refused before anything is compiled. The compiled
  regex of one pattern is capped at ``PATTERN_SIZE_LIMIT`` bytes.

Messages read ``<JSON path>: <reason>``: ``schema.properties.total.type: ...`` for a problem in
a schema, ``$.items[0].sku: ...`` for an instance that does not match.
"""
from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema_rs
import orjson

JSON = Any

#: Nesting levels (objects and arrays) allowed in a schema or an instance checked against one.
#: Real schemas stay under 20; a property nested 30 deep is about 60 levels of JSON.
MAX_DEPTH = 64
#: Values (objects, arrays, strings, numbers...) in one schema: thousands of properties fit.
MAX_NODES = 200_000
#: Problems reported per check: the first ones are what people fix first.
MAX_PROBLEMS = 20
#: Backtracking steps a lookaround/backreference pattern may take on one value.
BACKTRACK_LIMIT = 1_000
#: Compiled size of one pattern and of its lazy DFA cache (bytes).
PATTERN_SIZE_LIMIT = 2 * 1024 * 1024
PATTERN_DFA_LIMIT = 4 * 1024 * 1024
#: Instances with more values than this get only their first error (building each error costs
#: about 10 µs in jsonschema-rs, which builds them all before returning any).
ERRORS_NODE_LIMIT = 2_000
#: A message quoting a huge value keeps its head and its tail (the reason is at the end).
MESSAGE_CHARS = 300

_REF_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")
_DATA_KEYS = frozenset({"enum", "const", "default", "examples", "example"})
# The meta-schemas jsonschema-rs keeps in memory (every draft it supports): never fetched.
_BUILTIN = re.compile(r"^https?://json-schema\.org/")
_META = {
    "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema", "http://json-schema.org/draft-06/schema",
    "http://json-schema.org/draft-04/schema",
}
_DEFAULT_META = "https://json-schema.org/draft/2020-12/schema"
_TYPES = "array, boolean, integer, null, number, object, string"


class SchemaError(ValueError):
    """A schema that cannot be used; ``problems`` are readable ``path: reason`` lines."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems) or ["schema: not a usable JSON Schema"]
        super().__init__(self.problems[0])


# ---- shape limits ---------------------------------------------------------------------------
def json_depth(value: JSON, stop_at: int = MAX_DEPTH + 1) -> int:
    """Nesting levels of objects and arrays in ``value`` (a scalar is 0), counted iteratively.

    Counting stops once ``stop_at`` is reached, so a hostile value costs little.

    >>> json_depth({"a": [1, {"b": 2}]})
    3
    >>> json_depth(42)
    0
    """
    deepest = 0
    stack: list[tuple[JSON, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Iterator[JSON] = iter(node.values())
        elif isinstance(node, (list, tuple)):
            children = iter(node)
        else:
            continue
        deepest = max(deepest, level)
        if deepest >= stop_at:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def shape_problem(value: JSON, what: str = "the value", max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``value`` is too deeply nested to check (None when it is fine)."""
    if json_depth(value, max_depth + 1) > max_depth:
        return too_deep(what, max_depth)
    return None


def too_deep(what: str, max_depth: int = MAX_DEPTH) -> str:
    """The message for a value nested beyond ``max_depth`` levels."""
    return (f"{what} is nested more than {max_depth} levels deep; flatten it (deeper nesting is "
            "refused so that checking it stays fast)")


def json_path(parts: Sequence[str | int], root: str = "$") -> str:
    """``["items", 0, "sku"]`` → ``$.items[0].sku`` (keys that are not identifiers quoted)."""
    out = root
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", p):
            out += "." + p
        else:
            out += "[" + json.dumps(p, ensure_ascii=False) + "]"
    return out


def _clip(message: str) -> str:
    """A message no longer than ``MESSAGE_CHARS``: the quoted value is cut in the middle."""
    first = message.splitlines()[0] if message else ""
    if len(first) <= MESSAGE_CHARS:
        return first
    return first[:170] + " … " + first[-(MESSAGE_CHARS - 173):]


# ---- references -----------------------------------------------------------------------------
def _walk(schema: JSON) -> Iterator[tuple[list[str | int], dict[str, Any], str]]:
    """Yield (path, object, base URI) for every object in the schema, iteratively."""
    stack: list[tuple[JSON, list[str | int], str]] = [(schema, [], "")]
    while stack:
        node, path, base = stack.pop()
        if isinstance(node, dict):
            ident = node.get("$id")
            if isinstance(ident, str):
                base = urljoin(base, ident) if base else ident
            yield path, node, base
            # Values under data keywords are not schemas: a "$ref" in an example is just data.
            stack.extend((v, [*path, k], base) for k, v in node.items() if k not in _DATA_KEYS)
        elif isinstance(node, list):
            stack.extend((v, [*path, i], base) for i, v in enumerate(node))


def reference_problems(schema: JSON) -> list[str]:
    """Each reference that points outside the document, as a ``path: reason`` line.

    >>> reference_problems({"$defs": {"a": {}}, "$ref": "#/$defs/a"})
    []
    >>> reference_problems({"$ref": "file:///etc/passwd"})[0].split(":")[0]
    'schema.$ref'
    """
    embedded: set[str] = set()
    refs: list[tuple[list[str | int], str, str]] = []
    for path, node, base in _walk(schema):
        if base:
            embedded.add(urldefrag(base).url)
        for key in _REF_KEYS:
            ref = node.get(key)
            if isinstance(ref, str):
                refs.append(([*path, key], ref, urljoin(base, ref) if base else ref))
    out = []
    for path, ref, target in refs:
        if ref.startswith("#") or urldefrag(target).url in embedded or _BUILTIN.match(target):
            continue
        shown = ref if ref == target else f"{ref} (that is {target})"
        out.append(f"{json_path(path, 'schema')}: the reference {shown!r} points outside this schema; "
                   "only references inside the document (such as '#/$defs/Name') are allowed, and "
                   "nothing is fetched: copy what it points at into $defs")
    return out


# ---- one look in C for the common case ------------------------------------------------------
_CANON = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
_JSON_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKETS = re.compile(rb"[^\[\]{}]+")
_BRACKET_STEP = {ord("{"): 1, ord("["): 1, ord("}"): -1, ord("]"): -1}
_REF_MARKS = tuple(f'"{key}"'.encode() for key in _REF_KEYS)


def _text_depth(text: bytes) -> int:
    """How deeply brackets nest in a JSON text (strings left out): ``json_depth`` of its value."""
    brackets = _NOT_BRACKETS.sub(b"", _JSON_STRINGS.sub(b"", text))
    return max(itertools.accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def _quick(schema: JSON) -> bytes | None:
    """``schema``'s canonical text when one pass in C proves it within ``MAX_DEPTH`` and
    ``MAX_NODES`` and free of references (most schemas); None when the walks must decide.

    orjson serialises at C speed (it refuses more than 255 levels, and non-JSON values, so those
    take the slow path and get its messages). In the text every value takes at least one
    character, nesting is bracket depth, and a schema without the text ``"$ref"`` (nor the other
    reference keywords) has no reference: a string value that merely looks like one only sends
    the schema down the exact path.
    """
    try:
        text = orjson.dumps(schema, option=_CANON)
    except TypeError:
        return None
    if len(text) > MAX_NODES or any(mark in text for mark in _REF_MARKS):
        return None
    if text.count(b"{") + text.count(b"[") > MAX_DEPTH and _text_depth(text) > MAX_DEPTH:
        return None
    return text


def _refuse(uri: str) -> Any:
    """The retriever given to jsonschema-rs: nothing outside the document is ever fetched."""
    raise ValueError(f"{uri} is outside this schema and is not fetched")


# ---- compiling ------------------------------------------------------------------------------
def _options() -> dict[str, Any]:
    return {
        "validate_formats": True,
        "retriever": _refuse,
        "pattern_options": jsonschema_rs.FancyRegexOptions(
            backtrack_limit=BACKTRACK_LIMIT, size_limit=PATTERN_SIZE_LIMIT, dfa_size_limit=PATTERN_DFA_LIMIT),
    }


def _canonical(schema: JSON) -> bytes:
    """The schema as sorted JSON text: the compile cache's key (SchemaError if not JSON)."""
    try:
        return orjson.dumps(schema, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:  # integers beyond 64 bits: the slower encoder handles them
        pass
    try:
        return json.dumps(schema, sort_keys=True, allow_nan=False).encode()
    except (TypeError, ValueError):
        raise SchemaError(["schema: not a JSON value (keys must be strings, numbers finite)"]) from None


@lru_cache(maxsize=256)
def _meta_validator(uri: str) -> Any:
    return jsonschema_rs.validator_for({"$schema": uri, "$ref": uri}, **_options())


def _reword(message: str, path: Sequence[str | int]) -> str:
    """Say the common meta-schema failures the way a person would."""
    if path and path[-1] == "type" and "anyOf" in message:
        return f"{message.split(' is not valid')[0]} is not a JSON Schema type (use one of: {_TYPES})"
    if "is not a \"regex\"" in message:
        return (f"{message.split(' is not a')[0]} is not a regular expression this checker accepts "
                "(ECMA 262 syntax, compiled size within limits)")
    return message


def schema_problems(schema: JSON) -> list[str]:
    """Why ``schema`` is not a usable JSON Schema, as ``schema.<path>: reason`` lines (empty when fine).

    ``None`` (no schema) is fine. Checks, in order: the JSON shape (an object or a boolean,
    within ``MAX_DEPTH`` and ``MAX_NODES``), references, the meta-schema of the declared draft
    (2020-12 when none is declared), and finally that it compiles (patterns included).
    """
    if schema is None or isinstance(schema, bool):
        return []
    if not isinstance(schema, dict):
        return ["schema: a JSON Schema must be an object (or true/false)"]
    text = _quick(schema)
    if text is None:
        shape = shape_problem(schema, "the schema")
        if shape:
            return [f"schema: {shape}"]
        if _count(schema, MAX_NODES + 1) > MAX_NODES:
            return [f"schema: the schema has more than {MAX_NODES:,} values; split it up"]
        refs = reference_problems(schema)
        if refs:
            return refs[:MAX_PROBLEMS]
    declared = schema.get("$schema", _DEFAULT_META)
    if not isinstance(declared, str):
        return ["schema.$schema: must be a string naming a JSON Schema draft"]
    meta = urldefrag(declared).url
    if meta not in _META:
        return [f"schema.$schema: unknown meta-schema {declared!r}; use {_DEFAULT_META!r} (or draft-07, "
                "draft-06, draft-04, 2019-09)"]
    out: list[str] = []
    try:
        validator = _meta_validator(meta)
        # is_valid answers the common case in one call without building error objects.
        errors = () if validator.is_valid(schema) else validator.iter_errors(schema)
        for err in errors:
            line = f"{json_path(list(err.instance_path), 'schema')}: {_clip(_reword(err.message, err.instance_path))}"
            if line not in out:
                out.append(line)
            if len(out) >= MAX_PROBLEMS:
                break
    except ValueError as exc:  # jsonschema-rs refuses values it cannot convert (huge numbers...)
        return [f"schema: {_clip(str(exc))}"]
    if out:
        return sorted(out)
    try:
        # Shape and references are checked above: compile the text (cached by it) directly.
        _compile(text) if text is not None else compile_schema(schema)
    except SchemaError as exc:
        return exc.problems
    return []


def _count(value: JSON, stop_at: int) -> int:
    n = 0
    stack = [value]
    while stack and n < stop_at:
        node = stack.pop()
        n += 1
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return n


@lru_cache(maxsize=4096)
def _compile(schema_json: bytes) -> Any:
    schema = json.loads(schema_json)
    try:
        return jsonschema_rs.validator_for(schema, **_options())
    except jsonschema_rs.ValidationError as exc:
        path = list(exc.instance_path)
        if "retrieving it failed" in exc.message or "not present in a registry" in exc.message:
            where = re.search(r"Resource '([^']*)'", exc.message)
            ref = where.group(1) if where else "a reference"
            raise SchemaError([f"schema: the reference {ref!r} points outside this schema; only "
                               "references inside the document are allowed, and nothing is fetched"]) from None
        raise SchemaError([f"{json_path(path, 'schema')}: {_clip(_reword(exc.message, path))}"]) from None
    except ValueError as exc:  # recursion limits, numbers it cannot hold, a pointer to nowhere
        raise SchemaError([f"schema: {_clip(str(exc))}"]) from None


def compile_schema(schema: JSON) -> Any:
    """A compiled, cached jsonschema-rs validator for ``schema``; raises :class:`SchemaError`.

    Formats are checked, references stay inside the document, patterns are bounded. The
    returned object has ``is_valid(instance)`` and ``iter_errors(instance)``.
    """
    if isinstance(schema, dict):
        text = _quick(schema)
        if text is not None:
            return _compile(text)
        shape = shape_problem(schema, "the schema")
        if shape:
            raise SchemaError([f"schema: {shape}"])
        refs = reference_problems(schema)
        if refs:
            raise SchemaError(refs[:MAX_PROBLEMS])
    elif not isinstance(schema, bool):
        raise SchemaError(["schema: a JSON Schema must be an object (or true/false)"])
    return _compile(_canonical(schema))


def errors_of(validator: Any, instance: JSON, limit: int = MAX_PROBLEMS) -> list[tuple[list[str | int], str]]:
    """Up to ``limit`` (instance path, message) pairs where ``instance`` fails ``validator``.

    jsonschema-rs builds every error before returning the first, which costs about 10 µs per
    error: a large instance full of errors gets only its first error (``validate``), so a
    hostile payload cannot make one check take long. Raises ValueError for a value
    jsonschema-rs cannot take (an integer beyond 64 bits, nesting beyond its own limit).
    """
    if validator.is_valid(instance):  # the fast path: one call, no error objects
        return []
    if _count(instance, ERRORS_NODE_LIMIT + 1) > ERRORS_NODE_LIMIT:
        try:
            validator.validate(instance)
        except jsonschema_rs.ValidationError as first:
            return [(list(first.instance_path), _clip(first.message))]
        return []
    out: list[tuple[list[str | int], str]] = []
    for err in validator.iter_errors(instance):
        out.append((list(err.instance_path), _clip(err.message)))
        if len(out) >= limit:
            break
    return out


def instance_problems(schema: JSON, instance: JSON, limit: int = MAX_PROBLEMS) -> list[str]:
    """Where ``instance`` does not match ``schema``, as ``$.path: reason`` lines (empty when it does).

    A missing schema or instance, or a schema that is itself not usable, yields nothing here:
    :func:`schema_problems` reports those.
    """
    if schema is None or instance is None:
        return []
    try:
        validator = compile_schema(schema)
    except SchemaError:
        return []
    shape = shape_problem(instance, "the value")
    if shape:
        return [f"$: {shape}"]
    try:
        errors = errors_of(validator, instance, limit)
    except ValueError as exc:
        return [f"$: the value cannot be checked: {_clip(str(exc))}"]
    return sorted((f"{json_path(path)}: {message}" for path, message in errors), key=_path_order)


def first_problem(schema: JSON, instance: JSON) -> str:
    """The first place ``instance`` fails ``schema`` as ``message (at /pointer)``; "" when it matches.

    Used where one line is wanted (lint findings). An unusable schema yields "" (not this
    caller's finding).
    """
    try:
        validator = compile_schema(schema)
        errors = errors_of(validator, instance, 1)
    except ValueError:  # SchemaError included
        return ""
    if not errors:
        return ""
    path, message = errors[0]
    where = "/".join(str(p) for p in path)
    return message + (f" (at /{where})" if where else "")


def _path_order(line: str) -> str:
    return line.split(": ", 1)[0]
