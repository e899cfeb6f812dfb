"""GET /api/teams/<slug>/findings: session or Bearer token; the same findings as the CLI and the UI."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from designer.catalog import linting
from designer.catalog import services as catalog
from designer.catalog.selectors import team_model
from designer.core.formats import native

pytestmark = pytest.mark.django_db

COMPARED = ("rule", "severity", "kind", "element", "key", "path", "message", "fix")


def _owner(demo: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="demo")


def _cli_json(demo: Any, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "demo.design.yaml"
    path.write_text(native.dump(team_model(demo)), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:  # the demo has errors: exit 1 with the default --fail-on
        call_command("lint", str(path), "--format", "json", stdout=out)
    assert exited.value.code == 1
    return list(json.loads(out.getvalue()))


def _strip(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: item[k] for k in COMPARED} for item in items]


def test_the_api_cli_and_ui_report_the_same_findings_for_the_demo_team(demo_team: Any, tmp_path: Path) -> None:
    c = Client()
    c.force_login(_owner(demo_team))
    resp = c.get(f"/api/teams/{demo_team.slug}/findings?format=json")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/json")
    api = resp.json()
    cli = _cli_json(demo_team, tmp_path)
    assert len(api) > 10
    assert _strip(api) == _strip(cli)
    html = c.get(f"/t/{demo_team.slug}/findings/").content.decode()
    lint = linting.team_findings(demo_team)
    ui = sorted(f.fingerprint for f in lint.findings)
    assert ui == sorted(item["rule"] + "|" + item["key"] + "|" + item["path"] for item in cli)
    for item in cli:
        assert f'data-fingerprint="{item["rule"]}|{item["key"]}|{item["path"]}"' in html


def test_a_waived_finding_stays_in_the_api_by_default_and_can_be_excluded(demo_team: Any) -> None:
    from designer.lintreview import services as svc

    lint = linting.team_findings(demo_team)
    f = lint.findings[0]
    svc.waiver_create(team=demo_team, user=_owner(demo_team), finding=f, reason="known")
    c = Client()
    c.force_login(_owner(demo_team))
    full = c.get(f"/api/teams/{demo_team.slug}/findings").json()
    fewer = c.get(f"/api/teams/{demo_team.slug}/findings?waived=exclude").json()
    assert len(full) == len(lint.all_findings)
    fps = {i["rule"] + "|" + i["key"] + "|" + i["path"] for i in fewer}
    assert f.fingerprint not in fps and len(fewer) < len(full)
    sarif = c.get(f"/api/teams/{demo_team.slug}/findings?format=sarif").json()
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["suppressions"][0]["justification"] == "known"


def test_a_bearer_token_of_the_team_reads_its_findings_as_sarif(demo_team: Any) -> None:
    _, secret = catalog.token_create(team=demo_team, actor=_owner(demo_team), name="ci")
    resp = Client().get(f"/api/teams/{demo_team.slug}/findings?format=sarif", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/sarif+json")
    log = resp.json()
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["results"] and all(r["ruleId"] for r in run["results"])
    help_uri = run["tool"]["driver"]["rules"][0]["helpUri"]
    assert "/rules/" in help_uri
    path = help_uri.split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path + "/").status_code == 200


def test_the_sarif_log_with_suppressions_validates_against_the_official_schema(demo_team: Any) -> None:
    import jsonschema

    from designer.lintreview import services as svc

    lint = linting.team_findings(demo_team)
    svc.waiver_create(team=demo_team, user=_owner(demo_team), finding=lint.findings[0], reason="known")
    c = Client()
    c.force_login(_owner(demo_team))
    log = c.get(f"/api/teams/{demo_team.slug}/findings?format=sarif").json()
    schema_path = Path(__file__).resolve().parents[1] / "unit" / "lint" / "data" / "sarif-2.1.0.json"
    schema = json.loads(schema_path.read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(log))
    assert errors == []


def test_a_token_of_another_team_gets_a_404(demo_team: Any, make_team: Any) -> None:
    other = make_team()
    _, secret = catalog.token_create(team=other, actor=None, name="x")
    resp = Client().get(f"/api/teams/{demo_team.slug}/findings", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert resp.status_code == 404


def test_a_wrong_or_revoked_token_gets_a_401(demo_team: Any) -> None:
    token, secret = catalog.token_create(team=demo_team, actor=None, name="x")
    catalog.token_revoke(team=demo_team, actor=None, token=token)
    for header in (f"Bearer {secret}", "Bearer efd_nope", "Basic abc"):
        resp = Client().get(f"/api/teams/{demo_team.slug}/findings", HTTP_AUTHORIZATION=header)
        assert resp.status_code == 401
        assert resp["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_requests_get_a_401_and_outsiders_a_404(demo_team: Any, make_user: Any) -> None:
    assert Client().get(f"/api/teams/{demo_team.slug}/findings").status_code == 401
    c = Client()
    c.force_login(make_user())
    assert c.get(f"/api/teams/{demo_team.slug}/findings").status_code == 404


def test_an_unknown_format_is_refused(demo_team: Any) -> None:
    c = Client()
    c.force_login(_owner(demo_team))
    resp = c.get(f"/api/teams/{demo_team.slug}/findings?format=xml")
    assert resp.status_code == 400 and "format" in resp.json()["error"]
