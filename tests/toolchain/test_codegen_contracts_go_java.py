"""Generated Go and Java code enforces the contract it was generated from (issue 12).

Generated through the CLI a user runs (``manage.py codegen``) from the shipped demo model
(``designer/catalog/demo/shop.yaml``, what ``seed_demo`` imports) and from real AsyncAPI
documents of tests/fixtures/asyncapi_real, then built and run with the real toolchains:
``gofmt -l``, ``go vet``, ``go build``, ``go test`` (stdlib only, offline); ``javac -Xlint:all
-Werror`` and ``java`` with Debian's Jackson jars (``libjackson2-databind-java``).

Each generated project runs its own contract tests (examples accepted; a missing required
field, a wrong type, an unknown property and a broken constraint rejected with their path) and
its dispatcher tests (8 concurrent deliveries -> the handler runs once; a failed handler
releases the claim; queries are never deduplicated; an invalid payload never reaches a handler).
Here, the validator each project ships (``bin/validate`` / ``Validate``) gets the issue's
invalid payload and one invalid payload per keyword, cross-checked with jsonschema-rs.

A missing toolchain skips on a developer machine and FAILS when CI=true.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from designer.core import schema_compile
from designer.core.formats import native

pytestmark = pytest.mark.toolchain
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
KEYWORDS = ROOT / "tests" / "fixtures" / "codegen" / "keywords.yaml"
COMMAND_REPLY = ROOT / "tests" / "fixtures" / "codegen_command_reply.yaml"  # a command that answers
# Constraint values that try to break out of generated code (quotes, backticks, */, property
# names with quotes and newlines, enums of mixed types, a const object, maxLength 2**31 - 1,
# 1e308, a lookaround pattern the engines cannot share, false/true schemas, recursive $ref).
HOSTILE = ROOT / "tests" / "fixtures" / "codegen" / "hostile_schemas.json"
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"
# Real documents that use oneOf, anyOf, nullable, uniqueItems, exclusiveMinimum, maxLength,
# maximum, pattern, const, enum, formats and $ref between them; a request/reply API; a
# document with non-object payloads (integers, strings).
REAL_DOCS = [
    REAL / "springwolf+springwolf-core/springwolf-examples/springwolf-kafka-example/src/test/resources/asyncapi.yaml",
    REAL / "asyncapi+spec@v3.0.0/examples/kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml",
    REAL / "asyncapi+spec@v3.0.0/examples/websocket-gemini-asyncapi.yml",
    REAL / "asyncapi+spec@v3.0.0/examples/anyof-asyncapi.yml",
    REAL / "asyncapi+spec@v3.0.0/examples/streetlights-kafka-asyncapi.yml",
    REAL / "asyncapi+spec@v2.6.0/examples/websocket-gemini.yml",
]
TIMEOUT = 300
JARS = Path("/usr/share/java")
JACKSON = [JARS / f"jackson-{n}.jar" for n in ("databind", "core", "annotations")]
ISSUE_PAYLOAD = {"items": [{"price": 1}], "bogus": True}
ISSUE_PATHS = {"$.orderId", "$.userId", "$.userEmail", "$.total", "$.currency",
               "$.items[0].productId", "$.items[0].quantity", "$.bogus"}


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is not installed (CI=true: toolchains are required)")
    pytest.skip(f"{tool} is not installed")


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
         stdin: str | None = None, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False, input=stdin, env={**os.environ, **(env or {})})
    if ok:
        assert proc.returncode == 0, f"{' '.join(cmd)} in {cwd}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _codegen(source: Path, lang: str, out: Path) -> list[Path]:
    """Generate through the CLI a user runs; returns the project folders."""
    proc = _run([sys.executable, "manage.py", "codegen", str(source), "--lang", lang,
                 "--out", str(out)], ROOT)
    assert "wrote" in proc.stdout
    return sorted(p for p in out.iterdir() if p.is_dir())


def _regenerate_keeps_your_handlers(source: Path, lang: str, out: Path, yours: str) -> None:
    """Generation gap: the created-once handler files survive regeneration; the rest is rewritten."""
    mine = sorted(out.rglob(yours))
    assert mine and all("Created once by designer codegen" in p.read_text() for p in mine)
    for p in mine:
        p.write_text(p.read_text() + "\n// my code\n", encoding="utf-8")
    proc = _run([sys.executable, "manage.py", "codegen", str(source), "--lang", lang,
                 "--out", str(out)], ROOT)
    assert f"kept {len(mine)} existing file(s) of yours" in proc.stdout
    assert all(p.read_text().endswith("// my code\n") for p in mine)
    for p in mine:  # back to the stub, so the project's own checks see generated code
        p.write_text(p.read_text().removesuffix("\n// my code\n"), encoding="utf-8")


def _go_env(tmp: Path) -> dict[str, str]:
    # Offline and hermetic: no proxy, no module downloads, caches in the test's tmp dir.
    return {"GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOCACHE": str(tmp / "gocache"),
            "GOPATH": str(tmp / "gopath"), "GO111MODULE": "on"}


def _keyword_cases() -> list[tuple[str, dict[str, Any], str]]:
    """(keyword, payload, path) for EveryKeyword: one invalid payload per keyword."""
    model = native.load(KEYWORDS.read_text(encoding="utf-8"), str(KEYWORDS))
    example = model.messages_by_name["EveryKeyword"].latest.example
    assert isinstance(example, dict)

    def with_(**changes: Any) -> dict[str, Any]:
        return {**example, **changes}

    without_count = {k: v for k, v in example.items() if k != "count"}
    return [
        ("required", without_count, "$.count"),
        ("type", with_(count="3"), "$.count"),
        ("additionalProperties", with_(bogus=True), "$.bogus"),
        ("enum", with_(kind="medium"), "$.kind"),
        ("const", with_(fixed=41), "$.fixed"),
        ("minimum", with_(count=0), "$.count"),
        ("maximum", with_(count=11), "$.count"),
        ("exclusiveMinimum", with_(ratio=0), "$.ratio"),
        ("exclusiveMaximum", with_(ratio=1), "$.ratio"),
        ("minLength", with_(name="a"), "$.name"),
        ("maxLength", with_(name="abcdef"), "$.name"),
        ("pattern", with_(name="ABC"), "$.name"),
        ("format uuid", with_(id="123"), "$.id"),
        ("format date-time", with_(at="2025-13-45 nope"), "$.at"),
        ("format email", with_(email="not-an-email"), "$.email"),
        ("format uri", with_(site="no scheme here"), "$.site"),
        ("items", with_(tags=["a", 1]), "$.tags[1]"),
        ("minItems", with_(tags=[]), "$.tags"),
        ("maxItems", with_(tags=["a", "b", "c", "d"]), "$.tags"),
        ("uniqueItems", with_(tags=["a", "a"]), "$.tags[1]"),
        ("nested object", with_(customer={"customerId": "x"}), "$.customer.customerId"),
        ("recursive $ref", with_(customer={"customerId": "c-1", "friend": {}}),
         "$.customer.friend.customerId"),
        ("nullable (null is fine, a number is not)", with_(maybe=3), "$.maybe"),
        ("type list with null", with_(score=-1), "$.score"),
        ("oneOf", with_(shape={"radius": 1, "side": 1}), "$.shape"),
        ("anyOf", with_(either="long"), "$.either"),
    ]


def _check_keyword_cases(validate: Any) -> None:
    """Feed the keyword cases to ``validate(name, payload) -> (exit code, stderr)``."""
    model = native.load(KEYWORDS.read_text(encoding="utf-8"), str(KEYWORDS))
    version = model.messages_by_name["EveryKeyword"].latest
    code, err = validate("EveryKeyword", version.example)
    assert code == 0, err
    # OpenAPI's nullable (Springwolf writes it) is honoured: null passes where the type allows it.
    code, err = validate("EveryKeyword", {**version.example, "maybe": None, "score": 5})
    assert code == 0, err
    failures = []
    for keyword, payload, path in _keyword_cases():
        # The oracle: jsonschema-rs finds the payload invalid too.
        assert schema_compile.instance_problems(version.schema, payload), keyword
        code, err = validate("EveryKeyword", payload)
        paths = {line.split(": ", 1)[0] for line in err.splitlines()}
        if code != 1 or path not in paths:
            failures.append(f"{keyword}: exit {code}, want a problem at {path}, got {err!r}")
    assert failures == []


def _check_demo_validator(validate: Any) -> None:
    model = native.load(DEMO.read_text(encoding="utf-8"), str(DEMO))
    example = model.messages_by_name["OrderPlaced"].latest.example
    assert isinstance(example, dict)
    code, err = validate("OrderPlaced", example["data"])
    assert code == 0, err
    code, err = validate("OrderPlaced", ISSUE_PAYLOAD)
    assert code == 1
    assert {line.split(": ", 1)[0] for line in err.splitlines()} == ISSUE_PATHS
    code, err = validate("NoSuchMessage", {})
    assert code == 2 and "OrderPlaced" in err


# ------------------------------------------------------------------------------------------- Go

def _go_project_checks(project: Path, go: str, env: dict[str, str]) -> None:
    gofmt = shutil.which("gofmt") or str(Path(go).with_name("gofmt"))
    unformatted = _run([gofmt, "-l", "."], project).stdout.strip()
    assert unformatted == "", f"not gofmt-clean in {project.name}: {unformatted}"
    _run([go, "vet", "./..."], project, env)
    _run([go, "build", "./..."], project, env)
    _run([go, "test", "-count=1", "./..."], project, env)


def test_go_from_the_demo_model_is_gofmt_clean_vets_builds_and_passes_its_contract_tests(tmp_path: Path) -> None:
    go = _need("go")
    env = _go_env(tmp_path)
    projects = _codegen(DEMO, "go", tmp_path / "demo")
    assert len(projects) == 5
    _regenerate_keeps_your_handlers(DEMO, "go", tmp_path / "demo", "handlers_impl.go")
    for project in projects:
        _go_project_checks(project, go, env)
    # GetOrderStatus's responder returns OrderStatusReported; an invalid one is never returned.
    order = tmp_path / "demo" / "order-service"
    assert "envelope Envelope) (OrderStatusReported, error)" in (order / "handlers.go").read_text()
    out = _run([go, "test", "-count=1", "-v", "-run", "TestAnInvalidReplyIsNeverSent", "."], order, env).stdout
    assert "--- PASS: TestAnInvalidReplyIsNeverSent" in out, out
    text = (tmp_path / "demo" / "payment-service" / "messages.go").read_text()
    assert "OrderID " in text and "OrderId" not in text  # Go initialisms
    assert text.startswith("// Code generated by ") and "DO NOT EDIT." in text.splitlines()[0]


def test_go_from_real_asyncapi_documents_and_hostile_schemas_passes_its_contract_tests(tmp_path: Path) -> None:
    go = _need("go")
    env = _go_env(tmp_path)
    for i, doc in enumerate([*REAL_DOCS, HOSTILE]):
        for project in _codegen(doc, "go", tmp_path / f"doc{i}"):
            _go_project_checks(project, go, env)


def _go_validate(project: Path, env: dict[str, str]) -> Any:

    def validate(name: str, payload: Any) -> tuple[int, str]:
        proc = _run(["sh", "bin/validate", name], project, env, stdin=json.dumps(payload), ok=False)
        return proc.returncode, proc.stderr
    return validate


def test_go_validator_rejects_the_issue_payload_and_one_payload_per_keyword(tmp_path: Path) -> None:
    _need("go")
    env = _go_env(tmp_path)
    demo = _codegen(DEMO, "go", tmp_path / "demo")
    _check_demo_validator(_go_validate(next(p for p in demo if p.name == "payment-service"), env))
    project = _codegen(KEYWORDS, "go", tmp_path / "kw")[0]
    _go_project_checks(project, _need("go"), env)
    _check_keyword_cases(_go_validate(project, env))


# A developer's handler for ChargeCard that returns an invalid reply, then a valid one.
GO_COMMAND_REPLY_TEST = """package billingservice

