"""A change to the model as a value: what an import of one model into another changes."""
from __future__ import annotations

import dataclasses
import doctest
from pathlib import Path

import pytest

from designer.core import changeset
from designer.core.changeset import (
    diff_models,
    element_from_state,
    element_state,
    model_states,
    relations_of,
)
from designer.core.formats import native
from designer.core.kinds import ELEMENT_KINDS, MESSAGE
from designer.core.model import Model, Relation

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
    assert "name" in changes.settings


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
