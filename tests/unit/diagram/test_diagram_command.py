"""``manage.py diagram --file``: formats, scopes and exit codes, without a database."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from designer.core.diagram import node_id

MODEL = """\
version: 1
services:
  - name: order-service
    description: Takes orders
  - name: "<script>alert(1)</script>"
messages:
  - name: OrderPlaced
    producers: [order-service]
    consumers: ["<script>alert(1)</script>", billing]
  - name: GetOrder
    kind: query
    producers: [billing]
    consumers: [order-service]
flows:
  - name: checkout
    style: orchestration
    orchestrator: order-service
    steps:
      - {service: order-service, message: OrderPlaced}
      - {service: billing, message: OrderPlaced, action: receives}
"""


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL)
    return path


def run(*args: str) -> int:
    try:
        call_command("diagram", *args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_it_writes_a_sanitised_svg_of_the_whole_file(model_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    assert run("--file", str(model_file), "--format", "svg", "-o", str(out)) == 0
    svg = out.read_text()
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    for key in ("services/order-service", "services/billing", "messages/OrderPlaced", "messages/GetOrder"):
        assert f'id="{node_id(key)}"' in svg
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_it_writes_png_and_dot(model_file: Path, tmp_path: Path) -> None:
    assert run("--file", str(model_file), "--format", "png", "-o", str(tmp_path / "d.png")) == 0
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"
    assert run("--file", str(model_file), "--format", "dot", "-o", str(tmp_path / "d.dot")) == 0
    assert (tmp_path / "d.dot").read_text().startswith("digraph diagram {")


def test_it_draws_one_flow_or_one_focus(model_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.dot"
    assert run("--file", str(model_file), "--flow", "checkout", "--format", "dot", "-o", str(out)) == 0
    flow = out.read_text()
    assert "1. order-service sends OrderPlaced" in flow and node_id("messages/GetOrder") not in flow
    assert run("--file", str(model_file), "--focus", "messages/GetOrder", "--hops", "1",
               "--format", "dot", "-o", str(out)) == 0
    focus = out.read_text()
    assert node_id("services/billing") in focus and node_id("messages/OrderPlaced") not in focus


def test_it_draws_findings_badges_when_asked(model_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.dot"
    assert run("--file", str(model_file), "--findings", "--format", "dot", "-o", str(out)) == 0
    assert 'ID="badge-' in out.read_text()


@pytest.mark.parametrize("args,message", [
    (["--flow", "nope"], "no flow named 'nope'"),
    (["--focus", "services/nobody"], "focus element 'services/nobody' is not in the model"),
    (["--flow", "checkout", "--focus", "services/billing"], "either --flow or --focus"),
    (["--hops", "-1", "--focus", "services/billing"], "--hops must be 0 or more"),
    (["--link-base", "/x/{nope}"], "bad --link-base"),
])
def test_it_exits_2_with_one_line_on_bad_input(model_file: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               args: list[str], message: str) -> None:
    assert run("--file", str(model_file), *args, "-o", str(tmp_path / "x.svg")) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "x.svg").exists()


def test_it_exits_2_on_a_missing_or_invalid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--file", str(tmp_path / "missing.yaml")) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nservices: [{name: a, colour: red}]\n")
    assert run("--file", str(bad)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"diagram: {bad}:2:") and "\n" not in err


def test_it_exits_1_when_graphviz_is_missing(model_file: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from designer.catalog import render as rd

    monkeypatch.setattr(rd.shutil, "which", lambda name: None)
    assert run("--file", str(model_file), "-o", str(tmp_path / "x.svg")) == 1
    assert "install graphviz" in capsys.readouterr().err.lower()
