"""``manage.py diagram --team SLUG`` against the database (the demo team)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from designer.catalog.models import Channel, Message, Service
from designer.core.diagram import node_id

pytestmark = pytest.mark.django_db


def _run(*args: str) -> None:
    call_command("diagram", *args)


def test_it_draws_the_demo_team_as_dot_with_every_element(demo_team: Any, tmp_path: Path) -> None:
    out = tmp_path / "team.dot"
    _run("--team", demo_team.slug, "--format", "dot", "--channels", "-o", str(out))
    dot = out.read_text()
    assert dot.startswith("digraph")
    keys = ([f"services/{n}" for n in Service.objects.filter(team=demo_team).values_list("name", flat=True)]
            + [f"messages/{n}" for n in Message.objects.filter(team=demo_team).values_list("name", flat=True)]
            + [f"channels/{n}" for n in Channel.objects.filter(team=demo_team).values_list("name", flat=True)])
    assert len(keys) == 19  # 5 services, 9 messages (with the reply OrderStatusReported), 5 channels
    for key in keys:
        assert f'"{node_id(key)}" [' in dot, key


def test_it_draws_one_flow_as_svg_with_findings_and_a_link_base(demo_team: Any, tmp_path: Path) -> None:
    out = tmp_path / "checkout.svg"
    _run("--team", demo_team.slug, "--flow", "checkout", "--findings", "--format", "svg",
         "--link-base", "https://designer.example/t/demo-shop/go/{collection}/{name}", "-o", str(out))
    svg = out.read_text()
    assert svg.startswith("<?xml") and "<script" not in svg
    assert node_id("messages/OrderPlaced") in svg
    assert node_id("messages/GetOrderStatus") not in svg  # not a step of checkout
    assert f"badge-{node_id('messages/OrderPlaced')}" in svg


def test_it_draws_a_focus_view_as_png(demo_team: Any, tmp_path: Path) -> None:
    out = tmp_path / "focus.png"
    _run("--team", demo_team.slug, "--focus", "services/email-service", "--hops", "1", "--format", "png",
         "-o", str(out))
    assert out.read_bytes().startswith(b"\x89PNG")


def test_it_exits_2_with_one_line_for_an_unknown_team(db: Any, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        _run("--team", "no-such-team", "--format", "dot")
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == "diagram: no team with slug 'no-such-team'"


def test_it_exits_2_for_an_unknown_flow_of_the_team(demo_team: Any, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        _run("--team", demo_team.slug, "--flow", "refunds", "--format", "dot")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "no flow named 'refunds'" in err and "checkout" in err and "Traceback" not in err
