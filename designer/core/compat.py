"""JSON Schema compatibility between message versions, per schema-registry mode, with explanations.

One change is judged by asking *does every value valid under one schema also validate under the
other?* — the question a validator answers, not a comparison of how the schemas are written:

- BACKWARD: consumers on the **new** schema can read data written with the **old** one
  (upgrade consumers first): every value the old schema accepts, the new one accepts. A problem
  here *breaks readers*. This is Confluent Schema Registry's BACKWARD for JSON Schema.
- FORWARD: consumers still on the **old** schema can read data written with the **new** one
  (upgrade producers first): every value the new schema accepts, the old one accepts.
- FULL: both. NONE: anything goes. ``*_TRANSITIVE``: against every earlier version, not only the
  previous one (see ``check_history``).

The engine proves inclusion keyword by keyword and records, for every change, whether it breaks
each direction. It is *sound*: a direction is reported compatible only when the proof goes
through. Where a keyword cannot be judged (an unknown keyword, a ``$ref`` out of the document,
a pattern it cannot evaluate, ``unevaluatedProperties`` next to in-place applicators, nesting
beyond its depth limit) the change is reported as breaking with "cannot prove it safe", never
passed silently. Combinators are compared by what they accept (subsumption), not by position:
``allOf`` parts are merged into one schema where that keeps the meaning, each ``anyOf``/``oneOf``
option of the writer must be accepted by an option of the reader (for a ``oneOf`` reader, by
exactly one), ``not`` is compared contravariantly. Recursive schemas (a ``$ref`` back to an
enclosing schema) are compared coinductively: a pair already under comparison is assumed to hold.

Content models matter, as in Confluent: an *open* model (``additionalProperties`` absent or true)
lets old data carry any extra property, so adding a typed property to it can reject old data; a
*closed* model (``additionalProperties: false``) guarantees old data never had the property, so
adding an optional one is safe, but removing a declared one makes new readers reject old data.
Unlike Confluent, a ``default`` does not make an added ``required`` property compatible:
validators do not fill in defaults, they reject the message.

Dialects: ``$schema`` draft-04/06/07 (and 2019-09) use ``items: [...]`` + ``additionalItems``
tuples and ignore ``$ref`` siblings; 2020-12 (and no ``$schema``, this product's default) use
``prefixItems`` + ``items`` and apply ``$ref`` siblings. A tuple written as ``items: [...]`` is
read as a tuple in every dialect.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

from designer.core.jsonvalue import json_kind, resolve_pointer
from designer.core.model import COMPAT_MODES
from designer.core.user_regex import UserRegexError, compile_user_regex

JSON = Any

__all__ = [
    "BACKWARD", "FORWARD", "Break", "CompatResult", "FieldChange", "check", "check_history", "diff",
    "is_transitive", "normalize_mode", "parse_version", "required_bump",
]

BACKWARD = "BACKWARD"
FORWARD = "FORWARD"

# Keywords that only annotate (or only hold schemas for $ref to reach); changing them never
# changes which values validate.
_ANNOTATIONS = frozenset({
    "title", "description", "examples", "example", "$comment", "deprecated", "readOnly",
    "writeOnly", "$schema", "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "default",
    "contentMediaType", "contentEncoding", "contentSchema", "$defs", "definitions", "$vocabulary",
    "discriminator", "externalDocs", "xml", "id",  # "id": draft-04's $id
})
_REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
_COMBINATORS = ("allOf", "anyOf", "oneOf")
# Keywords every dialect (draft-04 to 2020-12) gives the same meaning; the rest depend on $schema.
_COMMON = frozenset({
    "type", "enum", "const", "not", "if", "then", "else", "properties", "required",
    "additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties",
    "dependencies", "items", "minItems", "maxItems", "uniqueItems", "contains", "minLength",
    "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf",
})
_MODERN = frozenset({"dependentRequired", "dependentSchemas", "unevaluatedProperties",
                     "unevaluatedItems", "minContains", "maxContains"})
_HANDLED = {
    "legacy": _COMMON | {"additionalItems"},
    "2019": _COMMON | _MODERN | {"additionalItems"},
    "2020": _COMMON | _MODERN | {"prefixItems"},
    "default": _COMMON | _MODERN | {"prefixItems", "additionalItems"},
}
_ALL_ATOMS = frozenset({"null", "boolean", "object", "array", "string", "integer", "fraction"})
_TYPE_ATOMS = {"null": {"null"}, "boolean": {"boolean"}, "object": {"object"}, "array": {"array"},
               "string": {"string"}, "integer": {"integer"}, "number": {"integer", "fraction"}}
# Guards against pathological or self-referencing schemas: nesting deeper than this is reported
# as "cannot prove" (a real payload schema is rarely deeper than ~10 levels).
_MAX_DEPTH = 40
_MAX_BRANCHES = 1024  # anyOf/oneOf option pairs compared at one node before giving up
_MAX_NAME = 512  # property names longer than this are not matched against patterns

_OLD_READERS = "consumers still on the old version"
_NEW_READERS = "consumers upgraded to the new version"
_UNPROVEN_FIX = "Keep it unchanged, or release the change as a new major version."


@dataclass(frozen=True)
class Break:
    """One reason a new schema is incompatible with an old one in a given direction."""

    path: str  # where, e.g. "properties.total.type" ("" for the root)
    kind: str  # what changed, e.g. "type-narrowed", "property-added"
    direction: str  # "BACKWARD" (breaks readers on the new schema) or "FORWARD" (breaks old readers)
    why: str  # who breaks, concretely
    fix: str  # how to make the change compatible
    old_version: str = ""  # for check_history: which earlier version it conflicts with

    def __str__(self) -> str:
        where = self.path or "(root)"
        against = f" (against {self.old_version})" if self.old_version else ""
        return f"{where}: {self.kind} breaks {self.direction}{against}: {self.why} Fix: {self.fix}"


@dataclass(frozen=True)
class CompatResult:
    """The verdict for one mode: compatible or not, and every break found."""

    compatible: bool
    breaks: list[Break] = field(default_factory=list)


@dataclass(frozen=True)
class FieldChange:
    """One difference between two schemas, judged in both directions (for the diff page)."""

    path: str
    kind: str
    old: JSON
    new: JSON
    breaks_backward: bool
    breaks_forward: bool
    why_backward: str = ""
    why_forward: str = ""
    fix_backward: str = ""
    fix_forward: str = ""

    def breaking_in(self, mode: str) -> bool:
        """True when this change breaks compatibility ``mode`` (e.g. "FULL_TRANSITIVE")."""
        directions = _directions(mode)
        return (BACKWARD in directions and self.breaks_backward) or (
            FORWARD in directions and self.breaks_forward
        )

    def status(self, mode: str) -> str:
        """"breaking" or "compatible" under ``mode``, for display."""
        return "breaking" if self.breaking_in(mode) else "compatible"

    @property
    def is_breaking_anywhere(self) -> bool:
        """True when the change breaks at least one direction (so FULL)."""
        return self.breaks_backward or self.breaks_forward


def _directions(mode: str) -> tuple[str, ...]:
    base = normalize_mode(mode).removesuffix("_TRANSITIVE")
    if base == "NONE":
        return ()
    if base == "FULL":
        return (BACKWARD, FORWARD)
    return (base,)


def normalize_mode(mode: str) -> str:
    """Upper-case ``mode`` and check it is a known compatibility mode (ValueError otherwise)."""
    norm = (mode or "").strip().upper().replace("-", "_")
    if norm not in COMPAT_MODES:
        raise ValueError(f"unknown compatibility mode {mode!r}; use one of {', '.join(COMPAT_MODES)}")
    return norm


def is_transitive(mode: str) -> bool:
    """True for the ``*_TRANSITIVE`` modes (check against every earlier version)."""
    return normalize_mode(mode).endswith("_TRANSITIVE")


# ---- public entry points ------------------------------------------------------------------------

def diff(old: JSON, new: JSON) -> list[FieldChange]:
    """Every change from ``old`` to ``new``, each marked breaking or not for each direction.

    ``old``/``new`` are JSON Schemas (dicts or booleans; None means "no schema", accepting
    anything). Local ``$ref``s (``#/...``, ``#anchor``) are resolved within each document; nothing
    outside it is read.
    """
    try:
        cmp = _Comparer(_Doc(_as_schema(old)), _Doc(_as_schema(new)), both=True, memo={}, seen=set())
        cmp.compare(cmp.old.root, cmp.new.root, "", 0)
    except RecursionError:  # nesting far past the depth limit, before the limit is reached
        return [_unproven("", "schema-too-complex", None, None, "the schemas nest too deeply to compare")]
    return cmp.changes


def check(old: JSON, new: JSON, mode: str) -> CompatResult:
    """Is ``new`` compatible with ``old`` under ``mode``? Transitive modes act as their base here."""
    directions = _directions(mode)
    breaks: list[Break] = []
    if directions:
        breaks = _breaks_of(diff(old, new), directions, "")
    return CompatResult(compatible=not breaks, breaks=breaks)


def check_history(versions: list[JSON], mode: str, labels: list[str] | None = None) -> CompatResult:
    """Is the last schema of ``versions`` (oldest first) compatible with its history under ``mode``?

    Transitive modes compare it with every earlier version; the others with the previous one.
    ``labels`` (e.g. version numbers) name the earlier version in each break.
    """
    if len(versions) < 2:
        return CompatResult(compatible=True)
    directions = _directions(mode)
    if not directions:
        return CompatResult(compatible=True)
    names = labels if labels is not None and len(labels) == len(versions) else [
        f"#{i + 1}" for i in range(len(versions))
    ]
    earlier = range(len(versions) - 1) if is_transitive(mode) else [len(versions) - 2]
    breaks: list[Break] = []
    new = versions[-1]
    for i in earlier:
        breaks.extend(_breaks_of(diff(versions[i], new), directions, names[i]))
    return CompatResult(compatible=not breaks, breaks=breaks)


def required_bump(old_version: str, new_version: str, breaking: bool, changed: bool) -> str | None:
    """The semver bump the new version needs, or None when ``new_version`` already satisfies it.

    A breaking change needs a major bump, any other schema change at least a minor bump (Zalando
    #246); a version without a change needs no particular bump. Returns "major", "minor" or None.
    Versions are "MAJOR.MINOR.PATCH" (missing parts count as 0, a leading "v" is ignored);
    an unparsable version is treated as needing the bump.
    """
    need = "major" if breaking else "minor" if changed else None
    if need is None:
        return None
    old_v, new_v = parse_version(old_version), parse_version(new_version)
    if old_v is None or new_v is None:
        return need
    if need == "major":
        return None if new_v[0] > old_v[0] else "major"
    return None if new_v[:2] > old_v[:2] else "minor"


def parse_version(text: str) -> tuple[int, int, int] | None:
    """Parse "1.2.3" (or "v1", "1.2") into (major, minor, patch); None when it is not semver."""
    m = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?", (text or "").strip())
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def _breaks_of(changes: Iterable[FieldChange], directions: tuple[str, ...], label: str) -> list[Break]:
    out: list[Break] = []
    for c in changes:
        if BACKWARD in directions and c.breaks_backward:
            out.append(Break(c.path, c.kind, BACKWARD, c.why_backward, c.fix_backward, label))
        if FORWARD in directions and c.breaks_forward:
            out.append(Break(c.path, c.kind, FORWARD, c.why_forward, c.fix_forward, label))
    return out


# ---- internals ---------------------------------------------------------------------------------

# ---- plain helpers ------------------------------------------------------------------------------

_NOWHERE = object()  # a $ref target that does not exist
_TRUE: dict[str, JSON] = {}  # the schema that accepts everything (never mutated)


def _as_schema(value: JSON) -> JSON:
    if value is None or value is True:
        return _TRUE
    return value


def _join(path: str, *parts: object) -> str:
    out = path
    for p in parts:
        out = f"{out}.{p}" if out else str(p)
    return out


def _fmt(value: JSON) -> str:
    if isinstance(value, str):
        return repr(value)
    return "any" if value is None else json.dumps(value, default=str)


def _is_num(x: JSON) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _dec(x: JSON) -> Decimal:
    """An exact decimal for a JSON number (0.1 stays 0.1, as JSON wrote it)."""
    return Decimal(x) if isinstance(x, int) else Decimal(repr(x))


def _atom(v: JSON) -> str:
    """The JSON Schema type of a value, with numbers split into integer and fraction."""
    if isinstance(v, float):
        return "integer" if v.is_integer() else "fraction"
    kind = json_kind(v)
    return kind if kind in _ALL_ATOMS else "unknown"


def _json_eq(a: JSON, b: JSON) -> bool:
    """JSON equality: 1 == 1.0, but true != 1 (Python's == conflates bool and int)."""
    if _is_num(a) and _is_num(b):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_json_eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_eq(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _contains(values: Iterable[JSON], v: JSON) -> bool:
    return any(_json_eq(x, v) for x in values)


def _types(s: Mapping[str, JSON]) -> frozenset[str]:
    """The type atoms a schema admits, from ``type`` narrowed by ``enum``/``const``."""
    t = s.get("type")
    if isinstance(t, str):
        atoms = frozenset(_TYPE_ATOMS.get(t, ()))
    elif isinstance(t, list):
        atoms = frozenset(a for x in t if isinstance(x, str) for a in _TYPE_ATOMS.get(x, ()))
    else:
        atoms = _ALL_ATOMS
    values = _finite(s)
    if values is not None:
        atoms &= frozenset(_atom(v) for v in values)
    return atoms


def _type_names(atoms: frozenset[str]) -> list[str] | None:
    """``type`` names spelling ``atoms`` exactly (None when JSON Schema cannot say it)."""
    if "fraction" in atoms and "integer" not in atoms:
        return None
    out: list[str] = [t for t in ("null", "boolean", "object", "array", "string") if t in atoms]
    if "fraction" in atoms:
        out.append("number")
    elif "integer" in atoms:
        out.append("integer")
    return out


def _type_text(atoms: frozenset[str]) -> str:
    if atoms == _ALL_ATOMS:
        return "any"
    names = _type_names(atoms) or sorted(atoms)
    return "/".join(sorted(names)) or "nothing"


def _may(atoms: frozenset[str], family: str) -> bool:
    return bool(atoms & {"integer", "fraction"}) if family == "number" else family in atoms


def _finite(s: Mapping[str, JSON]) -> list[JSON] | None:
    """The values ``enum``/``const`` allow (None when the schema does not enumerate them)."""
    enum = s.get("enum")
    values: list[JSON] | None = list(enum) if isinstance(enum, list) else None
    if "const" in s:
        values = [s["const"]] if values is None or _contains(values, s["const"]) else []
    return values


def _required(s: Mapping[str, JSON]) -> set[str]:
    r = s.get("required")
    return {x for x in r if isinstance(x, str)} if isinstance(r, list) else set()


def _dict(value: JSON) -> dict[str, JSON]:
    return value if isinstance(value, dict) else {}


def _count(value: JSON) -> int | None:
    """A non-negative integer keyword value (minItems...), None when absent or malformed."""
    if _is_num(value) and value >= 0 and float(value).is_integer():
        return int(value)
    return None


def _has_default(s: JSON) -> bool:
    return isinstance(s, dict) and "default" in s


def _dialect(root: JSON) -> str:
    uri = root.get("$schema") if isinstance(root, dict) else None
    if not isinstance(uri, str):
        return "default"
    if any(d in uri for d in ("draft-03", "draft-04", "draft-06", "draft-07")):
        return "legacy"
    if "2019-09" in uri:
        return "2019"
    if "2020-12" in uri:
        return "2020"
    return "default"


_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})
_SCHEMA_ONE = frozenset({"additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
                         "unevaluatedProperties", "unevaluatedItems", "additionalItems", "items"})
_SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})


