"""`manage.py check_compat OLD NEW --mode MODE` (no database)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_compat", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    (tmp_path / "old.json").write_text(json.dumps({"type": "object", "properties": {"n": {"type": "number"}}}))
    (tmp_path / "new.json").write_text(json.dumps({"type": "object", "properties": {"n": {"type": "integer"}}}))
    (tmp_path / "bad.json").write_text("[1")
    (tmp_path / "list.json").write_text("[1]")
    return tmp_path


def test_it_exits_1_and_explains_each_break(schemas: Path) -> None:
    code, out, _ = run(str(schemas / "old.json"), str(schemas / "new.json"), "--mode", "BACKWARD")
    assert code == 1
    assert "properties.n.type: type-narrowed [BACKWARD]" in out
    assert "why:" in out and "fix:" in out


def test_it_exits_0_when_compatible(schemas: Path) -> None:
    code, out, _ = run(str(schemas / "old.json"), str(schemas / "new.json"), "--mode", "forward")
    assert (code, out.strip()) == (0, "compatible (FORWARD).")


@pytest.mark.parametrize(("new", "message"), [
    ("missing.json", "cannot read"), ("bad.json", "malformed YAML"), ("list.json", "must be an object"),
])
def test_it_exits_2_with_one_line_for_unusable_input(schemas: Path, new: str, message: str) -> None:
    code, out, err = run(str(schemas / "old.json"), str(schemas / new))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and out == ""
