"""What an element kind is in the web app: ``ElementKind`` (and ``Spec``, for the parts of one).

The core declares a kind's attributes (``designer.core.kinds``); a declaration here adds how
the web app stores, edits and shows them (:class:`Field`, all optional) and what the kind does
that others do not (the ``ElementKind`` methods a kind module overrides). Everything generic —
columns, form fields, states for the history, writes from a state, list columns, the rows of
the element page — is computed here from the two, so an attribute added to a core dataclass
needs no code in this package.

This module imports no model of the catalog (``models.py`` imports it to add the columns).
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from designer.catalog.formfields import MAX_TEXT_CHARS, JSONTextField
from designer.core import kinds as core_kinds
from designer.core.kinds import CHOICE, FLAG, JSON_VALUE, REF, Attr, Kind, State

# Features that add buttons and sections to element pages, in the order they are shown. A
# feature adds to one kind with ``<feature>/_<kind>_<slot>.html`` and to every kind with
# ``<feature>/_element_<slot>.html`` (slots: ``actions``, ``sections``).
FEATURES = ("lint", "diagram", "codegen", "evolution")
DEFAULT_MAX_LENGTH = 200  # text columns without a declared length: names, keys, short labels


@dataclass(frozen=True)
class Field:
    """How the web app stores, edits and shows one attribute. Every part is optional."""

    label: str = ""  # form label and page heading; Django's default from the name otherwise
    help: str = ""
    max_length: int = DEFAULT_MAX_LENGTH
    column: str = ""  # the model attribute, when it is not the attribute's name
    long: bool = False  # a textarea rather than a one-line input
    options: tuple[tuple[str, str], ...] = ()  # labelled values: a choice's, or a text's offered ones
    display: str = ""  # on the element page: "" (text) | "code" | "link"
    show: bool = True  # a row on the element page


class Spec:
    """An element kind or a part of one (versions, relations, flow steps) in the web app."""

    def __init__(self, core: Kind, model: str | type[models.Model], fields: Mapping[str, Field] | None = None) -> None:
        """``model``: the catalog model's name (resolved lazily, so that ``models.py`` can import
        the declarations to add their columns) or a model class."""
        self.core = core
        self.model_name = model if isinstance(model, str) else model.__name__
        self._model = None if isinstance(model, str) else model
        self.fields = dict(fields or {})
        unknown = set(self.fields) - {a.name for a in core.attrs}
        if unknown:
            raise TypeError(f"{core.key}: no attribute(s) {sorted(unknown)} to describe")

    # ---- what is declared -------------------------------------------------------------------
    @property
    def key(self) -> str:
        return self.core.key

    @property
    def model(self) -> type[models.Model]:
        return self._model or apps.get_model("catalog", self.model_name)

    def field(self, name: str) -> Field:
        return self.fields.get(name, Field())

    def column(self, attr: Attr | str) -> str:
        name = attr if isinstance(attr, str) else attr.name
        return self.field(name).column or name

    def attr_label(self, attr: Attr) -> str:
        """What people call the attribute: its declared label, else its name in words."""
        return self.field(attr.name).label or attr.name.replace("_", " ").capitalize()

    def options(self, attr: Attr) -> list[tuple[str, str]]:
        """A choice's values with their labels ("" first when it may be left empty)."""
        labels = dict(self.field(attr.name).options)
        values = ([""] if attr.blank else []) + list(attr.choices)
        return [(v, labels.get(v, v)) for v in values]

    # ---- storage ----------------------------------------------------------------------------
    def db_field(self, attr: Attr) -> models.Field[Any, Any] | None:
        """The column an attribute gets, or None when the model declares it (references do)."""
        f = self.field(attr.name)
        if attr.type == FLAG:
            return models.BooleanField(default=bool(attr.default))
        if attr.type == JSON_VALUE:
            return models.JSONField(null=True, blank=True)
        if attr.type == CHOICE:
            kwargs: dict[str, Any] = {"max_length": f.max_length, "choices": self.options(attr), "blank": attr.blank}
            if attr.default:
                kwargs["default"] = attr.default
            return models.CharField(**kwargs)
        if attr.type == REF:
            return None
        if f.long:
            return models.TextField(blank=True)
        if attr.default:
            return models.CharField(max_length=f.max_length, blank=not attr.required, default=attr.default)
        return models.CharField(max_length=f.max_length, blank=not attr.required)

    def add_columns(self, model: type[models.Model]) -> None:
        """Give ``model`` a column for each attribute it does not declare itself."""
        declared = {f.name for f in model._meta.local_fields}  # the app registry is not ready yet
        for attr in self.core.attrs:
            column = self.column(attr)
            if column in declared:
                continue
            db_field = self.db_field(attr)
            if db_field is None:
                raise TypeError(f"{model.__name__} must declare the reference {column!r} itself")
            model.add_to_class(column, db_field)

    # ---- states -----------------------------------------------------------------------------
    def row_state(self, row: Any, names: Mapping[str, Mapping[int, str]] | None = None) -> State:
        """A row's attributes as plain data; references as the names of what they point at.

        ``names`` (kind key -> pk -> name) saves a query per reference when many rows are read.
        """
        state: State = {}
        for attr in self.core.attrs:
            column = self.column(attr)
            if attr.type == REF:
                pk = getattr(row, column + "_id")
                if pk is None:
                    state[attr.name] = ""
                elif names is not None and attr.ref in names:
                    state[attr.name] = names[attr.ref].get(pk, "")
                else:
                    state[attr.name] = getattr(row, column).name
            else:
                value = getattr(row, column)
                state[attr.name] = attr.default if value is None and attr.type != JSON_VALUE else value
        if self.core.extensions and getattr(row, "extensions", None):
            state["extensions"] = dict(row.extensions)
        return state

    def set_attrs(self, row: Any, state: Mapping[str, Any], refs: Refs) -> None:
        """Copy the attributes ``state`` has onto ``row`` (references resolved by name)."""
        for attr in self.core.attrs:
            if attr.name not in state:
                continue
            value = state[attr.name]
            if attr.type == REF:
                setattr(row, self.column(attr), refs.row(attr.ref, value) if value else None)
            else:
                setattr(row, self.column(attr), value)
        if self.core.extensions and "extensions" in state:
            row.extensions = dict(state["extensions"] or {})

    # ---- forms ------------------------------------------------------------------------------
    def form_field(self, attr: Attr, team: Any) -> forms.Field:
        """The form field that edits ``attr`` (named after its column)."""
        f = self.field(attr.name)
        common: dict[str, Any] = {"label": self.attr_label(attr), "help_text": f.help}
        if attr.type == FLAG:
            return forms.BooleanField(required=False, **common)
        if attr.type == CHOICE:
            return forms.ChoiceField(choices=self.options(attr), required=not attr.blank,
                                     initial=attr.default, **common)
        if attr.type == REF:
            target = registry_model(attr.ref)
            return forms.ModelChoiceField(queryset=target.objects.filter(team=team), required=attr.required,
                                          empty_label="—", **common)
        if attr.type == JSON_VALUE:
            return JSONTextField(widget=forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"}),
                                 **common)
        if f.options:
            return forms.ChoiceField(required=False, choices=list(f.options), **common)
        widget = forms.Textarea(attrs={"rows": 3}) if f.long else None
        return forms.CharField(required=attr.required, max_length=MAX_TEXT_CHARS if f.long else f.max_length,
                               widget=widget, **common)