def _eq(a: JSON, b: JSON, view: bool = False, schema: bool = True) -> bool:
    """Strict JSON equality (true is not 1, and 1 is not 1.0: different spellings are "changed").

    With ``view``, annotations are ignored at schema positions (``schema``) - not inside values
    such as ``enum`` or ``properties`` names.
    """
    if a is b:
        return True
    if isinstance(a, dict):
        if not isinstance(b, dict):
            return False
        if view and schema:
            ka = [k for k in a if k not in _ANNOTATIONS and not str(k).startswith("x-")]
            kb = [k for k in b if k not in _ANNOTATIONS and not str(k).startswith("x-")]
        else:
            ka, kb = list(a), list(b)
        if len(ka) != len(kb) or not all(k in b for k in ka):
            return False
        if not view or not schema:
            return all(_eq(a[k], b[k], view, False) for k in ka)
        for k in ka:
            x, y = a[k], b[k]
            if k in _SCHEMA_MAPS and isinstance(x, dict) and isinstance(y, dict):
                same = x.keys() == y.keys() and all(_eq(x[m], y[m], True, True) for m in x)
            elif k == "dependencies" and isinstance(x, dict) and isinstance(y, dict):
                same = x.keys() == y.keys() and all(_eq(x[m], y[m], True, not isinstance(x[m], list)) for m in x)
            else:
                same = _eq(x, y, True, k in _SCHEMA_ONE or k in _SCHEMA_LIST)
            if not same:
                return False
        return True
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_eq(x, y, view, schema) for x, y in zip(a, b))
    return type(a) is type(b) and bool(a == b)


def _is_open(node: JSON) -> bool:
    """Does the schema accept everything (true, or only annotations)?"""
    return node is True or (isinstance(node, dict) and all(
        k in _ANNOTATIONS or str(k).startswith("x-") for k in node))


