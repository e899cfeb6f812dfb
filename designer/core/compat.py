"""JSON Schema compatibility between message versions, per schema-registry mode, with explanations.

The rules follow Confluent Schema Registry's JSON Schema provider (``SchemaDiff``,
``ObjectSchemaDiff``, ``Difference``): one change is judged by asking *can a reader using one
schema read every value a writer using the other schema may produce?*

- BACKWARD: consumers on the **new** schema can read data written with the **old** one
  (upgrade consumers first). A problem here *breaks readers*.
- FORWARD: consumers still on the **old** schema can read data written with the **new** one
  (upgrade producers first). A problem here *breaks writers* (they cannot ship the new schema).
- FULL: both. NONE: anything goes. ``*_TRANSITIVE``: against every earlier version, not only the
  previous one (see ``check_history``).

Content models matter, as in Confluent: an *open* model (``additionalProperties`` absent or true)
lets old data carry any extra property, so adding a typed property to it can reject old data; a
*closed* model (``additionalProperties: false``) guarantees old data never had the property, so
adding an optional one is safe, but removing a declared one makes new readers reject old data.

The engine is a single comparison (``diff``) that records, for every change, whether it breaks
each direction; ``check`` and ``check_history`` select the directions a mode cares about.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.core.model import COMPAT_MODES

JSON = Any

BACKWARD = "BACKWARD"
FORWARD = "FORWARD"

# Keywords that only annotate; changing them never changes which values validate.
_ANNOTATIONS = frozenset({
    "title", "description", "examples", "example", "$comment", "deprecated", "readOnly",
    "writeOnly", "$schema", "$id", "$anchor", "default", "contentMediaType", "contentEncoding",
    "x-classification", "x-reserved",
})
# Validation keywords the engine understands; any other non-annotation keyword that changes is
# reported conservatively as breaking both ways rather than silently passed.
_HANDLED = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
    "items", "prefixItems", "additionalItems", "oneOf", "anyOf", "allOf", "$ref", "$defs",
    "definitions", "pattern", "format", "multipleOf", "uniqueItems",
    "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties",
    "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties",
})
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
# Guards against pathological or self-referencing schemas: $ref chains and nesting deeper than
# this are not followed (a real payload schema is rarely deeper than ~10 levels).
_MAX_DEPTH = 64

_OLD_READERS = "consumers still on the old version"
_NEW_READERS = "consumers upgraded to the new version"


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
    anything). Local ``$ref``s (``#/...``) are resolved within each document.
    """
    cmp = _Comparer(_as_schema(old), _as_schema(new))
    cmp.compare(cmp.old_root, cmp.new_root, "", 0)
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


# ---- the comparison -----------------------------------------------------------------------------

def _as_schema(value: JSON) -> JSON:
    if value is None or value is True:
        return {}
    return value


def _join(path: str, *parts: object) -> str:
    out = path
    for p in parts:
        out = f"{out}.{p}" if out else str(p)
    return out


def _fmt(value: JSON) -> str:
    if isinstance(value, str):
        return repr(value)
    return "any" if value is None else str(value)


def _types(schema: Mapping[str, JSON]) -> frozenset[str] | None:
    """The JSON types a schema allows, or None for "any" (no ``type`` keyword)."""
    t = schema.get("type")
    if t is None:
        return None
    if isinstance(t, str):
        return frozenset({t})
    if isinstance(t, list):
        return frozenset(x for x in t if isinstance(x, str))
    return None


def _types_accept(reader: frozenset[str] | None, writer: frozenset[str] | None) -> bool:
    """Does a reader allowing ``reader`` types accept every type a writer may send?"""
    if reader is None:
        return True
    writer_types = _ALL_TYPES if writer is None else writer
    return all(t in reader or (t == "integer" and "number" in reader) for t in writer_types)


