"""Adding a field to an element kind is one line in its core dataclass plus a migration.

A fixture kind ("gadget") is declared the way the real kinds are — a core dataclass, a model
with the columns only a model can say (team, name, lock_version), a ``ElementKind`` — and then
grows a field: the test adds the dataclass line and applies the migration (``add_field``), and
nothing else. The column, the form field, the history state, the write path and the core
element all carry the new field. The real kinds run through the same code (the last tests).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from designer.catalog import kinds, services
from designer.catalog.forms import ElementForm
from designer.catalog.kinds import ElementKind, Refs
from designer.catalog.models import Change, Service, Team
from designer.core import kinds as core_kinds
from designer.core.formats import native

_seq = itertools.count(1)


@dataclass(frozen=True)
class Gadget:
    """The fixture kind's core dataclass, before the change."""

    name: str
    colour: str = ""


@dataclass(frozen=True)
class GadgetWithSize:
    """The same kind after the change: one line added."""

    name: str
    colour: str = ""
    size: str = "medium"


def _model() -> type[models.Model]:
    """A fresh model class for the fixture kind: what only a model can declare."""
    n = next(_seq)
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "team": models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+"),
        "name": models.CharField(max_length=200),
        "lock_version": models.PositiveIntegerField(default=0),
        "Meta": type("Meta", (), {"app_label": "catalog", "db_table": f"test_gadget_{n}"}),
    }
    return type(f"Gadget{n}", (models.Model,), attrs)


@pytest.fixture
def gadgets(transactional_db: Any) -> Iterator[tuple[type[models.Model], ElementKind, ElementKind]]:
    """The model with the columns of the first declaration, and both declarations."""
    with isolate_apps("designer.catalog"):
        model = _model()
        before = ElementKind(core_kinds.declare(Gadget, "gadget", "gadgets"), model, label="gadget")
        after = ElementKind(core_kinds.declare(GadgetWithSize, "gadget", "gadgets"), model, label="gadget")
        before.add_columns(model)
        with connection.schema_editor() as editor:
            editor.create_model(model)
        try:
            yield model, before, after
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(model)


def _team() -> Team:
    return services.team_create(user=None, name=f"Gadgets {next(_seq)}")


def test_it_gives_a_declared_field_a_column_a_form_field_and_a_state(gadgets: Any) -> None:
    model, before, after = gadgets
    team = _team()
    assert "size" not in {f.name for f in model._meta.local_fields}

    # The change: the dataclass line (``GadgetWithSize``) and the migration that adds the column.
    after.add_columns(model)
    with connection.schema_editor() as editor:
        editor.add_field(model, model._meta.get_field("size"))

    form = ElementForm({"name": "lamp", "colour": "red", "size": "large"}, kind=after, team=team)
    assert list(form.fields) == ["lock_version", "name", "colour", "size"]
    assert form.is_valid(), form.errors
    state = after.creation_state(form.cleaned_data)
    row = services.element_write(team=team, kind=after, row=None, state=state, refs=Refs(team))
    row.refresh_from_db()
    assert (row.colour, row.size) == ("red", "large")
    assert after.full_state(row) == {"name": "lamp", "colour": "red", "size": "large"}
    assert after.core.build(after.full_state(row)) == GadgetWithSize("lamp", "red", "large")
    assert after.initial(row)["size"] == "large"

    # The design file writes and reads it, its default left out as for every attribute.
    element = after.core.build(after.full_state(row))
    assert native.element_data(after.core, element) == {"name": "lamp", "colour": "red", "size": "large"}
    assert native.element_data(after.core, GadgetWithSize("lamp")) == {"name": "lamp"}
    assert native.element_from_data(after.core, {"name": "lamp", "size": "small"}) == GadgetWithSize("lamp", size="small")

    # An update from the form changes the field, bumps the lock and keeps the other attributes.
    updated = services.element_write(team=team, kind=after, row=row, state={"size": "small"}, refs=Refs(team))
    assert (updated.size, updated.colour, updated.lock_version) == ("small", "red", 1)


def test_it_shows_the_new_field_on_the_element_page_and_records_it(gadgets: Any) -> None:
    model, _, after = gadgets
    after.add_columns(model)
    with connection.schema_editor() as editor:
        editor.add_field(model, model._meta.get_field("size"))
    team = _team()
    row = services.element_write(team=team, kind=after, row=None, state={"name": "lamp", "size": "large"},
                                 refs=Refs(team))
    assert {"label": "Size", "value": "large", "display": ""} in after.detail_rows(row)
    change = services.change_record(team=team, user=None, action="create", kind=after.key, obj_id=row.pk,
                                    name=row.name, after=after.full_state(row))
    assert Change.objects.get(pk=change.pk).after["size"] == "large"


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.key)
def test_it_stores_edits_and_states_every_attribute_of_the_real_kinds(kind: ElementKind, db: Any) -> None:
    columns = {f.name for f in kind.model._meta.local_fields}
    team = _team()
    form_fields = set(ElementForm(kind=kind, team=team).fields)
    for attr in kind.core.attrs:
        assert kind.column(attr) in columns
        assert kind.column(attr) in form_fields
    assert {a.name for a in kind.core.attrs} <= set(kind.row_state(kind.model(team=team, name="x")))


def test_it_writes_a_real_kind_through_the_same_path_as_the_fixture(demo_team: Team) -> None:
    kind = kinds.by_coll("services")
    row = Service.objects.get(team=demo_team, name="order-service")
    before = kind.full_state(row)
    services.element_write(team=demo_team, kind=kind, row=row, state={**before, "language": "go"},
                           refs=Refs(demo_team))
    row.refresh_from_db()
    assert row.language == "go" and kind.full_state(row) == {**before, "language": "go"}
    exported = native.dump(services_model(demo_team))
    assert "language: go" in exported


def services_model(team: Team) -> Any:
    from designer.catalog.selectors import model_snapshot

    return model_snapshot(team)