def _refs_in(node: JSON) -> frozenset[str]:
    """Every reference string anywhere inside ``node``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                if k in _REF_KEYWORDS and isinstance(v, str):
                    found.add(v)
                elif isinstance(v, (dict, list)):
                    stack.append(v)
        elif isinstance(cur, list):
            stack.extend(x for x in cur if isinstance(x, (dict, list)))
    return frozenset(found)


def _pattern_search(pattern: JSON, text: str) -> bool | None:
    """Does the ECMA-262 ``pattern`` match somewhere in ``text``? None when it cannot be told.

    Runs on RE2 (linear time: a hostile pattern cannot stall the comparison); what RE2 refuses
    (look-arounds, back-references) is "cannot be told".
    """
    if not isinstance(pattern, str) or len(text) > _MAX_NAME:
        return None
    try:
        compiled = compile_user_regex(pattern)
    except UserRegexError:
        return None
    return compiled.search(text) is not None


def _capitalize_sentences(text: str) -> str:
    return re.sub(r"(^|\. )([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower().lstrip("$")


def _unproven(path: str, kind: str, old: JSON, new: JSON, what: str) -> FieldChange:
    why = _sentence(f"{what}, so the engine cannot prove the change safe")
    return FieldChange(path, kind, old, new, True, True, why, why, _UNPROVEN_FIX, _UNPROVEN_FIX)


def _without(change: FieldChange, backward: bool, forward: bool) -> FieldChange:
    """``change`` with the break in the given directions dropped (a stronger proof covers it)."""
    if backward and change.breaks_backward:
        change = replace(change, breaks_backward=False, why_backward="")
    if forward and change.breaks_forward:
        change = replace(change, breaks_forward=False, why_forward="")
    return change


_STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern", "format"})
_NUMBER_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
_OBJECT_KEYWORDS = frozenset({
    "properties", "required", "additionalProperties", "patternProperties", "propertyNames", "minProperties",
    "maxProperties", "dependencies", "dependentRequired", "dependentSchemas", "unevaluatedProperties"})
_ARRAY_KEYWORDS = frozenset({"items", "prefixItems", "additionalItems", "unevaluatedItems", "contains",
                             "minContains", "maxContains", "minItems", "maxItems", "uniqueItems"})

Bound = tuple[Decimal, bool]  # (value, exclusive)


def _lower(s: Mapping[str, JSON]) -> Bound | None:
    """The tightest lower bound of a numeric schema (draft-04's boolean exclusiveMinimum too)."""
    out: Bound | None = None
    low, excl = s.get("minimum"), s.get("exclusiveMinimum")
    if _is_num(low):
        out = (_dec(low), excl is True)
    if _is_num(excl) and (out is None or _dec(excl) >= out[0]):
        out = (_dec(excl), True)
    return out


def _upper(s: Mapping[str, JSON]) -> Bound | None:
    out: Bound | None = None
    high, excl = s.get("maximum"), s.get("exclusiveMaximum")
    if _is_num(high):
        out = (_dec(high), excl is True)
    if _is_num(excl) and (out is None or _dec(excl) <= out[0]):
        out = (_dec(excl), True)
    return out


def _lower_covers(reader: Bound | None, writer: Bound | None) -> bool:
    """Does the reader's lower bound admit every value above the writer's?"""
    if reader is None:
        return True
    if writer is None:
        return False
    return reader[0] < writer[0] or (reader[0] == writer[0] and (not reader[1] or writer[1]))


def _upper_covers(reader: Bound | None, writer: Bound | None) -> bool:
    if reader is None:
        return True
    if writer is None:
        return False
    return reader[0] > writer[0] or (reader[0] == writer[0] and (not reader[1] or writer[1]))


def _apart(high: Bound | None, low: Bound | None) -> bool:
    """Is every value under ``high`` below every value over ``low``?"""
    if high is None or low is None:
        return False
    return high[0] < low[0] or (high[0] == low[0] and (high[1] or low[1]))


def _multiple(a: JSON, b: JSON) -> bool:
    """Is ``a`` a whole multiple of ``b`` (exactly, in decimal)?"""
    if not (_is_num(a) and _is_num(b)) or b <= 0:
        return False
    try:
        return _dec(a) % _dec(b) == 0
    except InvalidOperation:
        return False


def _string_ok(keyword: str, x: JSON, v: str) -> bool | None:
    if keyword in ("minLength", "maxLength"):
        n = _count(x)
        if n is None:
            return None
        return len(v) >= n if keyword == "minLength" else len(v) <= n
    if keyword == "pattern":
        return _pattern_search(x, v)
    return None  # format: whether it is asserted depends on the validator


def _number_ok(keyword: str, x: JSON, v: JSON, s: Mapping[str, JSON]) -> bool | None:
    if isinstance(x, bool):
        return True  # draft-04 exclusive flags act through minimum/maximum
    if not _is_num(x):
        return None
    if keyword == "multipleOf":
        return _multiple(v, x) if x > 0 else None
    value, bound = _dec(v), _dec(x)
    if keyword == "minimum":
        return value > bound if s.get("exclusiveMinimum") is True else value >= bound
    if keyword == "maximum":
        return value < bound if s.get("exclusiveMaximum") is True else value <= bound
    if keyword == "exclusiveMinimum":
        return value > bound
    return value < bound


# ---- one schema document: $refs, allOf merging, per-node caches ----------------------------------

@dataclass
class _Parts:
    """A schema as a conjunction: ``base`` (allOf parts merged in where that keeps the meaning),
    one lifted ``anyOf``/``oneOf`` (``kw``/``options``) and ``extras`` that could not be merged."""

    base: dict[str, JSON]
    kw: str | None = None
    options: list[JSON] = field(default_factory=list)
    extras: list[JSON] = field(default_factory=list)
    false: bool = False  # some conjunct is the schema false: nothing validates
    complex: bool = False  # unevaluated* next to applicators whose annotations are not tracked


class _Doc:
    """One schema document: resolves local references and caches what is computed per node.

    Nodes are keyed by ``id``; every node a cache holds is kept alive with it, so an id is never
    reused for another node while the document lives.
    """

    def __init__(self, root: JSON) -> None:
        self.root = root
        self.dialect = _dialect(root)
        self.handled = _HANDLED[self.dialect]
        root_id = root.get("$id") if isinstance(root, dict) else None
        self._base_uri = root_id.split("#", 1)[0] if isinstance(root_id, str) else None
        self._anchors: dict[str, JSON] | None = None
        self._resolved: dict[int, tuple[JSON, JSON, str]] = {}
        self._refs: dict[int, tuple[JSON, frozenset[str]]] = {}
        self._parts: dict[int, tuple[JSON, _Parts]] = {}
        self._kept: list[JSON] = []
        self.has_refs = '"$' in json.dumps(root, default=str) and bool(_refs_in(root))  # most have none

    def keep(self, node: JSON) -> JSON:
        self._kept.append(node)
        return node

    # -- references --
    def target(self, ref: str) -> JSON:
        """The node ``ref`` names inside this document, or ``_NOWHERE``."""
        if self._base_uri and ref.startswith(self._base_uri) and ref[len(self._base_uri):][:1] in ("", "#"):
            ref = ref[len(self._base_uri):] or "#"
        if not ref.startswith("#"):
            return _NOWHERE
        frag = ref[1:]
        if frag == "" or frag.startswith("/"):
            found = resolve_pointer(self.root, ref, _NOWHERE)
            if found is _NOWHERE and "%" in frag:
                found = resolve_pointer(self.root, "#" + unquote(frag), _NOWHERE)
            return found
        return self.anchors().get(frag, _NOWHERE)

    def anchors(self) -> dict[str, JSON]:
        if self._anchors is None:
            self._anchors = {}
            stack = [self.root]
            while stack:
                cur = stack.pop()
                if isinstance(cur, dict):
                    for kw in ("$anchor", "$dynamicAnchor"):
                        if isinstance(cur.get(kw), str):
                            self._anchors.setdefault(cur[kw], cur)
                    stack.extend(v for v in cur.values() if isinstance(v, (dict, list)))
                elif isinstance(cur, list):
                    stack.extend(v for v in cur if isinstance(v, (dict, list)))
        return self._anchors

    def resolve(self, node: JSON) -> tuple[JSON, str]:
        """Follow references: (schema, "") or (node, why it could not be followed).

        ``true`` becomes ``{}``. From 2019-09 on, keywords beside a ``$ref`` apply too: the result
        is then ``{"allOf": [target, siblings]}``; draft-04/06/07 ignore them.
        """
        if node is True:
            return _TRUE, ""
        if not self.has_refs or not isinstance(node, dict) or not any(
                isinstance(node.get(k), str) for k in _REF_KEYWORDS):
            return node, ""
        hit = self._resolved.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1], hit[2]
        s: JSON = node
        hops = 0
        siblings: list[JSON] = []
        err = ""
        while isinstance(s, dict):
            kw = next((k for k in _REF_KEYWORDS if isinstance(s.get(k), str)), None)
            if kw is None:
                break
            ref = s[kw]
            target = self.target(ref)
            if target is _NOWHERE:
                where = "does not resolve in the document" if ref.startswith("#") else "points outside the document"
                err = f"{kw} {ref!r} {where}"
                break
            rest = {k: v for k, v in s.items()
                    if k not in _REF_KEYWORDS and k not in _ANNOTATIONS and not str(k).startswith("x-")}
            if rest and self.dialect != "legacy":
                siblings.append(rest)
            s = target
            hops += 1
            if hops > _MAX_DEPTH:
                err = f"{kw} {ref!r} is a chain of references that never ends"
                break
        if err:
            result: tuple[JSON, str] = (node, err)
        else:
            s = _TRUE if s is True else s
            result = (self.keep({"allOf": [s, *siblings]}) if siblings else s, "")
        self._resolved[id(node)] = (node, result[0], result[1])
        return result

    def is_false(self, node: JSON) -> bool:
        s, err = self.resolve(node)
        return not err and (s is False or (isinstance(s, dict) and self.parts(s).false))

    def refs(self, node: JSON) -> frozenset[str]:
        if not isinstance(node, (dict, list)):
            return frozenset()
        hit = self._refs.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        found = _refs_in(node)
        self._refs[id(node)] = (node, found)
        return found

    # -- structure --
    def parts(self, s: dict[str, JSON]) -> _Parts:
        hit = self._parts.get(id(s))
        if hit is not None and hit[0] is s:
            return hit[1]
        parts = self._split(s)
        self._parts[id(s)] = (s, parts)
        return parts

    def _split(self, s: dict[str, JSON]) -> _Parts:
        base = {k: v for k, v in s.items() if k not in _COMBINATORS}
        disjunctions: list[tuple[str, list[JSON]]] = [(kw, s[kw]) for kw in ("anyOf", "oneOf")
                                                      if isinstance(s.get(kw), list)]
        extras: list[JSON] = []
        queue = list(s["allOf"]) if isinstance(s.get("allOf"), list) else []
        if "allOf" in s and not isinstance(s.get("allOf"), list):
            extras.append({"allOf": s["allOf"]})  # malformed: compared as an opaque conjunct
        guard = 0
        while queue and guard < 256:
            guard += 1
            part = queue.pop(0)
            resolved, err = self.resolve(part)
            if err or not isinstance(resolved, (dict, bool)):
                extras.append(part)
                continue
            if resolved is False:
                return _Parts(base, false=True)
            if not isinstance(resolved, dict) or not resolved:
                continue  # true or {}: no constraint
            rest = {k: v for k, v in resolved.items()
                    if k not in _COMBINATORS and k not in _ANNOTATIONS and not str(k).startswith("x-")}
            merged = self.merge(base, rest)
            if merged is None:
                extras.append(resolved)
                continue
            base = merged
            if isinstance(resolved.get("allOf"), list):
                queue.extend(resolved["allOf"])
            disjunctions += [(kw, resolved[kw]) for kw in ("anyOf", "oneOf") if isinstance(resolved.get(kw), list)]
        if queue:
            extras.extend(queue)
        parts = _Parts(base)
        if disjunctions:
            parts.kw, parts.options = disjunctions[0]
            extras.extend(self.keep({kw: opts}) for kw, opts in disjunctions[1:])
        parts.extras = extras
        unevaluated = "unevaluatedProperties" in base or "unevaluatedItems" in base or any(
            isinstance(e, dict) and ("unevaluatedProperties" in e or "unevaluatedItems" in e) for e in extras)
        parts.complex = unevaluated and bool(
            extras or disjunctions or "if" in base or "dependentSchemas" in base
            or isinstance(base.get("dependencies"), dict))
        return parts

    def merge(self, a: dict[str, JSON], b: dict[str, JSON]) -> dict[str, JSON] | None:
        """One schema accepting exactly what both ``a`` and ``b`` accept, or None.

        ``additionalProperties`` only covers the properties declared beside it, and
        ``additionalItems``/``items`` the tuple beside them, so such groups are never mixed.
        """
        names = ("properties", "patternProperties", "additionalProperties", "unevaluatedProperties")
        if ("additionalProperties" in a and any(k in b for k in names)) or (
                "additionalProperties" in b and any(k in a for k in names)):
            return None
        arrays = ("items", "prefixItems", "additionalItems", "unevaluatedItems", "contains")
        if any(k in a for k in arrays) and any(k in b for k in arrays):
            return None
        out = dict(a)
        for k, v in b.items():
            if k in _ANNOTATIONS or str(k).startswith("x-"):
                continue
            if k not in out:
                out[k] = v
                continue
            cur = out[k]
            if _eq(cur, v, True):
                continue
            if k == "type":
                names_ = _type_names(_types({"type": cur}) & _types({"type": v}))
                if names_ is None:
                    return None
                out[k] = names_
            elif k == "required" and isinstance(cur, list) and isinstance(v, list):
                out[k] = list(dict.fromkeys([*cur, *v]))
            elif k in ("properties", "patternProperties") and isinstance(cur, dict) and isinstance(v, dict):
                out[k] = {**cur, **{name: (self.keep({"allOf": [cur[name], sub]}) if name in cur else sub)
                                    for name, sub in v.items()}}
            elif k in ("minLength", "minItems", "minProperties") and _count(cur) is not None and _count(v) is not None:
                out[k] = max(cur, v)
            elif k in ("maxLength", "maxItems", "maxProperties") and _count(cur) is not None and _count(v) is not None:
                out[k] = min(cur, v)
            elif k == "minimum" and _is_num(cur) and _is_num(v):
                out[k] = max(cur, v)
            elif k == "maximum" and _is_num(cur) and _is_num(v):
                out[k] = min(cur, v)
            elif k == "enum" and isinstance(cur, list) and isinstance(v, list):
                out[k] = [x for x in cur if _contains(v, x)]
            elif k == "not":
                out[k] = self.keep({"anyOf": [cur, v]})  # not A and not B = not (A or B)
            else:
                return None
        return out

    def extra(self, s: Mapping[str, JSON]) -> tuple[JSON, str]:
        """The schema for properties neither declared nor matched by a pattern, and its keyword."""
        if "additionalProperties" in s:
            return _as_schema(s["additionalProperties"]), "additionalProperties"
        if "unevaluatedProperties" in s and self.dialect != "legacy":
            return _as_schema(s["unevaluatedProperties"]), "unevaluatedProperties"
        return _TRUE, "additionalProperties"

    def array_shape(self, s: Mapping[str, JSON]) -> tuple[list[JSON], str, JSON, str, JSON]:
        """(tuple schemas, their keyword, schema for later items, its keyword, ignored additionalItems)."""
        items = s.get("items")
        ignored: JSON = None
        tail: JSON = None
        if isinstance(items, list):
            prefix, prefix_kw, tail_kw = items, "items", "additionalItems"
            if self.dialect != "2020":
                tail = s.get("additionalItems")
        elif isinstance(s.get("prefixItems"), list) and self.dialect in ("2020", "default"):
            prefix, prefix_kw, tail, tail_kw = s["prefixItems"], "prefixItems", items, "items"
            if self.dialect == "default":
                ignored = s.get("additionalItems")
        else:
            prefix, prefix_kw, tail, tail_kw = [], "items", items, "items"
            if self.dialect != "2020":
                ignored = s.get("additionalItems")
        if tail is None and "unevaluatedItems" in s and self.dialect != "legacy":
            tail, tail_kw = s["unevaluatedItems"], "unevaluatedItems"
        return prefix, prefix_kw, _as_schema(tail), tail_kw, ignored

    def dependencies(self, s: Mapping[str, JSON]) -> tuple[dict[str, tuple[str, set[str]]],
                                                            dict[str, tuple[str, JSON]]]:
        """(property -> (keyword, properties it requires), property -> (keyword, schema it adds))."""
        required: dict[str, tuple[str, set[str]]] = {}
        schemas: dict[str, tuple[str, JSON]] = {}
        sources = [("dependencies", s.get("dependencies"))]
        if self.dialect != "legacy":
            sources += [("dependentRequired", s.get("dependentRequired")),
                        ("dependentSchemas", s.get("dependentSchemas"))]
        for kw, value in sources:
            for name, dep in _dict(value).items():
                if isinstance(dep, list) and kw != "dependentSchemas":
                    names = {x for x in dep if isinstance(x, str)}
                    previous = required.get(name)
                    required[name] = (kw, names | (previous[1] if previous else set()))
                elif kw != "dependentRequired":
                    previous_s = schemas.get(name)
                    schemas[name] = (kw, self.keep({"allOf": [previous_s[1], dep]}) if previous_s else dep)
        return required, schemas


