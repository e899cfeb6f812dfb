"""Forms: parse and validate user input; the services do the writing."""
from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.validators import URLValidator

from designer.core import model as core
from designer.core.schema_compile import shape_problem, too_deep

from .models import Channel, Message, Service
from .schemas import example_errors, schema_errors

LANGUAGES = ["", "python", "typescript", "java", "go", "kotlin", "csharp", "ruby", "rust", "other"]
MAX_JSON_CHARS = 1_000_000  # a schema or example bigger than 1 MB is certainly a mistake
MAX_TEXT_CHARS = 20_000  # descriptions: several pages of prose; more is a paste gone wrong


class JSONTextField(forms.CharField):
    """A textarea holding any JSON value (objects, lists and scalars alike); errors give line and column.

    Refused with a message, before anything else sees the value: text longer than
    ``MAX_JSON_CHARS``, NaN/Infinity (not JSON, and PostgreSQL cannot store them), NUL
    characters (PostgreSQL's jsonb cannot store them) and nesting deeper than
    ``schema_compile.MAX_DEPTH`` levels.
    """

    widget = forms.Textarea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # The length limit applies to the text, checked in to_python: the cleaned value may be a
        # number or a boolean, which CharField's max_length validator cannot measure.
        self.max_chars = kwargs.pop("max_length", MAX_JSON_CHARS)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        return json.dumps(value, indent=2, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text or not text.strip():
            return None
        if len(text) > self.max_chars:
            raise forms.ValidationError(
                f"This is {len(text):,} characters; the limit is {self.max_chars:,}. Split it up or trim it.")
        try:
            parsed = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
        except _NotJSON as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc} is not a JSON number; use null or a string.") from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise forms.ValidationError(f"Not accepted: {exc}.") from None
        except RecursionError:  # nested far beyond the limit below: the parser gave up first
            raise forms.ValidationError(f"Not accepted: {too_deep('the JSON')}.") from None
        problem = shape_problem(parsed, "the JSON")
        if problem:
            raise forms.ValidationError(f"Not accepted: {problem}.")
        if _has_nul(parsed):
            raise forms.ValidationError("Not accepted: the JSON contains a NUL character (\\u0000), which cannot be stored.")
        return parsed


