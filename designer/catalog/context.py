from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .access import can_edit
from .selectors import user_teams

# Feature pages shown in the team navigation when their routes exist: (url name, label).
FEATURE_NAV = [
    ("lint_findings", "Findings"),
    ("diagram", "Diagram"),
    ("codegen", "Code"),
    ("traffic_live", "Live"),
]


def teams(request: HttpRequest) -> dict[str, Any]:
    """Every page knows the user's teams (for the switcher), the current team and role."""
    team = getattr(request, "team", None)
    nav = []
    if team is not None:
        for name, label in FEATURE_NAV:
            try:
                nav.append({"url": reverse(name, args=[team.slug]), "label": label})
            except NoReverseMatch:
                continue
    return {
        "my_teams": user_teams(request.user) if hasattr(request, "user") else [],
        "team": team,
        "membership": getattr(request, "membership", None),
        "can_edit": can_edit(request),
        "feature_nav": nav,
    }