# ---- the comparison -----------------------------------------------------------------------------

class _Comparer:
    """Walks an old and a new schema side by side and records every change.

    A change carries a reason per direction it breaks: BACKWARD when some value valid under the
    old schema may be rejected by the new one, FORWARD the other way round. With ``both`` False only
    BACKWARD is worked out (the sub-proofs "does this schema accept everything that one does?").
    """

    def __init__(self, old: _Doc, new: _Doc, *, both: bool, memo: dict[tuple[Any, ...], Any],
                 seen: set[tuple[int, int]]) -> None:
        self.old = old
        self.new = new
        self.both = both
        self.changes: list[FieldChange] = []
        self.memo = memo  # shared by every comparer of one diff()
        self.seen = seen  # pairs under comparison on the current path (cycle guard, shared)
        # Pairs under comparison higher up that a result here assumed to hold (coinduction): a
        # memoised proof is reused only while every pair it assumed is still being compared.
        self.hits: set[tuple[int, int]] = set()

    # -- recording --
    def add(self, path: str, kind: str, old: JSON, new: JSON, *, b: str = "", f: str = "",
            fix_b: str = "", fix_f: str = "") -> None:
        """Record a change; a non-empty ``b``/``f`` is the reason it breaks that direction."""
        if not self.both:
            f = ""
        b, f = _capitalize_sentences(b), _capitalize_sentences(f)
        self.changes.append(FieldChange(path, kind, old, new, bool(b), bool(f), b, f, fix_b, fix_f))

    def unproven(self, path: str, kind: str, old: JSON, new: JSON, what: str) -> None:
        change = _unproven(path, kind, old, new, what)
        self.changes.append(change if self.both else _without(change, False, True))

    def drop(self, start: int, backward: bool, forward: bool) -> None:
        """Drop the breaks recorded since ``start`` in the directions a stronger proof covers."""
        if backward or forward:
            self.changes[start:] = [_without(c, backward, forward) for c in self.changes[start:]]

    def sub(self, both: bool, old: _Doc | None = None, new: _Doc | None = None) -> _Comparer:
        return _Comparer(old or self.old, new or self.new, both=both, memo=self.memo, seen=self.seen)

    # -- sameness --
    def same(self, o: JSON, n: JSON, view: bool = True, od: _Doc | None = None, nd: _Doc | None = None) -> bool:
        """Do ``o`` (in ``od``) and ``n`` (in ``nd``) mean the same, references included?"""
        od, nd = od or self.old, nd or self.new
        if not _eq(o, n, view):
            return False
        return od is nd or not (od.has_refs or nd.has_refs) or self._refs_same(od.refs(o), od, nd, view, 0)

    def _refs_same(self, refs: frozenset[str], od: _Doc, nd: _Doc, view: bool, depth: int) -> bool:
        for ref in refs:
            key = ("ref", ref, id(od), id(nd), view)
            if key in self.memo:
                if not self.memo[key]:
                    return False
                continue
            self.memo[key] = True  # provisionally, for references that lead back here
            to, tn = od.target(ref), nd.target(ref)
            if to is _NOWHERE or tn is _NOWHERE:
                ok = to is tn
            else:
                ok = depth < _MAX_DEPTH and _eq(to, tn, view) and self._refs_same(
                    od.refs(to), od, nd, view, depth + 1)
            self.memo[key] = ok
            if not ok:
                return False
        return True

    # -- proofs used by the rules --
    def accepts(self, reader: JSON, rdoc: _Doc, writer: JSON, wdoc: _Doc, depth: int) -> bool:
        """Is every value valid under ``writer`` valid under ``reader``? (False: not proven.)"""
        w, werr = wdoc.resolve(writer)
        r, rerr = rdoc.resolve(reader)
        if not werr and (w is False or (isinstance(w, dict) and wdoc.parts(w).false)):
            return True
        if not rerr and r is False:
            return False
        if not rerr and _is_open(r):
            return True
        key = ("acc", id(writer), id(reader), id(wdoc), id(rdoc))
        hit = self.memo.get(key)
        if hit is not None and hit[1] <= self.seen:
            self.hits |= hit[1]
            return bool(hit[0])
        sub = _Comparer(wdoc, rdoc, both=False, memo=self.memo, seen=self.seen)
        sub.compare(writer, reader, "", depth + 1)
        ok = not any(c.breaks_backward for c in sub.changes)
        assumed = frozenset(sub.hits & self.seen)
        self.hits |= assumed
        self.memo[key] = (ok, assumed)
        return ok

    def covered(self, writers: list[JSON], wdoc: _Doc, reader: JSON, rdoc: _Doc, depth: int) -> bool:
        """A value meeting every schema of ``writers`` (a conjunction) meets ``reader``."""
        if any(wdoc.is_false(w) for w in writers):
            return True
        return any(self.accepts(reader, rdoc, w, wdoc, depth) for w in writers) or (
            not writers and self.accepts(reader, rdoc, _TRUE, wdoc, depth))

    def disjoint(self, a: JSON, da: _Doc, b: JSON, db: _Doc, depth: int) -> bool:
        """Is no value valid under both ``a`` and ``b``? (False: not proven.)"""
        if depth > _MAX_DEPTH:
            return False
        a, ea = da.resolve(a)
        b, eb = db.resolve(b)
        if ea or eb:
            return False
        if a is False or b is False:
            return True
        if not isinstance(a, dict) or not isinstance(b, dict):
            return False
        key = ("dis", id(a), id(b), id(da), id(db))
        hit = self.memo.get(key)
        if hit is not None and hit[1] <= self.seen:
            self.hits |= hit[1]
            return bool(hit[0])
        self.memo[key] = (False, frozenset())  # provisionally, for recursive schemas (False is safe)
        outer, self.hits = self.hits, set()
        try:
            ok = self._disjoint(a, da, b, db, depth)
        finally:
            assumed = frozenset(self.hits & self.seen)
            self.hits = outer | assumed
        self.memo[key] = (ok, assumed)
        return ok

    def _disjoint(self, a: dict[str, JSON], da: _Doc, b: dict[str, JSON], db: _Doc, depth: int) -> bool:
        pa, pb = da.parts(a), db.parts(b)
        if pa.false or pb.false:
            return True
        common = _types(pa.base) & _types(pb.base)
        if not common:
            return True
        fa, fb = _finite(pa.base), _finite(pb.base)
        if fa is not None and all(self.value_ok(v, b, db, depth + 1) is False for v in fa):
            return True
        if fb is not None and all(self.value_ok(v, a, da, depth + 1) is False for v in fb):
            return True
        for x, dx, px, y, dy in ((a, da, pa, b, db), (b, db, pb, a, da)):
            if px.kw and all(self.disjoint(br, dx, y, dy, depth + 1) for _, br in self.branches(x, px, dx)):
                return True
            if "not" in px.base and self.accepts(px.base["not"], dx, y, dy, depth + 1):
                return True
            if any(self.disjoint(e, dx, y, dy, depth + 1) for e in px.extras):
                return True
        if common == {"object"}:
            props_a, props_b = _dict(pa.base.get("properties")), _dict(pb.base.get("properties"))
            for name in _required(pa.base) & _required(pb.base):
                if name in props_a and name in props_b and self.disjoint(
                        props_a[name], da, props_b[name], db, depth + 1):
                    return True  # a discriminator: the same required property, values that never meet
        if common <= {"integer", "fraction"}:
            lo_a, hi_a = _lower(pa.base), _upper(pa.base)
            lo_b, hi_b = _lower(pb.base), _upper(pb.base)
            if _apart(hi_a, lo_b) or _apart(hi_b, lo_a):
                return True
        return False

    def value_ok(self, v: JSON, s: JSON, doc: _Doc, depth: int = 0) -> bool | None:
        """Does the value ``v`` validate under ``s``? None when it cannot be told here."""
        if depth > _MAX_DEPTH:
            return None
        s, err = doc.resolve(s)
        if err:
            return None
        if s is False:
            return False
        if not isinstance(s, dict):
            return None
        atom = _atom(v)
        unknown = False

        def note(result: bool | None) -> bool:
            """True when ``result`` rejects the value; remembers an unknown."""
            nonlocal unknown
            if result is None:
                unknown = True
            return result is False

        for k, x in s.items():
            if k in _ANNOTATIONS or str(k).startswith("x-") or k in ("then", "else"):
                continue
            if k == "type":
                if atom not in _types({"type": x}):
                    return False
            elif k == "enum":
                if not isinstance(x, list):
                    unknown = True
                elif not _contains(x, v):
                    return False
            elif k == "const":
                if not _json_eq(x, v):
                    return False
            elif k in _STRING_KEYWORDS:
                if atom == "string" and note(_string_ok(k, x, v)):
                    return False
            elif k in _NUMBER_KEYWORDS:
                if atom in ("integer", "fraction") and note(_number_ok(k, x, v, s)):
                    return False
            elif k == "allOf" and isinstance(x, list):
                if any(note(self.value_ok(v, p, doc, depth + 1)) for p in x):
                    return False
            elif k in ("anyOf", "oneOf") and isinstance(x, list):
                results = [self.value_ok(v, p, doc, depth + 1) for p in x]
                hits = results.count(True)
                if all(r is False for r in results) or (k == "oneOf" and hits > 1):
                    return False
                if (k == "anyOf" and not hits) or (k == "oneOf" and (hits != 1 or None in results)):
                    unknown = True
            elif k == "not":
                inner = self.value_ok(v, x, doc, depth + 1)
                if inner is True:
                    return False
                unknown = unknown or inner is None
            elif k == "if":
                cond = self.value_ok(v, x, doc, depth + 1)
                if cond is None:
                    unknown = True
                elif note(self.value_ok(v, s.get("then" if cond else "else", _TRUE), doc, depth + 1)):
                    return False
            elif k in _OBJECT_KEYWORDS:
                unknown = unknown or atom == "object"
            elif k in _ARRAY_KEYWORDS:
                unknown = unknown or atom == "array"
            elif k in _REF_KEYWORDS:
                unknown = True
            else:
                unknown = True  # a keyword this check does not evaluate
        return None if unknown else True

    # -- main walk --
    def compare(self, old: JSON, new: JSON, path: str, depth: int) -> None:
        """Compare ``old`` with ``new`` at ``path`` (recursively)."""
        o, old_err = self.old.resolve(old)
        n, new_err = self.new.resolve(new)
        if old_err or new_err:
            if not self.same(old, new):
                what = f"{old_err or new_err}"
                change = _unproven(_join(path, "$ref"), "ref-changed", old, new, what)
                fix = "Inline the referenced schema or make the $ref resolvable."
                change = replace(change, fix_backward=fix, fix_forward=fix)
                self.changes.append(change if self.both else _without(change, False, True))
            return
        if self.same(o, n, view=False):
            return
        if depth > _MAX_DEPTH:
            self.unproven(path, "schema-too-deep", o, n, f"the schemas nest deeper than {_MAX_DEPTH} levels here")
            return
        key = (id(o), id(n))
        if key in self.seen:
            self.hits.add(key)
            return  # a recursive schema: this pair is already being compared higher up
        # Comparing both ways proves new ⊆ old too: forward sub-proofs (writer new, reader old)
        # may assume the reversed pair.
        pushed = [key] + ([(id(n), id(o))] if self.both and (id(n), id(o)) not in self.seen else [])
        self.seen.update(pushed)
        try:
            self._node(o, n, path, depth)
        finally:
            self.seen.difference_update(pushed)

    def _node(self, o: JSON, n: JSON, path: str, depth: int) -> None:
        if o is False or n is False:
            self._false(o, n, path)
            return
        if not isinstance(o, dict) or not isinstance(n, dict):
            self.unproven(path, "schema-changed", o, n, "the schema is not an object or a boolean")
            return
        po, pn = self.old.parts(o), self.new.parts(n)
        if po.false or pn.false:
            self._false(False if po.false else o, False if pn.false else n, path)
            return
        if po.complex or pn.complex:
            self.unproven(path, "unevaluated-changed", o, n,
                          "unevaluatedProperties/unevaluatedItems sit beside allOf/anyOf/oneOf/if or a $ref, "
                          "whose annotations decide what they cover")
            return
        start = len(self.changes)
        if po.kw is None and pn.kw is None:
            self._base(o, n, po.base, pn.base, path, depth)
            self._extras(o, n, po, pn, path, depth)
        else:
            self._sums(o, n, po, pn, path, depth)
        self._finite_values(o, n, po, pn, start, depth)

    def _false(self, o: JSON, n: JSON, path: str) -> None:
        if o is False and n is False:
            return
        self.add(path, "schema-changed", o, n,
                 b=f"{_NEW_READERS} accept nothing here (schema false)." if n is False else "",
                 f=f"{_OLD_READERS} accept nothing here (schema false)." if o is False else "",
                 fix_b="Do not forbid a value old data may contain.",
                 fix_f="Keep the value forbidden until every reader has upgraded.")

    def _finite_values(self, o: dict[str, JSON], n: dict[str, JSON], po: _Parts, pn: _Parts, start: int,
                       depth: int) -> None:
        """An enum/const writer is judged value by value: when the reader accepts each, it is safe."""
        seg = self.changes[start:]
        drop_b = drop_f = False
        if any(c.breaks_backward for c in seg):
            values = _finite(po.base)
            drop_b = values is not None and all(
                self.value_ok(v, n, self.new, depth) is True for v in values
                if self.value_ok(v, o, self.old, depth) is not False)
        if any(c.breaks_forward for c in seg):
            values = _finite(pn.base)
            drop_f = values is not None and all(
                self.value_ok(v, o, self.old, depth) is True for v in values
                if self.value_ok(v, n, self.new, depth) is not False)
        self.drop(start, drop_b, drop_f)

    def _base(self, o_full: dict[str, JSON], n_full: dict[str, JSON], o: dict[str, JSON], n: dict[str, JSON],
              path: str, depth: int) -> None:
        to, tn = _types(o), _types(n)
        if self._type(o, n, to, tn, path) and not to & tn:
            return  # the types no longer overlap: the finer rules would only repeat that
        self._enum(o, n, to, tn, path)
        self._not(o_full, n_full, o, n, path, depth)
        self._conditional(o_full, n_full, o, n, path, depth)
        for family, keywords, rule in (("string", _STRING_KEYWORDS, self._string),
                                       ("number", _NUMBER_KEYWORDS, self._number),
                                       ("array", _ARRAY_KEYWORDS, self._array),
                                       ("object", _OBJECT_KEYWORDS, self._object)):
            if not any(k in o or k in n for k in keywords):
                continue
            gate_b, gate_f = _may(to, family), _may(tn, family)
            if gate_b or gate_f:
                start = len(self.changes)
                rule(o_full, n_full, o, n, path, depth)
                # A rule for strings cannot break readers of data that is never a string.
                self.drop(start, not gate_b, not gate_f)
        self._default(o, n, path)
        self._unknown(o, n, path)

    # -- type --
    def _type(self, o: Mapping[str, JSON], n: Mapping[str, JSON], to: frozenset[str], tn: frozenset[str],
              path: str) -> bool:
        """Record a change of ``type``; True when there was one."""
        if _eq(o.get("type"), n.get("type")):
            return False
        ko, kn = _types({"type": o.get("type")}), _types({"type": n.get("type")})
        kind = ("type-widened" if ko < kn else "type-narrowed" if kn < ko else "type-changed")
        so, sn = _type_text(to), _type_text(tn)
        self.add(
            _join(path, "type"), kind, o.get("type"), n.get("type"),
            b="" if to <= tn else
            f"{_NEW_READERS} only accept {sn}, but data written with the old version may be {so}.",
            f="" if tn <= to else
            f"{_OLD_READERS} only accept {so}, but producers on the new version may write {sn}.",
            fix_b=f"Keep accepting {so} (e.g. type: [{so}, {sn}]) or add a new property instead.",
            fix_f=f"Keep writing {so}: add a new property with the new type and deprecate the old one.",
        )
        return True

    # -- enum / const --
    def _enum(self, o: Mapping[str, JSON], n: Mapping[str, JSON], to: frozenset[str], tn: frozenset[str],
              path: str) -> None:
        eo, en = _finite(o), _finite(n)
        if eo is None and en is None:
            return
        kw = "const" if "const" in o or "const" in n else "enum"
        if eo is None:
            self.add(_join(path, kw), "enum-added", None, en,
                     b=f"{_NEW_READERS} only accept {_fmt(en)}; old data may hold any other value.",
                     fix_b="Do not restrict an existing field to a fixed list; add a new field instead.")
            return
        if en is None:
            self.add(_join(path, kw), "enum-removed", eo, None,
                     f=f"{_OLD_READERS} only accept {_fmt(eo)}; producers may now write other values.",
                     fix_f="Keep the list closed until every reader has upgraded.")
            return
        for v in eo:
            if not _contains(en, v):
                self.add(_join(path, kw), "enum-value-removed", v, None,
                         b=f"old data may contain {_fmt(v)}, which {_NEW_READERS} reject." if _atom(v) in to else "",
                         fix_b=f"Keep {_fmt(v)} in the enum (document it as deprecated).")
        for v in en:
            if not _contains(eo, v):
                self.add(_join(path, kw), "enum-value-added", None, v,
                         f=f"producers may now write {_fmt(v)}, which {_OLD_READERS} reject." if _atom(v) in tn else "",
                         fix_f=f"Upgrade readers before anyone writes {_fmt(v)} (or make readers "
                               "tolerate unknown values, e.g. x-extensible-enum).")

    # -- not --
    def _not(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str,
             depth: int) -> None:
        xo, xn = o.get("not"), n.get("not")
        if (xo is None and xn is None) or (xo is not None and xn is not None and self.same(xo, xn)):
            return
        od, nd = self.old, self.new
        # old ⊆ new needs old ∩ Xn = ∅: Xn ⊆ Xo (not is contravariant), or old and Xn never meet.
        b_ok = xn is None or (xo is not None and self.accepts(xo, od, xn, nd, depth)) or self.disjoint(
            o_full, od, xn, nd, depth)
        f_ok = not self.both or xo is None or (xn is not None and self.accepts(xn, nd, xo, od, depth)) or \
            self.disjoint(n_full, nd, xo, od, depth)
        kind = "not-added" if xo is None else "not-removed" if xn is None else "not-changed"
        self.add(_join(path, "not"), kind, xo, xn,
                 b="" if b_ok else f"old data may match what the new schema forbids ('not'), which {_NEW_READERS} "
                                   "reject.",
                 f="" if f_ok else f"producers may now write values the old schema forbids ('not'), which "
                                   f"{_OLD_READERS} reject.",
                 fix_b="Forbid only values old data cannot hold (or keep 'not' as it was).",
                 fix_f="Keep forbidding what the old schema forbids until every reader has upgraded.")

    # -- if / then / else --
    def _conditional(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str,
                     depth: int) -> None:
        io, in_ = o.get("if"), n.get("if")
        if io is None and in_ is None:
            return  # then/else without if are ignored by validators
        if all(self.same(o.get(k, _TRUE), n.get(k, _TRUE)) for k in ("if", "then", "else")):
            return
        if io is not None and in_ is not None and self.same(io, in_):
            # Same condition: each branch must keep accepting what it accepted.
            for k in ("then", "else"):
                self.compare(o.get(k, _TRUE), n.get(k, _TRUE), _join(path, k), depth + 1)
            return
        od, nd = self.old, self.new
        b_ok = in_ is None or all(self.accepts(n.get(k, _TRUE), nd, o_full, od, depth) for k in ("then", "else"))
        f_ok = not self.both or io is None or all(
            self.accepts(o.get(k, _TRUE), od, n_full, nd, depth) for k in ("then", "else"))
        self.add(_join(path, "if"), "conditional-changed", {k: o[k] for k in ("if", "then", "else") if k in o},
                 {k: n[k] for k in ("if", "then", "else") if k in n},
                 b="" if b_ok else f"the if/then/else changed and old data may not meet it; {_NEW_READERS} would "
                                   "reject it.",
                 f="" if f_ok else f"the if/then/else changed and new data may not meet the old one; "
                                   f"{_OLD_READERS} would reject it.",
                 fix_b="Keep the condition and only loosen its branches.",
                 fix_f="Keep the condition and only tighten its branches until every reader has upgraded.")

    def _default(self, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str) -> None:
        if ("default" in o) != ("default" in n) or (
                "default" in o and not _eq(o["default"], n["default"])):
            self.add(_join(path, "default"), "default-changed", o.get("default"), n.get("default"))

    def _unknown(self, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str) -> None:
        for kw in sorted({*o, *n}, key=str):
            if kw in _ANNOTATIONS or str(kw).startswith("x-") or kw in _COMBINATORS or kw in _REF_KEYWORDS:
                continue
            if kw in self.old.handled and kw in self.new.handled:
                continue
            if self.same(o.get(kw), n.get(kw), view=False):
                continue
            self.unproven(_join(path, kw), f"{_kebab(str(kw))}-changed", o.get(kw), n.get(kw),
                          f"'{kw}' changed and it is not a keyword this engine judges")

    # -- allOf parts that could not be merged --
    def _extras(self, o_full: JSON, n_full: JSON, po: _Parts, pn: _Parts, path: str, depth: int) -> None:
        od, nd = self.old, self.new
        added = [e for e in pn.extras if not any(self.same(x, e) for x in po.extras)]
        removed = [e for e in po.extras if not any(self.same(e, x) for x in pn.extras)]
        for e in added:
            ok = self.accepts(e, nd, o_full, od, depth)
            self.add(_join(path, "allOf"), "product-type-extended", None, e,
                     b="" if ok else f"old data need not satisfy the added allOf part, which {_NEW_READERS} require.",
                     fix_b="Do not add constraints to an existing schema; add a new field instead.")
        for e in removed:
            ok = not self.both or self.accepts(e, od, n_full, nd, depth)
            self.add(_join(path, "allOf"), "product-type-narrowed", e, None,
                     f="" if ok else f"producers no longer satisfy a constraint {_OLD_READERS} require.",
                     fix_f="Keep the allOf part until every reader has upgraded.")

    # -- anyOf / oneOf: by what each option accepts --
    def branches(self, full: dict[str, JSON], parts: _Parts, doc: _Doc) -> list[tuple[str, JSON]]:
        """The alternatives a schema accepts: (option index, schema with the shared keywords merged in)."""
        if parts.kw is None:
            return [("", full)]
        key = ("branches", id(full), id(doc))
        hit = self.memo.get(key)
        if hit is not None and hit[0] is full:
            return list(hit[1])
        base = {k: v for k, v in parts.base.items() if k not in _ANNOTATIONS and not str(k).startswith("x-")}
        out: list[tuple[str, JSON]] = []
        for i, option in enumerate(parts.options):
            resolved, err = doc.resolve(option)
            if not err and resolved is False:
                continue  # an option that accepts nothing adds nothing
            node: JSON = option
            if base or parts.extras:
                merged = doc.merge(base, resolved) if (
                    not err and isinstance(resolved, dict) and not any(k in resolved for k in _COMBINATORS)) else None
                node = merged if merged is not None else {"allOf": [base, option]}
                if parts.extras:
                    node = {"allOf": [node, *parts.extras]}
                doc.keep(node)
            out.append((str(i), node))
        self.memo[key] = (full, out)
        return out

    def _sums(self, o: dict[str, JSON], n: dict[str, JSON], po: _Parts, pn: _Parts, path: str, depth: int) -> None:
        od, nd = self.old, self.new
        ob, nb = self.branches(o, po, od), self.branches(n, pn, nd)
        # A schema of several types facing a union is split by type (type: [string, null] against
        # anyOf: [string, null]): each type must fit some option, not the whole at once.
        ob, nb = self._by_type(ob, od), self._by_type(nb, nd)
        if len(ob) * len(nb) > _MAX_BRANCHES:
            self.unproven(path, "combined-type-changed", o, n,
                          f"{len(ob)} x {len(nb)} anyOf/oneOf options are more than the engine compares")
            return
        kw_o, kw_n = po.kw, pn.kw
        acc: dict[tuple[str, int, int], bool] = {}

        def ab(i: int, j: int) -> bool:  # old option i fits in new option j
            key = ("b", i, j)
            if key not in acc:
                acc[key] = self.accepts(nb[j][1], nd, ob[i][1], od, depth)
            return acc[key]

        def af(j: int, i: int) -> bool:  # new option j fits in old option i
            key = ("f", j, i)
            if key not in acc:
                acc[key] = self.accepts(ob[i][1], od, nb[j][1], nd, depth)
            return acc[key]

        def fits(i: int, writers: list[tuple[str, JSON]], wdoc: _Doc, readers: list[tuple[str, JSON]], rdoc: _Doc,
                 exclusive: bool, writer_exclusive: bool, inside: Any, back: Any) -> tuple[bool, tuple[int, int] | None]:
            """Does writer option i fit some reader option (exactly one, for a oneOf reader)?"""
            overlap = None
            for j in range(len(readers)):
                if not inside(i, j):
                    continue
                if not exclusive:
                    return True, None
                bad = next((k for k in range(len(readers)) if k != j
                            and not self.disjoint(writers[i][1], wdoc, readers[k][1], rdoc, depth + 1)
                            and not (writer_exclusive and any(m != i and back(k, m) for m in range(len(writers))))),
                           None)
                if bad is None:
                    return True, None
                overlap = overlap or (j, bad)
            return False, overlap

        b_ok: list[bool] = []
        b_overlap: dict[int, tuple[int, int]] = {}
        for i in range(len(ob)):
            ok, overlap = fits(i, ob, od, nb, nd, kw_n == "oneOf", kw_o == "oneOf", ab, af)
            b_ok.append(ok)
            if overlap and not ok:
                b_overlap[i] = overlap
        f_ok: list[bool] = []
        f_overlap: dict[int, tuple[int, int]] = {}
        for j in range(len(nb)):
            if not self.both:
                f_ok.append(True)
                continue
            ok, overlap = fits(j, nb, nd, ob, od, kw_o == "oneOf", kw_n == "oneOf", af, ab)
            f_ok.append(ok)
            if overlap and not ok:
                f_overlap[j] = overlap

        def label_o(i: int) -> str:
            return _join(path, kw_o, ob[i][0]) if kw_o else path

        def label_n(j: int) -> str:
            return _join(path, kw_n, nb[j][0]) if kw_n else path

        # Pair options for the explanation: the same option, then the one that accepts it, then
        # one of the same type; each pair is compared for its detailed changes.
        pairs: list[tuple[int, int]] = []
        free_o, free_n = list(range(len(ob))), list(range(len(nb)))

        def pair(i: int, j: int) -> None:
            pairs.append((i, j))
            free_o.remove(i)
            free_n.remove(j)

        found: int | None
        for i in list(free_o):
            found = next((j for j in free_n if self.same(ob[i][1], nb[j][1])), None)
            if found is not None:
                pair(i, found)
        for i in list(free_o):
            found = next((j for j in free_n if ab(i, j) and (not self.both or af(j, i))), None)
            found = found if found is not None else next((j for j in free_n if ab(i, j)), None)
            if found is not None:
                pair(i, found)
        for j in list(free_n):
            found = next((i for i in free_o if self.both and af(j, i)), None)
            if found is not None:
                pair(found, j)
        for i in list(free_o):
            types_i = self._branch_types(ob[i][1], od)
            found = next((j for j in free_n if types_i & self._branch_types(nb[j][1], nd)), None)
            if found is not None:
                pair(i, found)

        if kw_o != kw_n:
            where = _join(path, kw_n or kw_o)
            self.add(where, "combined-type-changed", kw_o, kw_n)
        for i, j in sorted(pairs, key=lambda p: p[1]):
            if self.same(ob[i][1], nb[j][1]):
                continue
            sub = self.sub(self.both)
            sub.compare(ob[i][1], nb[j][1], label_n(j) if kw_n else label_o(i), depth + 1)
            self.hits |= sub.hits
            kept_b = False
            for c in sub.changes:
                c = _without(c, b_ok[i], f_ok[j])
                kept_b = kept_b or c.breaks_backward
                self.changes.append(c)
            if not b_ok[i] and not kept_b and i not in b_overlap:
                self.add(label_o(i), "sum-type-narrowed", ob[i][1], nb[j][1],
                         b=f"old data matching this option may match no option of the new {kw_n or 'schema'}, "
                           f"which {_NEW_READERS} reject.",
                         fix_b="Keep an option that accepts everything the old option accepted.")
        for i in free_o:
            if b_ok[i]:
                self.add(label_o(i), "option-removed", ob[i][1], None)
            else:
                self.add(label_o(i), "sum-type-narrowed", ob[i][1], None,
                         b=f"old data may match the removed option, which {_NEW_READERS} reject.",
                         fix_b="Keep the option (document it as deprecated).")
        for j in free_n:
            if f_ok[j]:
                self.add(label_n(j), "option-added", None, nb[j][1])
            else:
                self.add(label_n(j), "sum-type-extended", None, nb[j][1],
                         f=f"producers may write values of the new option, which {_OLD_READERS} reject.",
                         fix_f="Upgrade every reader to the new version before producers use the option.")
        for _i, (j, k) in b_overlap.items():
            self.add(_join(path, "oneOf", nb[k][0]), "one-of-overlap", None, nb[k][1],
                     b=f"old data matching option {nb[j][0]} may also match option {nb[k][0]} of the new oneOf, "
                       f"and {_NEW_READERS} reject a value that matches more than one option.",
                     fix_b="Make the options exclusive (e.g. a const discriminator property), or use anyOf.")
        for _j, (i, k) in f_overlap.items():
            self.add(_join(path, "oneOf", ob[k][0]), "one-of-overlap", ob[k][1], None,
                     f=f"new data matching option {ob[i][0]} may also match option {ob[k][0]} of the old oneOf, "
                       f"and {_OLD_READERS} reject a value that matches more than one option.",
                     fix_f="Keep the options exclusive (e.g. a const discriminator property).")

    def _by_type(self, branches: list[tuple[str, JSON]], doc: _Doc) -> list[tuple[str, JSON]]:
        out: list[tuple[str, JSON]] = []
        for label, node in branches:
            s, err = doc.resolve(node)
            names = s.get("type") if not err and isinstance(s, dict) else None
            if not isinstance(names, list) or len(names) < 2 or not all(isinstance(t, str) for t in names):
                out.append((label, node))
                continue
            key = ("by-type", id(node), id(doc))
            hit = self.memo.get(key)
            if hit is None or hit[0] is not node:
                hit = (node, [doc.keep({"allOf": [node, {"type": t}]}) for t in dict.fromkeys(names)])
                self.memo[key] = hit
            out.extend((label, piece) for piece in hit[1])
        return out

    def _branch_types(self, node: JSON, doc: _Doc) -> frozenset[str]:
        s, err = doc.resolve(node)
        if err or not isinstance(s, dict):
            return _ALL_ATOMS if not err and s is not False else frozenset()
        return _types(doc.parts(s).base)

    # -- strings --
    def _string(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str,
                depth: int) -> None:
        self._counts(o, n, path, "minLength", "maxLength")
        for kw in ("pattern", "format"):
            vo, vn = o.get(kw), n.get(kw)
            if _eq(vo, vn):
                continue
            kind = f"{kw}-added" if vo is None else f"{kw}-removed" if vn is None else f"{kw}-changed"
            self.add(
                _join(path, kw), kind, vo, vn,
                b="" if vn is None else
                f"old data may not match {kw} {_fmt(vn)}, so {_NEW_READERS} may reject it.",
                f="" if vo is None else
                f"producers may now write values not matching {kw} {_fmt(vo)}, which {_OLD_READERS} reject.",
                fix_b=f"Do not add or change {kw} on an existing field; add a new field instead.",
                fix_f=f"Keep {kw} {_fmt(vo)} until every reader has upgraded.",
            )

    def _counts(self, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str, low: str, high: str) -> None:
        """minLength/maxLength and their kin: whole-number bounds, absent meaning 0 / no limit."""
        for kw, upper in ((low, False), (high, True)):
            vo, vn = o.get(kw), n.get(kw)
            if _eq(vo, vn):
                continue
            co, cn = _count(vo), _count(vn)
            if (vo is not None and co is None) or (vn is not None and cn is None):
                self.unproven(_join(path, kw), f"{_kebab(kw)}-changed", vo, vn, f"'{kw}' is not a whole number")
                continue
            if co is None:
                kind = f"{_kebab(kw)}-added"
            elif cn is None:
                kind = f"{_kebab(kw)}-removed"
            else:
                kind = f"{_kebab(kw)}-{'increased' if cn > co else 'decreased'}"
            inf = float("inf")
            eo, en = (co if co is not None else (inf if upper else 0)), (cn if cn is not None else (inf if upper else 0))
            tighter = en < eo if upper else en > eo
            looser = en > eo if upper else en < eo
            self._bound_change(path, kw, kind, vo, vn, tighter, looser)

    def _bound_change(self, path: str, kw: str, kind: str, vo: JSON, vn: JSON, tighter: bool, looser: bool) -> None:
        self.add(
            _join(path, kw), kind, vo, vn,
            b=f"old data may hold values allowed by {kw}={_fmt(vo)} that {_NEW_READERS} reject "
              f"({kw}={_fmt(vn)})." if tighter else "",
            f=f"producers may now write values outside {kw}={_fmt(vo)}, which {_OLD_READERS} reject."
            if looser else "",
            fix_b=f"Keep {kw} at {_fmt(vo)} (or looser)." if vo is not None else
            f"Do not add {kw} to an existing field; add a new field instead.",
            fix_f=f"Keep writing within {kw}={_fmt(vo)} until every reader has upgraded.",
        )

    # -- numbers --
    def _number(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str,
                depth: int) -> None:
        for kws, bound, covers in ((("minimum", "exclusiveMinimum"), _lower, _lower_covers),
                                   (("maximum", "exclusiveMaximum"), _upper, _upper_covers)):
            changed = [kw for kw in kws if not _eq(o.get(kw), n.get(kw))]
            if not changed:
                continue
            bad = [kw for kw in kws for v in (o.get(kw), n.get(kw)) if v is not None and not _is_num(v)
                   and not isinstance(v, bool)]
            if bad:
                self.unproven(_join(path, bad[0]), f"{_kebab(bad[0])}-changed", o.get(bad[0]), n.get(bad[0]),
                              f"'{bad[0]}' is not a number")
                continue
            bo, bn = bound(o), bound(n)
            tighter, looser = not covers(bn, bo), not covers(bo, bn)
            for kw in changed:
                vo, vn = o.get(kw), n.get(kw)
                if vo is None or isinstance(vo, bool) or vn is None or isinstance(vn, bool):
                    kind = f"{_kebab(kw)}-{'added' if vo is None else 'removed' if vn is None else 'changed'}"
                else:
                    kind = f"{_kebab(kw)}-{'increased' if vn > vo else 'decreased'}"
                self._bound_change(path, kw, kind, vo, vn, tighter, looser)
        mo, mn = o.get("multipleOf"), n.get("multipleOf")
        if _eq(mo, mn):
            return
        integers_o = _types(o) <= {"integer"}
        integers_n = _types(n) <= {"integer"}
        # Old data are multiples of mo (or whole numbers): new readers accept them all when mo is a
        # multiple of mn.
        b_ok = mn is None or (mo is not None and _multiple(mo, mn)) or (integers_o and _multiple(1, mn))
        f_ok = mo is None or (mn is not None and _multiple(mn, mo)) or (integers_n and _multiple(1, mo))
        kind = "multiple-of-added" if mo is None else "multiple-of-removed" if mn is None else "multiple-of-changed"
        self.add(_join(path, "multipleOf"), kind, mo, mn,
                 b="" if b_ok else f"old data may not be a multiple of {_fmt(mn)}, which {_NEW_READERS} require.",
                 f="" if f_ok else f"producers may write values that are not multiples of {_fmt(mo)}, which "
                                   f"{_OLD_READERS} require.",
                 fix_b=f"Keep multipleOf {_fmt(mo)}." if mo is not None else "Do not add multipleOf to an existing field.",
                 fix_f=f"Keep multipleOf {_fmt(mo)} until every reader has upgraded.")

    # -- arrays --
    def _array(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str,
               depth: int) -> None:
        od, nd = self.old, self.new
        pre_o, pkw_o, tail_o, tkw_o, ign_o = od.array_shape(o)
        pre_n, pkw_n, tail_n, tkw_n, ign_n = nd.array_shape(n)
        max_o, max_n = _count(o.get("maxItems")), _count(n.get("maxItems"))
        # Positions old data can fill (b_alive) and new data can fill (f_alive): none past a
        # position whose schema is false, nor past maxItems.
        b_alive = f_alive = True
        end = max(len(pre_o), len(pre_n))
        for i in range(end + 1):
            so = pre_o[i] if i < len(pre_o) else tail_o
            sn = pre_n[i] if i < len(pre_n) else tail_n
            b_alive = b_alive and not od.is_false(so) and (max_o is None or i < max_o)
            f_alive = f_alive and not nd.is_false(sn) and (max_n is None or i < max_n)
            if not (b_alive or f_alive):
                break
            start = len(self.changes)
            if i == end:
                self.compare(tail_o, tail_n, _join(path, tkw_n), depth + 1)
            elif i < len(pre_o) and i < len(pre_n):
                self.compare(so, sn, _join(path, pkw_n, i), depth + 1)
            else:
                added = i >= len(pre_o)
                b_ok = self.accepts(sn, nd, so, od, depth)
                f_ok = not self.both or self.accepts(so, od, sn, nd, depth)
                where = _join(path, pkw_n if added else pkw_o, i)
                rest = f"the items after position {i}" if added else f"item {i}"
                self.add(where, "item-added" if added else "item-removed", None if added else so, sn if added else None,
                         b="" if b_ok else f"old data may hold at position {i} a value that {_NEW_READERS} reject "
                                           f"(it was governed by {tkw_o if added else pkw_o} before).",
                         f="" if f_ok else f"producers may now write at position {i} a value that {_OLD_READERS} "
                                           f"reject ({rest} of the old schema).",
                         fix_b=f"Accept at position {i} everything the old schema accepted there.",
                         fix_f=f"Write at position {i} only what the old schema accepted there, until every reader "
                               "has upgraded.")
            self.drop(start, not b_alive, not f_alive)
        if not self.same(ign_o, ign_n, view=False):
            # additionalItems without a tuple is ignored by validators, but it states the intent to
            # close the array; judged as if it applied (as Confluent Schema Registry does).
            io, in_ = _as_schema(ign_o), _as_schema(ign_n)
            b_ok = self.accepts(in_, nd, io, od, depth)
            f_ok = not self.both or self.accepts(io, od, in_, nd, depth)
            note = " (validators ignore additionalItems until items is a list, but the schema now says so)"
            self.add(_join(path, "additionalItems"), "additional-items-changed", ign_o, ign_n,
                     b="" if b_ok else f"old data may hold items that {_NEW_READERS} reject{note}.",
                     f="" if f_ok else f"producers may now write items that {_OLD_READERS} reject{note}.",
                     fix_b="Keep additionalItems as it was.", fix_f="Keep additionalItems as it was.")
        self._counts(o, n, path, "minItems", "maxItems")
        uo, un = o.get("uniqueItems") is True, n.get("uniqueItems") is True
        if uo != un:
            short_o = max_o is not None and max_o <= 1
            short_n = max_n is not None and max_n <= 1
            self.add(_join(path, "uniqueItems"), "unique-items-added" if un else "unique-items-removed", uo, un,
                     b=f"old data may repeat items, which {_NEW_READERS} reject." if un and not short_o else "",
                     f=f"producers may now repeat items, which {_OLD_READERS} reject." if uo and not short_n else "",
                     fix_b="Do not require unique items on an existing array.",
                     fix_f="Keep items unique until every reader has upgraded.")
        self._contains(o, n, path, depth)

    def _contains(self, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str, depth: int) -> None:
        od, nd = self.old, self.new
        kws = ("contains", "minContains", "maxContains")
        changed = [kw for kw in kws if not _eq(o.get(kw), n.get(kw))]
        if not changed or ("contains" not in o and "contains" not in n):
            return  # minContains/maxContains without contains are ignored by validators

        def limits(s: Mapping[str, JSON], doc: _Doc) -> tuple[JSON, int, int | None]:
            modern = doc.dialect != "legacy"
            low = _count(s.get("minContains")) if modern and "minContains" in s else 1
            high = _count(s.get("maxContains")) if modern and "maxContains" in s else None
            return s.get("contains"), 1 if low is None else low, high

        co, min_o, max_o = limits(o, od)
        cn, min_n, max_n = limits(n, nd)

        def holds(reader: tuple[JSON, int, int | None], rdoc: _Doc, writer: tuple[JSON, int, int | None],
                  wdoc: _Doc) -> bool:
            rc, rmin, rmax = reader
            wc, wmin, wmax = writer
            if rc is None or (rmin == 0 and rmax is None):
                return True
            if wc is None or rmin > wmin:
                return False
            if rmin and not self.accepts(rc, rdoc, wc, wdoc, depth):
                return False  # each item the writer counts must count for the reader too
            if rmax is not None:  # ... and no more items may count for the reader than for the writer
                return wmax is not None and wmax <= rmax and self.accepts(wc, wdoc, rc, rdoc, depth)
            return True

        b_ok = holds((cn, min_n, max_n), nd, (co, min_o, max_o), od)
        f_ok = not self.both or holds((co, min_o, max_o), od, (cn, min_n, max_n), nd)
        for kw in changed:
            vo, vn = o.get(kw), n.get(kw)
            kind = f"{_kebab(kw)}-{'added' if vo is None else 'removed' if vn is None else 'changed'}"
            self.add(_join(path, kw), kind, vo, vn,
                     b="" if b_ok else f"old arrays may not contain the items {_NEW_READERS} now require "
                                       "(contains/minContains/maxContains).",
                     f="" if f_ok else f"producers may now write arrays without the items {_OLD_READERS} require "
                                       "(contains/minContains/maxContains).",
                     fix_b="Do not tighten contains on an existing array.",
                     fix_f="Keep contains as it was until every reader has upgraded.")

    # -- objects --
    def _governing(self, name: str, props: Mapping[str, JSON], patterns: Mapping[str, JSON],
                   extra: JSON) -> list[JSON] | None:
        """The schemas a property called ``name`` must meet (a conjunction); None if undecidable."""
        out: list[JSON] = [props[name]] if name in props else []
        matched = False
        for pattern, sub in patterns.items():
            hit = _pattern_search(pattern, name)
            if hit is None:
                return None
            if hit:
                out.append(sub)
                matched = True
        if name not in props and not matched:
            out.append(extra)
        return out

    def _object(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON], path: str,
                depth: int) -> None:
        od, nd = self.old, self.new
        po, pn = _dict(o.get("properties")), _dict(n.get("properties"))
        ppo, ppn = _dict(o.get("patternProperties")), _dict(n.get("patternProperties"))
        xo, xkw_o = od.extra(o)
        xn, xkw_n = nd.extra(n)
        ro, rn = _required(o), _required(n)
        for name in dict.fromkeys([*po, *ro, *pn, *rn]):
            self._property(name, po, pn, ppo, ppn, xo, xn, ro, rn, path, depth)
        self._content_model(o, n, ppo, ppn, xo, xn, xkw_o, xkw_n, path, depth)
        self._property_names(o, n, po, pn, ppo, ppn, xo, xn, path, depth)
        self._counts(o, n, path, "minProperties", "maxProperties")
        self._dependencies(o_full, n_full, o, n, po, pn, ppo, ppn, xo, xn, ro, rn, path, depth)

    def _property(self, name: str, po: Mapping[str, JSON], pn: Mapping[str, JSON], ppo: Mapping[str, JSON],
                  ppn: Mapping[str, JSON], xo: JSON, xn: JSON, ro: set[str], rn: set[str], path: str,
                  depth: int) -> None:
        od, nd = self.old, self.new
        p_path = _join(path, "properties", name)
        go = self._governing(name, po, ppo, xo)
        gn = self._governing(name, pn, ppn, xn)
        if go is None or gn is None:
            self.unproven(p_path, "property-unproven", po.get(name), pn.get(name),
                          f"a patternProperties pattern cannot be evaluated against {name!r}")
            return
        in_o, in_n = name in po, name in pn
        if in_o and in_n:
            self.compare(po[name], pn[name], p_path, depth + 1)
            self._required_change(name, name in ro, name in rn, p_path, pn[name])
            # Patterns matching the name apply on top of its declared schema.
            extra_n = [s for s in gn[1:] if not any(self.same(x, s) for x in go[1:])]
            extra_o = [s for s in go[1:] if not any(self.same(s, x) for x in gn[1:])]
            for s in extra_n:
                if not self.covered(go, od, s, nd, depth):
                    self.add(p_path, "pattern-property-applies", None, s,
                             b=f"a patternProperties schema of the new version now applies to {name!r} and old "
                               f"values may not meet it, so {_NEW_READERS} reject them.",
                             fix_b=f"Make the pattern accept every old value of {name!r}.")
            for s in extra_o:
                if self.both and not self.covered(gn, nd, s, od, depth):
                    self.add(p_path, "pattern-property-released", s, None,
                             f=f"a patternProperties schema no longer applies to {name!r}, so producers may "
                               f"write values {_OLD_READERS} reject.",
                             fix_f=f"Keep {name!r} within the old pattern's schema until every reader has upgraded.")
            return
        if in_n:
            self._property_added(name, go, gn, pn[name], name in ro, name in rn, xo, path, p_path, depth)
        elif in_o:
            self._property_removed(name, go, gn, po[name], name in ro, name in rn, xn, path, p_path, depth)
        else:  # required without a declared schema on either side
            self._required_change(name, name in ro, name in rn, p_path)

    def _required_change(self, name: str, req_old: bool, req_new: bool, path: str, s_new: JSON = None) -> None:
        if req_old == req_new:
            return
        if req_new:
            resolved, _ = self.new.resolve(s_new)
            default = " (its default does not help: validators reject a message without it)" if _has_default(
                resolved) else ""
            self.add(path, "required-added", False, True,
                     b=f"old data may lack {name!r}, which {_NEW_READERS} require{default}.",
                     fix_b=f"Keep {name!r} optional" + ("; readers can apply its default themselves." if default
                                                        else " until no old data is left to read."))
        else:
            self.add(path, "required-removed", True, False,
                     f=f"producers may now omit {name!r}, which {_OLD_READERS} require.",
                     fix_f=f"Keep writing {name!r} until every reader treats it as optional.")

    def _property_added(self, name: str, go: list[JSON], gn: list[JSON], s_new: JSON, req_o: bool, req_n: bool,
                        xo: JSON, path: str, p_path: str, depth: int) -> None:
        od, nd = self.old, self.new
        b: list[str] = []
        fix_b: list[str] = []
        if req_n and not req_o:
            b.append(f"old data lacks {name!r}, which {_NEW_READERS} require.")
            fix_b.append(f"make {name!r} optional (readers can apply a default themselves)")
        if not all(self.covered(go, od, s, nd, depth) for s in gn):
            open_model = len(go) == 1 and go[0] is xo and _is_open(xo)
            model = "open" if open_model else "partially open"
            b.append(f"the old schema's {model} content model let old data carry {name!r} with values that "
                     f"{_NEW_READERS} reject under its new schema.")
            fix_b.append("close the content model in an earlier version (additionalProperties: false) "
                         f"so old data cannot hold {name!r}, or let {name!r} accept any value")
        f = ""
        if self.both and not all(self.covered(gn, nd, s, od, depth) for s in go):
            f = (f"the old schema is closed (additionalProperties: false), so {_OLD_READERS} reject data carrying "
                 f"{name!r}." if od.is_false(xo) and len(go) == 1 and go[0] is xo else
                 f"the old schema's additionalProperties/patternProperties do not accept {name!r} as now written, "
                 f"so {_OLD_READERS} reject it.")
        if req_o and not req_n:
            f = (f + " " if f else "") + f"producers may now omit {name!r}, which {_OLD_READERS} require."
        self.add(p_path, "property-added", None, s_new, b=" ".join(b), f=f, fix_b=_sentence("; ".join(fix_b)),
                 fix_f="Open the old content model first (additionalProperties: true, released and "
                       f"deployed to readers), or do not add {name!r}.")

    def _property_removed(self, name: str, go: list[JSON], gn: list[JSON], s_old: JSON, req_o: bool, req_n: bool,
                          xn: JSON, path: str, p_path: str, depth: int) -> None:
        od, nd = self.old, self.new
        b = ""
        if not all(self.covered(go, od, s, nd, depth) for s in gn):
            b = (f"the new schema is closed (additionalProperties: false), so {_NEW_READERS} reject old data that "
                 f"still carries {name!r}." if nd.is_false(xn) and len(gn) == 1 and gn[0] is xn else
                 f"the new schema's additionalProperties/patternProperties do not accept {name!r} as old data "
                 f"holds it, so {_NEW_READERS} reject old data.")
        if req_n and not req_o:
            b = (b + " " if b else "") + f"old data may lack {name!r}, which {_NEW_READERS} require."
        f: list[str] = []
        if req_o and not req_n:
            f.append(f"producers on the new version may stop writing {name!r}, which {_OLD_READERS} require.")
        if self.both and not all(self.covered(gn, nd, s, od, depth) for s in go):
            f.append(f"the new schema's content model lets producers write {name!r} with values "
                     f"{_OLD_READERS} reject under its old schema.")
        self.add(p_path, "property-removed", s_old, None, b=b, f=" ".join(f),
                 fix_b=f"Keep {name!r} in the schema (mark it deprecated) or leave the model open.",
                 fix_f=f"Keep {name!r} (deprecated, optional) and reserve its name; close the model "
                       "(additionalProperties: false) so it cannot come back with another type.")

    def _content_model(self, o: Mapping[str, JSON], n: Mapping[str, JSON], ppo: Mapping[str, JSON],
                       ppn: Mapping[str, JSON], xo: JSON, xn: JSON, xkw_o: str, xkw_n: str, path: str,
                       depth: int) -> None:
        od, nd = self.old, self.new
        for pattern, sub in ppn.items():
            p_path = _join(path, "patternProperties", pattern)
            if pattern in ppo:
                self.compare(ppo[pattern], sub, p_path, depth + 1)
                continue
            # Names matching the new pattern were governed by additionalProperties or other patterns.
            b_ok = self.accepts(sub, nd, xo, od, depth) and all(
                self.accepts(sub, nd, x, od, depth) for x in ppo.values())
            f_ok = not self.both or (self.accepts(xo, od, sub, nd, depth) and all(
                self.accepts(x, od, sub, nd, depth) for x in ppo.values()))
            self.add(p_path, "pattern-property-added", None, sub,
                     b="" if b_ok else f"old data may carry properties matching {pattern!r} with values that "
                                       f"{_NEW_READERS} reject.",
                     f="" if f_ok else f"producers may now write properties matching {pattern!r} that "
                                       f"{_OLD_READERS} reject.",
                     fix_b=f"Let {pattern!r} accept what the old schema accepted for such names.",
                     fix_f=f"Keep {pattern!r} out until every reader has upgraded.")
        for pattern, sub in ppo.items():
            if pattern in ppn:
                continue
            b_ok = self.accepts(xn, nd, sub, od, depth) and all(
                self.accepts(y, nd, sub, od, depth) for y in ppn.values())
            f_ok = not self.both or (self.accepts(sub, od, xn, nd, depth) and all(
                self.accepts(sub, od, y, nd, depth) for y in ppn.values()))
            self.add(_join(path, "patternProperties", pattern), "pattern-property-removed", sub, None,
                     b="" if b_ok else f"old data may carry properties matching {pattern!r} that {_NEW_READERS} "
                                       "reject.",
                     f="" if f_ok else f"producers may now write properties matching {pattern!r} with values "
                                       f"{_OLD_READERS} reject.",
                     fix_b=f"Keep {pattern!r} in patternProperties.",
                     fix_f=f"Keep {pattern!r} in patternProperties until every reader has upgraded.")
        if self.same(xo, xn):
            return
        p_path = _join(path, xkw_n if xkw_n in n else xkw_o)
        open_o, open_n = _is_open(xo), _is_open(xn)
        if isinstance(xo, dict) and isinstance(xn, dict) and not open_o and not open_n:
            self.compare(xo, xn, p_path, depth + 1)
            return
        new_reads_old = self.accepts(xn, nd, xo, od, depth)
        old_reads_new = not self.both or self.accepts(xo, od, xn, nd, depth)
        kind = ("content-model-closed" if nd.is_false(xn) else
                "content-model-opened" if open_n else
                "content-model-narrowed" if open_o or not new_reads_old else "content-model-extended")
        self.add(p_path, kind, o.get(xkw_o), n.get(xkw_n),
                 b="" if new_reads_old else f"old data may carry undeclared properties that {_NEW_READERS} reject.",
                 f="" if old_reads_new else
                 f"producers may now write undeclared properties that {_OLD_READERS} reject.",
                 fix_b=f"Keep {xkw_n} as it was (closing a model breaks old data).",
                 fix_f=f"Keep {xkw_o} as it was until every reader has upgraded.")

    def _property_names(self, o: Mapping[str, JSON], n: Mapping[str, JSON], po: Mapping[str, JSON],
                        pn: Mapping[str, JSON], ppo: Mapping[str, JSON], ppn: Mapping[str, JSON], xo: JSON,
                        xn: JSON, path: str, depth: int) -> None:
        od, nd = self.old, self.new
        no, nn = o.get("propertyNames"), n.get("propertyNames")
        if (no is None and nn is None) or self.same(no, nn):
            return

        def names_ok(reader: JSON, rdoc: _Doc, writer: JSON, wdoc: _Doc, props: Mapping[str, JSON],
                     patterns: Mapping[str, JSON], extra: JSON) -> bool:
            if reader is None:
                return True
            if wdoc.is_false(extra) and not patterns and all(
                    self.value_ok(name, reader, rdoc, depth) is True for name in props):
                return True  # a closed model: the names are exactly the declared ones
            as_string = rdoc.keep({"allOf": [{"type": "string"}, reader]})
            return writer is not None and self.accepts(as_string, rdoc, wdoc.keep(
                {"allOf": [{"type": "string"}, writer]}), wdoc, depth)

        b_ok = names_ok(nn, nd, no, od, po, ppo, xo)
        f_ok = not self.both or names_ok(no, od, nn, nd, pn, ppn, xn)
        self.add(_join(path, "propertyNames"), "property-names-changed", no, nn,
                 b="" if b_ok else f"old data may use property names {_NEW_READERS} reject.",
                 f="" if f_ok else f"producers may now use property names {_OLD_READERS} reject.",
                 fix_b="Do not restrict property names of an existing object.",
                 fix_f="Keep propertyNames as it was until every reader has upgraded.")

    def _dependencies(self, o_full: JSON, n_full: JSON, o: Mapping[str, JSON], n: Mapping[str, JSON],
                      po: Mapping[str, JSON], pn: Mapping[str, JSON], ppo: Mapping[str, JSON],
                      ppn: Mapping[str, JSON], xo: JSON, xn: JSON, ro: set[str], rn: set[str], path: str,
                      depth: int) -> None:
        od, nd = self.old, self.new
        req_o, sch_o = od.dependencies(o)
        req_n, sch_n = nd.dependencies(n)

        def absent(name: str, props: Mapping[str, JSON], patterns: Mapping[str, JSON], extra: JSON,
                   doc: _Doc) -> bool:
            """Can data never carry ``name`` (so a dependency on it never fires)?"""
            gov = self._governing(name, props, patterns, extra)
            return gov is not None and any(doc.is_false(s) for s in gov)

        for name in dict.fromkeys([*req_o, *req_n]):
            kw = (req_n.get(name) or req_o[name])[0]
            need_n = req_n.get(name, (kw, set()))[1]
            need_o = req_o.get(name, (kw, set()))[1]
            if need_n == need_o:
                continue
            missing_b = need_n - need_o - ro
            missing_f = need_o - need_n - rn
            b_ok = not missing_b or absent(name, po, ppo, xo, od)
            f_ok = not self.both or not missing_f or absent(name, pn, ppn, xn, nd)
            kind = "dependency-added" if name not in req_o else "dependency-removed" if name not in req_n else \
                "dependency-changed"
            self.add(_join(path, kw, name), kind, sorted(need_o) if name in req_o else None,
                     sorted(need_n) if name in req_n else None,
                     b="" if b_ok else f"old data carrying {name!r} may lack {', '.join(map(repr, sorted(missing_b)))}, "
                                       f"which {_NEW_READERS} now require with it.",
                     f="" if f_ok else f"producers may now write {name!r} without "
                                       f"{', '.join(map(repr, sorted(missing_f)))}, which {_OLD_READERS} require.",
                     fix_b=f"Do not add requirements that come with {name!r}.",
                     fix_f=f"Keep writing what {name!r} required until every reader has upgraded.")
        for name in dict.fromkeys([*sch_o, *sch_n]):
            kw = (sch_n.get(name) or sch_o[name])[0]
            d_path = _join(path, kw, name)
            if name in sch_o and name in sch_n:
                self.compare(sch_o[name][1], sch_n[name][1], d_path, depth + 1)
            elif name in sch_n:
                ok = absent(name, po, ppo, xo, od) or self.accepts(sch_n[name][1], nd, o_full, od, depth)
                self.add(d_path, "dependent-schema-added", None, sch_n[name][1],
                         b="" if ok else f"old data carrying {name!r} may not meet the schema {_NEW_READERS} now "
                                         "apply with it.",
                         fix_b=f"Do not add a dependent schema for {name!r}.")
            else:
                ok = not self.both or absent(name, pn, ppn, xn, nd) or self.accepts(
                    sch_o[name][1], od, n_full, nd, depth)
                self.add(d_path, "dependent-schema-removed", sch_o[name][1], None,
                         f="" if ok else f"producers may now write {name!r} with data the schema "
                                         f"{_OLD_READERS} apply with it rejects.",
                         fix_f=f"Keep the dependent schema for {name!r} until every reader has upgraded.")
