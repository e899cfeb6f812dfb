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
``Linter`` remembers, per rule, the findings about every message from its last run. On the next
snapshot it finds the messages that changed (compared by value, with an identity fast path) and
the messages whose neighbours changed (a relation added or removed, a channel, service or flow
that mentions them), then re-runs each element-scope rule on a sub-model holding only those
messages and every service, channel, relation and flow (they are few; their findings are taken
from this run). Model-scope rules (``SCOPE = "model"`` or ``DEPENDS`` naming messages) re-run
on the whole model. A change of the envelope, compatibility defaults or model name re-runs
everything. Findings are cached with the severity the rule reported; the team's overrides are
applied on the way out, so changing a severity never invalidates the cache.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
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


def _first(pair: _Keyed) -> tuple[int, str, str, str, str]:
    return pair[0]


def _apply_severity(pairs: list[_Keyed], severities: Mapping[str, str]) -> list[_Keyed]:
    """Apply the team's overrides: drop "off" rules, replace other severities."""
    if not severities:
        return pairs
    out: list[_Keyed] = []
    for key, f in pairs:
        override = severities.get(f.rule)
        if override == OFF:
            continue
        if override is not None and override != f.severity:
            f = dataclasses.replace(f, severity=override)
            key = sort_key(f)
        out.append((key, f))
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


@dataclass
class _RuleCache:
    options_key: str
    by_message: dict[str, list[_Keyed]] = field(default_factory=dict)
    others: list[_Keyed] = field(default_factory=list)  # services, channels, flows, model


def _group_messages(model: Model) -> dict[str, tuple[Message, ...]]:
    out: dict[str, list[Message]] = {}
    for m in model.messages:
        out.setdefault(m.name, []).append(m)
    return {k: tuple(v) for k, v in out.items()}


def _context(model: Model) -> tuple[Any, ...]:
    """Everything outside the element collections that any rule may read."""
    return (model.name, model.description, model.envelope, dict(model.default_compat))


