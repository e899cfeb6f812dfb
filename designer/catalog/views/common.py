"""What the catalog's views share: answering a write, putting service errors on a form."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRefresh

from designer.catalog import linting
from designer.catalog.services import ValidationFailed


def back(request: HttpRequest, url: str) -> HttpResponse:
    """After a write on the page the user is on: htmx refreshes it in place, plain forms redirect."""
    return HttpResponseClientRefresh() if request.htmx else redirect(url)  # type: ignore[attr-defined]


def errors_to_form(form: Any, exc: ValidationFailed) -> None:
    for field, errs in exc.errors.items():
        form.add_error(field if field in form.fields else None, errs)


def team_lint(request: HttpRequest) -> linting.TeamLint:
    """The team's lint findings for the current revision."""
    return linting.team_findings(request.team)  # type: ignore[attr-defined]
