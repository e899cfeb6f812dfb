"""Element kinds are read from the core dataclasses: every attribute is declared once, there."""
from __future__ import annotations

import dataclasses
import doctest
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from designer.core import kinds
from designer.core.formats import native
from designer.core.kinds import CHOICE, FLAG, JSON_VALUE, REF, TEXT
from designer.core.model import Flow, Message, Model, Service

SHOP = Path(__file__).resolve().parents[3] / "designer" / "catalog" / "demo" / "shop.yaml"
ALL = (*kinds.ELEMENT_KINDS, kinds.VERSION, kinds.RELATION, kinds.STEP)


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.key)
def test_it_accounts_for_every_field_of_each_dataclass(kind: kinds.Kind) -> None:
    declared = {a.name for a in kind.attrs} | set(kind.children) | ({"extensions"} if kind.extensions else set())
    assert declared == {f.name for f in dataclasses.fields(kind.cls)}


def test_it_reads_types_and_defaults_from_the_dataclass() -> None:
    attr = kinds.SERVICE.attr
    assert (attr("writes_database").type, attr("writes_database").default) == (FLAG, False)
    assert (attr("outbox").type, attr("outbox").choices, attr("outbox").blank) == (CHOICE, ("outbox", "cdc"), True)
    assert (kinds.CHANNEL.attr("broker").default, kinds.VERSION.attr("schema").type) == ("kafka", JSON_VALUE)
    assert (kinds.FLOW.attr("orchestrator").type, kinds.FLOW.attr("orchestrator").ref) == (REF, "service")
    assert kinds.MESSAGE.attr("name").required and not kinds.MESSAGE.attr("owner").required
    assert kinds.FLOW.attr("owner").type == TEXT


def test_it_picks_up_a_field_added_to_a_dataclass() -> None:
    @dataclass(frozen=True)
    class Gadget:
        name: str
        colour: str = ""
        fragile: bool = True  # the added line

    kind = kinds.declare(Gadget, "gadget", "gadgets")
    assert [(a.name, a.type, a.default) for a in kind.attrs] == [
        ("name", TEXT, ""), ("colour", TEXT, ""), ("fragile", FLAG, True)]
    assert kind.state(Gadget("g")) == {"name": "g", "colour": "", "fragile": True}
    assert kind.build({"name": "g", "fragile": False}) == Gadget("g", fragile=False)


def test_it_refuses_an_attribute_it_cannot_handle() -> None:
    @dataclass(frozen=True)
    class Odd:
        name: str
        weight: float = 0.0

    with pytest.raises(TypeError, match="Odd.weight"):
        kinds.declare(Odd, "odd", "odds")


def test_it_round_trips_every_element_of_the_demo_through_its_state() -> None:
    shop = native.load(SHOP.read_text(encoding="utf-8"))
    for kind in (kinds.SERVICE, kinds.CHANNEL):
        for el in kind.elements(shop):
            assert kind.build(kind.state(el)) == el
    for m in shop.messages:
        rebuilt: Any = kinds.MESSAGE.build(kinds.MESSAGE.state(m),
                                          versions=tuple(kinds.VERSION.build(kinds.VERSION.state(v)) for v in m.versions))
        assert rebuilt == m


def test_it_finds_an_element_by_its_key() -> None:
    model = Model(services=(Service("orders"),), messages=(Message("OrderPlaced"),), flows=(Flow("checkout"),))
    assert kinds.element(model, "flows/checkout") == Flow("checkout")
    assert kinds.element(model, "messages/Nope") is None
    assert kinds.element(model, "gadgets/x") is None


def test_it_keeps_the_examples_in_its_docstrings_true() -> None:
    result = doctest.testmod(kinds)
    assert result.attempted and not result.failed


def test_it_keeps_a_flows_owner_in_the_design_file() -> None:
    model = Model(services=(Service("saga"),), flows=(Flow("checkout", owner="team-checkout", orchestrator="saga",
                                                            style="orchestration"),))
    text = native.dump(model)
    assert "owner: team-checkout" in text
    assert native.load(text).flows == model.flows
