"""Run the registered rules over a model: ``lint(model)`` once, or a ``Linter`` re-linting.

Severity: a team's ``LintConfig.severities`` maps a rule id to "off" (the rule does not run) or
to a severity that replaces the one the rule reported. Options: the team's options for a rule
are merged over the rule's ``OPTIONS`` defaults.

A crashing rule. The engine catches the exception and reports it as an *error* finding of the
rule ``lint-internal-error`` (naming the rule and the exception), logs it with its traceback,
and goes on with the other rules. Why not drop it silently: a CI gate would then pass with a
check missing. Why not raise: one bug in one of sixty rules would hide the other rules'
findings from every team. Tests pass ``strict=True`` so a crash fails the test with its
traceback instead.

Incremental re-lint (the "re-lint after one element changes in under 50 ms" target). A
``Linter`` remembers, per rule, the findings about every element from its last run. On the next
snapshot it finds the messages that changed (compared by value, with an identity fast path)
and those whose neighbours changed (a relation added or removed, a service, channel or flow that
mentions them). Element-scope rules promise that a finding about an element depends only on
that element and its direct neighbours, so each is re-run on a sub-model holding the changed
messages plus every message of the services, channels and flows around them (so findings about
those are complete), with all services, channels, relations and flows; findings about exactly
that closure replace the cached ones. Model-scope rules (``SCOPE = "model"`` or ``DEPENDS``
naming messages) re-run on the whole model, so they must be fast. A change of the envelope,
compatibility defaults or model name, or of a rule's options, re-runs everything concerned.
Findings are cached with the severity the rule reported; the team's overrides are applied on
the way out, so changing a severity never invalidates the cache. A test checks on random edit
sequences that a ``Linter`` returns exactly what a fresh full lint returns, for every rule.
"""
from __future__ import annotations

import bisect
import dataclasses
import gc
import itertools
import json
import logging
import operator
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.core.lint.finding import SEVERITY_RANK, Finding
from designer.core.lint.registry import RULES, RuleInfo
from designer.core.model import SEVERITIES, LintConfig, Message, Model

INTERNAL_ERROR_RULE = "lint-internal-error"
OFF = "off"

logger = logging.getLogger(__name__)


def sort_key(finding: Finding) -> tuple[int, str, str, str, str]:
    """The order findings are reported in: severity, element key, rule, then path and text."""
    return (SEVERITY_RANK.get(finding.severity, 9), finding.key, finding.rule, finding.path,
            finding.message)


def rule_settings(
    rules: Mapping[str, RuleInfo], config: LintConfig
) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """Per enabled rule: (severity override or None, options merged over the defaults).

    Raises ``ValueError`` on a severity that is neither "off" nor a known severity, so a typo
    in a team's config is reported instead of silently ignored.
    """
    out: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for rule_id, value in config.severities.items():
        if value != OFF and value not in SEVERITIES:
            raise ValueError(
                f"lint config: severity {value!r} for rule {rule_id!r} is not one of "
                f"off, {', '.join(SEVERITIES)}"
            )
    for rule_id, info in rules.items():
        override = config.severities.get(rule_id)
        if override == OFF:
            continue
        options = dict(info.options)
        options.update(config.options.get(rule_id, {}))
        out[rule_id] = (override, options)
    return out


def _options_key(options: Mapping[str, Any]) -> str:
    return json.dumps(options, sort_keys=True, default=repr)


def _internal_error(rule_id: str, exc: Exception) -> Finding:
    return Finding(
        rule=INTERNAL_ERROR_RULE, severity="error", kind="model", element="",
        message=(f"rule {rule_id} crashed ({type(exc).__name__}: {exc}); its findings are "
                 "missing from this report. Please report this bug; turn the rule off to go on."),
        path=f"rules/{rule_id}",
    )


def _run_rule(info: RuleInfo, model: Model, options: Mapping[str, Any], strict: bool) -> list[Finding]:
    try:
        return list(info.check(model, options))
    except Exception as exc:
        if strict:
            raise
        logger.exception("lint rule %s crashed", info.id)
        return [_internal_error(info.id, exc)]


