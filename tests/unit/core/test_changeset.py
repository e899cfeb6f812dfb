"""A change to the model as a value: what an import of one model into another changes."""
from __future__ import annotations

import dataclasses
import doctest
from pathlib import Path

import pytest

from designer.core import changeset
from designer.core.changeset import (
    diff_models,
    element_diff,
    element_from_state,
    element_state,
    model_states,
    relations_of,
)
from designer.core.formats import native
from designer.core.kinds import ELEMENT_KINDS, MESSAGE
from designer.core.model import Flow, FlowStep, Message, Model, Relation, Version

SHOP = Path(__file__).resolve().parents[3] / "designer" / "catalog" / "demo" / "shop.yaml"


@pytest.fixture(scope="module")
def shop() -> Model:
    return native.load(SHOP.read_text(encoding="utf-8"))


def test_it_finds_nothing_to_change_between_a_model_and_itself(shop: Model) -> None:
    for mode in ("merge", "replace"):
        assert not diff_models(shop, shop, mode=mode)


def test_it_rebuilds_every_element_of_the_demo_from_its_state(shop: Model) -> None:
    for kind in ELEMENT_KINDS:
        for el in kind.elements(shop):
            assert element_from_state(kind, element_state(shop, kind, el)) == el
    for m in shop.messages:
        rels = relations_of(m.name, element_state(shop, MESSAGE, m))
        assert sorted(rels, key=repr) == sorted((*shop.producers(m.name), *shop.consumers(m.name)), key=repr)


def test_it_replaces_the_whole_model_from_an_empty_team(shop: Model) -> None:
    changes = diff_models(Model(), shop, mode="replace")
    assert {c.action for c in changes.elements} == {"create"}
    assert changes.counts()["created"] == {"services": len(shop.services), "channels": len(shop.channels),
                                           "messages": len(shop.messages), "flows": len(shop.flows)}
    assert "name" not in changes.settings and "description" not in changes.settings  # the team's own


def test_it_deletes_only_in_replace_mode(shop: Model) -> None:
    smaller = dataclasses.replace(shop, flows=())
    assert diff_models(shop, smaller, mode="merge").counts()["deleted"] == {}
    assert diff_models(shop, smaller, mode="replace").counts()["deleted"] == {"flows": len(shop.flows)}


def test_it_keeps_a_messages_relations_when_a_merged_file_declares_none(shop: Model) -> None:
    message = shop.messages_by_name["OrderPlaced"]
    changed = dataclasses.replace(message, description="Changed")
    target = Model(messages=(changed,))
    change = next(c for c in diff_models(shop, target, mode="merge").elements if c.name == "OrderPlaced")
    assert change.after is not None and change.before is not None
    assert change.after["relations"] == change.before["relations"] and change.after["description"] == "Changed"


def test_it_creates_a_service_only_a_relation_names_and_leaves_an_existing_one_alone(shop: Model) -> None:
    message = shop.messages_by_name["OrderPlaced"]
    target = Model(messages=(message,), relations=(
        Relation(service="audit-service", message="OrderPlaced", role="consumes"),
        Relation(service="order-service", message="OrderPlaced", role="produces"),
    ))
    changes = diff_models(shop, target, mode="merge")
    assert [(c.kind, c.name, c.action) for c in changes.elements if c.kind == "service"] == [
        ("service", "audit-service", "create")]


def test_it_refuses_a_relation_to_a_message_nobody_declares() -> None:
    target = Model(relations=(Relation(service="a", message="Ghost", role="consumes"),))
    with pytest.raises(ValueError, match="Ghost"):
        diff_models(Model(), target, mode="merge")


def test_it_states_each_element_once(shop: Model) -> None:
    states = model_states(shop)
    assert len(states) == len(shop.services) + len(shop.channels) + len(shop.messages) + len(shop.flows)
    assert states[("service", "order-service")]["name"] == "order-service"


def test_it_keeps_the_examples_in_its_docstrings_true() -> None:
    result = doctest.testmod(changeset)
    assert result.attempted and not result.failed


def test_it_sets_only_the_fields_a_merged_file_carries(shop: Model) -> None:
    live = shop.messages_by_name["OrderPlaced"]
    bare = Message("OrderPlaced", versions=(Version(live.versions[0].version,
                                                    schema={"type": "object", "properties": {"orderId": {"type": "string"}}}),))
    target = Model(messages=(bare,), relations=(Relation("audit-service", "OrderPlaced", "consumes"),))
    changes = diff_models(shop, target, mode="merge")
    change = next(c for c in changes.elements if c.name == "OrderPlaced")
    assert change.before is not None and change.after is not None
    for key in ("type", "owner", "description", "channel", "kind"):
        assert change.after[key] == change.before[key]
    old_v, new_v = change.before["versions"][0], change.after["versions"][0]
    assert set(new_v["schema"]["properties"]) == set(old_v["schema"]["properties"]) | {"orderId"}
    assert new_v["example"] == old_v["example"] and new_v["status"] == old_v["status"]
    services = {(r["service"], r["role"]) for r in change.after["relations"]}
    assert {(r["service"], r["role"]) for r in change.before["relations"]} | {("audit-service", "consumes")} == services
    assert not [f for f in element_diff("message", change.before, change.after) if f.removes]
    assert {c.action for c in changes.elements} <= {"create", "update"}


def test_it_keeps_a_flows_steps_and_adds_the_files_new_ones_in_a_merge(shop: Model) -> None:
    flow = shop.flows[0]
    extra = FlowStep(flow.steps[0].service, flow.steps[0].message, "receives", note="new")
    target = Model(flows=(Flow(flow.name, steps=(extra,)),))
    change = diff_models(shop, target, mode="merge").elements[0]
    assert change.after is not None and len(change.after["steps"]) == len(flow.steps) + 1
    assert change.after["description"] == flow.description


def test_it_shows_a_schema_change_property_by_property() -> None:
    before = {"name": "M", "versions": [{"version": "1", "schema": {"type": "object", "properties": {
        "a": {"type": "string"}, "b": {"type": "object", "properties": {"c": {"type": "integer"}}}}}}], "relations": []}
    after = {"name": "M", "versions": [{"version": "1", "schema": {"type": "object", "properties": {
        "a": {"type": "integer"}, "b": {"type": "object", "properties": {}}}}}], "relations": []}
    lines = {f.what: f for f in element_diff("message", before, after)}
    assert lines["version 1 schema a"].after == '{"type": "integer"}' and not lines["version 1 schema a"].removes
    assert lines["version 1 schema b.c"].removes and lines["version 1 schema b.c"].after == ""


def test_a_reply_naming_a_missing_message_dangles() -> None:
    """Issue 12: ``Message.reply`` names another message; one that is gone is a dangling name."""
    from designer.core.changeset import dangling

    states = {("message", "Q"): {"name": "Q", "kind": "query", "reply": "R", "versions": [], "relations": []}}
    assert dangling(states) == [("message", "Q", "message", "R")]
    states[("message", "R")] = {"name": "R", "versions": [], "relations": []}
    assert dangling(states) == []
