"""The official AsyncAPI tools accept every export: the demo shop and each imported fixture.

Two checks, both installed by `make test` from tools/package.json: the AsyncAPI CLI
(`asyncapi validate`, @asyncapi/cli 3.5.2 — the newest release that runs on Node 20) on the
whole-team export and on each imported fixture's export, and its parser library
(@asyncapi/parser, via asyncapi_validate.cjs) on every export, per service and per flow too.
Missing tool: the test is skipped on a developer machine and FAILS when CI=true.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from designer.core.formats import asyncapi, native

ROOT = Path(__file__).resolve().parents[2]
PARSER_DIR = ROOT / ".tools" / "node_modules"
SCRIPT = Path(__file__).with_name("asyncapi_validate.cjs")
FIXTURES = sorted((ROOT / "tests" / "unit" / "asyncapi" / "fixtures").glob("*.yaml"))

pytestmark = pytest.mark.toolchain


def _require_tool() -> str:
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("node (apt-get install -y nodejs)")
    if not (PARSER_DIR / "@asyncapi" / "parser").is_dir():
        missing.append("@asyncapi/parser (make test installs it from tools/package.json)")
    if missing:
        message = "AsyncAPI validator missing: " + ", ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert node is not None
    return node


def _validate(files: list[Path]) -> subprocess.CompletedProcess[str]:
    node = _require_tool()
    return subprocess.run([node, str(SCRIPT), *map(str, files)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "ASYNCAPI_PARSER_DIR": str(PARSER_DIR)}, check=False)


def test_the_validator_rejects_a_broken_document(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\n"
                   "operations:\n  a: {action: send, channel: {$ref: '#/channels/nope'}}\n")
    result = _validate([bad])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "invalid-ref" in result.stdout


def test_the_asyncapi_tools_accept_every_export(tmp_path: Path) -> None:
    files: list[Path] = []
    shop = native.load((ROOT / "designer" / "catalog" / "demo" / "shop.yaml").read_text())
    exports = {"shop": asyncapi.dump_yaml(shop)}
    exports.update({f"shop-{s.name}": asyncapi.dump_yaml(shop, service=s.name) for s in shop.services})
    exports.update({f"shop-flow-{f.name}": asyncapi.dump_yaml(shop, flow=f.name) for f in shop.flows})
    for fixture in FIXTURES:
        exports[f"imported-{fixture.stem}"] = asyncapi.dump_yaml(asyncapi.load(fixture.read_text()))
        files.append(fixture)  # the fixtures themselves must be valid too
    for name, text in exports.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text)
        files.append(path)
    result = _validate(files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": valid") == len(files)


CLI = PARSER_DIR / ".bin" / "asyncapi"


def test_the_asyncapi_cli_validates_the_team_export_and_every_imported_document(tmp_path: Path) -> None:
    if not CLI.exists():
        message = "AsyncAPI CLI missing (make test installs @asyncapi/cli from tools/package.json)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    shop = native.load((ROOT / "designer" / "catalog" / "demo" / "shop.yaml").read_text())
    exports = {"shop": asyncapi.dump_yaml(shop)}
    for fixture in FIXTURES:
        exports[f"imported-{fixture.stem}"] = asyncapi.dump_yaml(asyncapi.load(fixture.read_text()))
    # The CLI keeps its settings under HOME; give it a private one (and no telemetry to send).
    env = {**os.environ, "HOME": str(tmp_path), "CI": "true"}
    for name, text in exports.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text)
        result = subprocess.run([str(CLI), "validate", str(path)], capture_output=True, text=True,
                                timeout=180, env=env, check=False)
        assert result.returncode == 0, (name, result.stdout + result.stderr)
        assert "is valid" in result.stdout, (name, result.stdout)

    broken = tmp_path / "broken.yaml"
    broken.write_text("asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\n"
                      "operations:\n  a: {action: send, channel: {$ref: '#/channels/nope'}}\n")
    result = subprocess.run([str(CLI), "validate", str(broken)], capture_output=True, text=True,
                            timeout=180, env=env, check=False)
    assert result.returncode != 0
