"""Export -> import -> export gives identical text, for any model (hostile names included)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from designer.core.formats import native
from designer.core.model import Message, Model, Relation, Service, Version

from .strategies import HOSTILE, models


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_it_round_trips_any_model_to_identical_text(model: Model) -> None:
    text = native.dump(model)
    again = native.load(text)
    assert native.dump(again) == text
    # Nothing is lost on the way either: the canonical data of both models is the same.
    assert native.to_data(again) == native.to_data(model)


@settings(max_examples=100, deadline=None)
@given(models())
def test_it_writes_the_same_text_whatever_the_element_order(model: Model) -> None:
    shuffled = Model(
        name=model.name, description=model.description,
        services=model.services[::-1], messages=model.messages[::-1], channels=model.channels[::-1],
        relations=model.relations[::-1], flows=model.flows[::-1], envelope=model.envelope,
        lint=model.lint, default_compat=model.default_compat,
    )
    assert native.dump(shuffled) == native.dump(model)


def test_it_keeps_every_hostile_name_exactly() -> None:
    model = Model(
        services=tuple(Service(name=n) for n in HOSTILE),
        messages=tuple(Message(name=n, description=n, type=n) for n in HOSTILE),
        relations=tuple(Relation(service=n, message=n, role="produces") for n in HOSTILE),
    )
    loaded = native.load(native.dump(model))
    assert sorted(s.name for s in loaded.services) == sorted(HOSTILE)
    assert {m.name: (m.description, m.type) for m in loaded.messages} == {n: (n, n) for n in HOSTILE}
    assert {(r.service, r.message) for r in loaded.relations} == {(n, n) for n in HOSTILE}


def test_it_writes_a_single_draft_version_as_the_schema_shorthand() -> None:
    schema = {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "integer"}}}
    model = Model(messages=(Message(name="OrderPlaced", versions=(Version(schema=schema, example={"b": "x"}),)),))
    text = native.dump(model)
    assert "versions" not in text
    assert text.index(" b:") < text.index(" a:")  # schema keys keep their order
    assert native.load(text).messages[0].versions == model.messages[0].versions


def test_it_writes_a_released_version_in_full() -> None:
    model = Model(messages=(Message(name="M", versions=(Version(schema=True, status="released"),)),))
    text = native.dump(model)
    assert "versions:" in text and "status: released" in text
    assert native.load(text).messages[0].versions[0].status == "released"


def test_it_leaves_out_default_values() -> None:
    text = native.dump(Model(services=(Service(name="a"),), messages=(Message(name="M"),)))
    assert text == "version: 1\nservices:\n- name: a\nmessages:\n- name: M\n"


def test_it_writes_unicode_as_is_and_multiline_text_as_a_block() -> None:
    text = native.dump(Model(description="Ünïcödé 注文\nsecond line", services=(Service(name="注文"),)))
    assert "注文" in text and "\\u" not in text
    assert "description: |-\n" in text
    assert native.load(text).description == "Ünïcödé 注文\nsecond line"