def registry_model(kind_key: str) -> type[models.Model]:
    """The model of element kind ``kind_key`` (references point at element kinds only)."""
    from . import by_key

    return by_key(kind_key).model


class Refs:
    """Elements of one team by kind and name, loaded once per kind and kept up to date as a
    change set creates, renames and deletes them."""

    def __init__(self, team: Any) -> None:
        self.team = team
        self._rows: dict[str, dict[str, Any]] = {}

    def _of(self, kind: str) -> dict[str, Any]:
        if kind not in self._rows:
            model = registry_model(kind)
            self._rows[kind] = {r.name: r for r in model.objects.filter(team=self.team)}
        return self._rows[kind]

    def find(self, kind: str, name: str) -> Any:
        """The row named ``name``, or None."""
        return self._of(kind).get(name)

    def row(self, kind: str, name: str) -> Any:
        """The row named ``name``; a clear refusal when there is none."""
        from designer.catalog.services.errors import ValidationFailed

        found = self.find(kind, name)
        if found is None:
            raise ValidationFailed(f"There is no {kind} named “{name}” in this team.")
        return found

    def put(self, kind: str, row: Any, old_name: str = "") -> None:
        rows = self._rows.get(kind)
        if rows is None:  # not loaded yet: it will be read with the row in it
            return
        if old_name and rows.get(old_name) is row:
            del rows[old_name]
        rows[row.name] = row

    def drop(self, kind: str, name: str) -> None:
        self._rows.get(kind, {}).pop(name, None)


