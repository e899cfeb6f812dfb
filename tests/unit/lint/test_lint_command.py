"""``manage.py lint``: compiler-like output, exit codes 0/1/2, no database, no tracebacks."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]

CLEAN = """\
version: 1
messages:
  - name: OrderPlaced
    kind: event
"""
WARNS = """\
version: 1
messages:
  - name: OrderPlaced
    kind: event
  - name: OrderCancel
    kind: event
"""
ERRORS = """\
version: 1
channels:
  - name: "orders placed"
    broker: kafka
messages:
  - name: OrderCancel
    kind: event
"""


def run(path: Path | str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("lint", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _write(text: str, name: str = "model.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path
    return _write


def _rules(out: str) -> list[str]:
    return [line.split(" ")[2] for line in out.splitlines()]


def test_it_prints_findings_like_a_compiler(write) -> None:  # type: ignore[no-untyped-def]
    path = write(WARNS)
    code, out, err = run(path)
    line = next(x for x in out.splitlines() if "event-name-past-tense" in x)
    assert line.startswith(f"{path}:5:5: warning event-name-past-tense ")
    assert "OrderCancelled" in line
    assert code == 0  # warnings only; the default threshold is error
    assert err == ""


def test_it_exits_1_on_errors_by_default(write) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(write(ERRORS))
    assert code == 1
    assert "channel-name-broker-valid" in _rules(out)


def test_it_exits_1_on_warnings_when_asked(write) -> None:  # type: ignore[no-untyped-def]
    assert run(write(WARNS), "--fail-on", "warning")[0] == 1


def test_it_never_fails_when_told_never(write) -> None:  # type: ignore[no-untyped-def]
    assert run(write(ERRORS), "--fail-on", "never")[0] == 0


def test_it_exits_0_on_a_model_with_only_low_severity_findings(write) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(write(CLEAN), "--fail-on", "error")
    assert code == 0
    assert "event-name-past-tense" not in out


def test_it_prints_json_findings(write) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(write(WARNS), "--format", "json")
    findings = json.loads(out)
    past = next(f for f in findings if f["rule"] == "event-name-past-tense")
    assert past["element"] == "OrderCancel" and past["key"] == "messages/OrderCancel"
    assert (past["line"], past["column"]) == (5, 5)
    assert past["fix"]["value"] == "OrderCancelled"
    assert code == 0


def test_it_prints_sarif(write) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(write(ERRORS, "my model.yaml"), "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "channel-name-broker-valid")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("my%20model.yaml")
    assert location["region"]["startLine"] == 3
    assert code == 1


def test_it_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    code, out, err = run(tmp_path / "nope.yaml")
    assert code == 2
    assert err.strip() == f"lint: {tmp_path / 'nope.yaml'}: no such file"
    assert out == ""


def test_it_exits_2_on_a_directory(tmp_path: Path) -> None:
    code, _, err = run(tmp_path)
    assert code == 2 and "is a directory" in err


def test_it_exits_2_on_bad_yaml_with_line_and_column(write) -> None:  # type: ignore[no-untyped-def]
    path = write("version: 1\nmessages: [\n")
    code, _, err = run(path)
    assert code == 2
    assert err.startswith(f"{path}:3:1: error: ")
    assert len(err.strip().splitlines()) == 1


def test_it_exits_2_on_an_unknown_document(write) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(write("- just\n- a list\n"))
    assert code == 2
    assert "Traceback" not in err and err.strip()


def test_it_exits_2_on_a_bad_severity_in_the_files_lint_config(write) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(write(CLEAN + "lint:\n  severities:\n    event-name-past-tense: fatal\n"))
    assert code == 2
    assert "fatal" in err


def test_it_runs_as_a_process_without_any_database(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
           "SECRET_KEY": "x" * 50}
    proc = subprocess.run([sys.executable, "manage.py", "lint", str(write(ERRORS))], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "channel-name-broker-valid" in proc.stdout
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "missing-dir").exists()


def test_it_lints_the_demo_without_importing_django_or_celery(tmp_path: Path) -> None:
    demo = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
    probe = "\n".join([
        "import os, runpy, sys",
        f"sys.argv = ['manage.py', 'lint', {str(demo)!r}, '--format', 'json']",
        # manage.py leaves a file command through os._exit (no heap teardown): look before it.
        "def leave(code): raise SystemExit(code)",
        "os._exit = leave",
        "try:",
        "    runpy.run_path('manage.py', run_name='__main__')",
        "except SystemExit as exc:",
        "    loaded = ('django' in sys.modules, 'celery' in sys.modules)",
        "    sys.stderr.write(f'exit={exc.code} django={loaded[0]} celery={loaded[1]}')",
    ])
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.stderr.endswith("exit=1 django=False celery=False"), proc.stderr
    findings = json.loads(proc.stdout)
    assert {"card-data-in-payload", "naming-casing-consistent"} & {f["rule"] for f in findings}
    assert all(f["line"] for f in findings if f["key"] != "model")


def test_it_gives_the_same_output_through_django_and_without_it(write) -> None:  # type: ignore[no-untyped-def]
    path = write(ERRORS)
    code, out, err = run(path)
    proc = subprocess.run([sys.executable, "manage.py", "lint", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (code, out, err)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_are_written_in_chunks_with_the_text_of_one_dump(
        fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The writer streams rows a chunk at a time (memory at 5,000 messages); the text must be the
    # one json.dumps of the whole list or log, across chunk boundaries and with a single finding.
    from designer.cli import lint as command
    from designer.cli.modelfile import read_model
    from designer.core.lint.engine import lint
    from designer.core.lint.sarif import to_sarif

    demo = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
    model = read_model(demo)
    findings = lint(model)
    assert len(findings) > 7
    monkeypatch.setattr(command, "_CHUNK", 3)
    for some in (findings, findings[:0], findings[:1], findings[:6]):
        lines: list[str] = []
        if fmt == "json":
            command._write_json(some, model, lines.append)
            expected = json.dumps([command.finding_dict(f, model.location(f.key)) for f in some],
                                  indent=2, ensure_ascii=False)
        else:
            command._write_sarif(some, model, "shop.yaml", lines.append)
            expected = json.dumps(to_sarif(some, source_uri="shop.yaml", locations=model.locations),
                                  indent=2, ensure_ascii=False)
        assert "\n".join(lines) == expected
