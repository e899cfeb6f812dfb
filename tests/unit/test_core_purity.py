"""The core is pure: no Django, no database, no network, no clock, no subprocess."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "designer" / "core"
FORBIDDEN_MODULES = {"django", "channels", "celery", "socket", "subprocess", "requests", "httpx", "urllib.request",
                     "asyncio", "threading", "designer.catalog", "designer.traffic", "designer.lintreview"}
FORBIDDEN_CALLS = {("time", "time"), ("time", "monotonic"), ("datetime", "now"), ("datetime", "utcnow"), ("date", "today")}


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_it_finds_no_forbidden_import_in_the_core() -> None:
    offenders = []
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 50
    for path in files:
        for name in _imports(ast.parse(path.read_text(), str(path))):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_it_never_reads_the_clock_in_the_core() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                if (node.func.value.id, node.func.attr) in FORBIDDEN_CALLS:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {node.func.value.id}.{node.func.attr}()")
    assert offenders == []


def test_it_type_checks_the_core_strictly() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--ignore-missing-imports", "--no-incremental",
                             "--cache-dir", "/dev/null", "designer/core"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]


def test_it_passes_ruff_on_the_whole_project() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "designer", "tests", "bench", "manage.py"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]