@dataclass(frozen=True)
class Column:
    """A column of the element list: a heading and the attribute (or annotation) it shows."""

    label: str
    attr: str
    display: str = ""  # "" | "code" | "kind" | "yesno" | "ref" (the name of a related row)


@dataclass(frozen=True)
class Filter:
    """A select above the element list that narrows it to one value of an attribute."""

    attr: str
    label: str
    all_label: str
    options: tuple[tuple[str, str], ...]


class ElementKind(Spec):
    """An element kind of the web app. A kind module builds one and overrides what differs."""

    def __init__(
        self, core: Kind, model: str | type[models.Model], *, label: str, fields: Mapping[str, Field] | None = None,
        list_columns: tuple[Column, ...] = (), search: tuple[str, ...] = ("name", "description", "owner"),
        search_label: str = "Search name or description", filters: tuple[Filter, ...] = (),
        badge: str = "", template: str = "",
    ) -> None:
        super().__init__(core, model, fields)
        self.label = label  # "service": what the kind is called in sentences
        self.list_columns = list_columns
        self.search = search
        self.search_label = search_label
        self.filters = filters
        self.badge = badge  # an attribute shown as a badge before the name (a message's kind)
        self.template = template  # the element page's sections of this kind (a template name)

    # ---- names ------------------------------------------------------------------------------
    @property
    def coll(self) -> str:
        """The URL segment and element-key prefix: ``services``."""
        return self.core.section

    def __repr__(self) -> str:
        return f"<ElementKind {self.key}>"

    # ---- the element's state ----------------------------------------------------------------
    def children_state(self, row: Any) -> State:
        """The state of what belongs to the element besides its attributes (versions, steps)."""
        return {}

    def core_children(self, rows: list[Any], names: Mapping[str, Mapping[int, str]], *,
                      subset: bool = False) -> dict[int, State]:
        """The children the core element needs, for many rows at once (pk -> state).

        ``rows`` are all the team's rows of the kind, or with ``subset`` a few of them (a
        snapshot patched after a change): then only their children are read."""
        return {}

    def full_state(self, row: Any) -> State:
        """Attributes and children: everything needed to build the element again."""
        return {**self.row_state(row), **self.children_state(row)}

    def write_children(self, row: Any, state: Mapping[str, Any], refs: Refs, *, created: bool) -> None:
        """Make the element's children what ``state`` says (only those ``state`` mentions)."""

    def creation_state(self, data: Mapping[str, Any]) -> State:
        """The state of a new element made from cleaned form data (a kind adds its children)."""
        return self.from_form(data)

    def from_form(self, data: Mapping[str, Any]) -> State:
        """A state from cleaned form data: columns back to attribute names, rows to names."""
        state: State = {}
        for attr in self.core.attrs:
            column = self.column(attr)
            if column not in data:
                continue
            value = data[column]
            if attr.type == REF:
                value = value.name if value is not None else ""
            elif value is None and attr.type != JSON_VALUE:
                value = attr.default
            state[attr.name] = value
        return state

    def initial(self, row: Any) -> dict[str, Any]:
        """Form values for editing ``row`` (references as primary keys)."""
        out: dict[str, Any] = {}
        for attr in self.core.attrs:
            column = self.column(attr)
            out[column] = getattr(row, column + "_id") if attr.type == REF else getattr(row, column)
        out["lock_version"] = row.lock_version
        return out

    def new_initial(self, params: Mapping[str, str]) -> dict[str, Any]:
        """Form values for a new element: the declared defaults (a kind may read ``params``)."""
        return {self.column(a): a.default for a in self.core.attrs if a.default not in ("", None, False)}

    # ---- forms ------------------------------------------------------------------------------
    def form_fields(self, team: Any, *, creating: bool) -> dict[str, forms.Field]:
        out: dict[str, forms.Field] = {}
        for attr in self.core.attrs:
            if attr.name == "name":
                out["name"] = forms.CharField(label="Name", max_length=200, widget=forms.TextInput(
                    attrs={"autocomplete": "off", "spellcheck": "false"}))
            else:
                out[self.column(attr)] = self.form_field(attr, team)
        return out

    def clean_form(self, form: forms.Form, data: dict[str, Any]) -> None:
        """Checks across fields (add errors to ``form``); cleaned values may be adjusted."""

    def name_hints(self, name: str, params: Mapping[str, str]) -> list[dict[str, str]]:
        """Hints while typing a name (messages: tense and mood)."""
        return []

    def name_suggestions(self, team: Any, name: str, params: Mapping[str, str]) -> dict[str, str]:
        """Other fields' values a name suggests, by form field (messages: the wire type)."""
        return {}

    # ---- pages ------------------------------------------------------------------------------
    def annotate(self, qs: Any) -> Any:
        """The list's query set with what its columns count."""
        return qs

    def detail_rows(self, obj: Any) -> list[dict[str, Any]]:
        """The element page's rows: label, value and how to show it (name and description are
        the page's title and lead)."""
        rows = []
        for attr in self.core.attrs:
            f = self.field(attr.name)
            if attr.name in ("name", "description", self.badge) or not f.show:
                continue
            column = self.column(attr)
            row: dict[str, Any] = {"label": self.attr_label(attr), "value": getattr(obj, column),
                                   "display": f.display or ("yesno" if attr.type == FLAG else "")}
            if attr.type == REF:
                row["display"] = "ref"
                row["coll"] = by_key_coll(attr.ref)
            rows.append(row)
        return rows

    def detail_context(self, request: Any, obj: Any) -> dict[str, Any]:
        """What the kind's sections of the element page need."""
        return {}

    def dependents(self, obj: Any) -> list[str]:
        """What goes with the element when it is deleted, in words."""
        return []

    def affected(self, obj: Any) -> list[Any]:
        """Other elements whose state deleting ``obj`` changes (their relations, steps...)."""
        return []

    # Templates features add to the element page (see ``FEATURES``).
    @property
    def action_templates(self) -> list[str]:
        return _feature_templates(self.key, "actions")

    @property
    def section_templates(self) -> list[str]:
        return _feature_templates(self.key, "sections")


def by_key_coll(kind_key: str) -> str:
    return core_kinds.BY_KEY[kind_key].section


@functools.cache
def _feature_templates(kind_key: str, slot: str) -> list[str]:
    found = []
    for feature in FEATURES:
        for name in (f"{feature}/_element_{slot}.html", f"{feature}/_{kind_key}_{slot}.html"):
            try:
                get_template(name)
            except TemplateDoesNotExist:
                continue
            found.append(name)
    return found