_FIRST = operator.itemgetter(0)  # the sort key of a pair or triple, without a Python call


def _reuse_unchanged(entry: _RuleCache, cached: _RuleCache) -> list[str]:
    """Keep ``cached``'s lists where a whole-model re-run found the same; return the other keys.

    A whole-model rule re-runs on every change but usually finds what it found before: sharing
    the cached lists lets the sorted output keep those findings in place.
    """
    changed = [k for k in cached.by_key if k not in entry.by_key]
    for k, found in entry.by_key.items():
        old = cached.by_key.get(k)
        if old is not None and old == found:
            entry.by_key[k] = old
        else:
            changed.append(k)
    return changed


def _with_severity(pairs: list[_Keyed], severities: Mapping[str, str]) -> list[_Sorted]:
    """Apply the team's overrides (drop "off" rules, replace other severities).

    Each output triple keeps the cached pair it came from, so a later re-lint can drop the
    findings it replaces by identity.
    """
    if not severities:
        return [(key, f, pair) for pair in pairs for key, f in (pair,)]
    out: list[_Sorted] = []
    for pair in pairs:
        key, f = pair
        override = severities.get(f.rule)
        if override == OFF:
            continue
        if override is not None and override != f.severity:
            f = dataclasses.replace(f, severity=override)
            key = sort_key(f)
        out.append((key, f, pair))
    return out


def lint(
    model: Model,
    config: LintConfig | None = None,
    *,
    rules: Mapping[str, RuleInfo] | None = None,
    strict: bool = False,
) -> list[Finding]:
    """Lint ``model`` with every registered rule (or ``rules``) and return sorted findings.

    ``config`` defaults to ``model.lint``. ``strict=True`` re-raises a rule's exception instead
    of reporting it as a ``lint-internal-error`` finding.
    """
    return Linter(rules, strict=strict).lint(model, config)


_Keyed = tuple[tuple[int, str, str, str, str], Finding]  # (sort key, finding): keys computed once
# (sort key, finding as reported to the team, the cached pair it comes from)
_Sorted = tuple[tuple[int, str, str, str, str], Finding, _Keyed]