import (
	"context"
	"errors"
	"testing"
)

type mine struct {
	TodoHandlers[*MemoryTx]
	calls []string
	reply CardCharged
}

func (h *mine) HandleChargeCard(ctx context.Context, tx *MemoryTx, message ChargeCard, envelope Envelope) (CardCharged, error) {
	h.calls = append(h.calls, message.OrderID)
	return h.reply, nil
}

func TestMyCommandReply(t *testing.T) {
	h := &mine{reply: CardCharged{OrderID: "o1"}}
	d := NewDispatcher[*MemoryTx](h, NewInMemoryIdempotencyStore(), BeginMemoryTx)
	env := Envelope{ID: "c1", Type: "billing.charge-card", Data: []byte(`{"orderId":"o1","amount":3}`)}
	got, err := d.Dispatch(context.Background(), env)
	var invalid *ValidationError
	if !errors.As(err, &invalid) || got != nil {
		t.Fatalf("want a *ValidationError and no reply, got %v, %v", got, err)
	}
	t.Logf("refused: %v", err)
	h.reply = CardCharged{OrderID: "o1", ChargeID: "ch1"}
	got, err = d.Dispatch(context.Background(), env)
	if reply, ok := got.(CardCharged); err != nil || !ok || reply != h.reply {
		t.Fatalf("the retry got %v, %v", got, err)
	}
	got, err = d.Dispatch(context.Background(), env)
	if got != nil || err != nil {
		t.Fatalf("a duplicate got %v, %v", got, err)
	}
	if len(h.calls) != 2 {
		t.Fatalf("handler ran %d times, want 2", len(h.calls))
	}
}
"""


def test_go_command_handler_returns_its_typed_reply_once(tmp_path: Path) -> None:
    go = _need("go")
    env = _go_env(tmp_path)
    projects = _codegen(COMMAND_REPLY, "go", tmp_path / "out")
    for project in projects:  # its own tests: typed reply, duplicate nil, bad reply refused
        _go_project_checks(project, go, env)
    billing = tmp_path / "out" / "billing-service"
    assert ") (CardCharged, error)" in (billing / "handlers_impl.go").read_text(encoding="utf-8")
    assert "TestAnInvalidCommandReplyIsRefusedAndReleasesTheClaim" in (
        billing / "dispatcher_test.go").read_text(encoding="utf-8")
    (billing / "mine_test.go").write_text(GO_COMMAND_REPLY_TEST, encoding="utf-8")
    proc = _run([go, "test", "-count=1", "-v", "-run", "TestMyCommandReply", "."], billing, env)
    assert "--- PASS: TestMyCommandReply" in proc.stdout, proc.stdout
    assert "chargeId" in proc.stdout, proc.stdout  # the refusal names the reply's bad field


# ----------------------------------------------------------------------------------------- Java

def _jackson() -> str:
    missing = [str(j) for j in JACKSON if not j.exists()]
    if missing:
        message = f"Jackson jars missing ({', '.join(missing)}): apt-get install libjackson2-databind-java"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return ":".join(str(j) for j in JACKSON)


def _java_project_checks(project: Path, javac: str, java: str, cp: str) -> None:
    sources = [str(p) for p in sorted(project.rglob("*.java"))]
    _run([javac, "-Xlint:all", "-Werror", "-cp", cp, "-d", "out", *sources], project)
    test = next(project.rglob("MessagesTest.java"))
    package = test.read_text(encoding="utf-8").split("package ", 1)[1].split(";", 1)[0]
    proc = _run([java, "-cp", f"out:{cp}", f"{package}.MessagesTest"], project)
    assert proc.stdout.strip().endswith("ok")
    pom = (project / "pom.xml").read_text(encoding="utf-8")
    assert "<artifactId>jackson-databind</artifactId>" in pom


def test_java_from_the_demo_model_compiles_with_xlint_werror_and_passes_its_contract_tests(tmp_path: Path) -> None:
    javac, java, cp = _need("javac"), _need("java"), _jackson()
    projects = _codegen(DEMO, "java", tmp_path / "demo")
    assert len(projects) == 5
    _regenerate_keeps_your_handlers(DEMO, "java", tmp_path / "demo", "AppHandlers.java")
    for project in projects:
        _java_project_checks(project, javac, java, cp)
    # GetOrderStatus's responder returns the OrderStatusReported record; MessagesTest (run above)
    # has it return an invalid one and expects the dispatcher to throw instead of answering.
    order = tmp_path / "demo" / "order-service"
    handlers = next(order.rglob("Handlers.java")).read_text()
    assert "default Messages.OrderStatusReported answerGetOrderStatus(" in handlers
    assert "anInvalidReplyIsNeverSent();" in next(order.rglob("MessagesTest.java")).read_text()
    messages = next((tmp_path / "demo" / "payment-service").rglob("Messages.java")).read_text()
    # Records with primitives for required numbers; no hand-written JSON parser any more.
    assert "@JsonProperty(\"quantity\") long quantity" in messages
    assert not any(p.name == "Json.java" and "class Parser" in p.read_text()
                   for p in (tmp_path / "demo").rglob("*.java"))


def test_java_from_real_asyncapi_documents_and_hostile_schemas_passes_its_contract_tests(tmp_path: Path) -> None:
    javac, java, cp = _need("javac"), _need("java"), _jackson()
    for i, doc in enumerate([*REAL_DOCS, HOSTILE]):
        for project in _codegen(doc, "java", tmp_path / f"doc{i}"):
            _java_project_checks(project, javac, java, cp)


def _java_validate(project: Path) -> Any:
    def validate(name: str, payload: Any) -> tuple[int, str]:
        proc = _run(["sh", "bin/validate", name], project, stdin=json.dumps(payload), ok=False)
        return proc.returncode, proc.stderr
    return validate


def test_java_validator_rejects_the_issue_payload_and_one_payload_per_keyword(tmp_path: Path) -> None:
    _need("javac")
    _jackson()
    demo = _codegen(DEMO, "java", tmp_path / "demo")
    _check_demo_validator(_java_validate(next(p for p in demo if p.name == "payment-service")))
    project = _codegen(KEYWORDS, "java", tmp_path / "kw")[0]
    _java_project_checks(project, _need("javac"), _need("java"), _jackson())
    _check_keyword_cases(_java_validate(project))


# ------------------------------------------------------------ the page a user downloads code from

def _download(client: Any, team: Any, service: str, lang: str, out: Path) -> Path:
    """Download a service's project from the code page and unzip it, keeping file modes."""
    import io
    import zipfile

    from django.urls import reverse

    from designer.catalog.models import Service

    svc = Service.objects.get(team=team, name=service)
    resp = client.get(reverse("codegen_service_zip", args=[team.slug, svc.pk]), {"lang": lang})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.content)) as zf:
        for info in zf.infolist():
            target = out / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            target.chmod(info.external_attr >> 16)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["go", "java"])
