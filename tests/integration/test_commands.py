"""Management commands for automation and CI."""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from designer.catalog.models import ApiToken, Membership, Message, Service, Team

pytestmark = pytest.mark.django_db

MINIMAL = """\
version: 1
services:
  - name: order-service
    description: Takes orders
messages:
  - name: OrderPlaced
    kind: event            # event | command | query
    type: order.placed     # wire type; optional
    producers: [order-service]
    consumers: [payment-service]   # a service named here but not listed is created
    schema: {type: object, properties: {orderId: {type: string}}}
"""


def run(*args: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_the_minimal_document_into_a_new_team(tmp_path: Path) -> None:
    path = tmp_path / "design.yaml"
    path.write_text(MINIMAL)
    out = run("import_model", str(path), "--team", "shop")
    team = Team.objects.get(slug="shop")
    assert "Imported" in out
    assert set(Service.objects.filter(team=team).values_list("name", flat=True)) == {"order-service", "payment-service"}
    msg = Message.objects.get(team=team, name="OrderPlaced")
    assert msg.wire_type == "order.placed" and msg.kind == "event"
    assert msg.versions.get().schema["properties"]["orderId"] == {"type": "string"}


def test_it_refuses_a_broken_file_with_line_and_column_and_changes_nothing(tmp_path: Path, demo_team: Any) -> None:
    before = run("export_model", "--team", demo_team.slug)
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nmessages:\n  - name: A\n    kind: [event\n")
    with pytest.raises(CommandError) as err:
        run("import_model", str(path), "--team", demo_team.slug)
    assert str(err.value).startswith(f"{path}:5:1: error: malformed YAML")  # file:line:column, as lint says
    assert run("export_model", "--team", demo_team.slug) == before


def test_it_refuses_an_invalid_schema_with_its_json_path_as_lint_does(tmp_path: Path, demo_team: Any) -> None:
    before = run("export_model", "--team", demo_team.slug)
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL.replace("orderId: {type: string}", "orderId: {type: int}"))
    with pytest.raises(CommandError) as err:
        run("import_model", str(path), "--team", demo_team.slug)
    assert 'schema.properties.orderId.type: "int" is not a JSON Schema type' in str(err.value)
    assert run("export_model", "--team", demo_team.slug) == before
    lint_err = io.StringIO()
    with pytest.raises(SystemExit) as code:
        call_command("lint", str(path), stdout=io.StringIO(), stderr=lint_err)
    assert code.value.code == 2
    assert lint_err.getvalue().strip() == str(err.value)  # one loader: the same words


def test_it_imports_an_example_that_does_not_match_and_lint_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(MINIMAL.replace("schema: {type: object, properties: {orderId: {type: string}}}",
                                    "schema: {type: object, properties: {orderId: {type: string}}}\n    example: {orderId: 5}"))
    run("import_model", str(path), "--team", "examples")
    version = Message.objects.get(team__slug="examples", name="OrderPlaced").versions.get()
    assert version.example == {"orderId": 5}
    out = io.StringIO()
    with pytest.raises(SystemExit) as code:
        call_command("lint", str(path), "--format", "json", stdout=out, stderr=io.StringIO())
    assert code.value.code == 1
    assert "schema-examples-valid" in {f["rule"] for f in json.loads(out.getvalue())}


def test_it_round_trips_export_import_export_identically(tmp_path: Path, demo_team: Any) -> None:
    first = run("export_model", "--team", demo_team.slug)
    path = tmp_path / "shop.yaml"
    path.write_text(first)
    run("import_model", str(path), "--team", "copy")
    second = run("export_model", "--team", "copy")
    assert second == first
    run("import_model", str(path), "--team", demo_team.slug, "--mode", "replace")
    assert run("export_model", "--team", demo_team.slug) == first


def test_it_merges_without_deleting(tmp_path: Path, demo_team: Any) -> None:
    path = tmp_path / "more.yaml"
    path.write_text("version: 1\nservices:\n  - name: audit-service\n")
    run("import_model", str(path), "--team", demo_team.slug, "--mode", "merge")
    names = set(Service.objects.filter(team=demo_team).values_list("name", flat=True))
    assert {"audit-service", "order-service", "payment-service"} <= names


def test_it_writes_an_export_to_a_file(tmp_path: Path, demo_team: Any) -> None:
    target = tmp_path / "out.yaml"
    run("export_model", "--team", demo_team.slug, "--format", "native", "-o", str(target))
    assert "OrderPlaced" in target.read_text()


def test_it_adds_a_member_only_when_the_user_exists(demo_team: Any, make_user: Any) -> None:
    user = make_user("alice")
    run("add_member", "--team", demo_team.slug, "--user", "alice", "--role", "viewer")
    assert Membership.objects.get(team=demo_team, user=user).role == "viewer"
    with pytest.raises(CommandError, match="no user named 'bob'"):
        run("add_member", "--team", demo_team.slug, "--user", "bob", "--role", "viewer")
    with pytest.raises(CommandError, match="no team"):
        run("add_member", "--team", "nope", "--user", "alice", "--role", "viewer")


def test_it_prints_a_token_once_and_stores_only_its_hash(demo_team: Any) -> None:
    secret = run("create_token", "--team", demo_team.slug).strip()
    tok = ApiToken.objects.get(team=demo_team)
    assert secret.startswith("efd_") and len(secret) > 30
    assert tok.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))


def test_it_seeds_the_demo_once(demo_team: Any) -> None:
    revision = Team.objects.get(pk=demo_team.pk).revision
    run("seed_demo")
    assert Team.objects.get(pk=demo_team.pk).revision == revision