@dataclass
class _RuleCache:
    options_key: str
    crashed: bool = False  # the rule raised: re-run it on the whole model next time
    # Findings by the key of the element they are about ("messages/A", "services/s", "model").
    by_key: dict[str, list[_Keyed]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Dirty:
    """What a change can affect: the messages to re-run and the finding keys to replace."""

    messages: frozenset[str]  # messages in the sub-model
    keys: frozenset[str]  # element keys whose cached findings are replaced by the re-run's
    changed: frozenset[str]  # messages that changed themselves or lost/gained a neighbour
    # No message changed its name, kind, wire type or channel (what "topology" rules read).
    messages_topology_same: bool = False


def _group_messages(messages: tuple[Message, ...]) -> dict[str, tuple[Message, ...]]:
    out: dict[str, list[Message]] = {}
    for m in messages:
        out.setdefault(m.name, []).append(m)
    return {k: tuple(v) for k, v in out.items()}


def _context(model: Model) -> tuple[Any, ...]:
    """Everything outside the element collections that any rule may read."""
    return (model.name, model.description, model.envelope, dict(model.default_compat))


def _same(a: Any, b: Any) -> bool:
    return a is b or a == b


def _changed_names(old: tuple[Any, ...], new: tuple[Any, ...]) -> set[str]:
    """Names of services/channels/flows added, removed or changed between two tuples."""
    if _same(old, new):
        return set()
    before: dict[str, list[Any]] = {}
    after: dict[str, list[Any]] = {}
    for x in old:
        before.setdefault(x.name, []).append(x)
    for x in new:
        after.setdefault(x.name, []).append(x)
    return {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}


class Linter:
    """A linter that remembers its last run and re-lints only what a change can affect.

    Element-scope rules promise that a finding about an element depends only on that element
    and its direct neighbours. So when messages change, the linter re-runs them on a sub-model
    holding the changed messages, plus every message of the services, channels and flows that
    touch them (so findings about those services, channels and flows are complete), with all
    services, channels, relations and flows. Findings about exactly those elements are
    replaced; the rest come from the cache. Not thread-safe: one ``Linter`` per team/worker.
    ``lint`` returns exactly what ``engine.lint`` returns for the same snapshot.
    """

    def __init__(self, rules: Mapping[str, RuleInfo] | None = None, *, strict: bool = False) -> None:
        """Use ``rules`` (default: every registered rule); ``strict`` re-raises rule crashes."""
        self.rules: Mapping[str, RuleInfo] = RULES if rules is None else rules
        self.strict = strict
        self._model: Model | None = None
        self._cache: dict[str, _RuleCache] = {}
        # The last run's output, sorted, with the team's severities applied, and those severities.
        self._sorted: list[_Sorted] | None = None
        self._flat: list[Finding] = []  # the findings of ``_sorted``, in order: the output
        self._severities: dict[str, str] = {}
        # What the last run did: "full", "incremental" or "cached", and which messages had
        # changed (for tests, benches and the UI's "re-checked N elements").
        self.last_run: str = ""
        self.last_dirty: frozenset[str] = frozenset()
        self.last_rerun: frozenset[str] = frozenset()
        # What plan() worked out: (snapshot asked about, snapshot it was compared to, the
        # snapshot with unchanged elements shared, result).
        self._planned: tuple[Model, Model | None, Model, _Dirty | None] | None = None

    # ---- sharing between processes ----------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """Pickle support (the web shares a linter's state through its cache): the registry is
        left out when it is the global one, the rest (last snapshot, per-rule findings, sorted
        output) is kept with its object identities, which the sorted-output patching relies on."""
        state = dict(self.__dict__)
        state["_planned"] = None
        if state["rules"] is RULES:
            state["rules"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled linter (see ``__getstate__``)."""
        if state.get("rules") is None:
            state["rules"] = RULES
        state.setdefault("_planned", None)
        self.__dict__.update(state)

    @property
    def revision(self) -> str | None:
        """The revision of the last snapshot linted (None before the first run)."""
        return None if self._model is None else self._model.revision

    def plan(self, model: Model) -> int | None:
        """How many messages a ``lint(model)`` would re-run: None means every rule on everything.

        Cheap (no rule runs): callers use it to decide whether a re-lint is small enough to do
        now or belongs in the background.
        """
        if self._model is None:
            return None
        interned = _intern(self._model, model)
        dirty = self._dirty(interned)
        self._planned = (model, self._model, interned, dirty)  # the next lint(model) reuses it
        return None if dirty is None else len(dirty.messages)

    def lint(self, model: Model, config: LintConfig | None = None, *,
             progress: Callable[[int, int], None] | None = None) -> list[Finding]:
        """Return the sorted findings of ``model``, re-running rules only where needed.

        ``progress(done, total)`` is called before each rule runs (for a background full lint).
        """
        # Lint allocates many small, acyclic objects; with a big model in memory the cyclic
        # collector's full passes would cost more than the rules (measured: 1.7 s -> 1.0 s for
        # 5,000 messages). Reference counting still frees everything; the collector is
        # re-enabled (if it was on) before returning.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._lint(model, config, progress)
        finally:
            if was_enabled:
                gc.enable()

    def _lint(self, model: Model, config: LintConfig | None,
              progress: Callable[[int, int], None] | None = None) -> list[Finding]:
        config = model.lint if config is None else config
        settings = rule_settings(self.rules, config)
        planned, self._planned = self._planned, None
        if planned is not None and planned[0] is model and planned[1] is self._model:
            model, dirty = planned[2], planned[3]
        else:
            if self._model is not None:
                model = _intern(self._model, model)
            dirty = self._dirty(model)
        if dirty is None:
            self.last_run = "full"
            self._cache = {}
        else:
            self.last_run = "incremental" if dirty.keys else "cached"
        self.last_dirty = dirty.changed if dirty else frozenset()
        self.last_rerun = dirty.messages if dirty else frozenset()
        old = self._model
        same_topology = (dirty is not None and old is not None and dirty.messages_topology_same
                         and _same(old.relations, model.relations)
                         and _same(old.services, model.services)
                         and _same(old.channels, model.channels) and _same(old.flows, model.flows))
        sub_model: Model | None = None
        new_cache: dict[str, _RuleCache] = {}
        # The sorted output of the last run is patched instead of rebuilt (24k findings sort
        # in ~10 ms, a fifth of the re-lint budget): replaced findings are deleted and new ones
        # inserted at their bisected places; findings a re-run found again keep their place.
        patch = (dirty is not None and self._sorted is not None
                 and self._severities == dict(config.severities))
        removed: list[_Keyed] = []
        added: list[_Keyed] = []
        for done, (rule_id, (_override, options)) in enumerate(settings.items()):
            if progress is not None:
                progress(done, len(settings))
            info = self.rules[rule_id]
            key = _options_key(options)
            cached = self._cache.get(rule_id)
            if cached is None or cached.options_key != key or dirty is None or cached.crashed:
                entry = self._full_entry(info, model, options, key)
                replaced: list[str] | None = None  # every key
            elif not dirty.keys:
                entry = cached  # nothing changed at all
                replaced = []
            elif info.needs_whole_model:
                if info.reads == "topology" and same_topology:
                    entry = cached  # the change cannot affect what this rule reads
                    replaced = []
                else:
                    entry = self._full_entry(info, model, options, key)
                    replaced = _reuse_unchanged(entry, cached)
            else:
                if sub_model is None:
                    sub_model = _sub_model(model, dirty.messages)
                entry = self._partial_entry(info, sub_model, options, key, cached, dirty)
                replaced = sorted(dirty.keys)
            new_cache[rule_id] = entry
            if entry.crashed:
                patch = False
            if not patch or entry is cached:
                continue
            if replaced is None:
                if cached is not None:
                    for found in cached.by_key.values():
                        removed.extend(found)
                for found in entry.by_key.values():
                    added.extend(found)
            else:
                for k in replaced:
                    old_found = cached.by_key.get(k) if cached is not None else None
                    new_found = entry.by_key.get(k)
                    if old_found and new_found and old_found == new_found:
                        entry.by_key[k] = old_found  # found again: keep the pairs in place
                        continue
                    if old_found:
                        removed.extend(old_found)
                    if new_found:
                        added.extend(new_found)
        if patch:
            for rule_id, gone in self._cache.items():
                if rule_id not in new_cache:  # turned off or its rule removed
                    for found in gone.by_key.values():
                        removed.extend(found)
        self._cache = new_cache
        self._model = model
        severities = dict(config.severities)
        out = self._sorted
        if patch and out is not None and (len(removed) + len(added)) * 16 < len(out):
            # A few changes: delete and insert in place (memmove, no re-sort, no new lists).
            flat = self._flat
            for sort_at, _f, pair in _with_severity(removed, severities):
                i = bisect.bisect_left(out, sort_at, key=_FIRST)
                while out[i][2] is not pair:
                    i += 1
                del out[i]
                del flat[i]
            for t in _with_severity(added, severities):
                i = bisect.bisect_right(out, t[0], key=_FIRST)
                out.insert(i, t)
                flat.insert(i, t[1])
        else:
            if patch and out is not None:
                dropped = set(map(id, removed))
                out = [t for t in out if id(t[2]) not in dropped]
                out.extend(_with_severity(added, severities))
            else:
                collected: list[_Keyed] = []
                for entry in new_cache.values():
                    for found in entry.by_key.values():
                        collected.extend(found)
                out = _with_severity(collected, severities)
            out.sort(key=_FIRST)
            self._sorted = out
            self._flat = [t[1] for t in out]
        self._severities = severities
        return list(self._flat)

    # ---- internals ---------------------------------------------------------------------------
    def _full_entry(self, info: RuleInfo, model: Model, options: Mapping[str, Any], key: str) -> _RuleCache:
        entry = _RuleCache(options_key=key)
        for f in _run_rule(info, model, options, self.strict):
            entry.crashed = entry.crashed or f.rule == INTERNAL_ERROR_RULE
            entry.by_key.setdefault(f.key, []).append((sort_key(f), f))
        return entry

    def _partial_entry(
        self, info: RuleInfo, sub_model: Model, options: Mapping[str, Any], key: str,
        cached: _RuleCache, dirty: _Dirty,
    ) -> _RuleCache:
        entry = _RuleCache(options_key=key)
        entry.by_key = dict(cached.by_key)  # a C-level copy, then drop the few replaced keys
        for k in dirty.keys:
            entry.by_key.pop(k, None)
        for f in _run_rule(info, sub_model, options, self.strict):
            k = f.key
            entry.crashed = entry.crashed or f.rule == INTERNAL_ERROR_RULE
            if k in dirty.keys or f.rule == INTERNAL_ERROR_RULE:
                entry.by_key.setdefault(k, []).append((sort_key(f), f))
            # Any other finding concerns an element outside the closure (seen partially in the
            # sub-model): its cached finding from a complete run stands.
        return entry

    def _dirty(self, model: Model) -> _Dirty | None:
        """What the change from the last snapshot can affect, or None for "re-run everything"."""
        old = self._model
        if old is None or _context(old) != _context(model):
            return None
        _carry_indexes(old, model)
        changed, messages_topology_same = _message_changes(old.messages, model.messages)
        if not _same(old.relations, model.relations):
            # Counted, not a set: a duplicated relation is a change rules can see.
            before, after = Counter(old.relations), Counter(model.relations)
            changed.update(r.message for r in before.keys() | after.keys() if before[r] != after[r])
        services = _changed_names(old.services, model.services)
        channels = _changed_names(old.channels, model.channels)
        flows = _changed_names(old.flows, model.flows)
        if not (changed or services or channels or flows):
            return _Dirty(frozenset(), frozenset(), frozenset(), messages_topology_same)
        for m in (old, model):
            changed.update(_messages_touching(m, "services", services))
            changed.update(_messages_touching(m, "channels", channels))
            changed.update(_messages_touching(m, "flows", flows))
        # The neighbours of the changed messages: their findings may mention them.
        for m in (old, model):
            for name in changed:
                for r in m.producers(name) + m.consumers(name):
                    services.add(r.service)
                    if r.channel:
                        channels.add(r.channel)
                msg = m.messages_by_name.get(name)
                if msg is not None and msg.channel:
                    channels.add(msg.channel)
            flows.update(f.name for f in m.flows if any(s.message in changed for s in f.steps))
        # Everything those neighbours see, so that findings about them are computed completely.
        rerun = set(changed)
        rerun.update(_messages_touching(model, "services", services))
        rerun.update(_messages_touching(model, "channels", channels))
        rerun.update(_messages_touching(model, "flows", flows))
        keys = {f"messages/{n}" for n in rerun | changed}
        keys.update(f"services/{n}" for n in services)
        keys.update(f"channels/{n}" for n in channels)
        keys.update(f"flows/{n}" for n in flows)
        return _Dirty(frozenset(rerun), frozenset(keys), frozenset(changed), messages_topology_same)


def _intern(old: Model, new: Model) -> Model:
    """``new`` with every element equal to one of ``old`` replaced by ``old``'s very object.

    A server rebuilds its snapshot from the database on every revision, so every element is a
    new object even when one message changed. Sharing the unchanged ones restores what the
    identity fast paths (the dirty scan, the model's indexes, rules' per-object memos) expect:
    the re-lint then costs what the change costs. Findings name elements, never objects, so
    linting the shared snapshot reports exactly what linting ``new`` would.
    """
    if old is new:
        return new
    changes: dict[str, Any] = {}
    for attr in ("services", "messages", "channels", "relations", "flows"):
        before, after = getattr(old, attr), getattr(new, attr)
        if before is after:
            continue
        if before == after:
            changes[attr] = before
            continue
        if attr == "relations":
            continue  # compared as a whole by the dirty scan; no per-element memo uses them
        by_name = {x.name: x for x in before}
        shared = []
        for x in after:
            o = by_name.get(x.name)
            shared.append(o if o is not None and (o is x or o == x) else x)
        changes[attr] = tuple(shared)
    return dataclasses.replace(new, **changes) if changes else new


def _projection(m: Message) -> tuple[str, str, str, str | None]:
    """What "topology" rules read of a message: no schemas, examples or descriptions."""
    return (m.name, m.kind, m.type, m.channel)


# More changed slots than this in a positional scan means the messages moved (a snapshot sorted
# by name after a rename or an insertion), not that they all changed: compare them by name.
_POSITIONAL_LIMIT = 16


def _message_changes(old: tuple[Message, ...], new: tuple[Message, ...]) -> tuple[set[str], bool]:
    """Names of the messages that differ, and whether the topology projection is unchanged.

    Successive snapshots usually keep every unchanged message object in place, so a positional
    identity scan (``map(is_not)`` runs in C) finds the few changed slots without hashing or
    grouping 5,000 messages. Otherwise (a message added or removed, or many slots differing
    because a rename shifted a name-sorted snapshot) messages are compared by name.
    """
    if old is new:
        return set(), True
    changed: set[str] = set()
    same_topology = True
    if len(old) == len(new):
        for i in itertools.compress(itertools.count(), map(operator.is_not, old, new)):
            a, b = old[i], new[i]
            if a == b:
                continue
            changed.add(a.name)
            changed.add(b.name)
            if same_topology and _projection(a) != _projection(b):
                same_topology = False
            if len(changed) > _POSITIONAL_LIMIT:
                break  # a rename shifted the sorted messages: compare by name instead
        else:
            return changed, same_topology
    before, after = _group_messages(old), _group_messages(new)
    changed = {n for n in before.keys() | after.keys() if not _same(before.get(n), after.get(n))}
    return changed, [_projection(m) for m in old] == [_projection(m) for m in new]


# Indexes of a Model (cached properties) that do not depend on its messages: a sub-model that
# keeps every relation, service and channel can share them instead of rebuilding them.
_SHARED_INDEXES = ("_by_message", "_by_service", "services_by_name", "channels_by_name")


def _carry_indexes(old: Model, new: Model) -> None:
    """Give ``new`` the indexes ``old`` already built over the very same collections.

    They are ``functools.cached_property`` values (stored in the instance ``__dict__``), so this
    stores exactly what the property would compute, minus the cost (10k+ relations).
    """
    same_relations = _same(old.relations, new.relations)
    for name, same in (("_by_message", same_relations), ("_by_service", same_relations),
                       ("services_by_name", _same(old.services, new.services)),
                       ("channels_by_name", _same(old.channels, new.channels))):
        if same and name in old.__dict__ and name not in new.__dict__:
            new.__dict__[name] = old.__dict__[name]


def _sub_model(model: Model, keep: frozenset[str]) -> Model:
    """``model`` restricted to the messages named in ``keep`` (everything else kept)."""
    sub = dataclasses.replace(model, messages=tuple(m for m in model.messages if m.name in keep))
    for name in _SHARED_INDEXES:
        if name in model.__dict__:  # already computed by functools.cached_property: share it
            sub.__dict__[name] = model.__dict__[name]
    return sub


def _messages_touching(model: Model, attr: str, names: set[str]) -> set[str]:
    """Messages that mention one of the named services, channels or flows."""
    if not names:
        return set()
    if attr == "services":
        out: set[str] = set()
        for service in names:
            out.update(r.message for r in model.produced_by(service))
            out.update(r.message for r in model.consumed_by(service))
        return out
    if attr == "channels":
        out = {m.name for m in model.messages if m.channel in names}
        out.update(r.message for r in model.relations if r.channel in names)
        return out
    return {s.message for f in model.flows if f.name in names for s in f.steps}
