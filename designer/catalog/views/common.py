"""What the catalog's views share: answering a write, putting service errors on a form."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from designer.catalog.services import ValidationFailed
from designer.lintreview import selectors as linting


def back(request: HttpRequest, url: str) -> HttpResponse:
    """After a write on the page the user is on: htmx refreshes it in place, plain forms redirect."""
    return HttpResponseClientRefresh() if request.htmx else redirect(url)  # type: ignore[attr-defined]


def next_url(request: HttpRequest) -> str:
    """The page to return to after a save (``next`` in the form or the query), when it is a
    path on this site; "" otherwise."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


def came_from(request: HttpRequest) -> str:
    """``next_url``, else the page the browser came from (its Referer) when it is on this site."""
    nxt = next_url(request)
    if nxt:
        return nxt
    ref = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(ref, allowed_hosts={request.get_host()}):
        parts = urlsplit(ref)
        path = parts.path + ("?" + parts.query if parts.query else "")
        return path if path.startswith("/") and path != request.path else ""
    return ""


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """Leave for ``url``: htmx is told to load it as a page, a plain form is redirected."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)  # type: ignore[attr-defined]


def errors_to_form(form: Any, exc: ValidationFailed) -> None:
    for field, errs in exc.errors.items():
        form.add_error(field if field in form.fields else None, errs)


def team_lint(request: HttpRequest) -> linting.TeamLint:
    """The team's lint findings for the current revision."""
    return linting.team_findings(request.team)  # type: ignore[attr-defined]
