"""API tokens of a team (owners only): create one (shown once), revoke one."""
from __future__ import annotations

import json
import time

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from designer.catalog import services as svc
from designer.catalog.access import parse_id, team_view
from designer.catalog.forms import TokenForm
from designer.catalog.selectors import team_model, team_tokens, token_get
from designer.core.simulate import Simulator

# The ingest path (designer.traffic.urls "traffic_ingest"; the catalog does not import traffic).
INGEST_PATH = "/api/teams/{slug}/events"


def _shell_quote(text: str) -> str:
    """``text`` as one single-quoted shell word."""
    return "'" + text.replace("'", "'\\''") + "'"


def curl_line(request: HttpRequest, secret: str) -> str:
    """A ready ``curl`` that sends one valid example event of the team's model (the simulator's
    first event, in the team's envelope), with ``secret`` as the bearer token."""
    team = request.team  # type: ignore[attr-defined]
    model = team_model(team)
    try:
        event = Simulator(model, seed=1).next_events(time.time(), 1)[0].event
    except ValueError:  # no message yet: a CloudEvent of a type the model does not declare
        event = {"specversion": "1.0", "id": "evt-1", "source": "curl", "type": "example.created",
                 "datacontenttype": "application/json", "data": {"hello": "world"}}
    brief = model.envelope.profile == "brief" and "specversion" not in event
    ctype = "application/json" if brief else "application/cloudevents+json"
    url = request.build_absolute_uri(INGEST_PATH.format(slug=team.slug))
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    # A placeholder stays expandable ("$TOKEN" in double quotes); a real token is quoted as is.
    auth = '"Authorization: Bearer $TOKEN"' if secret == "$TOKEN" else _shell_quote("Authorization: Bearer " + secret)
    return (f"curl -X POST {_shell_quote(url)} \\\n  -H {auth} \\\n"
            f"  -H {_shell_quote('Content-Type: ' + ctype)} \\\n  -d {_shell_quote(body)}")


@team_view(min_role="owner")
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST":
        if request.POST.get("op") == "revoke":
            tok = token_get(team, parse_id(request.POST.get("token")))
            svc.token_revoke(team=team, actor=request.user, token=tok)
            flash.success(request, f"Revoked {tok.prefix}…")
            return redirect("tokens", slug=team.slug)
        if form.is_valid():
            _, new_secret = svc.token_create(team=team, actor=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
    return render(request, "tokens.html", {"tokens": team_tokens(team), "form": form, "new_secret": new_secret,
                                           "curl": curl_line(request, new_secret or "$TOKEN")})
