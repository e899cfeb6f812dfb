"""SARIF output: valid against the official 2.1.0 schema and carrying what code scanning needs."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from designer.core.lint.engine import INTERNAL_ERROR_RULE, lint
from designer.core.lint.finding import Finding, Fix
from designer.core.lint.registry import RULES
from designer.core.lint.sarif import to_sarif
from designer.core.model import Channel, Model
from tests.unit.lint.lint_kit import command, event

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.json").read_text())
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _model() -> Model:
    return Model(
        messages=(event("OrderCancel"), command("OrderPlaced"), event("order_shipped")),
        channels=(Channel("prod orders"),),
        locations={"messages/OrderCancel": (4, 5), "channels/prod orders": (2, 5)},
    )


def _validate(log: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_vendored_schema_is_the_sarif_2_1_0_schema() -> None:
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert len(SCHEMA["definitions"]) > 40


def test_it_produces_a_log_valid_against_the_official_schema() -> None:
    m = _model()
    log = to_sarif(lint(m, strict=True), source_uri="models/shop.yaml", locations=m.locations)
    _validate(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_an_empty_lint_is_a_valid_log_too() -> None:
    _validate(to_sarif([]))


def test_it_lists_every_rule_with_its_metadata() -> None:
    driver = to_sarif([])["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    rule = next(r for r in driver["rules"] if r["id"] == "event-name-past-tense")
    assert rule["shortDescription"]["text"].startswith("Event names say what happened")
    assert rule["fullDescription"]["text"]
    assert rule["helpUri"] == "https://designer.invalid/rules/event-name-past-tense"
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert rule["properties"]["category"] == "naming"


def test_it_takes_the_help_base_url_as_a_parameter() -> None:
    driver = to_sarif([], help_base="https://designer.example.com/docs/rules")["runs"][0]["tool"]["driver"]
    assert driver["rules"][0]["helpUri"].startswith("https://designer.example.com/docs/rules/")


@pytest.mark.parametrize(("severity", "level"), [("error", "error"), ("warning", "warning"),
                                                 ("info", "note"), ("hint", "note")])
def test_it_maps_severities_to_sarif_levels(severity: str, level: str) -> None:
    f = Finding("event-name-past-tense", severity, "event", "A", "msg")
    assert to_sarif([f])["runs"][0]["results"][0]["level"] == level


def test_it_gives_each_result_its_rule_message_and_locations() -> None:
    m = _model()
    results = to_sarif(lint(m, strict=True), source_uri="models/shop.yaml", locations=m.locations)["runs"][0]["results"]
    result = next(r for r in results if r["ruleId"] == "event-name-past-tense")
    assert "OrderCancelled" in result["message"]["text"]
    logical = result["locations"][0]["logicalLocations"][0]
    assert logical == {"name": "OrderCancel", "fullyQualifiedName": "messages/OrderCancel#name", "kind": "event"}
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "models/shop.yaml"
    assert physical["region"] == {"startLine": 4, "startColumn": 5}
    assert result["properties"]["fix"]["value"] == "OrderCancelled"
    rules = to_sarif([])["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "event-name-past-tense"


def test_it_omits_the_physical_location_without_a_source_file() -> None:
    result = to_sarif([Finding("event-name-past-tense", "warning", "event", "A", "m")])["runs"][0]["results"][0]
    assert "physicalLocation" not in result["locations"][0]


def test_it_describes_model_wide_and_internal_error_findings() -> None:
    findings = [Finding(INTERNAL_ERROR_RULE, "error", "model", "", "rule x crashed"),
                Finding("event-name-past-tense", "hint", "channel", "c", "m", Fix("set", "f", {"a": 1}, "d"))]
    log = to_sarif(findings, source_uri="a%20b.yaml")
    _validate(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["rules"][-1]["id"] == INTERNAL_ERROR_RULE
    assert run["results"][0]["locations"][0]["logicalLocations"][0]["name"] == "model"