def _is_object_schema(s: Mapping[str, JSON]) -> bool:
    t = _types(s)
    if t is not None:
        return "object" in t
    return any(k in s for k in ("properties", "required", "additionalProperties", "patternProperties"))


def _required(s: Mapping[str, JSON]) -> set[str]:
    r = s.get("required")
    return {x for x in r if isinstance(x, str)} if isinstance(r, list) else set()


def _has_default(s: JSON) -> bool:
    return isinstance(s, dict) and "default" in s


def _validation_view(s: JSON) -> JSON:
    """The schema without annotations, to compare two schemas for equality of meaning."""
    if isinstance(s, dict):
        return {k: _validation_view(v) for k, v in s.items() if k not in _ANNOTATIONS}
    if isinstance(s, list):
        return [_validation_view(v) for v in s]
    return s


def _enum_of(s: Mapping[str, JSON]) -> list[JSON] | None:
    if "const" in s:
        return [s["const"]]
    e = s.get("enum")
    return list(e) if isinstance(e, list) else None


def _contains(values: list[JSON], v: JSON) -> bool:
    # JSON equality: 1 == 1.0 but True != 1 (Python's == conflates bool and int).
    return any(type(x) is type(v) and x == v or (
        isinstance(x, (int, float)) and isinstance(v, (int, float))
        and not isinstance(x, bool) and not isinstance(v, bool) and x == v) for x in values)


