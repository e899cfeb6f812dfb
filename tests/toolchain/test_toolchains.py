"""Generated projects pass their language's real checks (ruff + mypy --strict, tsc --strict,
javac -Xlint:all -Werror with Jackson, gofmt -l + go vet + go build + go test) for the demo shop,
a model full of hostile names, and a real AsyncAPI document with mutually recursive payload types.

A missing toolchain fails the test when CI=true; elsewhere it skips with the reason.
Install: typescript with `npm install --prefix .tools typescript@5.9.3 @types/node@20.19.9`;
Go from Debian's golang-go; the JDK (17+) is usually present; Jackson from Debian's
libjackson2-databind-java (jars in /usr/share/java).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from designer.core.codegen import generate
from designer.core.model import Model
from tests.toolchain.models import hostile_model, shop_model

pytestmark = pytest.mark.toolchain
ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools" / "node_modules"
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"


def recursive_model() -> Model:
    """A real document with recursive payloads: the AsyncAPI generator's test document, whose
    dummyObject and dummyObjectProp2 refer to each other (types on a cycle in every language)."""
    from designer.core.formats import asyncapi

    return asyncapi.load((REAL / "asyncapi+generator/apps/generator/test/docs/dummy.yml").read_text())


MODELS: dict[str, Callable[[], Model]] = {"shop": shop_model, "hostile": hostile_model, "recursive": recursive_model}
TIMEOUT = 300  # seconds per tool run: javac/tsc on a cold cache take tens of seconds here


def _need(tool: str, path: str | None) -> str:
    if path:
        return path
    reason = f"{tool} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: toolchains are required)")
    pytest.skip(reason)


def _write(model: Model, lang: str, out: Path) -> list[Path]:
    for rel, text in generate(model, lang).items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return sorted(p for p in out.iterdir() if p.is_dir())


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, f"{' '.join(cmd)} in {cwd.name}:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.parametrize("which", MODELS)
def test_generated_python_passes_ruff_mypy_strict_and_its_own_tests(which: str, tmp_path: Path) -> None:
    bindir = Path(sys.executable).parent
    for project in _write(MODELS[which](), "python", tmp_path):
        _run([str(bindir / "ruff"), "check", "--no-cache", "."], project)
        _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
              "--cache-dir", os.devnull, "."], project)
        _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
              "no:django", "tests"], project)


@pytest.mark.parametrize("which", MODELS)
def test_generated_typescript_passes_tsc_strict(which: str, tmp_path: Path) -> None:
    local = TOOLS / ".bin" / "tsc"
    tsc = _need("tsc (typescript)", str(local) if local.exists() else shutil.which("tsc"))
    if not (TOOLS / "@types" / "node").exists():
        _need("@types/node in .tools", None)
    # Node resolves node_modules up the tree: @types/node for node:test and node:crypto.
    (tmp_path / "node_modules").symlink_to(TOOLS)
    for project in _write(MODELS[which](), "typescript", tmp_path / "src"):
        _run([tsc, "-p", "tsconfig.json", "--strict", "--noEmit"], project)


def test_generated_typescript_tests_run_under_node(tmp_path: Path) -> None:
    local = TOOLS / ".bin" / "tsc"
    tsc = _need("tsc (typescript)", str(local) if local.exists() else shutil.which("tsc"))
    node = _need("node", shutil.which("node"))
    (tmp_path / "node_modules").symlink_to(TOOLS)
    project = _write(shop_model(), "typescript", tmp_path / "src")[0]
    _run([tsc, "-p", "tsconfig.json"], project)
    _run([node, "--test", "dist/test/"], project)


JACKSON = [Path("/usr/share/java") / f"jackson-{n}.jar" for n in ("databind", "core", "annotations")]


@pytest.mark.parametrize("which", MODELS)
def test_generated_java_compiles_with_javac_and_jackson_and_its_tests_pass(which: str, tmp_path: Path) -> None:
    javac = _need("javac", shutil.which("javac"))
    java = _need("java", shutil.which("java"))
    # Debian's libjackson2-databind-java (make toolchains installs it).
    cp = ":".join(str(j) for j in JACKSON) if all(j.exists() for j in JACKSON) else _need(
        "the Jackson jars in /usr/share/java (libjackson2-databind-java)", None)
    for project in _write(MODELS[which](), "java", tmp_path / "src"):
        sources = [str(p) for p in sorted(project.rglob("*.java"))]
        _run([javac, "-Xlint:all", "-Werror", "-cp", cp, "-d", "out", *sources], project)
        test = next(project.rglob("MessagesTest.java"))
        package = test.read_text(encoding="utf-8").split("package ", 1)[1].split(";", 1)[0]
        _run([java, "-cp", f"out:{cp}", f"{package}.MessagesTest"], project)


@pytest.mark.parametrize("which", MODELS)
def test_generated_go_passes_vet_build_and_its_tests(which: str, tmp_path: Path) -> None:
    go = _need("go", shutil.which("go"))
    # Offline and hermetic: no proxy, caches in the test's tmp dir.
    env = {"GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOCACHE": str(tmp_path / "gocache"),
           "GOPATH": str(tmp_path / "gopath"), "GO111MODULE": "on"}
    gofmt = shutil.which("gofmt") or str(Path(go).with_name("gofmt"))
    for project in _write(MODELS[which](), "go", tmp_path / "src"):
        proc = subprocess.run([gofmt, "-l", "."], cwd=project, capture_output=True, text=True,
                              timeout=TIMEOUT, check=False)
        assert proc.returncode == 0 and proc.stdout == "", f"gofmt -l in {project.name}: {proc.stdout}"
        _run([go, "vet", "./..."], project, env)
        _run([go, "build", "./..."], project, env)
        _run([go, "test", "./..."], project, env)
