"""Schema evolution for the web: compatibility checks on release, diffs between versions.

The judgement itself lives in the pure core (``designer.core.compat``); this module only picks
which versions to compare and in which mode, and turns the verdicts into lines and rows for the
templates.
"""
from __future__ import annotations

import json
from typing import Any

from designer.core import compat
from designer.core.model import COMPAT_MODES, MESSAGE_KINDS

from .models import Message, MessageVersion, Team
from .services import ValidationFailed

# What a message kind defaults to when neither the version nor the team says otherwise:
# an event has one writer and many readers, so old readers must keep reading new data (FORWARD);
# a command or query has one handler that is upgraded first, so it must read old requests
# (BACKWARD). This is the rule of issue 7 and of Confluent's guidance for each pattern.
KIND_DEFAULTS = {"event": "FORWARD", "command": "BACKWARD", "query": "BACKWARD"}

# The modes shown side by side on the diff page. Between two versions a *_TRANSITIVE mode
# judges exactly like its base mode, so the four bases say everything.
DIFF_MODES = ("BACKWARD", "FORWARD", "FULL", "NONE")

# Values quoted in a diff row are cut here: a whole nested schema would drown the table.
_VALUE_CHARS = 80

RELEASED = ("released", "deprecated")


class MajorBumpRequired(ValidationFailed):
    """An incompatible release whose version number is not a major bump.

    No override reason can skip this: the version number is what consumers pin and what code
    generators and registries compare, so a breaking schema under a minor number would lie to
    every one of them. The fix is cheap (renumber the draft), so refusing outright costs little.
    """

    overridable = False


def default_mode(team: Team, kind: str) -> str:
    """The team's default compatibility mode for a message kind (or the product default)."""
    configured = (team.default_compat or {}).get(kind)
    if configured in COMPAT_MODES:
        return str(configured)
    return KIND_DEFAULTS.get(kind, "BACKWARD")


def mode_for(version: MessageVersion) -> str:
    """The compatibility mode a version is judged by: its own, else the team's for its kind."""
    message = version.message
    return version.compat or default_mode(message.team, message.kind)


def mode_source(version: MessageVersion) -> str:
    """Where ``mode_for`` took the mode from, for display."""
    if version.compat:
        return f"set on version {version.version}"
    if (version.message.team.default_compat or {}).get(version.message.kind) in COMPAT_MODES:
        return f"team default for {version.message.kind}s"
    return f"product default for {version.message.kind}s"


def _released_before(version: MessageVersion) -> list[MessageVersion]:
    return list(version.message.versions.filter(position__lt=version.position, status__in=RELEASED)
                .order_by("position"))


def release_problems(version: MessageVersion) -> list[str]:
    """Why releasing ``version`` breaks compatibility with earlier versions (empty when fine).

    Compared with the previous released or deprecated version, or with all of them for the
    ``*_TRANSITIVE`` modes. One line per break: where, why it breaks, how to fix it.

    Raises ``MajorBumpRequired`` (a ``ValidationFailed`` with the same lines plus the bump
    problem under "compat") when the release is incompatible and its number is not a major bump
    over the previous release: an override reason cannot skip that (see the class).
    """
    earlier = _released_before(version)
    mode = mode_for(version)
    if not earlier or compat.normalize_mode(mode) == "NONE":
        return []
    result = compat.check_history([v.schema for v in earlier] + [version.schema], mode,
                                  labels=[v.version for v in earlier] + [version.version])
    if result.compatible:
        return []
    lines = [_break_line(b, len(earlier) > 1) for b in result.breaks]
    previous = earlier[-1]
    if compat.required_bump(previous.version, version.version, breaking=True, changed=True):
        lines.insert(0, bump_problem(previous.version, version.version, mode))
        raise MajorBumpRequired({"compat": lines})
    return lines


def bump_problem(previous: str, new: str, mode: str) -> str:
    """The line telling to renumber an incompatible version as the next major."""
    parsed = compat.parse_version(previous)
    target = f"{parsed[0] + 1}.0.0" if parsed else "a new major version such as 2.0.0"
    return (f"Version {new} is not compatible with {previous} under {mode}, so it must carry a major "
            f"bump: set this draft's version to {target} (New version / Edit draft) and release again. "
            f"An override cannot skip this, because consumers pin major versions.")


def _break_line(b: compat.Break, name_version: bool) -> str:
    where = b.path or "the schema root"
    against = f" (against {b.old_version})" if name_version and b.old_version else ""
    return f"{where}: {b.why}{against} Fix: {b.fix}"


