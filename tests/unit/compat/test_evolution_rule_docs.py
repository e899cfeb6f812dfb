"""Each evolution rule's docstring examples: "Fails" yields a finding of the rule, "Passes" none."""
from __future__ import annotations

import importlib
import textwrap
from types import ModuleType

import pytest

from designer.core.formats import native

MODULES = ["compat_mode_declared", "schema_breaking_change", "version_bump_mismatch",
           "removed_property_not_reserved", "default_value_changed", "breaking_change_same_type"]


def _rule(name: str) -> ModuleType:
    return importlib.import_module(f"designer.core.lint.rules.{name}")


def _example(doc: str, label: str) -> str:
    lines = doc.splitlines()
    start = lines.index(f"{label}:") + 1
    block: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block))


@pytest.mark.parametrize("name", MODULES)
def test_it_follows_the_rule_module_contract(name: str) -> None:
    rule = _rule(name)
    assert rule.ID.replace("-", "_") == name
    assert rule.CATEGORY == "evolution"
    assert rule.DEFAULT_SEVERITY in ("error", "warning", "info", "hint")
    doc = rule.__doc__ or ""
    for section in ("Flags:", "Why:", "Source:"):
        assert any(line.startswith(section) for line in doc.splitlines()), section


@pytest.mark.parametrize("name", MODULES)
def test_its_failing_example_yields_a_finding(name: str) -> None:
    rule = _rule(name)
    model = native.load(_example(rule.__doc__, "Fails"))
    findings = list(rule.check(model, {}))
    assert findings
    assert all(f.rule == rule.ID and f.severity == rule.DEFAULT_SEVERITY for f in findings)
    assert all(f.element == "OrderPlaced" and f.kind == "event" and f.message for f in findings)


@pytest.mark.parametrize("name", MODULES)
def test_its_passing_example_yields_nothing(name: str) -> None:
    rule = _rule(name)
    model = native.load(_example(rule.__doc__, "Passes"))
    assert list(rule.check(model, {})) == []