class Linter:
    """A linter that remembers its last run and re-lints only what a change can affect.

    Not thread-safe: use one ``Linter`` per team/worker. ``lint`` always returns exactly what
    ``engine.lint`` would return for the same snapshot.
    """

    def __init__(self, rules: Mapping[str, RuleInfo] | None = None, *, strict: bool = False) -> None:
        """Use ``rules`` (default: every registered rule); ``strict`` re-raises rule crashes."""
        self.rules: Mapping[str, RuleInfo] = RULES if rules is None else rules
        self.strict = strict
        self._model: Model | None = None
        self._messages: dict[str, tuple[Message, ...]] = {}
        self._cache: dict[str, _RuleCache] = {}
        # What the last run re-ran: "full", "incremental" or "cached" (for tests and benches).
        self.last_run: str = ""
        self.last_dirty: frozenset[str] = frozenset()

    def lint(self, model: Model, config: LintConfig | None = None) -> list[Finding]:
        """Return the sorted findings of ``model``, re-running rules only where needed."""
        config = model.lint if config is None else config
        settings = rule_settings(self.rules, config)
        messages = _group_messages(model)
        dirty = self._dirty_messages(model, messages)
        if dirty is None:
            self.last_run = "full"
            self._cache = {}
        else:
            self.last_run = "incremental" if dirty else "cached"
        self.last_dirty = frozenset(dirty or ())
        unchanged = dirty is not None and not dirty and self._same_neighbourhood(model)
        sub_model: Model | None = None
        collected: list[_Keyed] = []
        new_cache: dict[str, _RuleCache] = {}
        for rule_id, (_override, options) in settings.items():
            info = self.rules[rule_id]
            key = _options_key(options)
            cached = self._cache.get(rule_id)
            if cached is not None and cached.options_key == key and unchanged:
                entry = cached
            elif cached is None or cached.options_key != key or dirty is None or info.needs_whole_model:
                entry = self._full_entry(info, model, options, key)
            else:
                if sub_model is None:
                    sub_model = _sub_model(model, dirty)
                entry = self._partial_entry(info, sub_model, options, key, cached, dirty, messages)
            new_cache[rule_id] = entry
            for found in entry.by_message.values():
                collected.extend(found)
            collected.extend(entry.others)
        self._cache = new_cache
        self._model = model
        self._messages = messages
        collected = _apply_severity(collected, config.severities)
        collected.sort(key=_first)
        return [f for _, f in collected]

    # ---- internals ---------------------------------------------------------------------------
    def _full_entry(self, info: RuleInfo, model: Model, options: Mapping[str, Any], key: str) -> _RuleCache:
        entry = _RuleCache(options_key=key)
        for f in _run_rule(info, model, options, self.strict):
            if f.collection == "messages":
                entry.by_message.setdefault(f.element, []).append((sort_key(f), f))
            else:
                entry.others.append((sort_key(f), f))
        return entry

    def _partial_entry(
        self,
        info: RuleInfo,
        sub_model: Model,
        options: Mapping[str, Any],
        key: str,
        cached: _RuleCache,
        dirty: frozenset[str],
        messages: Mapping[str, tuple[Message, ...]],
    ) -> _RuleCache:
        entry = _RuleCache(options_key=key)
        entry.by_message = {
            name: found for name, found in cached.by_message.items()
            if name not in dirty and name in messages
        }
        for f in _run_rule(info, sub_model, options, self.strict):
            if f.collection == "messages":
                # Only the dirty messages were in the sub-model; a finding about another
                # message (reached through a relation) is the cached one's business.
                if f.element in dirty:
                    entry.by_message.setdefault(f.element, []).append((sort_key(f), f))
            else:
                entry.others.append((sort_key(f), f))
        return entry

    def _same_neighbourhood(self, model: Model) -> bool:
        old = self._model
        return old is not None and (
            (old.services is model.services or old.services == model.services)
            and (old.channels is model.channels or old.channels == model.channels)
            and (old.flows is model.flows or old.flows == model.flows)
            and (old.relations is model.relations or old.relations == model.relations)
        )

    def _dirty_messages(
        self, model: Model, new_groups: Mapping[str, tuple[Message, ...]]
    ) -> frozenset[str] | None:
        """Names of messages whose findings may have changed, or None for "re-run everything"."""
        old = self._model
        if old is None or _context(old) != _context(model):
            return None
        dirty: set[str] = set()
        if old.messages is not model.messages:
            for name, group in new_groups.items():
                before = self._messages.get(name)
                if before is None or not (before is group or before == group):
                    dirty.add(name)
            dirty.update(name for name in self._messages if name not in new_groups)
        if not (old.relations is model.relations or old.relations == model.relations):
            changed = set(old.relations).symmetric_difference(model.relations)
            dirty.update(r.message for r in changed)
        for attr in ("services", "channels", "flows"):
            before_items = {x.name: x for x in getattr(old, attr)}
            after_items = {x.name: x for x in getattr(model, attr)}
            if before_items == after_items:
                continue
            names = {n for n in before_items.keys() | after_items.keys()
                     if before_items.get(n) != after_items.get(n)}
            for m in (old, model):
                dirty.update(_messages_touching(m, attr, names))
        return frozenset(dirty)


# Indexes of a Model (cached properties) that do not depend on its messages: a sub-model that
# keeps every relation, service and channel can share them instead of rebuilding them.
_SHARED_INDEXES = ("_by_message", "_by_service", "services_by_name", "channels_by_name")


def _sub_model(model: Model, keep: frozenset[str]) -> Model:
    """``model`` restricted to the messages named in ``keep`` (everything else kept)."""
    sub = dataclasses.replace(model, messages=tuple(m for m in model.messages if m.name in keep))
    for name in _SHARED_INDEXES:
        if name in model.__dict__:  # already computed by functools.cached_property: share it
            sub.__dict__[name] = model.__dict__[name]
    return sub


def _messages_touching(model: Model, attr: str, names: set[str]) -> set[str]:
    """Messages that mention one of the named services, channels or flows."""
    if attr == "services":
        return {r.message for r in model.relations if r.service in names}
    if attr == "channels":
        out = {m.name for m in model.messages if m.channel in names}
        out.update(r.message for r in model.relations if r.channel in names)
        return out
    return {s.message for f in model.flows if f.name in names for s in f.steps}