class _Comparer:
    """Walks an old and a new schema side by side and records every change."""

    def __init__(self, old_root: JSON, new_root: JSON) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self.changes: list[FieldChange] = []
        self._seen: set[tuple[int, int]] = set()  # pairs being compared (cycle guard)

    # -- recording --
    def add(self, path: str, kind: str, old: JSON, new: JSON, *, b: str = "", f: str = "",
            fix_b: str = "", fix_f: str = "") -> None:
        """Record a change; a non-empty ``b``/``f`` is the reason it breaks that direction."""
        b, f = _capitalize_sentences(b), _capitalize_sentences(f)
        self.changes.append(FieldChange(path, kind, old, new, bool(b), bool(f), b, f, fix_b, fix_f))

    # -- $ref --
    def _resolve(self, s: JSON, root: JSON, path: str) -> tuple[JSON, str | None]:
        """Follow local $refs; returns (schema, None) or (original, reason it could not resolve)."""
        hops = 0
        while isinstance(s, dict) and isinstance(s.get("$ref"), str):
            ref: str = s["$ref"]
            if not ref.startswith("#"):
                return s, f"$ref {ref!r} points outside the document"
            target = resolve_pointer(root, ref)
            if target is None:
                return s, f"$ref {ref!r} does not resolve in the document"
            hops += 1
            if hops > _MAX_DEPTH:
                return s, f"$ref {ref!r} is a chain of references that never ends"
            siblings = {k: v for k, v in s.items() if k != "$ref"}
            s = {**target, **siblings} if isinstance(target, dict) and siblings else target
        return _as_schema(s) if s is True else s, None

    # -- main walk --
    def compare(self, old: JSON, new: JSON, path: str, depth: int) -> None:
        """Compare ``old`` with ``new`` at ``path`` (recursively)."""
        old, old_err = self._resolve(old, self.old_root, path)
        new, new_err = self._resolve(new, self.new_root, path)
        if old_err or new_err:
            if old != new:
                reason = f"{old_err or new_err}, so the change cannot be checked."
                self.add(_join(path, "$ref"), "ref-changed", old, new, b=reason, f=reason,
                         fix_b="Inline the referenced schema or make the $ref resolvable.",
                         fix_f="Inline the referenced schema or make the $ref resolvable.")
            return
        key = (id(old), id(new))
        if depth > _MAX_DEPTH or key in self._seen:
            return  # a recursive schema: this pair is already being compared higher up
        self._seen.add(key)
        try:
            self._compare_resolved(old, new, path, depth)
        finally:
            self._seen.discard(key)

    def _compare_resolved(self, old: JSON, new: JSON, path: str, depth: int) -> None:
        if old is False or new is False:
            if old is not new:
                b = f"{_NEW_READERS} accept nothing here (schema false)." if new is False else ""
                f = f"{_OLD_READERS} accept nothing here (schema false)." if old is False else ""
                self.add(path, "schema-changed", old, new, b=b, f=f,
                         fix_b="Do not forbid a value old data may contain.",
                         fix_f="Keep the value forbidden until every reader has upgraded.")
            return
        if not isinstance(old, dict) or not isinstance(new, dict):
            if old != new:
                why = "the schema is not an object or boolean and cannot be compared."
                self.add(path, "schema-changed", old, new, b=why, f=why)
            return
        if old == new:
            return
        if self._combinators(old, new, path, depth):
            return
        if not self._type(old, new, path):
            return  # the types no longer overlap: the finer rules would only repeat that
        self._enum(old, new, path)
        self._bounds(old, new, path)
        self._pattern_format(old, new, path)
        self._multiple_of(old, new, path)
        self._unique_items(old, new, path)
        self._default(old, new, path)
        if _is_object_schema(old) or _is_object_schema(new):
            self._object(old, new, path, depth)
        self._items(old, new, path, depth)
        self._unhandled(old, new, path)

    # -- type --
    def _type(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> bool:
        to, tn = _types(old), _types(new)
        if to == tn:
            return True
        new_reads_old = _types_accept(tn, to)
        old_reads_new = _types_accept(to, tn)
        kind = ("type-widened" if new_reads_old and not old_reads_new else
                "type-narrowed" if old_reads_new and not new_reads_old else "type-changed")
        so = "any" if to is None else "/".join(sorted(to))
        sn = "any" if tn is None else "/".join(sorted(tn))
        self.add(
            _join(path, "type"), kind, old.get("type"), new.get("type"),
            b="" if new_reads_old else
            f"{_NEW_READERS} only accept {sn}, but data written with the old version may be {so}.",
            f="" if old_reads_new else
            f"{_OLD_READERS} only accept {so}, but producers on the new version may write {sn}.",
            fix_b=f"Keep accepting {so} (e.g. type: [{so}, {sn}]) or add a new property instead.",
            fix_f=f"Keep writing {so}: add a new property with the new type and deprecate the old one.",
        )
        overlap = to is None or tn is None or bool(to & tn) or (
            "integer" in to and "number" in tn) or ("number" in to and "integer" in tn)
        return overlap

    # -- enum / const --
    def _enum(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        eo, en = _enum_of(old), _enum_of(new)
        if eo is None and en is None:
            return
        kw = "const" if "const" in old or "const" in new else "enum"
        if eo is None:
            self.add(_join(path, kw), "enum-added", None, en,
                     b=f"{_NEW_READERS} only accept {en}; old data may hold any other value.",
                     fix_b="Do not restrict an existing field to a fixed list; add a new field instead.")
            return
        if en is None:
            self.add(_join(path, kw), "enum-removed", eo, None,
                     f=f"{_OLD_READERS} only accept {eo}; producers may now write other values.",
                     fix_f="Keep the list closed until every reader has upgraded.")
            return
        for v in eo:
            if not _contains(en, v):
                self.add(_join(path, kw), "enum-value-removed", v, None,
                         b=f"old data may contain {_fmt(v)}, which {_NEW_READERS} reject.",
                         fix_b=f"Keep {_fmt(v)} in the enum (document it as deprecated).")
        for v in en:
            if not _contains(eo, v):
                self.add(_join(path, kw), "enum-value-added", None, v,
                         f=f"producers may now write {_fmt(v)}, which {_OLD_READERS} reject.",
                         fix_f=f"Upgrade readers before anyone writes {_fmt(v)} (or make readers "
                               "tolerate unknown values, e.g. x-extensible-enum).")

    # -- numeric and length bounds --
    def _bounds(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        for kw in _UPPER_BOUNDS + _LOWER_BOUNDS:
            o, n = old.get(kw), new.get(kw)
            if o == n or isinstance(o, bool) or isinstance(n, bool):
                continue
            if o is not None and not isinstance(o, (int, float)) or n is not None and not isinstance(
                    n, (int, float)):
                continue
            upper = kw in _UPPER_BOUNDS
            name = _kebab(kw)
            if o is None:
                kind, tighter = f"{name}-added", True
            elif n is None:
                kind, tighter = f"{name}-removed", False
            else:
                kind = f"{name}-{'increased' if n > o else 'decreased'}"
                tighter = (n < o) if upper else (n > o)
            self.add(
                _join(path, kw), kind, o, n,
                b=f"old data may hold values allowed by {kw}={_fmt(o)} that {_NEW_READERS} reject "
                  f"({kw}={_fmt(n)})." if tighter else "",
                f="" if tighter else
                f"producers may now write values outside {kw}={_fmt(o)}, which {_OLD_READERS} reject.",
                fix_b=f"Keep {kw} at {_fmt(o)} (or looser).",
                fix_f=f"Keep writing within {kw}={_fmt(o)} until every reader has upgraded.",
            )

    def _pattern_format(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        for kw in ("pattern", "format"):
            o, n = old.get(kw), new.get(kw)
            if o == n:
                continue
            kind = f"{kw}-added" if o is None else f"{kw}-removed" if n is None else f"{kw}-changed"
            self.add(
                _join(path, kw), kind, o, n,
                b="" if n is None else
                f"old data may not match {kw} {_fmt(n)}, so {_NEW_READERS} may reject it.",
                f="" if o is None else
                f"producers may now write values not matching {kw} {_fmt(o)}, which {_OLD_READERS} reject.",
                fix_b=f"Do not add or change {kw} on an existing field; add a new field instead.",
                fix_f=f"Keep {kw} {_fmt(o)} until every reader has upgraded.",
            )

    def _multiple_of(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        o, n = old.get("multipleOf"), new.get("multipleOf")
        if o == n or not all(isinstance(x, (int, float)) or x is None for x in (o, n)):
            return
        if o is None:
            stricter, looser, kind = True, False, "multiple-of-added"
        elif n is None:
            stricter, looser, kind = False, True, "multiple-of-removed"
        else:
            # Old data are multiples of o: new readers accept them all only if o is a multiple of n.
            stricter = not _is_multiple(o, n)
            looser = not _is_multiple(n, o)
            kind = "multiple-of-changed"
        self.add(_join(path, "multipleOf"), kind, o, n,
                 b=f"old data may not be a multiple of {_fmt(n)}, which {_NEW_READERS} require."
                 if stricter else "",
                 f=f"producers may write values that are not multiples of {_fmt(o)}, which "
                   f"{_OLD_READERS} require." if looser else "",
                 fix_b=f"Keep multipleOf {_fmt(o)}.", fix_f=f"Keep multipleOf {_fmt(o)}.")

    def _unique_items(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        o, n = bool(old.get("uniqueItems", False)), bool(new.get("uniqueItems", False))
        if o == n:
            return
        self.add(_join(path, "uniqueItems"), "unique-items-added" if n else "unique-items-removed", o, n,
                 b=f"old data may repeat items, which {_NEW_READERS} reject." if n else "",
                 f="" if n else f"producers may now repeat items, which {_OLD_READERS} reject.",
                 fix_b="Do not require unique items on an existing array.",
                 fix_f="Keep items unique until every reader has upgraded.")

    def _default(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        if "default" in old or "default" in new:
            o, n = old.get("default"), new.get("default")
            if ("default" in old) != ("default" in new) or o != n:
                self.add(_join(path, "default"), "default-changed", o, n)

    # -- objects --
    def _extra(self, s: Mapping[str, JSON], name: str) -> JSON:
        """The schema governing an undeclared property ``name`` (False when it is forbidden)."""
        pp = s.get("patternProperties")
        if isinstance(pp, dict):
            for pattern, sub in pp.items():
                try:
                    if re.search(pattern, name):
                        return _as_schema(sub)
                except re.error:
                    continue
        ap = s.get("additionalProperties", True)
        return {} if ap is True else ap

    def _accepts(self, reader: JSON, writer: JSON, reader_root: JSON, writer_root: JSON) -> bool:
        """Does every value valid against ``writer`` also validate against ``reader``?"""
        if writer is False:
            return True
        if reader is False:
            return False
        if isinstance(reader, dict) and not _validation_view(reader):
            return True
        sub = _Comparer(writer_root, reader_root)
        sub._seen = set(self._seen)
        sub.compare(writer, reader, "", 0)
        return not any(c.breaks_backward for c in sub.changes)

    def _object(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str, depth: int) -> None:
        po = old.get("properties") if isinstance(old.get("properties"), dict) else {}
        pn = new.get("properties") if isinstance(new.get("properties"), dict) else {}
        assert isinstance(po, dict) and isinstance(pn, dict)
        ro, rn = _required(old), _required(new)
        names = list(dict.fromkeys([*po, *ro, *pn, *rn]))
        for name in names:
            p_path = _join(path, "properties", name)
            in_old, in_new = name in po, name in pn
            if in_old and in_new:
                self.compare(po[name], pn[name], p_path, depth + 1)
                self._required_change(name, name in ro, name in rn, po[name], pn[name], p_path)
            elif in_new:
                self._property_added(name, old, new, pn[name], name in ro, name in rn, p_path)
            elif in_old:
                self._property_removed(name, old, new, po[name], name in ro, name in rn, p_path)
            else:  # required without a declared schema on either side
                self._required_change(name, name in ro, name in rn, {}, {}, p_path)
        self._content_model(old, new, path, depth)

    def _required_change(self, name: str, req_old: bool, req_new: bool, s_old: JSON, s_new: JSON,
                         path: str) -> None:
        if req_old == req_new:
            return
        if req_new:
            self.add(path, "required-added", False, True,
                     b="" if _has_default(s_new) else
                     f"old data may lack {name!r}, which {_NEW_READERS} require.",
                     fix_b=f"Keep {name!r} optional, or give it a default.")
        else:
            self.add(path, "required-removed", True, False,
                     f="" if _has_default(s_old) else
                     f"producers may now omit {name!r}, which {_OLD_READERS} require.",
                     fix_f=f"Keep writing {name!r} until every reader treats it as optional.")

    def _property_added(self, name: str, old: Mapping[str, JSON], new: Mapping[str, JSON], s_new: JSON,
                        req_old: bool, req_new: bool, path: str) -> None:
        x_old = self._extra(old, name)
        b: list[str] = []
        fix_b: list[str] = []
        if req_new and not _has_default(s_new):
            b.append(f"old data lacks {name!r}, which {_NEW_READERS} require.")
            fix_b.append(f"make {name!r} optional or give it a default")
        if x_old is not False and not self._accepts(s_new, x_old, self.new_root, self.old_root):
            model = "open" if isinstance(x_old, dict) and not _validation_view(x_old) else "partially open"
            b.append(f"the old schema's {model} content model let old data carry {name!r} with any "
                     f"value, and {_NEW_READERS} reject values that do not match its new schema.")
            fix_b.append("close the content model in an earlier version (additionalProperties: false) "
                         f"so old data cannot hold {name!r}, or let {name!r} accept any value")
        f = ""
        if x_old is False:
            f = (f"the old schema is closed (additionalProperties: false), so {_OLD_READERS} reject "
                 f"data carrying {name!r}.")
        elif not self._accepts(x_old, s_new, self.old_root, self.new_root):
            f = (f"the old schema's additionalProperties do not accept {name!r} as now written, "
                 f"so {_OLD_READERS} reject it.")
        self.add(path, "property-added", None, s_new, b=" ".join(b), f=f,
                 fix_b=_sentence("; ".join(fix_b)),
                 fix_f="Open the old content model first (additionalProperties: true, released and "
                       f"deployed to readers), or do not add {name!r}.")

    def _property_removed(self, name: str, old: Mapping[str, JSON], new: Mapping[str, JSON], s_old: JSON,
                          req_old: bool, req_new: bool, path: str) -> None:
        x_new = self._extra(new, name)
        b = ""
        if x_new is False:
            b = (f"the new schema is closed (additionalProperties: false), so {_NEW_READERS} reject "
                 f"old data that still carries {name!r}.")
        elif not self._accepts(x_new, s_old, self.new_root, self.old_root):
            b = (f"the new schema's additionalProperties do not accept {name!r} as old data holds it, "
                 f"so {_NEW_READERS} reject old data.")
        f: list[str] = []
        if req_old and not _has_default(s_old):
            f.append(f"producers on the new version stop writing {name!r}, which {_OLD_READERS} require.")
        if x_new is not False and not self._accepts(s_old, x_new, self.old_root, self.new_root):
            f.append(f"the new schema's open content model lets producers write {name!r} with any value, "
                     f"and {_OLD_READERS} reject values that do not match its old schema.")
        self.add(path, "property-removed", s_old, None, b=b, f=" ".join(f),
                 fix_b=f"Keep {name!r} in the schema (mark it deprecated) or leave the model open.",
                 fix_f=f"Keep {name!r} (deprecated, optional) and reserve its name; close the model "
                       "(additionalProperties: false) so it cannot come back with another type.")

    def _content_model(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str, depth: int) -> None:
        ao, an = old.get("additionalProperties", True), new.get("additionalProperties", True)
        ao = {} if ao is True else ao
        an = {} if an is True else an
        p_path = _join(path, "additionalProperties")
        if isinstance(ao, dict) and isinstance(an, dict) and _validation_view(ao) and _validation_view(an):
            self.compare(ao, an, p_path, depth + 1)
        elif _validation_view(ao) != _validation_view(an):
            open_old = isinstance(ao, dict) and not _validation_view(ao)
            open_new = isinstance(an, dict) and not _validation_view(an)
            new_reads_old = self._accepts(an, ao, self.new_root, self.old_root)
            old_reads_new = self._accepts(ao, an, self.old_root, self.new_root)
            kind = ("content-model-closed" if an is False else
                    "content-model-opened" if open_new else
                    "content-model-narrowed" if open_old or not new_reads_old else "content-model-extended")
            self.add(p_path, kind, old.get("additionalProperties"), new.get("additionalProperties"),
                     b="" if new_reads_old else
                     f"old data may carry undeclared properties that {_NEW_READERS} reject.",
                     f="" if old_reads_new else
                     f"producers may now write undeclared properties that {_OLD_READERS} reject.",
                     fix_b="Keep additionalProperties as it was (closing a model breaks old data).",
                     fix_f="Keep additionalProperties as it was until every reader has upgraded.")
        pp_o, pp_n = old.get("patternProperties"), new.get("patternProperties")
        if isinstance(pp_o, dict) and isinstance(pp_n, dict):
            for pat in pp_o:
                if pat in pp_n:
                    self.compare(pp_o[pat], pp_n[pat], _join(path, "patternProperties", pat), depth + 1)
        keys_o = set(pp_o) if isinstance(pp_o, dict) else set()
        keys_n = set(pp_n) if isinstance(pp_n, dict) else set()
        if keys_o != keys_n:
            why = "patternProperties changed; undeclared property names are matched differently."
            self.add(_join(path, "patternProperties"), "pattern-properties-changed", pp_o, pp_n,
                     b=why, f=why, fix_b="Keep patternProperties unchanged.",
                     fix_f="Keep patternProperties unchanged.")

    # -- arrays --
    def _items(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str, depth: int) -> None:
        io, in_ = old.get("items"), new.get("items")
        if isinstance(io, list) or isinstance(in_, list):  # draft-07 tuple form
            lo = io if isinstance(io, list) else []
            ln = in_ if isinstance(in_, list) else []
            for i in range(max(len(lo), len(ln))):
                self.compare(lo[i] if i < len(lo) else {}, ln[i] if i < len(ln) else {},
                             _join(path, "items", i), depth + 1)
            return
        po, pn = old.get("prefixItems"), new.get("prefixItems")
        if isinstance(po, list) or isinstance(pn, list):
            lo = po if isinstance(po, list) else []
            ln = pn if isinstance(pn, list) else []
            for i in range(max(len(lo), len(ln))):
                self.compare(lo[i] if i < len(lo) else {}, ln[i] if i < len(ln) else {},
                             _join(path, "prefixItems", i), depth + 1)
        if io is not None or in_ is not None:
            self.compare(_as_schema(io), _as_schema(in_), _join(path, "items"), depth + 1)

    # -- oneOf / anyOf / allOf --
    def _combinators(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str, depth: int) -> bool:
        """Handle sum (oneOf/anyOf) and product (allOf) types; True when fully handled."""
        def sums(s: Mapping[str, JSON]) -> tuple[str, list[JSON]] | None:
            for kw in ("oneOf", "anyOf"):
                if isinstance(s.get(kw), list):
                    return kw, list(s[kw])
            return None

        so, sn = sums(old), sums(new)
        if so is None and sn is None:
            ao, an = old.get("allOf"), new.get("allOf")
            if isinstance(ao, list) or isinstance(an, list):
                self._options(ao if isinstance(ao, list) else [], an if isinstance(an, list) else [],
                              _join(path, "allOf"), depth, product=True)
            return False
        rest_o = {k: v for k, v in old.items() if k not in ("oneOf", "anyOf")}
        rest_n = {k: v for k, v in new.items() if k not in ("oneOf", "anyOf")}
        if so is not None and sn is not None:
            kw_o, opts_o = so
            kw_n, opts_n = sn
            if kw_o != kw_n:
                # anyOf accepts a superset of oneOf (overlapping options are no longer an error).
                widened = kw_o == "oneOf"
                self.add(_join(path, kw_n), "combined-type-changed", kw_o, kw_n,
                         b="" if widened else
                         f"{_NEW_READERS} require exactly one option (oneOf) to match; old data may match several.",
                         f="" if not widened else
                         f"{_OLD_READERS} require exactly one option (oneOf) to match; new data may match several.",
                         fix_b="Keep anyOf.", fix_f="Keep oneOf.")
            self._options(opts_o, opts_n, _join(path, kw_n), depth, product=False)
            if _validation_view(rest_o) != _validation_view(rest_n):
                self._compare_resolved(rest_o, rest_n, path, depth)
            return True
        if so is None and sn is not None:
            kw, opts = sn
            if any(_validation_view(o) == _validation_view(rest_o) for o in opts) or any(
                    self._accepts(o, rest_o, self.new_root, self.old_root) for o in opts):
                self.add(_join(path, kw), "sum-type-extended", None, opts,
                         f=f"producers may now write values of the new options, which {_OLD_READERS} reject.",
                         fix_f="Upgrade every reader to the new version before producers write new options.")
            else:
                why = f"the schema became a {kw} none of whose options accepts every old value."
                self.add(_join(path, kw), "combined-type-changed", None, opts, b=why, f=why,
                         fix_b=f"Keep the old schema as one of the {kw} options.",
                         fix_f=f"Keep the old schema as one of the {kw} options.")
            return True
        assert so is not None
        kw, opts = so
        if any(_validation_view(o) == _validation_view(rest_n) for o in opts) or any(
                self._accepts(rest_n, o, self.new_root, self.old_root) for o in opts):
            self.add(_join(path, kw), "sum-type-narrowed", opts, None,
                     b=f"old data may match the {kw} options that were dropped, which {_NEW_READERS} reject.",
                     fix_b=f"Keep the {kw} with all its options.")
        else:
            why = f"the {kw} was replaced by a schema that no old option matches."
            self.add(_join(path, kw), "combined-type-changed", opts, None, b=why, f=why,
                     fix_b=f"Keep the {kw}.", fix_f=f"Keep the {kw}.")
        return True

    def _options(self, opts_o: list[JSON], opts_n: list[JSON], path: str, depth: int, product: bool) -> None:
        views_n = [_validation_view(o) for o in opts_n]
        unmatched_n = list(range(len(opts_n)))
        unmatched_o: list[int] = []
        for i, o in enumerate(opts_o):
            v = _validation_view(o)
            j = next((j for j in unmatched_n if views_n[j] == v), None)
            if j is None:
                unmatched_o.append(i)
            else:
                unmatched_n.remove(j)
        # Pair the remaining options by position and compare them as changed options.
        for i, j in zip(list(unmatched_o), list(unmatched_n)):
            self.compare(opts_o[i], opts_n[j], _join(path, j), depth + 1)
            unmatched_o.remove(i)
            unmatched_n.remove(j)
        for i in unmatched_o:
            if product:
                self.add(_join(path, i), "product-type-narrowed", opts_o[i], None,
                         f=f"producers no longer satisfy a constraint {_OLD_READERS} require.",
                         fix_f="Keep the allOf part until every reader has upgraded.")
            else:
                self.add(_join(path, i), "sum-type-narrowed", opts_o[i], None,
                         b=f"old data may match the removed option, which {_NEW_READERS} reject.",
                         fix_b="Keep the option (document it as deprecated).")
        for j in unmatched_n:
            if product:
                self.add(_join(path, j), "product-type-extended", None, opts_n[j],
                         b=f"old data need not satisfy the added allOf part, which {_NEW_READERS} require.",
                         fix_b="Do not add constraints to an existing schema; add a new field instead.")
            else:
                self.add(_join(path, j), "sum-type-extended", None, opts_n[j],
                         f=f"producers may write values of the new option, which {_OLD_READERS} reject.",
                         fix_f="Upgrade every reader to the new version before producers use the option.")

    def _unhandled(self, old: Mapping[str, JSON], new: Mapping[str, JSON], path: str) -> None:
        for kw in sorted(set(old) | set(new)):
            if kw in _HANDLED or kw in _ANNOTATIONS or kw.startswith("x-"):
                continue
            if _validation_view(old.get(kw)) != _validation_view(new.get(kw)):
                why = f"'{kw}' changed and the engine cannot prove the change is safe."
                self.add(_join(path, kw), f"{_kebab(kw)}-changed", old.get(kw), new.get(kw), b=why, f=why,
                         fix_b=f"Keep '{kw}' unchanged, or release a new major version.",
                         fix_f=f"Keep '{kw}' unchanged, or release a new major version.")


def _is_multiple(a: float, b: float) -> bool:
    """Is ``a`` a multiple of ``b`` (within float noise)?"""
    if b == 0:
        return False
    q = a / b
    return abs(q - round(q)) < 1e-9


def _capitalize_sentences(text: str) -> str:
    return re.sub(r"(^|\. )([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower().lstrip("$")


def resolve_pointer(root: JSON, ref: str) -> JSON:
    """Resolve a local JSON pointer such as ``#/$defs/Money``; None when it does not resolve."""
    frag = ref[1:]
    if frag in ("", "/"):
        return root
    if not frag.startswith("/"):
        return None  # "#anchor" refs are not supported
    node = root
    for raw in frag[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdecimal() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node
