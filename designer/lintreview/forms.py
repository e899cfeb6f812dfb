"""Forms of the lint review: a waiver's reason and the team's lint configuration."""
from __future__ import annotations

import json
from typing import Any

from django import forms

from designer.core.lint.engine import OFF
from designer.core.lint.registry import RULES
from designer.core.model import SEVERITIES

from .services import REASON_MAX

LEVEL_CHOICES = [("", "default")] + [(s, s) for s in (*SEVERITIES, OFF)]


class WaiverForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "required": True}), max_length=REASON_MAX,
        help_text="Required: why this is acceptable here (kept with who and when).",
        error_messages={"required": "Say why this finding is acceptable: a reason is required."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why this finding is acceptable: a reason is required.")
        return str(reason)


class LintConfigForm(forms.Form):
    """One severity select and one JSON options box per rule (``sev_<id>``, ``opt_<id>``)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, config: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        config = config or {}
        severities = config.get("severities") or {}
        options = config.get("options") or {}
        self.rows: list[dict[str, Any]] = []
        for rule_id, info in sorted(RULES.items(), key=lambda kv: (kv[1].category, kv[0])):
            sev_name, opt_name = f"sev_{rule_id}", f"opt_{rule_id}"
            self.fields[sev_name] = forms.ChoiceField(
                choices=LEVEL_CHOICES, required=False, label=f"Severity of {rule_id}",
                initial=severities.get(rule_id, ""))
            if info.options:
                current = {**dict(info.options), **dict(options.get(rule_id) or {})}
                self.fields[opt_name] = forms.CharField(
                    required=False, label=f"Options of {rule_id}",
                    widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
                    initial=json.dumps(current, ensure_ascii=False))
            self.rows.append({"info": info, "sev": self[sev_name],
                              "opt": self[opt_name] if info.options else None})

    def values(self) -> tuple[dict[str, str], dict[str, Any]]:
        """(severities, options) from valid data; JSON errors are added to the form."""
        severities: dict[str, str] = {}
        options: dict[str, Any] = {}
        for rule_id in RULES:
            level = self.cleaned_data.get(f"sev_{rule_id}") or ""
            if level:
                severities[rule_id] = level
            text = (self.cleaned_data.get(f"opt_{rule_id}") or "").strip()
            if text:
                try:
                    options[rule_id] = json.loads(text)
                except ValueError as exc:
                    self.add_error(f"opt_{rule_id}", f"Not valid JSON: {exc}")
        return severities, options
