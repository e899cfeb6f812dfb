"""The codegen management command: thin, exit 2 with one line on bad input."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

MINIMAL = """version: 1
services:
  - name: order-service
messages:
  - name: OrderPlaced
    kind: event
    type: order.placed
    producers: [order-service]
    consumers: [payment-service]
    schema: {type: object, properties: {orderId: {type: string}}}
"""


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("codegen", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_it_writes_every_service_and_prints_a_summary(model_file: Path, tmp_path: Path) -> None:
    code, out, _ = _run(str(model_file), "--lang", "go", "--out", str(tmp_path / "o"))
    assert code == 0
    assert "2 service(s)" in out
    assert (tmp_path / "o" / "payment-service" / "handlers.go").exists()


def test_it_writes_one_service_at_the_root(model_file: Path, tmp_path: Path) -> None:
    code, _, _ = _run(str(model_file), "--lang", "python", "--out", str(tmp_path / "o"),
                      "--service", "order-service")
    assert code == 0
    assert (tmp_path / "o" / "order_service" / "publishers.py").exists()


@pytest.mark.parametrize("args, expected", [
    (["--lang", "cobol"], "unknown language 'cobol'"),
    (["--lang", "go", "--service", "nope"], "unknown service 'nope'"),
])
def test_it_exits_2_with_one_line_on_bad_options(model_file: Path, tmp_path: Path,
                                                 args: list[str], expected: str) -> None:
    code, _, err = _run(str(model_file), "--out", str(tmp_path / "o"), *args)
    assert code == 2
    assert expected in err and err.strip().count("\n") == 0


def test_it_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "none.yaml"), "--lang", "go", "--out", str(tmp_path))
    assert code == 2 and "cannot read" in err


def test_it_exits_2_on_an_unusable_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 2\n", encoding="utf-8")
    code, _, err = _run(str(bad), "--lang", "go", "--out", str(tmp_path / "o"))
    assert code == 2 and err.strip().count("\n") == 0