# ---------------------------------------------------------------- diff page
def previous_version(version: MessageVersion) -> MessageVersion | None:
    """The version just before ``version`` (any status), or None for the first."""
    return version.message.versions.filter(position__lt=version.position).order_by("-position").first()


def _short(value: Any) -> str:
    if value is None:
        return "—"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _change_type(kind: str) -> str:
    if kind == "property-added":
        return "added"
    if kind == "property-removed":
        return "removed"
    return "changed"


def version_diff(message: Message, old: MessageVersion, new: MessageVersion) -> dict[str, Any]:
    """Everything the diff page shows: field changes judged per mode, and who is affected."""
    mode = mode_for(new)
    changes = compat.diff(old.schema, new.schema)
    rows = []
    for c in changes:
        why = [w for w in (c.why_backward, c.why_forward) if w]
        fix = [f for f in (c.fix_backward, c.fix_forward) if f and f not in why]
        rows.append({
            "path": c.path or "(root)", "kind": c.kind, "type": _change_type(c.kind),
            "old": _short(c.old), "new": _short(c.new),
            "status": c.status(mode),
            "modes": [(m, c.status(m)) for m in DIFF_MODES],
            "breaks_backward": c.breaks_backward, "breaks_forward": c.breaks_forward,
            "why_backward": c.why_backward, "why_forward": c.why_forward,
            "fix": " ".join(dict.fromkeys(fix)),
            "why": " ".join(dict.fromkeys(why)),
        })
    verdicts = [(m, "breaking" if any(c.breaking_in(m) for c in changes) else "compatible") for m in DIFF_MODES]
    breaks_forward = any(c.breaks_forward for c in changes)
    breaks_backward = any(c.breaks_backward for c in changes)
    rels = list(message.relations.select_related("service", "channel").order_by("role", "service__name"))
    affected = []
    for r in rels:
        note, at_risk = _impact(r.role, r.pinned_version, old.version, new.version, breaks_forward, breaks_backward)
        affected.append({"relation": r, "service": r.service, "role": r.role, "pinned": r.pinned_version,
                         "impact": note, "at_risk": at_risk})
    return {
        "message": message, "old": old, "new": new, "mode": mode, "mode_source": mode_source(new),
        "rows": rows, "verdicts": verdicts, "verdict": "breaking" if any(c.breaking_in(mode) for c in changes) else "compatible",
        "counts": {t: sum(1 for r in rows if r["type"] == t) for t in ("added", "removed", "changed")},
        "affected": affected,
        "producers": [a for a in affected if a["role"] == "produces"],
        "consumers": [a for a in affected if a["role"] == "consumes"],
        "pinned": [a for a in affected if a["role"] == "consumes" and a["pinned"]],
    }


def _impact(role: str, pinned: str, old: str, new: str, breaks_forward: bool,
            breaks_backward: bool) -> tuple[str, bool]:
    """What the change means for one producer or consumer: (one sentence, at risk?)."""
    if role == "produces":
        if breaks_forward:
            return ((f"Breaks its consumers if it ships {new} before they upgrade: consumers still on {old} "
                    "cannot read what it writes. Upgrade consumers first, or make the change FORWARD "
                    "compatible."), True)
        return f"Can ship {new} without breaking consumers still on {old}.", False
    if pinned and pinned not in (old, new):
        return f"Pinned to {pinned}, which this page does not compare: compare {pinned} with {new} too.", False
    if pinned == new:
        if breaks_backward:
            return ((f"Pinned to {new}: breaks on data still written with {old} (retained topics, replays, "
                    "producers not yet upgraded)."), True)
        return f"Pinned to {new}: still reads data written with {old}.", False
    who = f"Pinned to {old}" if pinned == old else f"Until it upgrades, still reads {old}"
    if breaks_forward:
        return f"{who}: breaks on data written with {new}. Upgrade it before producers ship {new}.", True
    if breaks_backward and not pinned:
        return ((f"Breaks once upgraded to {new} while data written with {old} is still around "
                "(retained topics, replays, producers not yet upgraded)."), True)
    return f"{who}: keeps working when producers ship {new}.", False


# ---------------------------------------------------------------- team defaults
def parse_default_compat(data: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Read ``compat_<kind>`` fields from a form: (the new mapping, errors by field)."""
    out: dict[str, str] = {}
    errors: dict[str, str] = {}
    for kind in MESSAGE_KINDS:
        value = (data.get(f"compat_{kind}") or "").strip().upper()
        if not value:
            continue  # empty = product default for the kind
        if value not in COMPAT_MODES:
            errors[f"compat_{kind}"] = f"Unknown mode {value[:40]!r} for {kind}s; use one of {', '.join(COMPAT_MODES)}."
        else:
            out[kind] = value
    return out, errors
