from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .access import can_edit
from .selectors import user_teams

# Feature pages shown in the team navigation: (url name, label).
FEATURE_NAV = [
    ("lint_findings", "Findings"),
    ("diagram", "Diagram"),
    ("codegen", "Code"),
    ("traffic_live", "Live"),
    ("proposal_list", "Proposals"),
]


def teams(request: HttpRequest) -> dict[str, Any]:
    """Every page knows the user's teams (for the switcher), the current team and role."""
    team = getattr(request, "team", None)
    nav = []
    if team is not None:
        nav = [{"url": reverse(name, args=[team.slug]), "label": label} for name, label in FEATURE_NAV]
    return {
        "my_teams": user_teams(request.user) if hasattr(request, "user") else [],
        "team": team,
        "membership": getattr(request, "membership", None),
        "can_edit": can_edit(request),
        "feature_nav": nav,
    }