class _NotJSON(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJSON(name)


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _name_field(label: str = "Name") -> forms.CharField:
    return forms.CharField(label=label, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class ElementForm(forms.Form):
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(ord(ch) < 32 for ch in name):
            raise forms.ValidationError("Names cannot contain control characters or line breaks.")
        if not name:
            raise forms.ValidationError("A name is required.")
        return name


class ServiceForm(ElementForm):
    name = _name_field()
    description = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(required=False, max_length=120, help_text="A person or a team.")
    repository = forms.CharField(required=False, max_length=500, label="Repository URL")
    language = forms.ChoiceField(required=False, choices=[(x, x or "—") for x in LANGUAGES])
    writes_database = forms.BooleanField(required=False, label="Writes its own database")
    outbox = forms.ChoiceField(required=False, choices=[("", "nothing declared"), ("outbox", "transactional outbox"), ("cdc", "change data capture")],
                               label="Publishes through")

    def clean_repository(self) -> str:
        url = self.cleaned_data["repository"].strip()
        if url:
            try:
                URLValidator(schemes=["http", "https", "ssh", "git"])(url)
            except forms.ValidationError:
                raise forms.ValidationError("Enter a full URL such as https://git.example.com/team/repo.") from None
        return url


class ChannelForm(ElementForm):
    name = _name_field()
    broker = forms.ChoiceField(choices=[(b, b) for b in core.BROKERS])
    description = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(required=False, max_length=120)
    partition_key = forms.CharField(required=False, max_length=200, help_text="Payload property that keeps related messages in order, e.g. orderId.")
    ordered = forms.BooleanField(required=False, label="Consumers rely on order")
    delivery = forms.ChoiceField(choices=[(d, d) for d in core.DELIVERY_GUARANTEES], initial="at-least-once")


class MessageForm(ElementForm):
    name = _name_field()
    kind = forms.ChoiceField(choices=[("event", "event — a fact, past tense"), ("command", "command — a request to one handler"), ("query", "query — asks for data")])
    wire_type = forms.CharField(required=False, max_length=200, label="Wire type", help_text="The type on the wire, e.g. order.placed")
    description = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(required=False, max_length=120)
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), required=False, empty_label="—")
    schema = JSONTextField(label="JSON Schema (2020-12)", widget=forms.Textarea(attrs={"rows": 14, "class": "code", "spellcheck": "false"}))
    example = JSONTextField(label="Example payload", widget=forms.Textarea(attrs={"rows": 8, "class": "code", "spellcheck": "false"}))

    def __init__(self, *args: Any, team: Any = None, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(team=team)
        if not creating:  # versions are edited on their own form
            del self.fields["schema"]
            del self.fields["example"]

    def clean_schema(self) -> Any:
        schema = self.cleaned_data.get("schema")
        errs = schema_errors(schema)
        if errs:
            raise forms.ValidationError(errs)
        return schema

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "example" in self.fields and not self.errors.get("schema"):
            errs = example_errors(data.get("schema"), data.get("example"))
            if errs:
                self.add_error("example", errs)
        return data


class VersionForm(forms.Form):
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.CharField(required=False, max_length=40, help_text="Leave empty to keep the draft's number or take the next minor.")
    compat = forms.ChoiceField(required=False, label="Compatibility mode", choices=[("", "team default")] + [(c, c) for c in core.COMPAT_MODES])
    schema = JSONTextField(label="JSON Schema (2020-12)", widget=forms.Textarea(attrs={"rows": 18, "class": "code", "spellcheck": "false"}))
    example = JSONTextField(label="Example payload", widget=forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"}))

    def clean_version(self) -> str:
        v = self.cleaned_data["version"].strip()
        if v and not all(p.isascii() and p.isdigit() for p in v.split(".")):
            raise forms.ValidationError("Use a semantic version such as 1.2.0.")
        return v

    def clean_schema(self) -> Any:
        schema = self.cleaned_data.get("schema")
        errs = schema_errors(schema)
        if errs:
            raise forms.ValidationError(errs)
        return schema

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.get("schema"):
            errs = example_errors(data.get("schema"), data.get("example"))
            if errs:
                self.add_error("example", errs)
        return data


class FlowForm(ElementForm):
    name = _name_field()
    style = forms.ChoiceField(choices=[("choreography", "choreography — services react to events"), ("orchestration", "orchestration — one coordinator")])
    orchestrator = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, empty_label="—")
    description = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(required=False, max_length=120)

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["orchestrator"].queryset = Service.objects.filter(team=team)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("style") == "orchestration" and not data.get("orchestrator"):
            self.add_error("orchestrator", "An orchestrated flow needs its orchestrator service.")
        if data.get("style") == "choreography":
            data["orchestrator"] = None
        return data


class RelationForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    role = forms.ChoiceField(choices=[("produces", "produces (sends)"), ("consumes", "consumes (receives / handles / answers)")])
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), required=False, empty_label="message's channel")
    idempotent = forms.BooleanField(required=False, label="Idempotent consumer")
    dedup_key = forms.CharField(required=False, max_length=120, label="Dedup key", help_text="e.g. eventId")
    pinned_version = forms.CharField(required=False, max_length=40, label="Pinned version")

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(team=team)
        self.fields["channel"].queryset = Channel.objects.filter(team=team)


class StepForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    action = forms.ChoiceField(choices=[("sends", "sends"), ("receives", "receives")])
    message = forms.ModelChoiceField(queryset=Message.objects.none())
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(team=team)
        self.fields["message"].queryset = Message.objects.filter(team=team)


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
    mode = forms.ChoiceField(choices=[("merge", "merge — create or update by name, delete nothing"), ("replace", "replace — the team's model becomes the file")], initial="merge")
