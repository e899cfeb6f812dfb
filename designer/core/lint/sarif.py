"""Findings as a SARIF 2.1.0 log, for code-scanning tools (GitHub, Azure DevOps, IDEs).

One run per lint. ``tool.driver.rules`` lists every rule (title, help text, help URI, default
level, category); each result names its rule by id and index, has a level, a message that says
what is wrong and how to fix it, a logical location (the element) and, when the model came from a
file and the element's position is known, a physical location.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from designer.core.lint.docs import rule_doc
from designer.core.lint.engine import INTERNAL_ERROR_RULE
from designer.core.lint.finding import Finding
from designer.core.lint.registry import RULES, RuleInfo

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DEFAULT_HELP_BASE = "https://designer.invalid/rules/"
TOOL_NAME = "event-flow-designer"
# SARIF has three result levels; our info and hint are both "note".
LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
# SARIF's well-known logical location kinds do not include ours; they are open-ended strings.
_MODEL_KIND = "module"


def _rule_descriptor(info: RuleInfo, help_base: str) -> dict[str, Any]:
    doc = rule_doc(info)
    full = " ".join(part for part in (doc.flags, doc.why and f"Why: {doc.why}",
                                      doc.source and f"Source: {doc.source}") if part)
    return {
        "id": info.id,
        "name": "".join(w.capitalize() for w in info.id.split("-")),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": full or info.title},
        "help": {"text": doc.body or info.title},
        "helpUri": f"{help_base}{info.id}",
        "defaultConfiguration": {"level": LEVELS[info.default_severity]},
        "properties": {"category": info.category},
    }


def _internal_descriptor(help_base: str) -> dict[str, Any]:
    text = "A lint rule crashed; its findings are missing from this report."
    return {
        "id": INTERNAL_ERROR_RULE,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text + " This is a bug in the designer, not in the model."},
        "helpUri": f"{help_base}{INTERNAL_ERROR_RULE}",
        "defaultConfiguration": {"level": "error"},
        "properties": {"category": "internal"},
    }


def to_sarif(
    findings: Iterable[Finding],
    rules: Mapping[str, RuleInfo] | None = None,
    source_uri: str | None = None,
    locations: Mapping[str, tuple[int, int]] | None = None,
    *,
    help_base: str = DEFAULT_HELP_BASE,
    tool_version: str = "",
) -> dict[str, Any]:
    """Build a SARIF 2.1.0 log (a JSON-ready dict) from findings.

    ``rules`` defaults to every registered rule; ``locations`` maps element keys
    (``messages/OrderPlaced``) to 1-based (line, column) in ``source_uri`` — pass
    ``model.locations``. ``help_base`` is prefixed to each rule id for its help page.
    """
    log, results = sarif_parts(findings, rules, source_uri, locations, help_base=help_base,
                               tool_version=tool_version)
    log["runs"][0]["results"] = list(results)
    return log


def sarif_parts(
    findings: Iterable[Finding],
    rules: Mapping[str, RuleInfo] | None = None,
    source_uri: str | None = None,
    locations: Mapping[str, tuple[int, int]] | None = None,
    *,
    help_base: str = DEFAULT_HELP_BASE,
    tool_version: str = "",
) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """``to_sarif``'s log with ``runs[0].results`` still empty, and its results one at a time
    (for a writer that streams tens of thousands of them rather than holding them all)."""
    rules = RULES if rules is None else rules
    locations = locations or {}
    if not help_base.endswith("/"):
        help_base += "/"
    descriptors = [_rule_descriptor(info, help_base) for info in rules.values()]
    findings = list(findings)
    if any(f.rule == INTERNAL_ERROR_RULE for f in findings):
        descriptors.append(_internal_descriptor(help_base))
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "informationUri": help_base.rsplit("/rules/", 1)[0] + "/" if "/rules/" in help_base else help_base,
        "rules": descriptors,
    }
    if tool_version:
        driver["version"] = tool_version
    run: dict[str, Any] = {"tool": {"driver": driver}, "results": []}
    if source_uri:
        run["artifacts"] = [{"location": {"uri": source_uri}}]
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return log, (_result(f, index, source_uri, locations) for f in findings)


def _result(f: Finding, index: Mapping[str, int], source_uri: str | None,
            locations: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    logical: dict[str, Any] = {
        "name": f.element or "model",
        "fullyQualifiedName": f.key if not f.path else f"{f.key}#{f.path}",
        "kind": f.kind if f.kind != "model" else _MODEL_KIND,
    }
    location: dict[str, Any] = {"logicalLocations": [logical]}
    if source_uri:
        physical: dict[str, Any] = {"artifactLocation": {"uri": source_uri}}
        position = locations.get(f.key)
        if position is not None:
            line, column = position
            physical["region"] = {"startLine": max(1, line), "startColumn": max(1, column)}
        location["physicalLocation"] = physical
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {"designerFinding/v1": f.fingerprint},
        "properties": {"severity": f.severity, "element": f.key},
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    if f.path:
        result["properties"]["path"] = f.path
    if f.fix is not None:
        result["properties"]["fix"] = {"action": f.fix.action, "field": f.fix.field,
                                       "value": f.fix.value, "description": f.fix.description}
    return result
