"""Schema evolution for the web: compatibility checks on release, diffs between versions."""
from __future__ import annotations

from .models import MessageVersion


def release_problems(version: MessageVersion) -> list[str]:
    """Why releasing ``version`` breaks compatibility with earlier versions (empty when fine)."""
    try:
        from designer.core import compat
    except ImportError:  # pragma: no cover
        return []
    message = version.message
    team = message.team
    mode = version.compat or (team.default_compat or {}).get(message.kind) or (
        "FORWARD" if message.kind == "event" else "BACKWARD")
    earlier = list(message.versions.filter(position__lt=version.position, status__in=["released", "deprecated"])
                   .order_by("position").values_list("schema", flat=True))
    if not earlier or mode == "NONE":
        return []
    result = compat.check_history([*earlier, version.schema], mode)
    return [f"{b.path or 'schema'}: {b.why} Fix: {b.fix}" for b in result.breaks]