def test_the_project_downloaded_from_the_seeded_demo_runs_its_validator_and_tests(
        lang: str, demo_team: Any, member_client: Any, tmp_path: Path) -> None:
    env = _go_env(tmp_path)
    if lang == "go":
        go = _need("go")
    else:
        javac, java, cp = _need("javac"), _need("java"), _jackson()
    project = _download(member_client(demo_team, "viewer"), demo_team, "payment-service", lang,
                        tmp_path / "payment-service")
    if lang == "go":
        _go_project_checks(project, go, env)
    else:
        _java_project_checks(project, javac, java, cp)
    proc = _run([str(project / "bin" / "validate"), "OrderPlaced"], project, env,
                stdin=json.dumps(ISSUE_PAYLOAD), ok=False)  # executable as downloaded
    assert proc.returncode == 1, proc.stderr
    assert {line.split(": ", 1)[0] for line in proc.stderr.splitlines()} == ISSUE_PATHS


# A developer's handler for ChargeCard that returns an invalid reply, then a valid one.
JAVA_COMMAND_REPLY_MAIN = """package com.example.billingservice;

import java.util.ArrayList;
import java.util.List;

public final class Mine {
    private Mine() { }

    public static void main(String[] args) throws Exception {
        List<String> calls = new ArrayList<>();
        Messages.CardCharged[] reply = {new Messages.CardCharged("o1", "")};
        Handlers handlers = new Handlers() {
            @Override
            public Messages.CardCharged handleChargeCard(java.sql.Connection connection, Messages.ChargeCard message, Envelope envelope) {
                calls.add(message.orderId());
                return reply[0];
            }
        };
        Dispatcher d = new Dispatcher(handlers, new InMemoryIdempotencyStore(), new InMemoryTransactions());
        Envelope env = new Envelope("c1", null, null, "billing.charge-card", null, null, null, null,
                Json.parse("{\\"orderId\\":\\"o1\\",\\"amount\\":3}"));
        try {
            d.dispatch(env);
            throw new AssertionError("an invalid reply was sent");
        } catch (Json.ValidationException expected) {
            System.out.println("refused: " + expected.getMessage());
        }
        reply[0] = new Messages.CardCharged("o1", "ch1");
        Object got = d.dispatch(env);
        if (!reply[0].equals(got)) {
            throw new AssertionError("the retry got " + got);
        }
        Object again = d.dispatch(env);
        if (again != null || calls.size() != 2) {
            throw new AssertionError("a duplicate got " + again + " after " + calls);
        }
        System.out.println("mine ok");
    }
}
"""


