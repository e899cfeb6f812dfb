"""The lint engine: registry contract, severities, options, crashes, and incremental re-lint."""
from __future__ import annotations

import copy
import dataclasses
import importlib.util
import random
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from designer.core.lint import engine
from designer.core.lint.engine import INTERNAL_ERROR_RULE, Linter, lint
from designer.core.lint.finding import Finding
from designer.core.lint.registry import RULES, RuleContractError, RuleInfo, discover, rule_from_module
from designer.core.model import Channel, Envelope, LintConfig, Model, Relation, Service, Version
from tests.unit.lint.lint_kit import command, event

NAMING_RULES = {
    "event-name-past-tense", "command-name-imperative", "query-name-retrieval",
    "event-name-command-shaped", "event-name-no-before-after", "event-type-namespace",
    "naming-casing-consistent", "message-name-unique", "channel-name-broker-valid",
    "channel-name-stable-parts",
}
_BENCH = Path(__file__).resolve().parents[3] / "bench" / "lint_bench.py"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("lint_bench", _BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rule(rule_id: str, check: Any, severity: str = "warning", scope: str = "element",
          options: Mapping[str, Any] | None = None) -> RuleInfo:
    return RuleInfo(id=rule_id, title=rule_id, default_severity=severity, category="naming",
                    check=check, options=dict(options or {}), scope=scope)


def _per_message(rule_id: str, severity: str = "warning") -> RuleInfo:
    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        for m in model.messages:
            yield Finding(rule_id, severity, m.kind, m.name, f"{rule_id} on {m.name}")
    return _rule(rule_id, check, severity)


# ---- registry ------------------------------------------------------------------------------

def test_it_registers_every_naming_rule_sorted_by_id() -> None:
    assert NAMING_RULES <= set(RULES)
    assert list(RULES) == sorted(RULES)


def test_it_describes_a_rule_from_its_module() -> None:
    info = RULES["event-name-past-tense"]
    assert info.default_severity == "warning"
    assert info.category == "naming"
    assert info.title.startswith("Event names say what happened")
    assert RULES["message-name-unique"].needs_whole_model


def _module(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(f"designer.core.lint.rules.{name}", attrs.pop("doc", "A title.\n\nBody."))
    defaults: dict[str, Any] = {"ID": name.replace("_", "-"), "DEFAULT_SEVERITY": "warning",
                                "CATEGORY": "naming", "check": lambda model, options: iter(())}
    for key, value in {**defaults, **attrs}.items():
        if value is not None:
            setattr(module, key, value)
    return module


@pytest.mark.parametrize(("attrs", "message"), [
    ({"ID": "other-id"}, "does not match the module name"),
    ({"ID": None}, "missing ID"),
    ({"DEFAULT_SEVERITY": "fatal"}, "DEFAULT_SEVERITY"),
    ({"CATEGORY": "style"}, "CATEGORY"),
    ({"check": None}, "missing check"),
    ({"SCOPE": "global"}, "SCOPE"),
    ({"OPTIONS": ["x"]}, "OPTIONS"),
    ({"doc": ""}, "docstring"),
])
def test_it_rejects_a_module_that_breaks_the_contract_loudly(attrs: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleContractError, match=message):
        rule_from_module(_module("some_rule", **attrs))


def test_it_reads_depends_in_any_spelling() -> None:
    info = rule_from_module(_module("some_rule", DEPENDS=("model.messages",)))
    assert info.depends == ("messages",)
    assert info.needs_whole_model


def test_it_discovers_the_same_rules_twice() -> None:
    assert list(discover()) == list(RULES)


# ---- severities, options, order --------------------------------------------------------------

def test_it_sorts_findings_by_severity_then_element_then_rule() -> None:
    rules = {"b-rule": _per_message("b-rule", "warning"), "a-rule": _per_message("a-rule", "warning"),
             "c-rule": _per_message("c-rule", "error")}
    m = Model(messages=(event("Zed"), event("Alpha")))
    out = [(f.severity, f.element, f.rule) for f in lint(m, rules=rules, strict=True)]
    assert out == [("error", "Alpha", "c-rule"), ("error", "Zed", "c-rule"),
                   ("warning", "Alpha", "a-rule"), ("warning", "Alpha", "b-rule"),
                   ("warning", "Zed", "a-rule"), ("warning", "Zed", "b-rule")]


def test_it_applies_team_severities_and_turns_rules_off() -> None:
    m = Model(messages=(event("OrderCancel"), command("OrderPlaced")),
              lint=LintConfig(severities={"event-name-past-tense": "error", "command-name-imperative": "off"}))
    found = {f.rule: f.severity for f in lint(m, strict=True) if f.rule in NAMING_RULES}
    assert found["event-name-past-tense"] == "error"
    assert "command-name-imperative" not in found


def test_it_prefers_a_given_config_over_the_models_own() -> None:
    m = Model(messages=(event("OrderCancel"),), lint=LintConfig(severities={"event-name-past-tense": "off"}))
    found = lint(m, LintConfig(), strict=True)
    assert any(f.rule == "event-name-past-tense" for f in found)


def test_it_rejects_an_unknown_severity_in_the_config() -> None:
    with pytest.raises(ValueError, match="fatal"):
        lint(Model(), LintConfig(severities={"event-name-past-tense": "fatal"}))


def test_it_merges_team_options_over_rule_defaults() -> None:
    seen: list[dict[str, Any]] = []

    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        seen.append(dict(options))
        return iter(())
    rules = {"x-rule": _rule("x-rule", check, options={"a": 1, "b": 2})}
    lint(Model(), LintConfig(options={"x-rule": {"b": 3}}), rules=rules, strict=True)
    assert seen == [{"a": 1, "b": 3}]


# ---- crashing rules ----------------------------------------------------------------------------

def _boom(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    raise KeyError("schema")


def test_it_reports_a_crashing_rule_as_an_internal_error_and_goes_on() -> None:
    rules = {"boom-rule": _rule("boom-rule", _boom), "ok-rule": _per_message("ok-rule")}
    out = lint(Model(messages=(event("A"),)), rules=rules)
    assert [f.rule for f in out] == [INTERNAL_ERROR_RULE, "ok-rule"]
    assert out[0].severity == "error"
    assert "boom-rule" in out[0].message and "KeyError" in out[0].message


def test_it_re_raises_a_crashing_rule_in_strict_mode() -> None:
    with pytest.raises(KeyError):
        lint(Model(), rules={"boom-rule": _rule("boom-rule", _boom)}, strict=True)


def test_every_registered_rule_survives_an_empty_and_a_hostile_model() -> None:
    hostile = Model(
        services=(Service(""), Service("svc ☃", owner="👀")),
        channels=(Channel("", broker="other"), Channel("a" * 300), Channel("x", broker="mqtt")),
        messages=(event(""), event("'; DROP TABLE", versions=(Version(schema={"type": "string"}),)),
                  command("X", versions=(Version(schema={"properties": None, "$ref": "#/nope"}),)),
                  event("Y", versions=(Version(schema=[1, 2]),))),
        relations=(Relation("nobody", "nothing", "consumes"),),
    )
    assert lint(Model(), strict=True) == []
    assert isinstance(lint(hostile, strict=True), list)


# ---- incremental -------------------------------------------------------------------------------

def test_it_re_runs_element_rules_only_on_the_changed_message() -> None:
    calls: list[tuple[str, ...]] = []

    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        calls.append(tuple(m.name for m in model.messages))
        return iter(())
    linter = Linter({"x-rule": _rule("x-rule", check)}, strict=True)
    m = Model(messages=(event("A"), event("B"), event("C")))
    linter.lint(m)
    changed = dataclasses.replace(m, messages=(event("A"), event("B", description="new"), event("C")))
    linter.lint(changed)
    assert calls == [("A", "B", "C"), ("B",)]
    assert linter.last_run == "incremental" and linter.last_dirty == {"B"}


def test_it_re_runs_the_messages_of_the_services_next_to_a_changed_one() -> None:
    m = Model(messages=(event("A"), event("B"), event("C")), services=(Service("s"), Service("t")),
              relations=(Relation("s", "A", "produces"), Relation("s", "B", "produces"),
                         Relation("t", "C", "produces")))
    linter = Linter({}, strict=True)
    linter.lint(m)
    linter.lint(dataclasses.replace(m, messages=(event("A", description="x"), event("B"), event("C"))))
    assert linter.last_dirty == {"A"}
    assert linter.last_rerun == {"A", "B"}


def test_it_re_runs_a_rule_fully_after_it_crashed() -> None:
    calls: list[int] = []

    def flaky(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        calls.append(len(model.messages))
        if len(calls) == 1:
            raise RuntimeError("first time")
        return iter(())
    linter = Linter({"flaky-rule": _rule("flaky-rule", flaky)})
    m = Model(messages=(event("A"), event("B")))
    assert [f.rule for f in linter.lint(m)] == [INTERNAL_ERROR_RULE]
    assert linter.lint(dataclasses.replace(m, messages=(event("A", description="x"), event("B")))) == []
    assert calls == [2, 2]


def test_it_reuses_everything_when_nothing_changed() -> None:
    calls: list[int] = []

    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        calls.append(len(model.messages))
        return iter(())
    linter = Linter({"x-rule": _rule("x-rule", check)}, strict=True)
    m = Model(messages=(event("A"),))
    linter.lint(m)
    linter.lint(dataclasses.replace(m))
    assert calls == [1] and linter.last_run == "cached"


def test_it_marks_messages_dirty_when_their_neighbours_change() -> None:
    m = Model(messages=(event("A", channel="c1"), event("B"), event("C")), channels=(Channel("c1"),),
              services=(Service("s1"),), relations=(Relation("s1", "B", "produces"),))

    def dirty_after(changed: Model) -> frozenset[str]:
        linter = Linter({}, strict=True)
        linter.lint(m)
        linter.lint(changed)
        return linter.last_dirty
    assert dirty_after(dataclasses.replace(m, channels=(Channel("c1", description="x"),))) == {"A"}
    assert dirty_after(dataclasses.replace(m, services=(Service("s1", owner="t"),))) == {"B"}
    assert dirty_after(dataclasses.replace(m, relations=(Relation("s1", "C", "produces"),))) == {"B", "C"}


def test_it_re_applies_new_severities_without_re_running_and_re_runs_on_new_options() -> None:
    calls: list[int] = []

    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        calls.append(len(model.messages))
        yield Finding("x-rule", "warning", "event", "A", f"limit {options['limit']}")
    linter = Linter({"x-rule": _rule("x-rule", check, options={"limit": 1})}, strict=True)
    m = Model(messages=(event("A"),))
    linter.lint(m)
    out = linter.lint(m, LintConfig(severities={"x-rule": "error"}))
    assert [f.severity for f in out] == ["error"] and calls == [1]
    out = linter.lint(m, LintConfig(options={"x-rule": {"limit": 2}}))
    assert [f.message for f in out] == ["limit 2"] and calls == [1, 1]


def test_it_re_runs_everything_when_the_envelope_changes() -> None:
    linter = Linter({}, strict=True)
    m = Model(messages=(event("A"),))
    linter.lint(m)
    linter.lint(dataclasses.replace(m, envelope=Envelope(profile="brief")))
    assert linter.last_run == "full"


def _mutate(m: Model, rng: random.Random, step: int) -> Model:
    msgs, chans, svcs, rels = list(m.messages), list(m.channels), list(m.services), list(m.relations)
    choice = rng.randrange(8)
    i = rng.randrange(len(msgs))
    old = msgs[i]
    if choice == 0:  # a schema change
        schema = dict(old.schema or {"type": "object"})
        schema["properties"] = {**schema.get("properties", {}), f"field_{step}": {"type": "string"}}
        msgs[i] = dataclasses.replace(old, versions=(Version(schema=schema),))
    elif choice == 1:  # a rename into another casing / tense
        msgs[i] = dataclasses.replace(old, name=rng.choice(["order_cancel", "SendEmail", "OrderPlaced",
                                                            f"Thing{step}Processing"]))
    elif choice == 2:  # a removed message
        del msgs[i]
    elif choice == 3:  # a new consumer
        rels.append(Relation(svcs[rng.randrange(len(svcs))].name, old.name, "consumes"))
    elif choice == 4 and rels:  # a removed relation
        del rels[rng.randrange(len(rels))]
    elif choice == 5:  # a channel change
        j = rng.randrange(len(chans))
        chans[j] = dataclasses.replace(chans[j], ordered=not chans[j].ordered, partition_key="")
    elif choice == 6:  # a service change
        j = rng.randrange(len(svcs))
        svcs[j] = dataclasses.replace(svcs[j], owner="", writes_database=not svcs[j].writes_database)
    else:  # a kind change
        msgs[i] = dataclasses.replace(old, kind=rng.choice(["event", "command", "query"]))
    return dataclasses.replace(m, messages=tuple(msgs), channels=tuple(chans), services=tuple(svcs),
                               relations=tuple(rels))


def test_incremental_re_lint_gives_exactly_what_a_full_lint_gives_for_every_rule() -> None:
    rng = random.Random(2024)
    model = _bench().build_model(60, n_services=12)
    linter = Linter(strict=True)
    assert linter.lint(model) == lint(model, strict=True)
    for step in range(40):
        model = _mutate(model, rng, step)
        if step % 3 == 0:  # as the web app rebuilds it: new objects, messages sorted by name
            model = copy.deepcopy(dataclasses.replace(model, messages=tuple(sorted(model.messages,
                                                                                    key=lambda m: m.name))))
        incremental = linter.lint(model)
        full = lint(model, strict=True)
        assert [f.fingerprint + f.message for f in incremental] == [f.fingerprint + f.message for f in full], \
            f"step {step}: incremental differs"
    assert linter.last_run in ("incremental", "cached")


def test_the_module_docstring_explains_the_crash_policy() -> None:
    assert "lint-internal-error" in (engine.__doc__ or "")


def test_a_pickled_linter_re_lints_incrementally_like_a_fresh_full_lint() -> None:
    import pickle

    from designer.core.formats import native

    demo = native.load((Path(__file__).resolve().parents[3] / "designer/catalog/demo/shop.yaml").read_text())
    warm = Linter()
    warm.lint(demo)
    copy = pickle.loads(pickle.dumps(warm))
    assert copy.rules is RULES and copy.revision == warm.revision
    first = demo.messages[0]
    changed = dataclasses.replace(demo, messages=(dataclasses.replace(first, name=first.name + "ing"),
                                                  *demo.messages[1:]), revision="2")
    assert copy.plan(changed) is not None  # incremental: a count of messages, not "everything"
    assert copy.lint(changed) == lint(changed)
    assert copy.last_run == "incremental"


def test_it_reports_progress_before_each_rule_and_plans_a_full_run_when_cold() -> None:
    seen: list[tuple[int, int]] = []
    linter = Linter()
    assert linter.plan(Model()) is None
    linter.lint(Model(messages=(event("OrderPlaced"),)), progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, len(RULES)) and seen[-1] == (len(RULES) - 1, len(RULES))
