"""Writes of the lint review: waivers and the team's lint configuration.

Each write runs in one transaction and records a ``Change`` (so history shows it, the team
revision moves, cached findings are recomputed and open browsers refresh).
"""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.catalog import services as catalog
from designer.catalog.models import Team
from designer.catalog.selectors import team_model
from designer.core.jsonvalue import KIND_PHRASES, json_kind
from designer.core.lint.engine import OFF
from designer.core.lint.finding import Finding
from designer.core.lint.registry import RULES
from designer.core.model import SEVERITIES
from designer.core.user_regex import is_regex_option, regex_problem

from .digest import element_digest
from .models import Waiver

REASON_MAX = 2000  # a paragraph or two; longer belongs in a design document linked from it


class ReviewError(catalog.ValidationFailed):
    """A review action that cannot be done (missing reason, unknown finding, bad config)."""


def _state(w: Waiver) -> dict[str, Any]:
    return {"rule": w.rule, "element": w.element_key, "path": w.path, "reason": w.reason,
            "revoked": w.revoked_at is not None}


def waiver_create(*, team: Team, user: Any, finding: Finding, reason: str) -> Waiver:
    """Waive ``finding`` with a required reason; replaces an earlier waiver of the same finding."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError({"reason": ["Say why this finding is acceptable: a reason is required."]})
    if len(reason) > REASON_MAX:
        raise ReviewError({"reason": [f"Keep the reason under {REASON_MAX} characters."]})
    info = RULES.get(finding.rule)
    digest = element_digest(team_model(team), finding.key, info.category if info else "")
    with transaction.atomic():
        now = timezone.now()
        Waiver.objects.select_for_update().filter(
            team=team, fingerprint=finding.fingerprint, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=user if getattr(user, "is_authenticated", False) else None)
        w = Waiver.objects.create(
            team=team, rule=finding.rule, element_key=finding.key, path=finding.path,
            fingerprint=finding.fingerprint, reason=reason, element_digest=digest,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        catalog.change_record(team=team, user=user, action="waive", kind="waiver", obj_id=w.pk,
                        name=finding.key, before=None, after=_state(w),
                        summary=f"Waived {finding.rule} on {finding.key}: {reason}")
    return w


def waiver_revoke(*, team: Team, user: Any, waiver: Waiver) -> Waiver:
    """Revoke a waiver (the row stays, with who revoked it and when)."""
    if waiver.team_id != team.pk:
        raise ReviewError("That waiver belongs to another team.")
    with transaction.atomic():
        w = Waiver.objects.select_for_update().get(pk=waiver.pk)
        if w.revoked_at is not None:
            return w
        before = _state(w)
        w.revoked_at = timezone.now()
        w.revoked_by = user if getattr(user, "is_authenticated", False) else None
        w.save(update_fields=["revoked_at", "revoked_by"])
        catalog.change_record(team=team, user=user, action="revoke", kind="waiver", obj_id=w.pk,
                        name=w.element_key, before=before, after=_state(w),
                        summary=f"Revoked the waiver of {w.rule} on {w.element_key}")
    return w


def _same_kind(default: Any, value: Any) -> bool:
    """Whether ``value`` has the JSON kind of a rule option's ``default`` (numbers are one kind)."""
    if default is None:
        return True
    want, got = json_kind(default), json_kind(value)
    numbers = {"integer", "number"}
    return got == want or (want in numbers and got in numbers)


def clean_lint_config(severities: dict[str, str], options: dict[str, Any]) -> dict[str, Any]:
    """Validate a lint configuration; raises ReviewError with one message per problem.

    Severities: a known rule and one of off/error/warning/info/hint; a rule set to its default
    severity is dropped (so the file stays short). Options: a JSON object per known rule whose
    keys are the rule's declared options and whose values have the default's type.
    """
    errors: dict[str, list[str]] = {}
    clean_sev: dict[str, str] = {}
    for rule_id, level in severities.items():
        info = RULES.get(rule_id)
        if info is None:
            errors.setdefault("severities", []).append(f"Unknown rule “{rule_id}”.")
            continue
        if level != OFF and level not in SEVERITIES:
            errors.setdefault(f"sev_{rule_id}", []).append(
                f"“{level}” is not one of off, {', '.join(SEVERITIES)}.")
            continue
        if level != info.default_severity:
            clean_sev[rule_id] = level
    clean_opt: dict[str, dict[str, Any]] = {}
    for rule_id, opts in options.items():
        info = RULES.get(rule_id)
        if info is None:
            errors.setdefault("options", []).append(f"Unknown rule “{rule_id}”.")
            continue
        if not isinstance(opts, dict):
            errors.setdefault(f"opt_{rule_id}", []).append("Options are a JSON object, e.g. {\"key\": value}.")
            continue
        known = dict(info.options)
        problems = []
        for key, value in opts.items():
            if key not in known:
                allowed = ", ".join(sorted(known)) or "none"
                problems.append(f"Unknown option “{key}” for {rule_id} (known options: {allowed}).")
            elif not _same_kind(known[key], value):
                problems.append(f"Option “{key}” of {rule_id} must be {KIND_PHRASES[json_kind(known[key])]}.")
            elif is_regex_option(key) and value and regex_problem(value):
                problems.append(f"Option “{key}” of {rule_id}: {regex_problem(value)}.")
        if problems:
            errors[f"opt_{rule_id}"] = problems
            continue
        changed = {k: v for k, v in opts.items() if v != known.get(k)}
        if changed:
            clean_opt[rule_id] = changed
    if errors:
        raise ReviewError(errors)
    return {"severities": clean_sev, "options": clean_opt}


def lint_config_save(*, team: Team, user: Any, severities: dict[str, str], options: dict[str, Any],
                     lock_version: int | None = None) -> Team:
    """Validate and save the team's lint configuration through the catalog's settings service."""
    config = clean_lint_config(severities, options)
    return catalog.team_settings_update(team=team, actor=user, lock_version=lock_version, lint_config=config)