def test_java_command_handler_returns_its_typed_reply_once(tmp_path: Path) -> None:
    javac, java, cp = _need("javac"), _need("java"), _jackson()
    projects = _codegen(COMMAND_REPLY, "java", tmp_path / "out")
    for project in projects:  # its own tests: typed reply, duplicate null, bad reply refused
        _java_project_checks(project, javac, java, cp)
    billing = tmp_path / "out" / "billing-service"
    assert "public Messages.CardCharged handleChargeCard(" in next(billing.rglob("AppHandlers.java")).read_text()
    assert "anInvalidCommandReplyIsRefusedAndReleasesTheClaim();" in next(
        billing.rglob("MessagesTest.java")).read_text()
    package_dir = next(billing.rglob("Dispatcher.java")).parent
    (package_dir / "Mine.java").write_text(JAVA_COMMAND_REPLY_MAIN, encoding="utf-8")
    sources = [str(p) for p in sorted(billing.rglob("*.java"))]
    _run([javac, "-Xlint:all", "-Werror", "-cp", cp, "-d", "out", *sources], billing)
    proc = _run([java, "-cp", f"out:{cp}", "com.example.billingservice.Mine"], billing)
    assert proc.stdout.strip().endswith("mine ok"), proc.stdout
    assert "chargeId" in proc.stdout, proc.stdout  # the refusal names the reply's bad field
