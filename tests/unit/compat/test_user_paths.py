"""The compatibility engine through the paths a user takes, on the shipped demo model.

``PaymentSucceeded`` 1.0.0 is released in the demo under FORWARD (consumers still on 1.0.0 must
read what producers write next). A new version that only *restructures* its payload schema
(allOf parts, a one-option anyOf, a $ref) accepts exactly the same values and must pass; one that
lets ``currency`` be null must be refused with why and how to fix - through ``manage.py
check_compat`` run as a process, the release button and the diff page.
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from designer.catalog import services as svc
from designer.catalog.models import Message
from designer.core.formats import native

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"


def demo_version() -> tuple[dict[str, Any], Any]:
    """PaymentSucceeded 1.0.0's schema and example, as the demo ships them."""
    model = native.load(DEMO.read_text())
    message = next(m for m in model.messages if m.name == "PaymentSucceeded")
    version = next(v for v in message.versions if v.version == "1.0.0")
    assert version.status == "released" and version.compat == "FORWARD"
    return copy.deepcopy(version.schema), copy.deepcopy(version.example)


def restructured(schema: dict[str, Any]) -> dict[str, Any]:
    """The same payload written differently: allOf parts, a one-option anyOf and a $ref."""
    out = copy.deepcopy(schema)
    data = out["properties"]["data"]
    currency = data["properties"]["currency"]
    data["properties"]["currency"] = {"allOf": [{"type": "string"}, {"pattern": currency["pattern"]}]}
    data["properties"]["amountMinor"] = {"anyOf": [data["properties"]["amountMinor"]]}
    out["$defs"] = {"Id": {"type": "string"}}
    data["properties"]["paymentId"] = {"$ref": "#/$defs/Id", "description": "The payment provider's id."}
    return out


def nullable_currency(schema: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(schema)
    currency = out["properties"]["data"]["properties"]["currency"]
    out["properties"]["data"]["properties"]["currency"] = {"anyOf": [currency, {"type": "null"}]}
    return out


# ---- manage.py check_compat, as a user runs it
def check_compat(tmp_path: Path, old: Any, new: Any, mode: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.yaml").write_text(json.dumps(new))  # YAML files are read too; JSON is YAML
    return subprocess.run([sys.executable, "manage.py", "check_compat", str(tmp_path / "old.json"),
                           str(tmp_path / "new.yaml"), "--mode", mode], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_cli_passes_a_restructured_schema_that_accepts_the_same_values(tmp_path: Path) -> None:
    schema, _ = demo_version()
    done = check_compat(tmp_path, schema, restructured(schema), "FULL")
    assert (done.returncode, done.stdout.strip()) == (0, "compatible (FULL)."), done.stdout + done.stderr


def test_the_cli_refuses_a_nullable_field_under_forward_and_says_why_and_how(tmp_path: Path) -> None:
    schema, _ = demo_version()
    done = check_compat(tmp_path, schema, nullable_currency(schema), "FORWARD")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "NOT compatible (FORWARD): 1 break(s)"
    assert lines[1] == "- properties.data.properties.currency.anyOf.1: sum-type-extended [FORWARD]"
    assert "why:" in lines[2] and "old version reject" in lines[2]
    assert lines[3].strip().startswith("fix:")
    # The same change is fine the other way: new readers accept every old currency.
    assert check_compat(tmp_path, schema, nullable_currency(schema), "BACKWARD").returncode == 0


# ---- the release button and the diff page, on the seeded demo team
@pytest.fixture
def demo(demo_team: Any, member_client: Any) -> Any:
    client = member_client(demo_team, "editor")
    message = Message.objects.get(team=demo_team, name="PaymentSucceeded")
    return demo_team, client, message


def release(client: Any, version: Any) -> Any:
    url = reverse("version_status", args=[version.message.team.slug, version.message.pk, version.pk])
    return client.post(url, {"status": "released", "override_reason": ""}, HTTP_HX_REQUEST="true")


def test_the_release_button_accepts_a_restructured_schema(demo: Any) -> None:
    team, client, message = demo
    schema, example = demo_version()
    v = svc.version_save(team=team, user=client.user, message=message, schema=restructured(schema),
                         example=example, version="1.1.0")
    resp = release(client, v)
    assert resp.status_code == 200, resp.content.decode()[:800]
    v.refresh_from_db()
    assert v.status == "released" and v.override_reason == ""


def test_the_release_button_refuses_a_nullable_field_and_the_diff_page_explains_it(demo: Any) -> None:
    team, client, message = demo
    schema, example = demo_version()
    v = svc.version_save(team=team, user=client.user, message=message, schema=nullable_currency(schema),
                         example=example, version="2.0.0")
    resp = release(client, v)
    body = resp.content.decode()
    assert resp.status_code == 422
    assert "Release refused" in body and "currency" in body and "Fix:" in body
    v.refresh_from_db()
    assert v.status == "draft"

    first = message.versions.get(version="1.0.0")
    diff = client.get(reverse("version_diff", args=[team.slug, message.pk]) + f"?from={first.pk}&to={v.pk}")
    assert diff.status_code == 200
    (row,) = [r for r in diff.context["rows"] if r["path"].endswith("currency.anyOf.1")]
    assert row["status"] == "breaking" and "null" in json.dumps(row) and row["fix"]
    assert diff.context["verdict"] == "breaking"
