"""The demo team's deliberate mistakes are found; the brief's example event passes the envelope rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from designer.core.formats import native
from designer.core.lint.engine import lint

DEMO = Path(__file__).resolve().parents[3] / "designer" / "catalog" / "demo" / "shop.yaml"


@pytest.fixture(scope="module")
def findings() -> list:
    return lint(native.load(DEMO.read_text(), str(DEMO)))


@pytest.mark.parametrize("rule,element", [
    ("event-name-past-tense", "ShipmentCreate"),
    ("event-no-consumer", "ShipmentCreate"),
    ("consumer-idempotency", "OrderPlaced"),
    ("card-data-in-payload", "PaymentFailed"),
    ("pii-field-unclassified", "OrderPlaced"),
    ("ordering-needs-partition-key", "inventory"),
    ("number-format-declared", "OrderPlaced"),
    ("dual-write-without-outbox", "payment-service"),
])
def test_it_finds_each_deliberate_mistake_of_the_demo(findings: list, rule: str, element: str) -> None:
    assert any(f.rule == rule and f.element == element for f in findings), [
        (f.rule, f.element) for f in findings if f.rule == rule]


def test_it_passes_the_briefs_example_event_through_the_envelope_rules(findings: list) -> None:
    envelope_rules = {"envelope-required-attributes", "envelope-attribute-name-format", "event-id-stable",
                      "event-time-format", "payload-root-object", "schema-examples-valid"}
    assert [f for f in findings if f.element == "OrderPlaced" and f.rule in envelope_rules] == []


def test_it_suggests_the_past_tense_for_the_base_form_event(findings: list) -> None:
    f = next(f for f in findings if f.rule == "event-name-past-tense" and f.element == "ShipmentCreate")
    assert f.fix is not None and f.fix.value == "ShipmentCreated"


def test_it_gives_every_demo_finding_its_own_fingerprint_so_a_waiver_covers_one(findings: list) -> None:
    prints = [f.fingerprint for f in findings]
    assert len(prints) == len(set(prints))
