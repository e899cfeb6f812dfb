"""Forms: parse and validate user input; the services do the writing.

An element's form is built from its kind's declaration (``designer.catalog.kinds``); so are
the forms of a message's versions and relations and of a flow's steps.
"""
from __future__ import annotations

from typing import Any

from django import forms

from .formfields import MAX_TEXT_CHARS, JSONTextField
from .kinds import ElementKind, Spec
from .kinds.flow import STEP
from .kinds.message import RELATION, VERSION, schema_check
from .schemas import schema_errors

__all__ = ["ElementForm", "JSONTextField", "RelationForm", "StepForm", "VersionForm"]


class ElementForm(forms.Form):
    """The form of any element kind: its fields come from the kind's declaration."""

    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: ElementKind, team: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields.update(kind.form_fields(team, creating=creating))

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(ord(ch) < 32 for ch in name):
            raise forms.ValidationError("Names cannot contain control characters or line breaks.")
        if not name:
            raise forms.ValidationError("A name is required.")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.kind.clean_form(self, data)
        return data


def _part_fields(spec: Spec, team: Any, *, leave_out: tuple[str, ...] = ()) -> dict[str, forms.Field]:
    """A form field for each attribute of a part (an attribute added to it gets one too)."""
    return {spec.column(a): spec.form_field(a, team) for a in spec.core.attrs if a.name not in leave_out}


class VersionForm(forms.Form):
    """A message's newest draft, or its next version."""

    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The status moves with the Release and Deprecate buttons, not in this form.
        self.fields.update(_part_fields(VERSION, None, leave_out=("status",)))
        self.fields["version"].required = False  # empty: keep the draft's number or take the next minor
        for name, rows in (("schema", 18), ("example", 10)):
            self.fields[name].widget.attrs.update({"rows": rows})

    def clean_version(self) -> str:
        v = self.cleaned_data["version"].strip()
        if v and not all(p.isascii() and p.isdigit() for p in v.split(".")):
            raise forms.ValidationError("Use a semantic version such as 1.2.0.")
        return v

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        schema_check(self, data)
        return data


class RelationForm(forms.Form):
    """A service producing or consuming the message whose page this is on."""

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_part_fields(RELATION, team, leave_out=("message",)))  # the page's message
        self.fields["channel"].empty_label = "message's channel"


class StepForm(forms.Form):
    """One step of a flow."""

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_part_fields(STEP, team))


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(max_length=60, required=False, help_text="Used in URLs; derived from the name when empty.")
    description = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 2}))


class TeamSettingsForm(forms.Form):
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 2}))
    envelope_profile = forms.ChoiceField(choices=[("cloudevents", "CloudEvents 1.0"), ("brief", "eventId, eventType, version, timestamp, source, data"), ("custom", "custom JSON Schema")])
    envelope_schema = JSONTextField(label="Custom envelope schema", widget=forms.Textarea(attrs={"rows": 8, "class": "code"}))

    def clean_envelope_schema(self) -> Any:
        schema = self.cleaned_data.get("envelope_schema")
        errs = schema_errors(schema)
        if errs:
            raise forms.ValidationError(errs)
        return schema

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("envelope_profile") == "custom" and not data.get("envelope_schema"):
            self.add_error("envelope_schema", "The custom profile needs its envelope schema.")
        return data


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=[("viewer", "viewer"), ("editor", "editor"), ("owner", "owner")], initial="editor")


class InviteForm(forms.Form):
    role = forms.ChoiceField(choices=[("viewer", "viewer"), ("editor", "editor"), ("owner", "owner")], initial="editor")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The members page shows this beside MemberForm, which has a "role" too: one id_role only.
        kwargs.setdefault("auto_id", "id_invite_%s")
        super().__init__(*args, **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, required=False, help_text="What uses it, e.g. 'staging producer'.")


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe for ``<input multiple>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    file = _MultipleFileField(
        label="Design file, AsyncAPI document, or several files / a zip",
        help_text="A document whose <code>$ref</code>s name other files: select them together, or upload "
                  "a zip. Only the files you upload are read.")
    mode = forms.ChoiceField(
        choices=[("merge", "merge — set what the file carries, delete nothing"),
                 ("replace", "replace — the team's model becomes the file")], initial="merge",
        help_text="Merge: an element of the file sets only the fields it carries (an empty field keeps "
                  "the team's value); schemas are merged property by property; versions, relations, "
                  "examples, flow steps and elements the file does not mention are kept; relations are "
                  "united. No import takes the team's name or description from a file.")
