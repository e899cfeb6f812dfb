"""The naming analysis against real-world names (tests/unit/lint/data/naming/README.md says where
they come from and how they are labelled): precision and recall of flagging a name."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from designer.core import naming

DATA = Path(__file__).parent / "data" / "naming" / "names.tsv"
CHECKS: dict[str, Callable[[str], naming.TenseVerdict]] = {
    "event": naming.event_tense, "command": naming.command_mood, "query": naming.query_verb,
}
TARGET = 0.97


def _rows(split: str) -> list[tuple[str, str, bool]]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        part, kind, name, expected, _source = line.split("\t")
        if split in (part, "all"):
            out.append((kind, name, expected == "flag"))
    return out


def _scores(split: str) -> tuple[float, float, list[str]]:
    tp = fp = fn = 0
    wrong = []
    for kind, name, should_flag in _rows(split):
        flagged = not CHECKS[kind](name).ok
        tp += flagged and should_flag
        fp += flagged and not should_flag
        fn += should_flag and not flagged
        if flagged != should_flag:
            wrong.append(f"{kind} {name}: {'flagged' if flagged else 'passed'}")
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), wrong


def test_the_corpus_is_broad_and_has_both_labels_in_each_part() -> None:
    for split in ("tune", "heldout"):
        rows = _rows(split)
        assert len(rows) > 400
        for kind in CHECKS:
            labels = {flag for k, _, flag in rows if k == kind}
            assert labels == {True, False}, (split, kind)


@pytest.mark.parametrize("split", ["heldout", "all"])
def test_it_flags_real_world_names_with_high_precision_and_recall(split: str) -> None:
    precision, recall, wrong = _scores(split)
    assert precision >= TARGET and recall >= TARGET, (precision, recall, wrong)


@pytest.mark.parametrize(("name", "kind"), [
    ("PurchaseReservedDBInstancesOffering", "command"),  # participle adjective in the object
    ("DeleteScheduledAction", "command"),
    ("DescribeScheduledActions", "query"),
    ("admin.conversations.archive", "command"),  # entity.action wire names
    ("order.create", "command"),
    ("order.get", "query"),
    ("admin.apps.approved.list", "query"),
    ("search.messages", "query"),
    ("DeregisterManagedInstance", "command"),  # verbs outside the dictionary or known as nouns
    ("CheckpointDurableExecution", "command"),
    ("BatchWriteItem", "command"),
])
def test_it_passes_the_classes_it_used_to_flag(name: str, kind: str) -> None:
    assert CHECKS[kind](name).ok, CHECKS[kind](name).reason


@pytest.mark.parametrize(("name", "kind", "suggestion"), [
    ("order.cancelled", "command", "order.cancel"),
    ("orders/create", "event", None),
    ("issues.unassigned", "event", None),
])
def test_it_still_judges_the_action_of_a_wire_name(name: str, kind: str, suggestion: str | None) -> None:
    verdict = CHECKS[kind](name)
    if name == "issues.unassigned":
        assert verdict.ok
        return
    assert not verdict.ok
    if suggestion:
        assert verdict.suggestion == suggestion
