"""Middleware that keeps hostile or unlucky requests from becoming 500s."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

# Database ids are signed 64-bit integers.
_MAX_ID = 2**63 - 1


class OutOfRangeIdsMiddleware:
    """An ``<int:...>`` URL argument beyond a database id names no row: 404, not an overflow.

    Django's ``int`` converter takes any run of digits; handed to the database, a 25-digit id
    raises OverflowError (SQLite) instead of finding nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]) -> None:
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > _MAX_ID:
                raise Http404("No such page.")
