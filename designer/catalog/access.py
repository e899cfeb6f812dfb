"""Team access for views: every team-scoped view goes through ``team_view``."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .selectors import ROLE_RANK, membership_for


def team_view(min_role: str = "viewer", write_methods: tuple[str, ...] = ("POST", "PUT", "PATCH", "DELETE")) -> Callable[..., Any]:
    """Resolve ``slug`` to the user's membership (404 otherwise) and enforce roles.

    Anonymous visitors get the same 404 as members of other teams (the page offers a log-in
    link), so nothing tells whether a team exists.

    Reading needs ``min_role``; any write method needs at least editor (viewers get 403).
    The view receives ``request.team`` and ``request.membership``.
    """

    def deco(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_for(request.user, slug)
            need = min_role
            if request.method in write_methods and ROLE_RANK[need] < ROLE_RANK["editor"]:
                need = "editor"
            if ROLE_RANK[membership.role] < ROLE_RANK[need]:
                raise PermissionDenied(f"Your role in this team is {membership.role}; this needs {need}.")
            request.team = membership.team  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            request.session["last_team"] = membership.team.slug
            return view(request, *args, **kwargs)

        return wrapper

    return deco


def can_edit(request: HttpRequest) -> bool:
    m = getattr(request, "membership", None)
    return bool(m and ROLE_RANK[m.role] >= ROLE_RANK["editor"])


# Row ids in PostgreSQL and SQLite are signed 64-bit: 18 digits always fit.
_MAX_ID_DIGITS = 18


def parse_id(raw: Any) -> int | None:
    """A row id from form or query text: ASCII digits that fit a database id, else None.

    ``"²".isdigit()`` is true and ``int("1" * 400)`` overflows the database: both would turn
    a typo or a probe into a 500, so anything else is simply "no such row".
    """
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > _MAX_ID_DIGITS:
        return None
    return int(raw)
