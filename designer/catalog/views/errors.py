"""Error pages (404, 403, 500, an expired form)."""
from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from designer import outage


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    """A refusal: the whole page for a navigation; for an htmx request (a form submitted in a
    page) only the message, put at the top of the page's main area — not a second page, with
    its own navigation, inside the content."""
    if getattr(request, "htmx", False):
        resp = render(request, "errors/403.html#refusal", {"reason": reason}, status=403)
        resp["HX-Retarget"] = "#main"
        resp["HX-Reswap"] = "afterbegin show:top"
        return resp
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _refused(request, str(exception or ""))


def error_500(request: HttpRequest) -> HttpResponse:
    # An outage raised outside a view (a middleware saving the session): 503 with the reason.
    exc = sys.exc_info()[1]
    service = outage.classify(exc) if exc is not None else None
    if service is not None:
        return outage.unavailable_response(request, service)
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _refused(request, "Your form expired (CSRF check failed). Reload the page and try again.")
