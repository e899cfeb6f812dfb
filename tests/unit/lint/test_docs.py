"""Rule help pages: every registered rule documents itself, and its examples are true."""
from __future__ import annotations

import pytest

from designer.core.formats import native
from designer.core.lint.docs import is_model_fragment, parse_docstring, rule_doc
from designer.core.lint.engine import lint
from designer.core.lint.registry import RULES, RuleInfo
from designer.core.model import Model
from tests.unit.lint.lint_kit import event

DOC = '''A one-line title.

A paragraph that explains
over two lines.

Flags: the thing,
continued here.
Why: because.
Source: somewhere.

Fails:
    version: 1
    messages:
      - name: OrderCancel
Passes:
    ```yaml
    version: 1
    ```
'''


def test_it_splits_a_docstring_into_its_sections() -> None:
    doc = parse_docstring(DOC)
    assert doc.title == "A one-line title."
    assert doc.body == "A paragraph that explains\nover two lines."
    assert doc.flags == "the thing, continued here."
    assert (doc.why, doc.source) == ("because.", "somewhere.")
    assert doc.fails == "version: 1\nmessages:\n  - name: OrderCancel"
    assert doc.passes == "version: 1"
    assert doc.missing == []


def test_it_names_the_missing_sections() -> None:
    assert parse_docstring("Only a title.").missing == ["body", "Flags", "Why", "Source", "Fails", "Passes"]


def _model_of(example: str) -> Model:
    if is_model_fragment(example):
        return native.load(example, "<docstring>")
    return Model(messages=(event(example.strip()),))


def _findings(info: RuleInfo, example: str) -> list[str]:
    return [f.rule for f in lint(_model_of(example), rules={info.id: info}, strict=True)]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_has_a_complete_help_page(rule_id: str) -> None:
    doc = rule_doc(RULES[rule_id])
    assert doc.missing == [], f"{rule_id} lacks {doc.missing}"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rules_fails_example_fails_and_passes_example_passes(rule_id: str) -> None:
    info = RULES[rule_id]
    doc = rule_doc(info)
    assert rule_id in _findings(info, doc.fails), f"{rule_id}: the Fails example yields no finding"
    assert rule_id not in _findings(info, doc.passes), f"{rule_id}: the Passes example yields a finding"
